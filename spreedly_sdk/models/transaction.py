"""Transactions (``GET transactions.xml``; see docs/service/documents.md, "Transaction")."""

from __future__ import annotations

from typing import Annotated, ClassVar, Optional

from ._base import RailsModel, rails_field
from ._types import CustomerId, Money, UtcDatetime
from .enums import OpenTransactionDetailType

__all__ = ["Transaction", "TransactionDetail"]


class TransactionDetail(RailsModel, tag="detail"):
    """Kind-specific details of a transaction; children not declared here are tolerated."""

    payment_method: Optional[str] = rails_field("payment-method", nil=False, description="E.g. `visa`.")
    recurring: Optional[bool] = rails_field("recurring", nil=False, description="The subscription renews.")
    feature_level: Optional[str] = rails_field(
        "feature-level", xml_type="string", nil=False, description="Feature level bought."
    )


class Transaction(RailsModel, tag="transaction"):
    """Something that happened to a subscriber's billing: a payment, a failed renewal, a stop."""

    __rails_list_tag__: ClassVar[str | None] = "transactions"

    id: Annotated[int, rails_field("id", default=..., description="Increasing id; page with `since_id`.")]
    amount: Annotated[Money, rails_field("amount", description="Amount involved.", default=...)]
    price: Annotated[str, rails_field("price", description="Amount formatted for display.", default=...)]
    currency_code: Annotated[str, rails_field("currency-code", description="ISO currency, e.g. USD.", default=...)]
    description: Annotated[str, rails_field("description", description="Human description.", default=...)]
    detail_type: Annotated[OpenTransactionDetailType, rails_field(
        "detail-type", description="Kind: `Subscription`, `RenewalFailure`, `StopAutoRenew`, ...", default=...)]
    terms: Annotated[str, rails_field("terms", description="Terms bought, e.g. `1 month`.", default=...)]
    start_time: Optional[UtcDatetime] = rails_field("start-time", description="Start of the period (UTC).")
    expires_at: Optional[UtcDatetime] = rails_field("expires-at", description="End of the period (UTC).")
    invoice_id: Optional[int] = rails_field("invoice-id", description="Invoice involved, if any.")
    subscriber_customer_id: Annotated[CustomerId, rails_field(
        "subscriber-customer-id", description="Customer id of the subscriber.", default=...)]
    created_at: Annotated[UtcDatetime, rails_field("created-at", description="When it happened (UTC).", default=...)]
    updated_at: Annotated[UtcDatetime, rails_field("updated-at", description="Last change (UTC).", default=...)]
    detail: Annotated[TransactionDetail, rails_field("detail", description="Kind-specific details.", default=...)]
