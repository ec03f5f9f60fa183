"""Invoices and their line items (see docs/service/documents.md, "Invoice"); they travel inside
subscribers and payments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar, Optional

from ._base import RailsModel, rails_field, rails_list
from ._types import CustomerId, Money, UtcDatetime

if TYPE_CHECKING:
    from .subscriber import Subscriber

__all__ = ["Invoice", "LineItem"]


class LineItem(RailsModel, tag="line-item"):
    """One line of an invoice: a period of a plan, a proration credit, store credit, a fee group."""

    amount: Annotated[Money, rails_field(
        "amount", description="Amount of the line (negative for credits).", default=...)]
    currency_code: Annotated[str, rails_field("currency-code", description="ISO currency, e.g. USD.", default=...)]
    description: Annotated[str, rails_field(
        "description", description="E.g. `Every 1 month`, `Your store credit`.", default=...)]
    notes: Optional[str] = rails_field("notes", description="Extra text, e.g. the price of later periods.")
    price: Annotated[str, rails_field("price", description="Amount formatted for display (`$24.00`).", default=...)]
    feature_level: Optional[str] = rails_field("feature-level", nil=False, description="Feature level bought.")
    metadata: Optional[str] = rails_field("metadata", nil=False, description="Free-form tag set by the service.")
    subscription_plan_version_id: Optional[int] = rails_field(
        "subscription-plan-version-id", nil=False, description="Plan version of the line (older documents)."
    )


class Invoice(RailsModel, tag="invoice"):
    """An invoice: open until paid with ``invoices.pay``, then ``closed``."""

    __rails_list_tag__: ClassVar[str | None] = "invoices"

    token: Annotated[str, rails_field("token", description="Secret id used to pay the invoice.", default=...)]
    closed: Annotated[bool, rails_field("closed", description="True once paid.", default=...)]
    amount: Annotated[Money, rails_field("amount", description="Total to pay.", default=...)]
    price: Annotated[str, rails_field("price", description="Total formatted for display (`$24.00`).", default=...)]
    currency_code: Annotated[str, rails_field("currency-code", description="ISO currency, e.g. USD.", default=...)]
    subscriber_store_credit: Optional[str] = rails_field(
        "subscriber-store-credit", nil=False, description="Store credit, formatted (2009 documents)."
    )
    customer_id: Optional[CustomerId] = rails_field(
        "customer-id", nil=False, description="The subscriber's customer id (2009 documents)."
    )
    response_message: Optional[str] = rails_field("response-message", description="Gateway message.")
    response_client_message: Optional[str] = rails_field(
        "response-client-message", description="Gateway message meant for the merchant."
    )
    response_customer_message: Optional[str] = rails_field(
        "response-customer-message", description="Gateway message meant for the customer."
    )
    metadata: Optional[str] = rails_field("metadata", nil=False, description="Feature level or `free_trial`.")
    gateway_transaction_reference: Optional[str] = rails_field(
        "gateway-transaction-reference", description="The gateway's reference for the charge."
    )
    created_at: Annotated[UtcDatetime, rails_field(
        "created-at", description="When the invoice was made (UTC).", default=...)]
    updated_at: Annotated[UtcDatetime, rails_field("updated-at", description="Last change (UTC).", default=...)]
    line_items: Annotated[list[LineItem], rails_list(
        "line-items", "line-item", description="The lines.", required=True)]
    subscriber: Optional[Subscriber] = rails_field(
        "subscriber", description="The subscriber after the operation (create and pay answers)."
    )
