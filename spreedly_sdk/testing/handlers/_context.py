"""What every handler works with: the :class:`Ctx`, and the checks on numbers it accepts.

Numbers are refused (422 with an ``<errors>`` body) when they are well-formed but beyond what
the emulated site computes with (see :mod:`spreedly_sdk.testing._choices`, "Limits"), so no
request can leave a value that a later request fails on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Optional
from urllib.parse import quote

from ...models import SubscriptionPlan
from .. import _choices as C
from .._clock import add_period
from .._render import render_subscriber
from .._state import InvoiceLine, InvoiceRecord, SiteState, SubscriberRecord, TransactionRecord, new_token
from .._wire import Refusal, Reply, Request, xml_reply

__all__ = [
    "Ctx",
    "blank",
    "checked_amount",
    "checked_period_end",
    "open_invoice",
    "parse_int",
    "record_transaction",
    "within_limits",
]


def blank(value: Optional[str]) -> bool:
    """Rails' ``blank?``: absent, empty or only whitespace (the value itself is kept as sent)."""
    return value is None or not value.strip()


def parse_int(value: Optional[str]) -> Optional[int]:
    """An integer from its decimal text (surrounding whitespace allowed), or ``None``."""
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:  # not a number, or more digits than Python converts
        return None


def parse_decimal(value: Optional[str]) -> Optional[Decimal]:
    if value is None or not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _decimal_places(amount: Decimal) -> int:
    """Places after the point once trailing zeros are dropped (no context arithmetic: never overflows)."""
    _, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite: parse_decimal refused the rest
    places = -exponent
    for digit in reversed(digits):
        if digit != 0 or places <= 0:
            break
        places -= 1
    return max(places, 0)


def amount_problem(amount: Decimal) -> Optional[str]:
    """Why the site cannot keep this amount exactly (``None`` when it can): too large in magnitude,
    or more decimal places than it keeps (see :data:`~spreedly_sdk.testing._choices.MAX_AMOUNT_DIGITS`)."""
    if amount.is_zero():
        return None
    if amount.adjusted() >= C.MAX_AMOUNT_DIGITS:
        return C.TEXT_AMOUNT_TOO_LARGE
    if _decimal_places(amount) > C.MAX_AMOUNT_PLACES:
        return C.TEXT_AMOUNT_TOO_PRECISE
    return None


def within_limits(amount: Decimal) -> bool:
    """Whether an amount is one the site can add, compare and show exactly."""
    return amount_problem(amount) is None


def checked_amount(text: Optional[str]) -> Decimal:
    """A money amount, or a 422 (not a number / beyond the site's limits)."""
    amount = parse_decimal(text)
    if amount is None:
        raise Refusal(422, errors=[C.TEXT_AMOUNT_NAN])
    problem = amount_problem(amount)
    if problem is not None:
        raise Refusal(422, errors=[problem])
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return amount.quantize(Decimal(1))  # 1E+2 is 100: the same value, written in plain digits
    return amount


def checked_period_end(start: datetime, quantity: int, units: str) -> datetime:
    """``start`` plus the period, or a 422 when it would end past :data:`~._choices.LATEST_YEAR`."""
    limit = C.MAX_DURATION_MONTHS if units == "months" else C.MAX_DURATION_DAYS
    if quantity > limit:
        raise Refusal(422, errors=[C.TEXT_QUANTITY_TOO_LARGE])
    try:
        end = add_period(start, quantity, units)
    except (OverflowError, ValueError):
        raise Refusal(422, errors=[C.TEXT_QUANTITY_TOO_LARGE]) from None
    if end.year > C.LATEST_YEAR:
        raise Refusal(422, errors=[C.TEXT_QUANTITY_TOO_LARGE])
    return end


@dataclasses.dataclass
class Ctx:
    """What a handler works with: the site, the instant, the request and the change hook."""

    site: SiteState
    now: datetime
    req: Request
    changed: Callable[[Iterable[str]], None]

    def subscriber(self, customer_id: str) -> SubscriberRecord:
        rec = self.site.subscribers.get(customer_id)
        if rec is None:
            raise Refusal(404, C.TEXT_SUBSCRIBER_NOT_FOUND.format(id=customer_id))
        return rec

    def plan(self, plan_id_text: str) -> SubscriptionPlan:
        plan_id = parse_int(plan_id_text)
        plan = self.site.plans.get(plan_id) if plan_id is not None else None
        if plan is None:
            raise Refusal(404, C.TEXT_PLAN_NOT_FOUND.format(id=plan_id_text))
        return plan

    def location(self, customer_id: str) -> dict[str, str]:
        return {"Location": f"{self.req.origin}/api/v4/{quote(self.site.site_name, safe='')}/subscribers/"
                            f"{quote(customer_id, safe='')}.xml"}

    def subscriber_reply(self, status: int, rec: SubscriberRecord, *, invoices: bool = False,
                         location: bool = False) -> Reply:
        doc = render_subscriber(self.site, rec, self.now, invoices=invoices)
        return xml_reply(status, doc, self.location(rec.customer_id) if location else None)

    def touch(self, rec: SubscriberRecord) -> None:
        rec.updated_at = self.now
        self.changed([rec.customer_id])


def record_transaction(ctx: Ctx, rec: SubscriberRecord, *, amount: Decimal, description: str, detail_type: str,
                       terms: Optional[str], invoice_id: Optional[int], payment_method: Optional[str]) -> None:
    """Add a transaction for ``rec`` at the current instant."""
    ctx.site.transactions.append(TransactionRecord(
        id=ctx.site.take_transaction_id(), customer_id=rec.customer_id, created_at=ctx.now, amount=amount,
        description=description, detail_type=detail_type, terms=terms, start_time=ctx.now,
        expires_at=rec.active_until, invoice_id=invoice_id, payment_method=payment_method,
        recurring=bool(rec.recurring) if detail_type != "StopAutoRenew" else False,
        feature_level=rec.feature_level,
    ))


def open_invoice(ctx: Ctx, rec: SubscriberRecord, plan: SubscriptionPlan, lines: list[InvoiceLine], *,
                 closed: bool = False, store_credit_used: Decimal = C.ZERO, credit_left_over: Decimal = C.ZERO,
                 setup_fee: bool = False) -> InvoiceRecord:
    """Add an invoice for ``rec`` on ``plan`` at the current instant."""
    invoice = InvoiceRecord(id=ctx.site.take_invoice_id(), token=new_token(), customer_id=rec.customer_id,
                            plan_id=plan.id, created_at=ctx.now, updated_at=ctx.now, lines=lines, closed=closed,
                            store_credit_used=store_credit_used, credit_left_over=credit_left_over,
                            setup_fee=setup_fee)
    ctx.site.invoices[invoice.token] = invoice
    rec.invoice_tokens.append(invoice.token)
    return invoice
