"""Every answer the emulator had to choose, in one place, and which of them are still guesses.

The service is gone. Where a document it sent, its manual or a client of the time records what it
did, the emulator does that (docs/service/behaviour.md and docs/service/endpoints.md describe it).
Where nothing does, the emulator picks the most plausible behaviour; each such choice is a named
constant below or a line in this list, so changing it here changes every handler. Texts the
service is known to have sent are kept verbatim; texts under "invented texts" are ours.

**As the service did (settled by documents or by clients' suites run against it)**

* Documents are written as Rails' ``to_xml`` wrote them: the declaration, one element a line,
  indented two spaces a level; empty lists as ``<nil-classes type="array"/>``.
* A free trial records a transaction (amount 0, ``detail-type`` ``Subscription``, ``detail/
  payment-method`` :data:`FREE_TRIAL_PAYMENT_METHOD`); so does a lifetime comp. A paid invoice
  records a ``Subscription`` transaction, a stop-auto-renew of a recurring subscriber a
  ``StopAutoRenew`` one. Deleting test subscribers removes their transactions.
* ``GET transactions.xml`` lists the newest first (:data:`PAGE_SIZE` of them); with ``since_id``
  it lists those with a greater id, oldest first, at most :data:`PAGE_SIZE`.
* The hosted pages open on a first page whose first form, submitted as it is, leads to the
  payment form; its fields are named ``credit_card[...]`` and ``subscriber[email]``; an approved
  payment shows a ``Thank you!`` receipt with a Continue link to the return URL (``return_url``
  in the query, else the plan's); a failure shows the form again with status 200 and the message.
* Values are kept exactly as sent, whitespace included; a customer id is addressed by exactly
  the text it was created with.
* Lifetime comps answer **201**; time extensions live at the plural path.

**Still a guess (nothing records it)**

1. Time extensions: the singular path ``complimentary_time_extension.xml`` is accepted as an alias
   (:data:`ACCEPT_SINGULAR_TIME_EXTENSION_PATH`).
2. Answer bodies nobody recorded: update and stop-auto-renew answer 200 with the subscriber
   document; store credit and fees 201 with an empty body; deletes 200 with an empty body
   (:data:`UPDATE_RETURNS_SUBSCRIBER`, :data:`STOP_AUTO_RENEW_RETURNS_SUBSCRIBER`).
3. Complimentary ``start-time`` / ``amount`` are accepted and ignored (the comp starts now). A
   time-limited comp records no transaction; a lifetime comp records one with ``detail-type``
   :data:`COMP_DETAIL_TYPE`, no payment method and terms :data:`LIFETIME_TERMS`. A free trial's
   transaction carries the trial's closed zero invoice id and description
   :data:`FREE_TRIAL_DESCRIPTION`.
4. Fees: ``allow-non-recurring-subscriber=true`` lifts the "must be recurring" rule, not the
   "must be active" one.
5. Change plan accepts both roots and does not require an active subscriber.
6. ``clear_lifetime_subscription.xml`` is not emulated (404 like any unknown path).
7. Pay with ``account-type`` ``store-credit`` / ``general-credit`` is refused with the "credit
   card parameters" 422 (only ``credit-card`` and ``on-file`` are emulated).
8. Test card :data:`GATEWAY_UNAVAILABLE_CARD` is the "gateway unavailable" card (403); any number
   but :data:`APPROVING_CARD` is declined like :data:`DECLINING_CARD`. A card is expired when its
   month ends before the emulator's clock's month (the clock, not the machine's: see ``spreedly
   emulator --now``).
9. Deletes on a site made with ``test_site=False``: 403 with :data:`TEXT_DELETE_NOT_TEST_SITE`.
10. ``pagination-id`` is a per-site sequence number; there is no list paging.
11. Free-trial eligibility: the ``eligible-for-free-trial`` flag must be true **and** the
    subscriber must not be active on a paid or complimentary subscription; a subscriber on a
    trial who was allowed another trial may start it.
12. A create without a customer id is a 422 ``<errors>`` document; a create whose body has no
    ``<subscriber>`` root answers the 422 text the service leaked (``undefined method `delete'
    for nil:NilClass``).
13. Subscriber lists carry no ``<invoices>``; single GETs do.
14. Error bodies in plain text are ``text/plain; charset=utf-8``, XML ``application/xml``.
15. A wrong site name in the path is treated like a wrong token: 401. So is an ``Authorization``
    header that is not Basic, not ASCII, or not base64 of UTF-8.
16. A malformed request body (not well-formed XML, or a DOCTYPE) is refused with
    :data:`MALFORMED_STATUS` and :data:`TEXT_MALFORMED_BODY`; a request the socket server cannot
    read at all (a ``Content-Length`` that is not a number of bytes, a bad chunk size) is a 400,
    one larger than its cap a 413, and the connection is closed.
17. Elements a request model has no field for are refused with the read-only 403, named with
    underscores and joined with ``", "`` (a dummy ``customer-id`` in an update is ignored).
18. "Blank" is Rails' ``blank?``: empty or only whitespace. A customer id, feature level, fee
    name or group that is blank is refused; any other text is stored exactly as sent. **No other
    value is validated**: an email, screen name or billing name is stored unchecked.
19. Limits (the service's own are not recorded): an amount keeps at most
    :data:`MAX_AMOUNT_DIGITS` digits before the point and :data:`MAX_AMOUNT_PLACES` after it
    (store credit totals and a subscriber's pending fees too); a period is at most
    :data:`MAX_DURATION_DAYS` days or :data:`MAX_DURATION_MONTHS` months and may not end after
    :data:`LATEST_YEAR`; a card's year is at most :data:`LATEST_YEAR`. Past these: 422 with an
    ``<errors>`` body (:data:`TEXT_AMOUNT_TOO_LARGE`, :data:`TEXT_AMOUNT_TOO_PRECISE`,
    :data:`TEXT_QUANTITY_TOO_LARGE`), and nothing changes.
20. The time-extension 403 text is the one a client's fixture recorded
    (``Complimentary subscriptions cannot be given to inactive subscribers.``).
21. Periods: ``days`` add exact days; ``months`` add calendar months, clamping the day to the end
    of a shorter month (Jan 31 + 1 month = Feb 28/29). A paid period starts at payment time; the
    grace period ends :data:`GRACE_DAYS` after it.
22. Invoices for a subscriber on another paid plan carry a ``Credit from current subscription``
    line for the unused part (pro rata by time); store credit is applied as a ``Your store
    credit`` line; a credit larger than the price is kept as store credit once paid. A plan's
    setup fee is charged once while ``eligible-for-setup-fee`` is true. Buying a free-trial plan
    through an invoice is refused with 403 :data:`TEXT_INVOICE_FREE_TRIAL_PLAN`.
23. Invoice answers (create and pay) carry the fields of the 2013 invoices nested in subscribers
    plus the nested ``<subscriber>``; a free trial leaves a closed zero-amount invoice.
24. Hosted pages: the first page's form sends ``step=details`` and the payment form
    ``step=payment``; a post with card fields and no step pays too; the emulator's own older
    field names (``card_number``, ``first_name``, ``email``...) are accepted. A form that cannot
    be read is shown again with :data:`TEXT_FORM_UNREADABLE`. Stopping auto renew on the account
    page shows the same receipt. An unknown plan, subscriber or token is a 404 page, a disabled
    plan a 403 page.
25. Time-driven events (renewals, failed renewals, grace, expiry) and the subscribers-changed
    notification: their choices are listed in :mod:`spreedly_sdk.testing._lifecycle`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

# ----------------------------------------------------------------------------- formats
XML_CONTENT_TYPE: Final = "application/xml; charset=utf-8"
TEXT_CONTENT_TYPE: Final = "text/plain; charset=utf-8"
HTML_CONTENT_TYPE: Final = "text/html; charset=utf-8"
CURRENCY: Final = "USD"
AUTH_REALM: Final = "Web Password"

# ----------------------------------------------------------------------------- rules
PAGE_SIZE: Final = 50
GRACE_DAYS: Final = 3
MALFORMED_STATUS: Final = 400
ACCEPT_SINGULAR_TIME_EXTENSION_PATH: Final = True
UPDATE_RETURNS_SUBSCRIBER: Final = True
STOP_AUTO_RENEW_RETURNS_SUBSCRIBER: Final = True
LIFETIME_COMP_STATUS: Final = 201

APPROVING_CARD: Final = "4222222222222"
DECLINING_CARD: Final = "4012888888881881"
GATEWAY_UNAVAILABLE_CARD: Final = "4111111111111111"
ZERO: Final = Decimal("0.0")

# ----------------------------------------------------------------------------- limits
MAX_AMOUNT_DIGITS: Final = 12
MAX_AMOUNT_PLACES: Final = 6
MAX_DURATION_DAYS: Final = 36_600
MAX_DURATION_MONTHS: Final = 1_200
LATEST_YEAR: Final = 9_000

# ----------------------------------------------------------------------------- transactions
FREE_TRIAL_DESCRIPTION: Final = "Free trial"
FREE_TRIAL_PAYMENT_METHOD: Final = "free_trial"
COMP_DESCRIPTION: Final = "Complimentary subscription"
COMP_DETAIL_TYPE: Final = "ComplimentarySubscription"
LIFETIME_TERMS: Final = "Lifetime"

# ----------------------------------------------------------------------------- texts the service sent
TEXT_ACCESS_DENIED: Final = "HTTP Basic: Access denied.\n"
TEXT_SUBSCRIBER_NOT_FOUND: Final = "There is no subscriber with a customer id of {id}"
TEXT_DUPLICATE_CUSTOMER_ID: Final = "A subscriber with a customer-id of {id} already exists."
TEXT_READ_ONLY: Final = "This API call does not allow adjusting the following attributes [ {names} ]."
TEXT_NO_SUBSCRIBER_PARAMS: Final = "You must specify subscriber parameters"
TEXT_CREATE_WITHOUT_SUBSCRIBER: Final = "undefined method `delete' for nil:NilClass"
TEXT_CUSTOMER_ID_BLANK: Final = "Customer ID can't be blank"
TEXT_NO_PLAN_ID: Final = "You must specify the subscription plan id"
TEXT_PLAN_NOT_FOUND: Final = "There is no subscription plan with an ID of {id} for the site you're accessing"
TEXT_NOT_ELIGIBLE: Final = "The subscriber is not eligible for a free trial"
TEXT_NOT_FREE_TRIAL_PLAN: Final = "The subscription plan must be a free trial plan."
TEXT_PLAN_DISABLED: Final = "The subscription plan is temporarily unavailable for purchase. Please try again later."
TEXT_COMP_ACTIVE: Final = "Complimentary subscriptions cannot be given to active subscribers."
TEXT_EXTENSION_INACTIVE: Final = "Complimentary subscriptions cannot be given to inactive subscribers."
TEXT_UNITS_INVALID: Final = "Duration units must be either 'days' or 'months'"
TEXT_QUANTITY_BLANK: Final = "Duration quantity can't be blank"
TEXT_QUANTITY_NAN: Final = "Duration quantity is not a number"
TEXT_FEATURE_LEVEL_BLANK: Final = "Feature level can't be blank"
TEXT_CREDIT_NEGATIVE: Final = (
    "Amount is invalid. The total store credit for a subscriber must be greater than or equal to 0."
)
TEXT_INVOICE_INVALID: Final = "You must specify both the subscription plan id and subscriber information."
TEXT_INVOICE_NOT_FOUND: Final = 'Unable to find invoice "{token}"'
TEXT_INVOICE_CLOSED: Final = "Unable to pay an invoice which has already been closed."
TEXT_NO_CARD: Final = "You must specify credit card parameters for the payment."
TEXT_PLAN_CHANGED: Final = "Subscription plan successfully changed."

# ----------------------------------------------------------------------------- invented texts
TEXT_AMOUNT_NAN: Final = "Amount is not a number"
TEXT_AMOUNT_TOO_LARGE: Final = "Amount is too large"
TEXT_AMOUNT_TOO_PRECISE: Final = "Amount has too many decimal places"
TEXT_QUANTITY_TOO_LARGE: Final = "Duration quantity is too large"
TEXT_QUANTITY_NOT_POSITIVE: Final = "Duration quantity must be greater than 0"
TEXT_FEE_NAME_BLANK: Final = "Name can't be blank"
TEXT_FEE_GROUP_BLANK: Final = "Group can't be blank"
TEXT_FEE_AMOUNT_BLANK: Final = "Amount can't be blank"
TEXT_FEE_INACTIVE: Final = "Fees can only be added to active subscribers."
TEXT_FEE_NOT_RECURRING: Final = "Fees can only be added to recurring subscribers."
TEXT_DELETE_NOT_TEST_SITE: Final = "Subscribers can only be deleted on a test site."
TEXT_CARD_DECLINED: Final = "Charge not completed: The credit card was declined."
TEXT_GATEWAY_UNAVAILABLE: Final = "Charge not completed: The payment gateway is unavailable."
TEXT_NO_CARD_ON_FILE: Final = "The subscriber has no payment method on file."
TEXT_INVOICE_FREE_TRIAL_PLAN: Final = "Free trial plans cannot be purchased; subscribe to the free trial instead."
TEXT_MALFORMED_BODY: Final = "The request body is not well-formed XML."
TEXT_NOT_FOUND: Final = "Not Found"
TEXT_FORM_UNREADABLE: Final = "The form could not be read; please fill it in again."
TEXT_MONTH_INVALID: Final = "Month is not a valid month"
TEXT_YEAR_EXPIRED: Final = "Year expired"
TEXT_YEAR_INVALID: Final = "Year is not a valid year"
TEXT_NUMBER_INVALID: Final = "Number is not a valid credit card number"
TEXT_FIRST_NAME_BLANK: Final = "First name cannot be empty"
TEXT_LAST_NAME_BLANK: Final = "Last name cannot be empty"
