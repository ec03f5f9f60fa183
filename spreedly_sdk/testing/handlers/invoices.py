"""Invoice endpoints: open an invoice for a plan, and pay it (card or card on file)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from ...models import InvoiceCreate, Payment
from .. import _choices as C
from .._clock import add_period
from .._render import render_invoice
from .._state import CardOnFile, InvoiceLine, SubscriberRecord
from .._wire import Fields, Refusal, Reply, read_fields, xml_reply
from ._cards import charge_card, store_card
from ._context import Ctx, blank, checked_period_end, open_invoice, record_transaction
from .subscribers import check_writable, new_subscriber

__all__ = ["create_invoice", "pay_invoice", "proration_credit"]


def proration_credit(ctx: Ctx, rec: SubscriberRecord) -> tuple[Decimal, str]:
    """The unused part of a paid, running subscription (pro rata by time)."""
    if rec.plan_id is None or rec.on_trial or rec.comped or rec.lifetime or rec.active_until is None:
        return C.ZERO, ""
    current = ctx.site.plans.get(rec.plan_id)
    if current is None or not current.amount or not current.duration_quantity or ctx.now >= rec.active_until:
        return C.ZERO, ""
    start = add_period(rec.active_until, -current.duration_quantity, current.duration_units or "months")
    whole = (rec.active_until - start).total_seconds()
    left = (rec.active_until - ctx.now).total_seconds()
    if whole <= 0:
        return C.ZERO, ""
    credit = (current.amount * Decimal(left) / Decimal(whole)).quantize(Decimal("0.01"))
    return min(credit, current.amount), current.feature_level or ""


def _invoice_subscriber(ctx: Ctx) -> tuple[str, str, Fields]:
    """The plan id text, the customer id and the ``<subscriber>`` part of an invoice request."""
    fields = read_fields(ctx.req.body, InvoiceCreate)
    plan_text = fields.text("subscription_plan_id")
    subscriber = fields.part("subscriber")
    customer_id = subscriber.text("customer_id")
    if "subscriber" not in fields or plan_text is None or blank(plan_text) or customer_id is None \
            or blank(customer_id):
        raise Refusal(422, C.TEXT_INVOICE_INVALID)
    return plan_text, customer_id, subscriber


def create_invoice(ctx: Ctx) -> Reply:
    plan_text, customer_id, sub_fields = _invoice_subscriber(ctx)
    check_writable(sub_fields)
    plan = ctx.plan(plan_text)
    if not plan.enabled:
        raise Refusal(403, C.TEXT_PLAN_DISABLED)
    if plan.is_free_trial:
        raise Refusal(403, C.TEXT_INVOICE_FREE_TRIAL_PLAN)
    rec = ctx.site.subscribers.get(customer_id) or new_subscriber(ctx, customer_id, sub_fields)
    price = plan.amount or C.ZERO
    description = f"Every {plan.terms}" if plan.needs_to_be_renewed else (plan.terms or "")
    lines = [InvoiceLine(price, description, plan.feature_level or "")]
    setup_fee = bool(rec.eligible_for_setup_fee and plan.setup_fee_amount)
    if setup_fee:
        lines.append(InvoiceLine(plan.setup_fee_amount or C.ZERO, plan.setup_fee_description or "Setup fee",
                                 plan.feature_level or ""))
    credit, credit_level = proration_credit(ctx, rec)
    if credit:
        lines.append(InvoiceLine(-credit, "Credit from current subscription", credit_level))
    subtotal = sum((line.amount for line in lines), C.ZERO)
    left_over = -subtotal if subtotal < 0 else C.ZERO
    used = C.ZERO
    if subtotal > 0 and rec.store_credit > 0:
        used = min(rec.store_credit, subtotal)
        lines.append(InvoiceLine(-used, "Your store credit", plan.feature_level or ""))
    invoice = open_invoice(ctx, rec, plan, lines, store_credit_used=used, credit_left_over=left_over,
                           setup_fee=setup_fee)
    return xml_reply(201, render_invoice(ctx.site, invoice, ctx.now, with_subscriber=True))


def pay_invoice(ctx: Ctx, invoice_token: str) -> Reply:
    invoice = ctx.site.invoices.get(invoice_token)
    if invoice is None:
        raise Refusal(404, C.TEXT_INVOICE_NOT_FOUND.format(token=invoice_token))
    if invoice.closed:
        raise Refusal(403, C.TEXT_INVOICE_CLOSED)
    fields = read_fields(ctx.req.body, Payment)
    account_type = (fields.text("account_type") or "").strip() or ("credit-card" if "credit_card" in fields else "")
    rec = ctx.subscriber(invoice.customer_id)
    names: dict[str, str] = {}
    card: CardOnFile
    if account_type == "on-file":
        if rec.card is None:
            raise Refusal(422, C.TEXT_NO_CARD_ON_FILE)
        card = rec.card
    elif account_type == "credit-card":
        card_fields = fields.part("credit_card")
        if not card_fields.values:
            raise Refusal(422, C.TEXT_NO_CARD)
        card, names = charge_card(ctx, card_fields)
    else:
        raise Refusal(422, C.TEXT_NO_CARD)
    plan = ctx.site.plans[invoice.plan_id]
    quantity = plan.duration_quantity or 0
    active_until = checked_period_end(ctx.now, quantity, plan.duration_units or "months") if quantity else None
    store_card(rec, card, names)
    rec.change(plan_id=plan.id, feature_level=plan.feature_level or "", on_trial=False, comped=False,
               on_gift=False, eligible_for_free_trial=False, recurring=bool(plan.needs_to_be_renewed),
               lifetime=active_until is None, active_until=active_until,
               grace_until=active_until + timedelta(days=C.GRACE_DAYS) if active_until is not None else None,
               store_credit=max(rec.store_credit - invoice.store_credit_used, C.ZERO) + invoice.credit_left_over,
               eligible_for_setup_fee=rec.eligible_for_setup_fee and not invoice.setup_fee)
    invoice.closed, invoice.updated_at, invoice.gateway_reference = True, ctx.now, "SpreedlyGateway#purchase"
    record_transaction(ctx, rec, amount=invoice.amount, description="Subscription", detail_type="Subscription",
                       terms=plan.terms, invoice_id=invoice.id, payment_method=card.card_type)
    ctx.touch(rec)
    return xml_reply(200, render_invoice(ctx.site, invoice, ctx.now, with_subscriber=True))
