"""Subscribers (see docs/service/documents.md, "Subscriber"), as the service sends them."""

from __future__ import annotations

from typing import Annotated, ClassVar, Optional

from . import invoice as _invoice_module
from ._base import RailsModel, rails_field, rails_list
from ._types import CustomerId, Money, UtcDatetime
from .invoice import Invoice
from .plan import SubscriptionPlanVersion

__all__ = ["WRITABLE_FIELDS", "Subscriber"]

WRITABLE_FIELDS = ("screen_name", "email", "billing_first_name", "billing_last_name")
"""Fields of a fetched subscriber that an update may send back; the rest are read-only."""


class Subscriber(RailsModel, tag="subscriber"):
    """A subscriber of the site, keyed by your application's ``customer_id``.

    Everything here is read from the service. Only :data:`WRITABLE_FIELDS` are ever sent back,
    so ``client.set_info(client.get_info("42"))`` works: the token, the invoices and the state
    flags stay behind (the service refuses them with a 403).
    """

    __rails_list_tag__: ClassVar[str | None] = "subscribers"

    customer_id: Annotated[CustomerId, rails_field(
        "customer-id", default=..., description="Your application's id (a string).")]
    screen_name: Optional[str] = rails_field("screen-name", description="Name shown in the admin UI.")
    email: Optional[str] = rails_field("email", description="Contact email.")
    billing_first_name: Optional[str] = rails_field("billing-first-name", description="First name on the card.")
    billing_last_name: Optional[str] = rails_field("billing-last-name", description="Last name on the card.")
    token: Optional[str] = rails_field("token", description="Secret per subscriber, for hosted-page URLs.")
    active: Optional[bool] = rails_field("active", description="Has access now (paid, trial or comp).")
    active_until: Optional[UtcDatetime] = rails_field("active-until", description="End of the current period (UTC).")
    grace_until: Optional[UtcDatetime] = rails_field(
        "grace-until", description="End of the grace period after a failed renewal (UTC)."
    )
    in_grace_period: Optional[bool] = rails_field(
        "in-grace-period", alt_tags=("in_grace_period",), description="Currently in a grace period."
    )
    feature_level: Optional[str] = rails_field(
        "feature-level", xml_type="string", description="Feature level of the current plan or comp."
    )
    subscription_plan_name: Optional[str] = rails_field(
        "subscription-plan-name", description="Name of the current plan; empty when none."
    )
    on_trial: Optional[bool] = rails_field("on-trial", description="On a free-trial plan.")
    eligible_for_free_trial: Optional[bool] = rails_field(
        "eligible-for-free-trial", description="May still start a free trial."
    )
    lifetime_subscription: Optional[bool] = rails_field(
        "lifetime-subscription", description="Has a lifetime subscription."
    )
    recurring: Optional[bool] = rails_field("recurring", description="Renews automatically.")
    store_credit: Optional[Money] = rails_field("store-credit", description="Store-credit balance.")
    store_credit_currency_code: Optional[str] = rails_field(
        "store-credit-currency-code", description="Currency of the store credit."
    )
    card_expires_before_next_auto_renew: Optional[bool] = rails_field(
        "card-expires-before-next-auto-renew", description="The card on file expires before the next renewal."
    )
    ready_to_renew: Optional[bool] = rails_field("ready-to-renew", description="A renewal is due.")
    ready_to_renew_since: Optional[UtcDatetime] = rails_field(
        "ready-to-renew-since", description="Since when a renewal is due (UTC)."
    )
    on_gift: Optional[bool] = rails_field("on-gift", description="The subscription is a gift.")
    on_metered: Optional[bool] = rails_field("on-metered", description="On a metered plan.")
    eligible_for_setup_fee: Optional[bool] = rails_field(
        "eligible-for-setup-fee", description="A plan's setup fee would still apply."
    )
    payment_account_on_file: Optional[bool] = rails_field(
        "payment-account-on-file", description="A card is stored for renewals."
    )
    payment_account_display: Optional[str] = rails_field(
        "payment-account-display", xml_type="string", description="The card on file, e.g. `Visa ending in 0629`."
    )
    billing_address1: Optional[str] = rails_field("billing-address1", xml_type="string", description="Street.")
    billing_city: Optional[str] = rails_field("billing-city", xml_type="string", description="City.")
    billing_state: Optional[str] = rails_field("billing-state", xml_type="string", description="State.")
    billing_zip: Optional[str] = rails_field("billing-zip", xml_type="string", description="Postal code.")
    billing_country: Optional[str] = rails_field("billing-country", xml_type="string", description="Country.")
    billing_phone_number: Optional[str] = rails_field(
        "billing-phone-number", xml_type="string", description="Phone number."
    )
    pagination_id: Optional[str] = rails_field(
        "pagination-id", xml_type="string", description="Internal sequence id (meaning undocumented)."
    )
    created_at: Optional[UtcDatetime] = rails_field("created-at", description="When the subscriber was made (UTC).")
    updated_at: Optional[UtcDatetime] = rails_field("updated-at", description="Last change (UTC).")
    subscription_plan_version: Optional[SubscriptionPlanVersion] = rails_field(
        "subscription-plan-version", description="The plan version the subscriber is on, if any."
    )
    invoices: Optional[list[Invoice]] = rails_list(
        "invoices", "invoice", description="Invoices, newest first (single GETs only; None when not sent)."
    )


# An invoice may carry its subscriber (a cycle). The models are built on first use, and the build
# resolves ``Subscriber`` from the invoice module's namespace: put it there, building nothing now.
_invoice_module.Subscriber = Subscriber  # type: ignore[attr-defined]
