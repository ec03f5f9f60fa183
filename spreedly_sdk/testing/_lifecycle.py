"""What happens when the emulator's clock moves: renewals, failed renewals, grace, expiry.

:meth:`Emulator.advance <spreedly_sdk.testing.Emulator.advance>` calls :func:`apply_time` with
the instant events were last applied and the new now. Events are applied in time order, each
at the instant it was due (transactions, invoices and ``updated-at`` carry that instant, not
the end of the advance), and each instant's changed subscribers are reported once, which
becomes one "subscribers changed" notification (:mod:`._notify`).

Choices where the record of the service is silent (docs/service/behaviour.md says what is
known; this list is the one place for the lifecycle and the notification, the hosted pages'
choices are in :mod:`._choices`):

* **Who renews**: a subscriber with ``recurring`` true on a paid plan that needs renewing
  (not a trial, not a comp, not lifetime) renews at ``active-until``. Everyone else (trials,
  comps, ``stop_auto_renew`` subscribers) simply expires there: ``active`` turns false,
  ``grace-until`` is cleared, nothing is charged or recorded, and the change is notified.
* **The renewal invoice**: one line for the plan (``Every 1 month``), then one line per fee
  group with the group's fees summed (description = the group, notes = the fee names in the
  order added), then ``Your store credit`` (negative, at most the subtotal). Pending fees move
  onto this invoice whether or not the charge succeeds.
* **The charge** goes to the card on file. It is declined when there is none, when it expired
  before the renewal month, or when it is a declining test card (last four digits of
  ``4012888888881881`` or ``4111111111111111``; see :func:`set_card_on_file`). A renewal that
  costs nothing after store credit succeeds without a card.
* **Success**: the invoice is closed, store credit used is deducted, a ``Subscription``
  transaction is recorded, ``active-until`` moves one period on from the *old* ``active-until``
  (the schedule does not drift), ``grace-until`` is the new ``active-until`` + 3 days.
* **Failure**: a ``RenewalFailure`` transaction (amount = what was due, the invoice id), the
  invoice stays open, ``grace-until`` = ``active-until`` + :data:`GRACE_DAYS`. The subscriber
  **stays active** through the grace period with ``in-grace-period`` true; there is no
  automatic retry. Paying the open invoice (``invoices.pay``, or a new card on the hosted
  account page) ends the grace period with a new paid period from the payment. When the grace
  period ends unpaid the subscriber expires: ``active`` false, ``recurring`` false.
* **Notifications**: only a 200 acknowledges; retries 1, 2, 4... minutes of emulator time;
  changes made while a retry is pending join its batch; same-instant changes are one POST.
  Deliveries are synchronous (before the API answer leaves the emulator), which makes tests
  deterministic; only when another thread is delivering at that moment does that thread
  deliver the change instead, right after. Seeding with ``add_subscriber`` counts as a change
  (delivered with the next request or advance).
* **Hosted pages** (:mod:`._hosted`): the payment form validates the card before it
  changes anything, then creates the subscriber if needed, opens an invoice for the plan and
  pays it exactly like ``POST invoices.xml`` + ``PUT pay.xml``, and shows the ``Thank you!``
  receipt. A declined card shows the form again (status 200) with the decline text; the
  subscriber and the open invoice it made stay. The token form refuses a wrong token with 404.
  A free-trial plan's payment form starts the trial without a card.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from . import _choices as C
from ._clock import add_period
from ._state import CardOnFile, InvoiceLine, InvoiceRecord, SiteState, SubscriberRecord, TransactionRecord, new_token

if TYPE_CHECKING:
    from .emulator import Emulator

__all__ = ["GRACE_DAYS", "apply_time", "renews", "set_card_on_file"]

GRACE_DAYS = C.GRACE_DAYS
"""Days of grace after a failed renewal (the samples show ``grace-until`` 3 days after ``active-until``)."""
DECLINING_LAST_FOUR = frozenset({C.DECLINING_CARD[-4:], C.GATEWAY_UNAVAILABLE_CARD[-4:]})
"""Cards on file whose renewal charges fail (the declining and the gateway-unavailable test cards)."""
MAX_EVENTS = 100_000
"""A bound on events applied by one call (a seeded daily plan decades in the past still ends)."""

Changed = Callable[[Iterable[str], datetime], None]
Event = Callable[[SiteState, SubscriberRecord, datetime], None]


def renews(state: SiteState, rec: SubscriberRecord) -> bool:
    """Whether the subscriber is charged again at ``active-until``."""
    if not rec.recurring or rec.comped or rec.on_trial or rec.lifetime or rec.plan_id is None:
        return False
    plan = state.plans.get(rec.plan_id)
    return plan is not None and bool(plan.needs_to_be_renewed) and bool(plan.duration_quantity)


def _next_event(state: SiteState, rec: SubscriberRecord, since: datetime,
                now: datetime) -> Optional[tuple[datetime, Event]]:
    if rec.lifetime:
        return None
    if rec.renewal_invoice is not None:
        if rec.grace_until is not None and rec.grace_until <= now:
            return rec.grace_until, _end_grace
        return None
    if rec.active_until is None or rec.active_until > now:
        return None
    if renews(state, rec):
        return rec.active_until, _renew
    if since < rec.active_until:
        return rec.active_until, _expire
    return None


def _forget_paid_failures(state: SiteState) -> None:
    """A renewal invoice paid (or deleted), or a later paid or given period, ends the failure state."""
    for rec in state.subscribers.values():
        if rec.renewal_invoice is not None:
            invoice = state.invoices.get(rec.renewal_invoice)
            paid_since = rec.active_until is not None and invoice is not None and rec.active_until > invoice.created_at
            if invoice is None or invoice.closed or paid_since:
                rec.renewal_invoice = None


def apply_time(state: SiteState, since: datetime, now: datetime, changed: Changed) -> None:
    """Apply every event due in ``(since, now]`` (renewals that are overdue too), in time order.

    Subscribers do not affect each other, so each one's next event sits in a heap and only
    the subscribers just changed are looked at again.
    """
    _forget_paid_failures(state)
    heap: list[tuple[datetime, int, str]] = []
    for order, (cid, rec) in enumerate(state.subscribers.items()):
        event = _next_event(state, rec, since, now)
        if event is not None:
            heap.append((event[0], order, cid))
    heapq.heapify(heap)
    applied = 0
    while heap and applied < MAX_EVENTS:
        at = heap[0][0]
        batch: list[tuple[int, str]] = []
        while heap and heap[0][0] == at:
            _, order, cid = heapq.heappop(heap)
            batch.append((order, cid))
        ids: list[str] = []
        for _, cid in batch:
            rec = state.subscribers[cid]
            event = _next_event(state, rec, since, now)
            if event is not None and event[0] == at:
                event[1](state, rec, at)
                ids.append(cid)
        since = max(since, at)
        for order, cid in batch:
            event = _next_event(state, state.subscribers[cid], since, now)
            if event is not None:
                heapq.heappush(heap, (event[0], order, cid))
        if ids:
            changed(ids, at)
            applied += len(ids)


# ----------------------------------------------------------------------------- events


def _expire(state: SiteState, rec: SubscriberRecord, at: datetime) -> None:
    rec.grace_until = None
    rec.updated_at = at


def _end_grace(state: SiteState, rec: SubscriberRecord, at: datetime) -> None:
    rec.renewal_invoice = None
    rec.recurring = False
    rec.updated_at = at


def _declines(card: Optional[CardOnFile], at: datetime) -> bool:
    if card is None:
        return True
    if card.last_four in DECLINING_LAST_FOUR:
        return True
    return (card.year, card.month) < (at.year, at.month)


def _renewal_lines(state: SiteState, rec: SubscriberRecord) -> tuple[list[InvoiceLine], Decimal]:
    """The renewal invoice's lines and the store credit they use."""
    assert rec.plan_id is not None
    plan = state.plans[rec.plan_id]
    level = plan.feature_level or ""
    lines = [InvoiceLine(plan.amount or C.ZERO, f"Every {plan.terms}", level)]
    groups: dict[str, list[tuple[str, Decimal]]] = {}
    for fee in rec.fees:
        groups.setdefault(fee.group, []).append((fee.name, fee.amount))
    for group, fees in groups.items():
        total = sum((amount for _, amount in fees), C.ZERO)
        lines.append(InvoiceLine(total, group, level, notes=", ".join(name for name, _ in fees)))
    subtotal = sum((line.amount for line in lines), C.ZERO)
    used = C.ZERO
    if subtotal > 0 and rec.store_credit > 0:
        used = min(rec.store_credit, subtotal)
        lines.append(InvoiceLine(-used, "Your store credit", level))
    return lines, used


def _record(state: SiteState, rec: SubscriberRecord, at: datetime, *, amount: Decimal, detail_type: str,
            invoice: InvoiceRecord, expires_at: Optional[datetime]) -> None:
    plan = state.plans.get(rec.plan_id) if rec.plan_id is not None else None
    state.transactions.append(TransactionRecord(
        id=state.take_transaction_id(), customer_id=rec.customer_id, created_at=at, amount=amount,
        description="Subscription" if detail_type == "Subscription" else "Renewal failure",
        detail_type=detail_type, terms=plan.terms if plan is not None else None, start_time=at,
        expires_at=expires_at, invoice_id=invoice.id,
        payment_method=rec.card.card_type if rec.card is not None else None, recurring=bool(rec.recurring),
        feature_level=rec.feature_level))


def _renew(state: SiteState, rec: SubscriberRecord, at: datetime) -> None:
    assert rec.plan_id is not None and rec.active_until is not None
    plan = state.plans[rec.plan_id]
    lines, used = _renewal_lines(state, rec)
    invoice = InvoiceRecord(id=state.take_invoice_id(), token=new_token(), customer_id=rec.customer_id,
                            plan_id=rec.plan_id, created_at=at, updated_at=at, lines=lines, store_credit_used=used)
    state.invoices[invoice.token] = invoice
    rec.invoice_tokens.append(invoice.token)
    rec.fees.clear()
    rec.updated_at = at
    if invoice.amount > 0 and _declines(rec.card, at):
        rec.renewal_invoice = invoice.token
        rec.grace_until = rec.active_until + timedelta(days=GRACE_DAYS)
        _record(state, rec, at, amount=invoice.amount, detail_type="RenewalFailure", invoice=invoice,
                expires_at=rec.grace_until)
        return
    invoice.closed = True
    invoice.gateway_reference = "SpreedlyGateway#purchase"
    rec.store_credit = max(rec.store_credit - used, C.ZERO)
    rec.active_until = add_period(rec.active_until, plan.duration_quantity or 0, plan.duration_units or "months")
    rec.grace_until = rec.active_until + timedelta(days=GRACE_DAYS)
    _record(state, rec, at, amount=invoice.amount, detail_type="Subscription", invoice=invoice,
            expires_at=rec.active_until)


# ----------------------------------------------------------------------------- helpers for tests


def set_card_on_file(emulator: Emulator, customer_id: str | int, number: str = C.DECLINING_CARD, *,
                     month: int = 12, year: Optional[int] = None, card_type: str = "visa") -> None:
    """Put a card on the subscriber's file directly (no request, no notification).

    The default is the declining test card, so the next renewal fails; pass
    ``APPROVING_CARD`` to make renewals succeed again, or a past ``year`` for an expired card.
    """
    with emulator.locked():
        rec = emulator.subscriber_record(customer_id)
        rec.card = CardOnFile(card_type=card_type, last_four=number[-4:], month=month,
                              year=year if year is not None else emulator.clock.now().year + 3)
