"""Typed models of every document the Spreedly Subscriptions API reads or writes."""

from ._base import FieldSpec, RailsModel
from ._types import CustomerId, Money, UtcDatetime
from .enums import CardType, PaymentAccountType, PlanType, TransactionDetailType
from .errors import ErrorsDocument
from .invoice import Invoice, LineItem
from .plan import Plan, SubscriptionPlan, SubscriptionPlanVersion
from .requests import (
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    Credit,
    CreditCard,
    CreditCardPayment,
    DurationUnits,
    Fee,
    InvoiceCreate,
    InvoiceSubscriber,
    LifetimeComplimentarySubscription,
    OnFilePayment,
    Payment,
    PaymentMethod,
    PlanReference,
    SubscriberCreate,
    SubscriberUpdate,
)
from .subscriber import WRITABLE_FIELDS, Subscriber
from .transaction import Transaction, TransactionDetail

__all__ = [
    "WRITABLE_FIELDS",
    "CardType",
    "ComplimentarySubscription",
    "ComplimentaryTimeExtension",
    "Credit",
    "CreditCard",
    "CreditCardPayment",
    "CustomerId",
    "DurationUnits",
    "ErrorsDocument",
    "Fee",
    "FieldSpec",
    "Invoice",
    "InvoiceCreate",
    "InvoiceSubscriber",
    "LifetimeComplimentarySubscription",
    "LineItem",
    "Money",
    "OnFilePayment",
    "Payment",
    "PaymentAccountType",
    "PaymentMethod",
    "Plan",
    "PlanReference",
    "PlanType",
    "RailsModel",
    "Subscriber",
    "SubscriberCreate",
    "SubscriberUpdate",
    "SubscriptionPlan",
    "SubscriptionPlanVersion",
    "Transaction",
    "TransactionDetail",
    "TransactionDetailType",
    "UtcDatetime",
]
