"""Every answer the emulator had to choose where the record is silent (REFERENCE §9), in one place.

The service is gone, so where no source records what it did, the emulator picks the most
plausible behaviour. Each choice is a named constant below; change it here and every
handler follows. Texts the service is known to have sent are kept verbatim (with the sample
they come from); texts marked *invented* are ours.

Choices, by REFERENCE §9 item:

1. Time extensions: the plural path ``complimentary_time_extensions.xml`` is the endpoint;
   the singular spelling from the URL-reference page is accepted as an alias
   (:data:`ACCEPT_SINGULAR_TIME_EXTENSION_PATH`).
2. Lifetime comps answer **201** (the documentation), not 200.
3. Empty lists are written as ``<nil-classes type="array"/>`` (the SDK's ``list_to_xml``).
6. Undocumented answer bodies: update and stop-auto-renew answer 200 with the subscriber
   document; store credit and fees answer 201 with an empty body; deletes answer 200 with an
   empty body (:data:`UPDATE_RETURNS_SUBSCRIBER`, :data:`STOP_AUTO_RENEW_RETURNS_SUBSCRIBER`).
7. Complimentary ``start-time`` / ``amount`` are accepted and ignored (the comp starts now).
8. Fees: ``allow-non-recurring-subscriber=true`` lifts the "must be recurring" rule, not the
   "must be active" one.
9. Change plan accepts both roots and does not require an active subscriber.
10. ``clear_lifetime_subscription.xml`` is not emulated (404 like any unknown path).
11. Pay with ``account-type`` ``store-credit`` / ``general-credit`` is refused with the
    "credit card parameters" 422 (only ``credit-card`` and ``on-file`` are emulated).
12. Test card ``4111111111111111`` is the "gateway unavailable" card: 403 (the one client
    that named it expected 403). Any other unknown number is declined like ``4012888888881881``.
13. Deletes on a site made with ``test_site=False``: 403 with :data:`TEXT_DELETE_NOT_TEST_SITE`
    (invented), nothing deleted.
14. ``pagination-id`` is a per-site sequence number; there is no list paging.
16. Free-trial eligibility: the ``eligible-for-free-trial`` flag must be true **and** the
    subscriber must not be active on a paid or complimentary subscription (a comped active
    subscriber was refused in a live test); a subscriber on a trial who was allowed another
    trial may start it.
19. A create without a customer id is a 422 ``<errors>`` document (the post-2009 behaviour).
20. Subscriber lists carry no ``<invoices>`` (the 2009 list did not); single GETs do.

Other choices:

* Error bodies in plain text are sent as ``text/plain; charset=utf-8`` (Rails' ``render
  :text`` said ``text/html``, which clients then had to sniff); XML as ``application/xml``.
* A wrong site name in the path is treated like a wrong token: 401.
* A malformed request body (not well-formed XML, or a DOCTYPE) is refused with
  :data:`MALFORMED_STATUS` and :data:`TEXT_MALFORMED_BODY` (the real status is not recorded;
  400 keeps clients from retrying it).
* A create whose body has no ``<subscriber>`` root answers the 422 text the service leaked
  (``undefined method `delete' for nil:NilClass``, RSP ``invalid_subscriber.xml``).
* Elements in a subscriber body that are not writable (anything but the writable fields) are
  refused with the read-only 403, named with underscores and joined with ``", "``.
* The time-extension 403 text is the one in the RSP fixture
  (``Complimentary subscriptions cannot be given to inactive subscribers.``); REFERENCE §3.12
  quotes a "time extensions" wording, which no raw document shows.
* Periods: ``days`` add exact days; ``months`` add calendar months, clamping the day to the
  end of a shorter month (Jan 31 + 1 month = Feb 28/29), like Rails ``advance(months:)``.
* A paid period starts at payment time; the grace period ends :data:`GRACE_DAYS` after it
  (the 2009 and 2013 samples both show three days).
* Invoices for a subscriber on another paid plan carry a ``Credit from current subscription``
  line for the unused part (pro rata by time); store credit is applied as a ``Your store
  credit`` line; a credit larger than the price is kept as store credit when the invoice is
  paid. A plan's setup fee is charged once while ``eligible-for-setup-fee`` is true.
* Buying a free-trial plan through an invoice is refused at creation with 403
  :data:`TEXT_INVOICE_FREE_TRIAL_PLAN` (invented).
* Transactions are listed in ascending id order; without ``since_id`` the last 50. A paid
  invoice records a ``Subscription`` transaction; a stop-auto-renew on a recurring subscriber
  records a ``StopAutoRenew`` one (amount 0, no payment method). Free trials record none.
  Deleting subscribers keeps the site's transactions.
* Invoice answers (create and pay) carry the fields of the 2013 invoices nested in subscribers
  plus the nested ``<subscriber>`` (as created, or with its plan version once on a plan); the
  2009-only ``subscriber-store-credit`` and ``customer-id`` are not written.
* A free trial leaves a closed zero-amount invoice on the subscriber (as the 2013 sample shows).
* Time-driven events (renewals, failed renewals, grace, expiry), the subscribers-changed
  notification and the hosted pages' forms: their choices are listed in
  :mod:`spreedly_sdk.testing._lifecycle`'s docstring.
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
