"""The emulated site's data: plans, subscribers, invoices and transactions, as plain dataclasses.

No HTTP here. Handlers (:mod:`.handlers`) change these records under the emulator's lock;
``_render.py`` turns them into the SDK's models. Plans are kept as
:class:`~spreedly_sdk.models.SubscriptionPlan` objects (they never change once seeded).
"""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from ..models import SubscriptionPlan, SubscriptionPlanVersion
from . import _choices as C

__all__ = [
    "CardOnFile",
    "InvoiceLine",
    "InvoiceRecord",
    "PendingFee",
    "SiteState",
    "SubscriberRecord",
    "TransactionRecord",
    "default_plans",
    "make_plan",
    "new_token",
]


def new_token() -> str:
    """A 40-hex secret like the service's subscriber and invoice tokens."""
    return secrets.token_hex(20)


@dataclasses.dataclass
class CardOnFile:
    """The card stored for a subscriber after a successful payment or card update."""

    card_type: str
    last_four: str
    month: int
    year: int

    @property
    def display(self) -> str:
        """``Visa ending in 1881``."""
        name = {"visa": "Visa", "master": "MasterCard", "american_express": "American Express",
                "discover": "Discover"}.get(self.card_type, self.card_type.title())
        return f"{name} ending in {self.last_four}"


@dataclasses.dataclass
class PendingFee:
    """A fee waiting for the next renewal invoice."""

    name: str
    description: Optional[str]
    group: str
    amount: Decimal
    created_at: datetime


@dataclasses.dataclass
class SubscriberRecord:
    """One subscriber; ``active`` is derived from the clock (see :meth:`is_active`)."""

    customer_id: str
    token: str
    created_at: datetime
    updated_at: datetime
    pagination_id: int
    screen_name: Optional[str] = None
    email: Optional[str] = None
    billing_first_name: Optional[str] = None
    billing_last_name: Optional[str] = None
    active_until: Optional[datetime] = None
    grace_until: Optional[datetime] = None
    lifetime: bool = False
    on_trial: bool = False
    eligible_for_free_trial: bool = True
    eligible_for_setup_fee: bool = True
    recurring: Optional[bool] = None
    on_gift: Optional[bool] = None
    store_credit: Decimal = C.ZERO
    feature_level: str = ""
    plan_id: Optional[int] = None
    comped: bool = False
    card: Optional[CardOnFile] = None
    billing_address1: str = ""
    billing_city: str = ""
    billing_state: str = ""
    billing_zip: str = ""
    billing_country: str = ""
    billing_phone_number: str = ""
    invoice_tokens: list[str] = dataclasses.field(default_factory=list[str])
    fees: list[PendingFee] = dataclasses.field(default_factory=list[PendingFee])
    renewal_invoice: Optional[str] = None
    """Token of the open invoice of a failed renewal (grace period); set by :mod:`._lifecycle`."""

    def change(self, **fields: Any) -> None:
        """Set several fields at once (a change of standing: a trial, a comp, a payment)."""
        for name, value in fields.items():
            if name not in self.__dataclass_fields__:
                raise TypeError(f"unknown subscriber field {name!r}")
            setattr(self, name, value)

    def is_active(self, now: datetime) -> bool:
        """Has access now: a lifetime subscription, or a period that has not ended."""
        if self.renewal_invoice is not None and self.grace_until is not None and now < self.grace_until:
            return True  # a failed renewal keeps access through the grace period (see _lifecycle)
        return self.lifetime or (self.active_until is not None and now < self.active_until)


@dataclasses.dataclass
class InvoiceLine:
    """One line of an invoice."""

    amount: Decimal
    description: str
    feature_level: str
    notes: Optional[str] = None


@dataclasses.dataclass
class InvoiceRecord:
    """An invoice opened with ``POST invoices.xml`` (or a trial's closed zero invoice)."""

    id: int
    token: str
    customer_id: str
    plan_id: int
    created_at: datetime
    updated_at: datetime
    lines: list[InvoiceLine]
    store_credit_used: Decimal = C.ZERO
    credit_left_over: Decimal = C.ZERO
    setup_fee: bool = False
    closed: bool = False
    gateway_reference: Optional[str] = None

    @property
    def amount(self) -> Decimal:
        """The total to pay (never below zero)."""
        return max(sum((line.amount for line in self.lines), C.ZERO), C.ZERO)


@dataclasses.dataclass
class TransactionRecord:
    """A transaction as listed by ``GET transactions.xml``."""

    id: int
    customer_id: str
    created_at: datetime
    amount: Decimal
    description: str
    detail_type: str
    terms: Optional[str]
    start_time: Optional[datetime]
    expires_at: Optional[datetime]
    invoice_id: Optional[int]
    payment_method: Optional[str]
    recurring: Optional[bool]
    feature_level: Optional[str]


@dataclasses.dataclass
class SiteState:
    """Everything one emulated site holds."""

    site_name: str
    token: str
    test_site: bool
    plans: dict[int, SubscriptionPlan] = dataclasses.field(default_factory=dict[int, SubscriptionPlan])
    subscribers: dict[str, SubscriberRecord] = dataclasses.field(default_factory=dict[str, SubscriberRecord])
    invoices: dict[str, InvoiceRecord] = dataclasses.field(default_factory=dict[str, InvoiceRecord])
    transactions: list[TransactionRecord] = dataclasses.field(default_factory=list[TransactionRecord])
    next_pagination_id: int = 1_100_001
    next_invoice_id: int = 1
    next_transaction_id: int = 1
    plans_document: Optional[bytes] = None
    """The rendered plan list, kept until the catalogue changes (plans never change in place)."""

    def take_pagination_id(self) -> int:
        value = self.next_pagination_id
        self.next_pagination_id += 1
        return value

    def take_invoice_id(self) -> int:
        value = self.next_invoice_id
        self.next_invoice_id += 1
        return value

    def take_transaction_id(self) -> int:
        value = self.next_transaction_id
        self.next_transaction_id += 1
        return value


def terms_of(quantity: int, units: str) -> str:
    """``1 month``, ``3 months``, ``14 days``; ``Lifetime`` for a zero-length period."""
    if quantity == 0:
        return "Lifetime"
    unit = units[:-1] if quantity == 1 and units.endswith("s") else units
    return f"{quantity} {unit}"


def make_plan(
    plan_id: int,
    name: str,
    *,
    amount: Decimal | int | str = "0.0",
    duration_quantity: int = 1,
    duration_units: str = "months",
    plan_type: str = "regular",
    enabled: bool = True,
    feature_level: str | None = None,
    description: str | None = None,
    force_recurring: bool | None = None,
    needs_to_be_renewed: bool | None = None,
    setup_fee_amount: Decimal | int | str = "0.0",
    setup_fee_description: str = "",
    return_url: str = "https://www.example.com/return/",
    created_at: datetime | None = None,
    version_id: int | None = None,
) -> SubscriptionPlan:
    """A plan in the 2013 shape (with one version), ready for the catalogue."""
    if duration_units not in ("days", "months"):
        raise ValueError("duration_units must be 'days' or 'months'")
    money = Decimal(str(amount))
    if money == money.to_integral_value():
        money = money.quantize(Decimal("0.0"))
    setup = Decimal(str(setup_fee_amount))
    if setup == setup.to_integral_value():
        setup = setup.quantize(Decimal("0.0"))
    renews = duration_quantity > 0 if needs_to_be_renewed is None else needs_to_be_renewed
    recurring = (plan_type == "regular" and renews) if force_recurring is None else force_recurring
    stamp = (created_at or datetime(2013, 1, 21, 2, 27, 29)).replace(microsecond=0)
    common: dict[str, Any] = dict(
        amount=money, minimum_needed_for_charge=Decimal("0.0"), charge_after_first_period=False,
        charge_later_duration_quantity=None, charge_later_duration_units=None, created_at=stamp,
        currency_code=C.CURRENCY, description=description if description is not None else f"{name} plan",
        duration_quantity=duration_quantity, duration_units=duration_units, enabled=enabled,
        feature_level=feature_level if feature_level is not None else name.lower().replace(" ", "_"),
        force_recurring=recurring, name=name, needs_to_be_renewed=renews, plan_type=plan_type,
        return_url=return_url, updated_at=stamp, setup_fee_description=setup_fee_description,
        setup_fee_currency_code=C.CURRENCY, setup_fee_amount=setup,
        terms=terms_of(duration_quantity, duration_units),
    )
    version = SubscriptionPlanVersion(id=version_id if version_id is not None else plan_id * 10 + 1,
                                      version=1, subscription_plan_id=plan_id, **common)
    return SubscriptionPlan(id=plan_id, version=1, versions=[version], price=money,
                            **common)


FREE_TRIAL_PLAN_ID = 1001
MONTHLY_PLAN_ID = 1002
YEARLY_PLAN_ID = 1003
DISABLED_PLAN_ID = 1004


def default_plans() -> list[SubscriptionPlan]:
    """The default catalogue: a 14-day free trial, monthly, yearly, and a disabled plan."""
    return [
        make_plan(FREE_TRIAL_PLAN_ID, "Free Trial", amount="0.0", duration_quantity=14, duration_units="days",
                  plan_type="free_trial", feature_level="trial", description="Two weeks, free",
                  needs_to_be_renewed=False),
        make_plan(MONTHLY_PLAN_ID, "Monthly", amount="19.0", duration_quantity=1, duration_units="months",
                  feature_level="pro", description="Pro, billed every month"),
        make_plan(YEARLY_PLAN_ID, "Yearly", amount="190.0", duration_quantity=12, duration_units="months",
                  feature_level="pro", description="Pro, billed every year"),
        make_plan(DISABLED_PLAN_ID, "Legacy", amount="9.0", duration_quantity=1, duration_units="months",
                  enabled=False, feature_level="legacy", description="No longer sold"),
    ]
