"""Subscriber endpoints: create, read, update, delete, trials, comps, credit, fees, plan changes.

Which elements a body may carry comes from the request models
(:class:`~spreedly_sdk.models.SubscriberCreate`, :class:`~spreedly_sdk.models.SubscriberUpdate`,
:data:`~spreedly_sdk.models.WRITABLE_FIELDS`); anything else is refused as read-only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ...models import (
    WRITABLE_FIELDS,
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    Credit,
    Fee,
    LifetimeComplimentarySubscription,
    PlanReference,
    Subscriber,
    SubscriberCreate,
    SubscriberUpdate,
)
from .. import _choices as C
from .._render import render_subscriber
from .._state import CardOnFile, InvoiceLine, PendingFee, SubscriberRecord, new_token
from .._wire import Fields, Refusal, Reply, check_well_formed, list_document, read_fields, text_reply, xml_reply
from ._cards import charge_card, store_card
from ._context import (
    Ctx,
    blank,
    checked_amount,
    checked_period_end,
    open_invoice,
    parse_int,
    record_transaction,
    within_limits,
)

__all__ = [
    "add_credit",
    "add_fee",
    "allow_free_trial",
    "change_plan",
    "complimentary_subscription",
    "complimentary_time_extension",
    "create_subscriber",
    "delete_all",
    "delete_subscriber",
    "get_subscriber",
    "lifetime_complimentary_subscription",
    "list_subscribers",
    "new_subscriber",
    "stop_auto_renew",
    "subscribe_to_free_trial",
    "update_subscriber",
]


def check_writable(fields: Fields, *, ignored: tuple[str, ...] = ()) -> None:
    """Refuse elements the request model has no field for (the service's read-only 403)."""
    bad = [name for name in fields.unknown if name not in ignored]
    if bad:
        raise Refusal(403, C.TEXT_READ_ONLY.format(names=", ".join(bad)))


def new_subscriber(ctx: Ctx, customer_id: str, fields: Fields) -> SubscriberRecord:
    """Create a subscriber with the writable fields given (values kept as sent)."""
    rec = SubscriberRecord(customer_id=customer_id, token=new_token(), created_at=ctx.now, updated_at=ctx.now,
                           pagination_id=ctx.site.take_pagination_id())
    for name in WRITABLE_FIELDS:
        if name in fields:
            setattr(rec, name, fields.text(name))
    ctx.site.subscribers[customer_id] = rec
    ctx.changed([customer_id])
    return rec


def list_subscribers(ctx: Ctx) -> Reply:
    items = [render_subscriber(ctx.site, rec, ctx.now, invoices=False) for rec in ctx.site.subscribers.values()]
    return xml_reply(200, list_document(Subscriber, items))


def create_subscriber(ctx: Ctx) -> Reply:
    fields = read_fields(ctx.req.body, SubscriberCreate)
    if fields.empty:
        raise Refusal(422, C.TEXT_CREATE_WITHOUT_SUBSCRIBER)
    check_writable(fields)
    customer_id = fields.text("customer_id")
    if customer_id is None or blank(customer_id):
        raise Refusal(422, errors=[C.TEXT_CUSTOMER_ID_BLANK])
    if customer_id in ctx.site.subscribers:
        raise Refusal(403, C.TEXT_DUPLICATE_CUSTOMER_ID.format(id=customer_id))
    rec = new_subscriber(ctx, customer_id, fields)
    return ctx.subscriber_reply(201, rec, location=True)


def get_subscriber(ctx: Ctx, customer_id: str) -> Reply:
    return ctx.subscriber_reply(200, ctx.subscriber(customer_id), invoices=True)


def _rename(ctx: Ctx, rec: SubscriberRecord, target: str) -> None:
    old_id = rec.customer_id
    if target == old_id:
        return
    if target in ctx.site.subscribers:
        raise Refusal(403, C.TEXT_DUPLICATE_CUSTOMER_ID.format(id=target))
    del ctx.site.subscribers[old_id]
    rec.customer_id = target
    ctx.site.subscribers[target] = rec
    for token in rec.invoice_tokens:
        if token in ctx.site.invoices:
            ctx.site.invoices[token].customer_id = target
    for tx in ctx.site.transactions:
        if tx.customer_id == old_id:
            tx.customer_id = target
    ctx.changed([old_id])


def update_subscriber(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    fields = read_fields(ctx.req.body, SubscriberUpdate)
    ignored = ("customer_id",)  # a dummy customer id is tolerated and ignored
    if not fields.values and all(name in ignored for name in fields.unknown):
        raise Refusal(422, C.TEXT_NO_SUBSCRIBER_PARAMS)
    check_writable(fields, ignored=ignored)
    card: CardOnFile | None = None
    names: dict[str, str] = {}
    if "payment_method" in fields:
        card_fields = fields.part("payment_method").part("credit_card")
        if not card_fields.values:
            raise Refusal(422, C.TEXT_NO_CARD)
        card, names = charge_card(ctx, card_fields)
    if "new_customer_id" in fields:
        target = fields.text("new_customer_id")
        if target is None or blank(target):
            raise Refusal(422, errors=[C.TEXT_CUSTOMER_ID_BLANK])
        _rename(ctx, rec, target)
    for name in WRITABLE_FIELDS:
        if name in fields:
            setattr(rec, name, fields.text(name))
    if card is not None:
        store_card(rec, card, names)
    ctx.touch(rec)
    if C.UPDATE_RETURNS_SUBSCRIBER:
        return ctx.subscriber_reply(200, rec)
    return Reply(200)


def _check_test_site(ctx: Ctx) -> None:
    if not ctx.site.test_site:
        raise Refusal(403, C.TEXT_DELETE_NOT_TEST_SITE)


def _forget(ctx: Ctx, rec: SubscriberRecord) -> None:
    """Remove a subscriber with its invoices and transactions (test sites only)."""
    for token in rec.invoice_tokens:
        ctx.site.invoices.pop(token, None)
    ctx.site.transactions[:] = [tx for tx in ctx.site.transactions if tx.customer_id != rec.customer_id]
    del ctx.site.subscribers[rec.customer_id]


def delete_subscriber(ctx: Ctx, customer_id: str) -> Reply:
    _check_test_site(ctx)
    rec = ctx.subscriber(customer_id)
    _forget(ctx, rec)
    ctx.changed([customer_id])
    return Reply(200)


def delete_all(ctx: Ctx) -> Reply:
    _check_test_site(ctx)
    ids = list(ctx.site.subscribers)
    for rec in list(ctx.site.subscribers.values()):
        _forget(ctx, rec)
    if ids:
        ctx.changed(ids)
    return Reply(200)


# ----------------------------------------------------------------------------- trials and plans


def _plan_id(ctx: Ctx) -> str:
    value = read_fields(ctx.req.body, PlanReference).text("id")
    if value is None or blank(value):
        raise Refusal(422, C.TEXT_NO_PLAN_ID)
    return value


def _trial_eligible(rec: SubscriberRecord, now: datetime) -> bool:
    if not rec.eligible_for_free_trial:
        return False
    return not (rec.is_active(now) and not rec.on_trial)


def subscribe_to_free_trial(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    plan = ctx.plan(_plan_id(ctx))
    if not plan.is_free_trial:
        raise Refusal(403, C.TEXT_NOT_FREE_TRIAL_PLAN)
    if not plan.enabled:
        raise Refusal(403, C.TEXT_PLAN_DISABLED)
    if not _trial_eligible(rec, ctx.now):
        raise Refusal(403, C.TEXT_NOT_ELIGIBLE)
    quantity = plan.duration_quantity or 0
    until = checked_period_end(ctx.now, quantity, plan.duration_units or "days") if quantity else None
    rec.change(plan_id=plan.id, feature_level=plan.feature_level or "", on_trial=True, comped=False,
               eligible_for_free_trial=False, recurring=False, on_gift=False, grace_until=None,
               lifetime=until is None, active_until=until)
    invoice = open_invoice(ctx, rec, plan, [InvoiceLine(C.ZERO, plan.terms or "", plan.feature_level or "")],
                           closed=True)
    record_transaction(ctx, rec, amount=C.ZERO, description=C.FREE_TRIAL_DESCRIPTION, detail_type="Subscription",
                       terms=plan.terms, invoice_id=invoice.id, payment_method=C.FREE_TRIAL_PAYMENT_METHOD)
    ctx.touch(rec)
    return ctx.subscriber_reply(200, rec, location=True)


def allow_free_trial(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    check_well_formed(ctx.req.body)  # any well-formed body is tolerated; a malformed one is refused
    rec.eligible_for_free_trial = True
    ctx.touch(rec)
    return ctx.subscriber_reply(200, rec)


def stop_auto_renew(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    check_well_formed(ctx.req.body)
    if rec.recurring:
        plan = ctx.site.plans.get(rec.plan_id) if rec.plan_id is not None else None
        record_transaction(ctx, rec, amount=C.ZERO, description="Stop Auto Renew", detail_type="StopAutoRenew",
                           terms=plan.terms if plan is not None else None, invoice_id=None, payment_method=None)
    rec.recurring = False
    ctx.touch(rec)
    if C.STOP_AUTO_RENEW_RETURNS_SUBSCRIBER:
        return ctx.subscriber_reply(200, rec)
    return Reply(200)


def change_plan(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    plan = ctx.plan(_plan_id(ctx))
    rec.plan_id = plan.id
    rec.feature_level = plan.feature_level or ""
    ctx.touch(rec)
    return text_reply(200, C.TEXT_PLAN_CHANGED)


# ----------------------------------------------------------------------------- comps, credit, fees


def _duration(fields: Fields) -> tuple[list[str], int, str]:
    errors: list[str] = []
    units = (fields.text("duration_units") or "").strip()
    if units not in ("days", "months"):
        errors.append(C.TEXT_UNITS_INVALID)
    raw = fields.text("duration_quantity")
    quantity = parse_int(raw)
    if raw is None or blank(raw):
        errors += [C.TEXT_QUANTITY_BLANK, C.TEXT_QUANTITY_NAN]
    elif quantity is None:
        errors.append(C.TEXT_QUANTITY_NAN)
    elif quantity <= 0:
        errors.append(C.TEXT_QUANTITY_NOT_POSITIVE)
    return errors, quantity or 0, units


def complimentary_subscription(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    fields = read_fields(ctx.req.body, ComplimentarySubscription)
    if rec.is_active(ctx.now):
        raise Refusal(403, C.TEXT_COMP_ACTIVE)
    errors, quantity, units = _duration(fields)
    feature_level = fields.text("feature_level")
    if feature_level is None or blank(feature_level):
        errors.append(C.TEXT_FEATURE_LEVEL_BLANK)
    if errors:
        raise Refusal(422, errors=errors)
    assert feature_level is not None
    rec.change(active_until=checked_period_end(ctx.now, quantity, units), grace_until=None,
               feature_level=feature_level, plan_id=None, on_trial=False, comped=True, recurring=False)
    ctx.touch(rec)
    return ctx.subscriber_reply(201, rec, location=True)


def complimentary_time_extension(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    fields = read_fields(ctx.req.body, ComplimentaryTimeExtension)
    if not rec.is_active(ctx.now):
        raise Refusal(403, C.TEXT_EXTENSION_INACTIVE)
    errors, quantity, units = _duration(fields)
    if errors:
        raise Refusal(422, errors=errors)
    if not rec.lifetime or rec.active_until is not None:
        rec.active_until = checked_period_end(rec.active_until or ctx.now, quantity, units)
        if rec.grace_until is not None:
            rec.grace_until = rec.active_until + timedelta(days=C.GRACE_DAYS)
    ctx.touch(rec)
    return ctx.subscriber_reply(201, rec, location=True)


def lifetime_complimentary_subscription(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    feature_level = read_fields(ctx.req.body, LifetimeComplimentarySubscription).text("feature_level")
    if feature_level is None or blank(feature_level):
        raise Refusal(422, errors=[C.TEXT_FEATURE_LEVEL_BLANK])
    rec.change(lifetime=True, feature_level=feature_level, on_trial=False, comped=True, recurring=False)
    record_transaction(ctx, rec, amount=C.ZERO, description=C.COMP_DESCRIPTION,
                       detail_type=C.COMP_DETAIL_TYPE, terms=C.LIFETIME_TERMS, invoice_id=None,
                       payment_method=None)
    ctx.touch(rec)
    return ctx.subscriber_reply(C.LIFETIME_COMP_STATUS, rec, location=True)


def add_credit(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    amount = checked_amount(read_fields(ctx.req.body, Credit).text("amount"))
    total = rec.store_credit + amount
    if total < 0:
        raise Refusal(422, errors=[C.TEXT_CREDIT_NEGATIVE])
    if not within_limits(total):
        raise Refusal(422, errors=[C.TEXT_AMOUNT_TOO_LARGE])
    rec.store_credit = total
    ctx.touch(rec)
    return Reply(201)


def add_fee(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    fields = read_fields(ctx.req.body, Fee)
    name, group, raw_amount = fields.text("name"), fields.text("group"), fields.text("amount")
    errors: list[str] = []
    if name is None or blank(name):
        errors.append(C.TEXT_FEE_NAME_BLANK)
    if group is None or blank(group):
        errors.append(C.TEXT_FEE_GROUP_BLANK)
    amount = None
    if raw_amount is None or blank(raw_amount):
        errors.append(C.TEXT_FEE_AMOUNT_BLANK)
    else:
        try:
            amount = checked_amount(raw_amount)
        except Refusal as exc:
            errors += exc.messages
    if errors:
        raise Refusal(422, errors=errors)
    assert name is not None and group is not None and amount is not None
    if not within_limits(sum((fee.amount for fee in rec.fees), amount)):
        raise Refusal(422, errors=[C.TEXT_AMOUNT_TOO_LARGE])
    if not rec.is_active(ctx.now):
        raise Refusal(422, C.TEXT_FEE_INACTIVE)
    allow_non_recurring = (fields.text("allow_non_recurring_subscriber") or "").strip().lower() == "true"
    if not rec.recurring and not allow_non_recurring:
        raise Refusal(422, C.TEXT_FEE_NOT_RECURRING)
    rec.fees.append(PendingFee(name=name, description=fields.text("description"), group=group,
                               amount=amount, created_at=ctx.now))
    ctx.touch(rec)
    return Reply(201)
