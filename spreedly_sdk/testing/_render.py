"""State records to the SDK's models, in the 2013 shape of the service's documents."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..models import Invoice, LineItem, Subscriber, SubscriptionPlanVersion, Transaction, TransactionDetail
from . import _choices as C
from ._state import InvoiceRecord, SiteState, SubscriberRecord, TransactionRecord

__all__ = ["money_text", "render_invoice", "render_subscriber", "render_transaction"]


def money_text(amount: Decimal) -> str:
    """``$24.00``, ``$-48.99``: the service's formatted price."""
    return f"${amount.quantize(Decimal('0.01'))}"


def decimal_out(amount: Decimal) -> Decimal:
    """Decimals as Rails wrote them: ``0.0``, ``19.0``, ``14.95``."""
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal("0.0"))
    return amount.normalize()


def _plan_version(site: SiteState, rec: SubscriberRecord) -> SubscriptionPlanVersion | None:
    if rec.plan_id is None:
        return None
    plan = site.plans.get(rec.plan_id)
    if plan is None or not plan.versions:
        return None
    return plan.versions[-1]


def render_subscriber(site: SiteState, rec: SubscriberRecord, now: datetime, *, invoices: bool) -> Subscriber:
    """A subscriber document: ``invoices=True`` for single GETs (``<invoices type="array">``),
    ``False`` for create answers and list items."""
    plan = site.plans.get(rec.plan_id) if rec.plan_id is not None else None
    in_grace = bool(rec.grace_until is not None and rec.active_until is not None
                    and rec.active_until <= now < rec.grace_until)
    card_expires = False
    if rec.card is not None and rec.recurring and rec.active_until is not None:
        card_expires = (rec.card.year, rec.card.month) < (rec.active_until.year, rec.active_until.month)
    rendered_invoices: list[Invoice] | None = None
    if invoices:
        rendered_invoices = [render_invoice(site, site.invoices[t], now, with_subscriber=False)
                             for t in reversed(rec.invoice_tokens) if t in site.invoices]
    return Subscriber(
        customer_id=rec.customer_id,
        screen_name=rec.screen_name,
        email=rec.email,
        billing_first_name=rec.billing_first_name,
        billing_last_name=rec.billing_last_name,
        token=rec.token,
        active=rec.is_active(now),
        active_until=rec.active_until,
        grace_until=rec.grace_until,
        in_grace_period=in_grace,
        feature_level=rec.feature_level,
        subscription_plan_name=plan.name if plan is not None and plan.name else "",
        on_trial=rec.on_trial,
        eligible_for_free_trial=rec.eligible_for_free_trial,
        lifetime_subscription=rec.lifetime,
        recurring=rec.recurring,
        store_credit=decimal_out(rec.store_credit),
        store_credit_currency_code=C.CURRENCY,
        card_expires_before_next_auto_renew=card_expires,
        ready_to_renew=False,
        ready_to_renew_since=None,
        on_gift=rec.on_gift,
        on_metered=False,
        eligible_for_setup_fee=rec.eligible_for_setup_fee,
        payment_account_on_file=rec.card is not None,
        payment_account_display=rec.card.display if rec.card is not None else "",
        billing_address1=rec.billing_address1,
        billing_city=rec.billing_city,
        billing_state=rec.billing_state,
        billing_zip=rec.billing_zip,
        billing_country=rec.billing_country,
        billing_phone_number=rec.billing_phone_number,
        pagination_id=str(rec.pagination_id),
        created_at=rec.created_at,
        updated_at=rec.updated_at,
        subscription_plan_version=_plan_version(site, rec),
        invoices=rendered_invoices,
    )


def render_invoice(site: SiteState, inv: InvoiceRecord, now: datetime, *, with_subscriber: bool) -> Invoice:
    """An invoice: nested in a subscriber (no ``<subscriber>``) or as the create/pay answer."""
    plan = site.plans.get(inv.plan_id)
    metadata = plan.feature_level if plan is not None and plan.feature_level else ""
    lines = [
        LineItem(amount=decimal_out(line.amount), notes=line.notes, currency_code=C.CURRENCY,
                 description=line.description, price=money_text(line.amount), feature_level=line.feature_level,
                 metadata=line.feature_level)
        for line in inv.lines
    ]
    subscriber = None
    if with_subscriber and inv.customer_id in site.subscribers:
        subscriber = render_subscriber(site, site.subscribers[inv.customer_id], now, invoices=False)
    return Invoice(
        token=inv.token,
        closed=inv.closed,
        amount=decimal_out(inv.amount),
        price=money_text(inv.amount),
        currency_code=C.CURRENCY,
        response_message=None,
        response_client_message=None,
        response_customer_message=None,
        metadata=metadata,
        gateway_transaction_reference=inv.gateway_reference,
        created_at=inv.created_at,
        updated_at=inv.updated_at,
        line_items=lines,
        subscriber=subscriber,
    )


def render_transaction(tx: TransactionRecord) -> Transaction:
    """A transaction as ``GET transactions.xml`` lists it."""
    return Transaction(
        id=tx.id,
        amount=decimal_out(tx.amount),
        price=money_text(tx.amount),
        currency_code=C.CURRENCY,
        description=tx.description,
        detail_type=tx.detail_type,  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  (an open enum)
        terms=tx.terms or "",  # the service writes an empty <terms> when there are none
        start_time=tx.start_time,
        expires_at=tx.expires_at,
        invoice_id=tx.invoice_id,
        subscriber_customer_id=tx.customer_id,
        created_at=tx.created_at,
        updated_at=tx.created_at,
        detail=TransactionDetail(payment_method=tx.payment_method, recurring=tx.recurring,
                                 feature_level=tx.feature_level),
    )
