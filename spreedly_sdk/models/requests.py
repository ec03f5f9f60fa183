"""Request bodies: what the SDK sends (see docs/service/endpoints.md). Only writable fields exist here.

Each is written with ``to_xml(exclude_unset=True)``, so only the fields you set are sent;
a field set to ``None`` is sent as ``nil="true"`` (the service's way of saying "clear it").
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import ConfigDict, Field

from ._base import RailsModel, rails_field
from ._types import CustomerId, Money, UtcDatetime
from .enums import DurationUnits, OpenCardType, OpenPaymentAccountType

__all__ = [
    "ComplimentarySubscription",
    "ComplimentaryTimeExtension",
    "Credit",
    "CreditCard",
    "CreditCardPayment",
    "DurationUnits",
    "Fee",
    "InvoiceCreate",
    "InvoiceSubscriber",
    "LifetimeComplimentarySubscription",
    "OnFilePayment",
    "Payment",
    "PaymentMethod",
    "PlanReference",
    "SubscriberCreate",
    "SubscriberUpdate",
]



class _Request(RailsModel):
    model_config = ConfigDict(extra="forbid")


class SubscriberCreate(_Request, tag="subscriber"):
    """Body of ``POST subscribers.xml``."""

    customer_id: Annotated[CustomerId, rails_field(
        "customer-id", default=..., description="Your id for the subscriber.")]
    screen_name: Optional[str] = rails_field("screen-name", description="Name shown in the admin UI.")
    email: Optional[str] = rails_field("email", description="Contact email.")
    billing_first_name: Optional[str] = rails_field("billing-first-name", description="First name on the card.")
    billing_last_name: Optional[str] = rails_field("billing-last-name", description="Last name on the card.")


class CreditCard(_Request, tag="credit-card"):
    """Card details (test sites: ``4222222222222`` approves, ``4012888888881881`` declines)."""

    number: Annotated[str, rails_field("number", default=..., description="Card number, digits only.")]
    card_type: Annotated[OpenCardType, rails_field(
        "card-type", default=..., description="`visa`, `master`, `discover` or `american_express`."
    )]
    verification_value: Annotated[str, rails_field("verification-value", default=..., description="CVV.")]
    month: Annotated[int, rails_field("month", default=..., description="Expiry month, 1-12.")]
    year: Annotated[int, rails_field("year", default=..., description="Expiry year, four digits.")]
    first_name: Annotated[str, rails_field("first-name", default=..., description="First name on the card.")]
    last_name: Annotated[str, rails_field("last-name", default=..., description="Last name on the card.")]
    address1: Optional[str] = rails_field("address1", description="Billing street.")
    address2: Optional[str] = rails_field("address2", description="Billing street, second line.")
    city: Optional[str] = rails_field("city", description="Billing city.")
    state: Optional[str] = rails_field("state", description="Billing state.")
    zip: Optional[str] = rails_field("zip", description="Billing postal code.")
    country: Optional[str] = rails_field("country", description="Billing country.")
    phone_number: Optional[str] = rails_field("phone-number", description="Billing phone number.")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(card_type={self.card_type!r}, number='…{self.number[-4:]}')"

    __str__ = __repr__


class PaymentMethod(_Request, tag="payment-method"):
    """The ``<payment-method>`` of a subscriber update (new card on file)."""

    credit_card: Annotated[CreditCard, rails_field("credit-card", default=..., description="The new card.")]


class SubscriberUpdate(_Request, tag="subscriber"):
    """Body of ``PUT subscribers/{id}.xml``: only the fields set are sent."""

    new_customer_id: Optional[CustomerId] = rails_field(
        "new-customer-id", description="Move the subscriber to this customer id."
    )
    screen_name: Optional[str] = rails_field("screen-name", description="Name shown in the admin UI.")
    email: Optional[str] = rails_field("email", description="Contact email.")
    billing_first_name: Optional[str] = rails_field("billing-first-name", description="First name on the card.")
    billing_last_name: Optional[str] = rails_field("billing-last-name", description="Last name on the card.")
    payment_method: Optional[PaymentMethod] = rails_field("payment-method", description="Replace the card on file.")


class PlanReference(_Request, tag="subscription-plan"):
    """``<subscription-plan><id>…</id></subscription-plan>``: free trials and plan changes."""

    id: Annotated[int, rails_field("id", default=..., description="The plan id.")]


class ComplimentarySubscription(_Request, tag="complimentary-subscription"):
    """Body of ``POST subscribers/{id}/complimentary_subscriptions.xml`` (inactive subscribers)."""

    duration_quantity: Annotated[int, rails_field("duration-quantity", default=..., description="How many units.")]
    duration_units: Annotated[DurationUnits, rails_field(
        "duration-units", default=..., description="`days` or `months`.")]
    feature_level: Annotated[str, rails_field("feature-level", default=..., description="Feature level to grant.")]
    start_time: Optional[UtcDatetime] = rails_field("start-time", description="When the comp starts (optional).")
    amount: Optional[Money] = rails_field("amount", description="Value of the comp, for your records (optional).")


class ComplimentaryTimeExtension(_Request, tag="complimentary-time-extension"):
    """Body of ``POST subscribers/{id}/complimentary_time_extensions.xml`` (active subscribers)."""

    duration_quantity: Annotated[int, rails_field("duration-quantity", default=..., description="How many units.")]
    duration_units: Annotated[DurationUnits, rails_field(
        "duration-units", default=..., description="`days` or `months`.")]


class LifetimeComplimentarySubscription(_Request, tag="lifetime-complimentary-subscription"):
    """Body of ``POST subscribers/{id}/lifetime_complimentary_subscriptions.xml``."""

    feature_level: Annotated[str, rails_field("feature-level", default=..., description="Feature level to grant.")]


class Credit(_Request, tag="credit"):
    """Body of ``POST subscribers/{id}/credits.xml``; negative amounts take credit away."""

    amount: Annotated[Money, rails_field("amount", default=..., description="Store credit to add.")]


class Fee(_Request, tag="fee"):
    """Body of ``POST subscribers/{id}/fees.xml``: billed with the next renewal, summed per group."""

    name: Annotated[str, rails_field("name", default=..., description="Name of the fee.")]
    description: Optional[str] = rails_field("description", description="Description of the fee.")
    group: Annotated[str, rails_field("group", default=..., description="Fees of one group become one line item.")]
    amount: Annotated[Money, rails_field("amount", default=..., description="Amount of the fee.")]
    allow_non_recurring_subscriber: Optional[bool] = rails_field(
        "allow-non-recurring-subscriber",
        alt_tags=("allow_non_recurring_subscriber",),
        description="Pin-era flag to charge fees to non-recurring subscribers.",
    )


class InvoiceSubscriber(_Request, tag="subscriber"):
    """The subscriber part of an invoice request (created if it does not exist)."""

    customer_id: Annotated[CustomerId, rails_field(
        "customer-id", default=..., description="Your id for the subscriber.")]
    screen_name: Optional[str] = rails_field("screen-name", description="Name shown in the admin UI.")
    email: Optional[str] = rails_field("email", description="Contact email.")


class InvoiceCreate(_Request, tag="invoice"):
    """Body of ``POST invoices.xml``."""

    subscription_plan_id: Annotated[int, rails_field("subscription-plan-id", default=..., description="Plan to buy.")]
    subscriber: Annotated[InvoiceSubscriber, rails_field("subscriber", default=..., description="Who buys it.")]


class Payment(_Request, tag="payment"):
    """Body of ``PUT invoices/{token}/pay.xml``; build it with :class:`CreditCardPayment` or
    :class:`OnFilePayment`."""

    account_type: Annotated[OpenPaymentAccountType, rails_field(
        "account-type", default=..., description="`credit-card` or `on-file` (Pin era: `store-credit`, ...)."
    )]
    credit_card: Optional[CreditCard] = rails_field("credit-card", description="The card, for `credit-card`.")
    description: Optional[str] = rails_field("description", description="Text for credit payments.")


class CreditCardPayment(CreditCard, tag="credit-card"):
    """Pay with a card: ``CreditCardPayment(number, card_type, verification_value, month, year,
    first_name, last_name, address1=..., ...)``."""

    def __init__(
        self,
        number: str | None = None,
        card_type: str | None = None,
        verification_value: str | None = None,
        month: int | None = None,
        year: int | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        **address: str | None,
    ) -> None:
        positional: dict[str, Any] = {
            "number": number, "card_type": card_type, "verification_value": verification_value,
            "month": month, "year": year, "first_name": first_name, "last_name": last_name,
        }
        fields: dict[str, Any] = {k: v for k, v in positional.items() if v is not None}
        fields.update(address)  # never overlaps: the card's own fields are named parameters
        super().__init__(**fields)

    def to_payment(self) -> Payment:
        """The ``<payment>`` document for this card."""
        card = CreditCard.model_validate(self.model_dump(exclude_unset=True))
        return Payment(account_type="credit-card", credit_card=card)


class OnFilePayment(_Request, tag="payment"):
    """Pay with the card already on file for the subscriber (upgrades, downgrades)."""

    account_type: Literal["on-file"] = Field(default="on-file", exclude=True)

    def to_payment(self) -> Payment:
        """The ``<payment>`` document."""
        return Payment(account_type="on-file")
