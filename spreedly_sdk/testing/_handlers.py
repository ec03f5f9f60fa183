"""The endpoints of REFERENCE §3.1-§3.19 and the hosted pages, over :mod:`._state`.

:func:`dispatch` takes a transport-neutral :class:`Request` and returns a :class:`Reply`;
the in-process httpx transport and the socket server both call it under the emulator's lock.
Handlers refuse by raising :class:`Refusal`; every text they answer with lives in
:mod:`._choices`.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Optional
from urllib.parse import parse_qs, quote, unquote

from lxml import etree

from .._xml import parse_document
from ..errors import ResponseParseError, XmlSecurityError
from ..models import ErrorsDocument, Subscriber, SubscriptionPlan, Transaction
from . import _choices as C
from ._clock import add_period
from ._render import render_invoice, render_subscriber, render_transaction
from ._state import (
    CardOnFile,
    InvoiceLine,
    InvoiceRecord,
    PendingFee,
    SiteState,
    SubscriberRecord,
    TransactionRecord,
    new_token,
)

__all__ = ["Refusal", "Reply", "Request", "dispatch"]

Element = etree._Element


@dataclasses.dataclass(frozen=True)
class Request:
    """One HTTP request, as either transport hands it over."""

    method: str
    raw_path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    origin: str

    def header(self, name: str) -> Optional[str]:
        name = name.lower()
        for key, value in self.headers.items():
            if key.lower() == name:
                return value
        return None


@dataclasses.dataclass
class Reply:
    """The answer: status, headers (without Content-Length) and body."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict[str, str])


class Refusal(Exception):
    """Raised by a handler to answer with an error status."""

    def __init__(self, status: int, text: str | None = None, *, errors: list[str] | None = None) -> None:
        super().__init__(text or "; ".join(errors or []))
        self.status = status
        self.text = text
        self.errors = errors


def text_reply(status: int, text: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, text.encode("utf-8"), {"Content-Type": C.TEXT_CONTENT_TYPE, **(headers or {})})


def xml_reply(status: int, body: bytes, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, body, {"Content-Type": C.XML_CONTENT_TYPE, **(headers or {})})


def refusal_reply(exc: Refusal) -> Reply:
    if exc.errors is not None:
        return xml_reply(exc.status, ErrorsDocument(errors=exc.errors).to_xml())
    return text_reply(exc.status, exc.text or "")


# ----------------------------------------------------------------------------- reading bodies


def read_body(body: bytes) -> Element | None:
    """The request document with names normalised to dashes, or ``None`` for an empty body."""
    data = body.strip()
    if not data:
        return None
    try:
        root = parse_document(data)
    except (ResponseParseError, XmlSecurityError):
        raise Refusal(C.MALFORMED_STATUS, C.TEXT_MALFORMED_BODY) from None
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = el.tag.strip().replace("_", "-")
    return root


def children(el: Element | None) -> dict[str, Element]:
    """Child elements by (normalised) name; the first of a repeated name wins."""
    out: dict[str, Element] = {}
    if el is None:
        return out
    for child in el:
        if isinstance(child.tag, str):
            out.setdefault(child.tag, child)
    return out


def text_of(el: Element | None) -> Optional[str]:
    """Stripped text; ``None`` for an absent or ``nil`` element with no text."""
    if el is None:
        return None
    value = (el.text or "").strip()
    if not value and el.get("nil") == "true":
        return None
    return value


def root_named(body: bytes, name: str) -> Element | None:
    root = read_body(body)
    if root is None or root.tag != name:
        return None
    return root


def parse_int(value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def parse_decimal(value: Optional[str]) -> Optional[Decimal]:
    if value is None or not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# ----------------------------------------------------------------------------- the context


@dataclasses.dataclass
class Ctx:
    """What a handler works with."""

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
        return {"Location": f"{self.req.origin}/api/v4/{self.site.site_name}/subscribers/"
                            f"{quote(customer_id, safe='')}.xml"}

    def subscriber_doc(self, rec: SubscriberRecord, *, invoices: bool = False) -> bytes:
        return render_subscriber(self.site, rec, self.now, invoices=invoices).to_xml()

    def touch(self, rec: SubscriberRecord) -> None:
        rec.updated_at = self.now
        self.changed([rec.customer_id])


# ----------------------------------------------------------------------------- subscribers

CREATE_FIELDS = ("customer-id", "screen-name", "email", "billing-first-name", "billing-last-name")
UPDATE_FIELDS = ("new-customer-id", "screen-name", "email", "billing-first-name", "billing-last-name",
                 "payment-method")
INVOICE_SUBSCRIBER_FIELDS = ("customer-id", "screen-name", "email", "billing-first-name", "billing-last-name")


def check_writable(fields: Mapping[str, Element], allowed: Iterable[str]) -> None:
    allowed_set = set(allowed)
    bad = [name.replace("-", "_") for name in fields if name not in allowed_set]
    if bad:
        raise Refusal(403, C.TEXT_READ_ONLY.format(names=", ".join(bad)))


def new_subscriber(ctx: Ctx, customer_id: str, fields: Mapping[str, Element]) -> SubscriberRecord:
    rec = SubscriberRecord(customer_id=customer_id, token=new_token(), created_at=ctx.now, updated_at=ctx.now,
                           pagination_id=ctx.site.take_pagination_id())
    rec.screen_name = text_of(fields.get("screen-name"))
    rec.email = text_of(fields.get("email"))
    rec.billing_first_name = text_of(fields.get("billing-first-name"))
    rec.billing_last_name = text_of(fields.get("billing-last-name"))
    ctx.site.subscribers[customer_id] = rec
    ctx.changed([customer_id])
    return rec


def list_subscribers(ctx: Ctx) -> Reply:
    items = [render_subscriber(ctx.site, rec, ctx.now, invoices=False) for rec in ctx.site.subscribers.values()]
    return xml_reply(200, Subscriber.list_to_xml(items))


def create_subscriber(ctx: Ctx) -> Reply:
    root = root_named(ctx.req.body, "subscriber")
    if root is None:
        raise Refusal(422, C.TEXT_CREATE_WITHOUT_SUBSCRIBER)
    fields = children(root)
    check_writable(fields, CREATE_FIELDS)
    customer_id = text_of(fields.get("customer-id"))
    if not customer_id:
        raise Refusal(422, errors=[C.TEXT_CUSTOMER_ID_BLANK])
    if customer_id in ctx.site.subscribers:
        raise Refusal(403, C.TEXT_DUPLICATE_CUSTOMER_ID.format(id=customer_id))
    rec = new_subscriber(ctx, customer_id, fields)
    return xml_reply(201, ctx.subscriber_doc(rec), ctx.location(customer_id))


def get_subscriber(ctx: Ctx, customer_id: str) -> Reply:
    return xml_reply(200, ctx.subscriber_doc(ctx.subscriber(customer_id), invoices=True))


def update_subscriber(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    root = root_named(ctx.req.body, "subscriber")
    fields = children(root)
    fields.pop("customer-id", None)  # a dummy customer id is tolerated and ignored
    if not fields:
        raise Refusal(422, C.TEXT_NO_SUBSCRIBER_PARAMS)
    check_writable(fields, UPDATE_FIELDS)
    card: CardOnFile | None = None
    names: dict[str, str] = {}
    if "payment-method" in fields:
        card_el = children(fields["payment-method"]).get("credit-card")
        if card_el is None or not len(card_el):
            raise Refusal(422, C.TEXT_NO_CARD)
        card, names = charge_card(ctx, card_el)
    new_id = fields.get("new-customer-id")
    old_id = rec.customer_id
    if new_id is not None:
        target = text_of(new_id)
        if not target:
            raise Refusal(422, errors=[C.TEXT_CUSTOMER_ID_BLANK])
        if target != old_id:
            if target in ctx.site.subscribers:
                raise Refusal(403, C.TEXT_DUPLICATE_CUSTOMER_ID.format(id=target))
            del ctx.site.subscribers[old_id]
            rec.customer_id = target
            ctx.site.subscribers[target] = rec
            for token in rec.invoice_tokens:
                if token in ctx.site.invoices:
                    ctx.site.invoices[token].customer_id = target
            ctx.changed([old_id])
    for tag, attr in (("screen-name", "screen_name"), ("email", "email"),
                      ("billing-first-name", "billing_first_name"), ("billing-last-name", "billing_last_name")):
        if tag in fields:
            setattr(rec, attr, text_of(fields[tag]))
    if card is not None:
        store_card(rec, card, names)
    ctx.touch(rec)
    if C.UPDATE_RETURNS_SUBSCRIBER:
        return xml_reply(200, ctx.subscriber_doc(rec))
    return Reply(200)


def check_test_site(ctx: Ctx) -> None:
    if not ctx.site.test_site:
        raise Refusal(403, C.TEXT_DELETE_NOT_TEST_SITE)


def forget(ctx: Ctx, rec: SubscriberRecord) -> None:
    for token in rec.invoice_tokens:
        ctx.site.invoices.pop(token, None)
    del ctx.site.subscribers[rec.customer_id]


def delete_subscriber(ctx: Ctx, customer_id: str) -> Reply:
    check_test_site(ctx)
    rec = ctx.subscriber(customer_id)
    forget(ctx, rec)
    ctx.changed([customer_id])
    return Reply(200)


def delete_all(ctx: Ctx) -> Reply:
    check_test_site(ctx)
    ids = list(ctx.site.subscribers)
    for rec in list(ctx.site.subscribers.values()):
        forget(ctx, rec)
    if ids:
        ctx.changed(ids)
    return Reply(200)


# ----------------------------------------------------------------------------- trials and plans


def plan_id_from(ctx: Ctx) -> str:
    root = root_named(ctx.req.body, "subscription-plan")
    value = text_of(children(root).get("id"))
    if not value:
        raise Refusal(422, C.TEXT_NO_PLAN_ID)
    return value


def trial_eligible(rec: SubscriberRecord, now: datetime) -> bool:
    if not rec.eligible_for_free_trial:
        return False
    return not (rec.is_active(now) and not rec.on_trial)


def subscribe_to_free_trial(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    plan = ctx.plan(plan_id_from(ctx))
    if not plan.is_free_trial:
        raise Refusal(403, C.TEXT_NOT_FREE_TRIAL_PLAN)
    if not plan.enabled:
        raise Refusal(403, C.TEXT_PLAN_DISABLED)
    if not trial_eligible(rec, ctx.now):
        raise Refusal(403, C.TEXT_NOT_ELIGIBLE)
    quantity = plan.duration_quantity or 0
    rec.plan_id = plan.id
    rec.feature_level = plan.feature_level or ""
    rec.on_trial = True
    rec.comped = False
    rec.eligible_for_free_trial = False
    rec.recurring = False
    rec.on_gift = False
    rec.grace_until = None
    if quantity == 0:
        rec.lifetime = True
        rec.active_until = None
    else:
        rec.lifetime = False
        rec.active_until = add_period(ctx.now, quantity, plan.duration_units or "days")
    assert plan.id is not None
    invoice = InvoiceRecord(id=ctx.site.take_invoice_id(), token=new_token(), customer_id=rec.customer_id,
                            plan_id=plan.id, created_at=ctx.now, updated_at=ctx.now, closed=True,
                            lines=[InvoiceLine(C.ZERO, plan.terms or "", plan.feature_level or "")])
    ctx.site.invoices[invoice.token] = invoice
    rec.invoice_tokens.append(invoice.token)
    ctx.touch(rec)
    return xml_reply(200, ctx.subscriber_doc(rec), ctx.location(rec.customer_id))


def allow_free_trial(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    read_body(ctx.req.body)  # any well-formed body is tolerated; a malformed one is refused
    rec.eligible_for_free_trial = True
    ctx.touch(rec)
    return xml_reply(200, ctx.subscriber_doc(rec))


def stop_auto_renew(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    read_body(ctx.req.body)
    if rec.recurring:
        plan = ctx.site.plans.get(rec.plan_id) if rec.plan_id is not None else None
        record_transaction(ctx, rec, amount=C.ZERO, description="Stop Auto Renew", detail_type="StopAutoRenew",
                           terms=plan.terms if plan is not None else None, invoice_id=None, payment_method=None)
    rec.recurring = False
    ctx.touch(rec)
    if C.STOP_AUTO_RENEW_RETURNS_SUBSCRIBER:
        return xml_reply(200, ctx.subscriber_doc(rec))
    return Reply(200)


def change_plan(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    plan = ctx.plan(plan_id_from(ctx))
    rec.plan_id = plan.id
    rec.feature_level = plan.feature_level or ""
    ctx.touch(rec)
    return text_reply(200, C.TEXT_PLAN_CHANGED)


# ----------------------------------------------------------------------------- comps, credit, fees


def duration_errors(fields: Mapping[str, Element]) -> tuple[list[str], int, str]:
    errors: list[str] = []
    units = text_of(fields.get("duration-units")) or ""
    if units not in ("days", "months"):
        errors.append(C.TEXT_UNITS_INVALID)
    raw = text_of(fields.get("duration-quantity"))
    quantity = parse_int(raw)
    if not raw:
        errors += [C.TEXT_QUANTITY_BLANK, C.TEXT_QUANTITY_NAN]
    elif quantity is None:
        errors.append(C.TEXT_QUANTITY_NAN)
    elif quantity <= 0:
        errors.append(C.TEXT_QUANTITY_NOT_POSITIVE)
    return errors, quantity or 0, units


def complimentary_subscription(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    fields = children(root_named(ctx.req.body, "complimentary-subscription"))
    if rec.is_active(ctx.now):
        raise Refusal(403, C.TEXT_COMP_ACTIVE)
    errors, quantity, units = duration_errors(fields)
    feature_level = text_of(fields.get("feature-level"))
    if not feature_level:
        errors.append(C.TEXT_FEATURE_LEVEL_BLANK)
    if errors:
        raise Refusal(422, errors=errors)
    assert feature_level is not None
    rec.active_until = add_period(ctx.now, quantity, units)
    rec.grace_until = None
    rec.feature_level = feature_level
    rec.plan_id = None
    rec.on_trial = False
    rec.comped = True
    rec.recurring = False
    ctx.touch(rec)
    return xml_reply(201, ctx.subscriber_doc(rec), ctx.location(rec.customer_id))


def complimentary_time_extension(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    fields = children(root_named(ctx.req.body, "complimentary-time-extension"))
    if not rec.is_active(ctx.now):
        raise Refusal(403, C.TEXT_EXTENSION_INACTIVE)
    errors, quantity, units = duration_errors(fields)
    if errors:
        raise Refusal(422, errors=errors)
    if not rec.lifetime or rec.active_until is not None:
        rec.active_until = add_period(rec.active_until or ctx.now, quantity, units)
        if rec.grace_until is not None:
            rec.grace_until = rec.active_until + timedelta(days=C.GRACE_DAYS)
    ctx.touch(rec)
    return xml_reply(201, ctx.subscriber_doc(rec), ctx.location(rec.customer_id))


def lifetime_complimentary_subscription(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    fields = children(root_named(ctx.req.body, "lifetime-complimentary-subscription"))
    feature_level = text_of(fields.get("feature-level"))
    if not feature_level:
        raise Refusal(422, errors=[C.TEXT_FEATURE_LEVEL_BLANK])
    rec.lifetime = True
    rec.feature_level = feature_level
    rec.on_trial = False
    rec.comped = True
    rec.recurring = False
    ctx.touch(rec)
    return xml_reply(C.LIFETIME_COMP_STATUS, ctx.subscriber_doc(rec), ctx.location(rec.customer_id))


def add_credit(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    amount = parse_decimal(text_of(children(root_named(ctx.req.body, "credit")).get("amount")))
    if amount is None:
        raise Refusal(422, errors=[C.TEXT_AMOUNT_NAN])
    total = rec.store_credit + amount
    if total < 0:
        raise Refusal(422, errors=[C.TEXT_CREDIT_NEGATIVE])
    rec.store_credit = total
    ctx.touch(rec)
    return Reply(201)


def add_fee(ctx: Ctx, customer_id: str) -> Reply:
    rec = ctx.subscriber(customer_id)
    fields = children(root_named(ctx.req.body, "fee"))
    name = text_of(fields.get("name"))
    group = text_of(fields.get("group"))
    raw_amount = text_of(fields.get("amount"))
    amount = parse_decimal(raw_amount)
    errors: list[str] = []
    if not name:
        errors.append(C.TEXT_FEE_NAME_BLANK)
    if not group:
        errors.append(C.TEXT_FEE_GROUP_BLANK)
    if not raw_amount:
        errors.append(C.TEXT_FEE_AMOUNT_BLANK)
    elif amount is None:
        errors.append(C.TEXT_AMOUNT_NAN)
    if errors:
        raise Refusal(422, errors=errors)
    assert name is not None and group is not None and amount is not None
    if not rec.is_active(ctx.now):
        raise Refusal(422, C.TEXT_FEE_INACTIVE)
    allow_non_recurring = (text_of(fields.get("allow-non-recurring-subscriber")) or "").lower() == "true"
    if not rec.recurring and not allow_non_recurring:
        raise Refusal(422, C.TEXT_FEE_NOT_RECURRING)
    rec.fees.append(PendingFee(name=name, description=text_of(fields.get("description")), group=group,
                               amount=amount, created_at=ctx.now))
    ctx.touch(rec)
    return Reply(201)


# ----------------------------------------------------------------------------- invoices


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


def create_invoice(ctx: Ctx) -> Reply:
    root = root_named(ctx.req.body, "invoice")
    fields = children(root)
    plan_text = text_of(fields.get("subscription-plan-id"))
    sub_el = fields.get("subscriber")
    sub_fields = children(sub_el)
    customer_id = text_of(sub_fields.get("customer-id"))
    if not plan_text or sub_el is None or not customer_id:
        raise Refusal(422, C.TEXT_INVOICE_INVALID)
    check_writable(sub_fields, INVOICE_SUBSCRIBER_FIELDS)
    plan = ctx.plan(plan_text)
    if not plan.enabled:
        raise Refusal(403, C.TEXT_PLAN_DISABLED)
    if plan.is_free_trial:
        raise Refusal(403, C.TEXT_INVOICE_FREE_TRIAL_PLAN)
    rec = ctx.site.subscribers.get(customer_id) or new_subscriber(ctx, customer_id, sub_fields)
    assert plan.id is not None
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
    invoice = InvoiceRecord(id=ctx.site.take_invoice_id(), token=new_token(), customer_id=rec.customer_id,
                            plan_id=plan.id, created_at=ctx.now, updated_at=ctx.now, lines=lines,
                            store_credit_used=used, credit_left_over=left_over, setup_fee=setup_fee)
    ctx.site.invoices[invoice.token] = invoice
    rec.invoice_tokens.append(invoice.token)
    doc = render_invoice(ctx.site, invoice, ctx.now, with_subscriber=True).to_xml()
    return xml_reply(201, doc)


def card_from(ctx: Ctx, card_el: Element) -> tuple[CardOnFile, str, dict[str, str]]:
    """Validate card fields: the card, its number and the billing names/address, or a 422."""
    f = children(card_el)
    number = "".join(ch for ch in (text_of(f.get("number")) or "") if ch.isdigit())
    month = parse_int(text_of(f.get("month")))
    year = parse_int(text_of(f.get("year")))
    first = text_of(f.get("first-name"))
    last = text_of(f.get("last-name"))
    errors: list[str] = []
    if len(number) < 12:
        errors.append(C.TEXT_NUMBER_INVALID)
    if month is None or not 1 <= month <= 12:
        errors.append(C.TEXT_MONTH_INVALID)
    if year is None or year < 1000:
        errors.append(C.TEXT_YEAR_INVALID)
    elif month is not None and 1 <= month <= 12 and (year, month) < (ctx.now.year, ctx.now.month):
        errors.append(C.TEXT_YEAR_EXPIRED)
    if not first:
        errors.append(C.TEXT_FIRST_NAME_BLANK)
    if not last:
        errors.append(C.TEXT_LAST_NAME_BLANK)
    if errors:
        raise Refusal(422, errors=errors)
    assert month is not None and year is not None and first and last
    card_type = (text_of(f.get("card-type")) or "visa").replace("-", "_")
    names = {"billing_first_name": first, "billing_last_name": last}
    for tag, attr in (("address1", "billing_address1"), ("city", "billing_city"), ("state", "billing_state"),
                      ("zip", "billing_zip"), ("country", "billing_country"),
                      ("phone-number", "billing_phone_number")):
        value = text_of(f.get(tag))
        if value is not None:
            names[attr] = value
    return CardOnFile(card_type=card_type, last_four=number[-4:], month=month, year=year), number, names


def charge_card(ctx: Ctx, card_el: Element) -> tuple[CardOnFile, dict[str, str]]:
    """Validate and "authorise" a card with the test gateway's rules."""
    card, number, names = card_from(ctx, card_el)
    if number == C.GATEWAY_UNAVAILABLE_CARD:
        raise Refusal(403, C.TEXT_GATEWAY_UNAVAILABLE)
    if number != C.APPROVING_CARD:
        raise Refusal(403, C.TEXT_CARD_DECLINED)
    return card, names


def store_card(rec: SubscriberRecord, card: CardOnFile, names: Mapping[str, str]) -> None:
    rec.card = card
    for attr, value in names.items():
        setattr(rec, attr, value)


def pay_invoice(ctx: Ctx, token: str) -> Reply:
    invoice = ctx.site.invoices.get(token)
    if invoice is None:
        raise Refusal(404, C.TEXT_INVOICE_NOT_FOUND.format(token=token))
    if invoice.closed:
        raise Refusal(403, C.TEXT_INVOICE_CLOSED)
    fields = children(root_named(ctx.req.body, "payment"))
    account_type = text_of(fields.get("account-type")) or ("credit-card" if "credit-card" in fields else "")
    rec = ctx.subscriber(invoice.customer_id)
    names: dict[str, str] = {}
    if account_type == "on-file":
        if rec.card is None:
            raise Refusal(422, C.TEXT_NO_CARD_ON_FILE)
        card = rec.card
    elif account_type == "credit-card":
        card_el = fields.get("credit-card")
        if card_el is None or not len(card_el):
            raise Refusal(422, C.TEXT_NO_CARD)
        card, names = charge_card(ctx, card_el)
    else:
        raise Refusal(422, C.TEXT_NO_CARD)
    plan = ctx.site.plans[invoice.plan_id]
    quantity = plan.duration_quantity or 0
    store_card(rec, card, names)
    rec.plan_id = plan.id
    rec.feature_level = plan.feature_level or ""
    rec.on_trial = False
    rec.comped = False
    rec.on_gift = False
    rec.eligible_for_free_trial = False
    rec.recurring = bool(plan.needs_to_be_renewed)
    if quantity == 0:
        rec.lifetime = True
        rec.active_until = None
        rec.grace_until = None
    else:
        rec.lifetime = False
        rec.active_until = add_period(ctx.now, quantity, plan.duration_units or "months")
        rec.grace_until = rec.active_until + timedelta(days=C.GRACE_DAYS)
    rec.store_credit = max(rec.store_credit - invoice.store_credit_used, C.ZERO) + invoice.credit_left_over
    if invoice.setup_fee:
        rec.eligible_for_setup_fee = False
    invoice.closed = True
    invoice.updated_at = ctx.now
    invoice.gateway_reference = "SpreedlyGateway#purchase"
    record_transaction(ctx, rec, amount=invoice.amount, description="Subscription", detail_type="Subscription",
                       terms=plan.terms, invoice_id=invoice.id, payment_method=card.card_type)
    ctx.touch(rec)
    return xml_reply(200, render_invoice(ctx.site, invoice, ctx.now, with_subscriber=True).to_xml())


# ----------------------------------------------------------------------------- transactions


def record_transaction(ctx: Ctx, rec: SubscriberRecord, *, amount: Decimal, description: str, detail_type: str,
                       terms: Optional[str], invoice_id: Optional[int], payment_method: Optional[str]) -> None:
    ctx.site.transactions.append(TransactionRecord(
        id=ctx.site.take_transaction_id(), customer_id=rec.customer_id, created_at=ctx.now, amount=amount,
        description=description, detail_type=detail_type, terms=terms, start_time=ctx.now,
        expires_at=rec.active_until, invoice_id=invoice_id, payment_method=payment_method,
        recurring=bool(rec.recurring) if detail_type != "StopAutoRenew" else False,
        feature_level=rec.feature_level,
    ))


def list_transactions(ctx: Ctx) -> Reply:
    params = parse_qs(ctx.req.query)
    since_values = params.get("since_id")
    txs = ctx.site.transactions
    if since_values:
        since = parse_int(since_values[0].strip()) or 0
        page = [tx for tx in txs if tx.id > since][: C.PAGE_SIZE]
    else:
        page = txs[-C.PAGE_SIZE:]
    return xml_reply(200, Transaction.list_to_xml([render_transaction(tx) for tx in page]))


def list_plans(ctx: Ctx) -> Reply:
    if ctx.site.plans_document is None:
        ctx.site.plans_document = SubscriptionPlan.list_to_xml(list(ctx.site.plans.values()))
    return xml_reply(200, ctx.site.plans_document)


# ----------------------------------------------------------------------------- routing

SubscriberAction = Callable[[Ctx, str], Reply]

ACTIONS: dict[tuple[str, str], SubscriberAction] = {
    ("POST", "subscribe_to_free_trial"): subscribe_to_free_trial,
    ("POST", "allow_free_trial"): allow_free_trial,
    ("POST", "stop_auto_renew"): stop_auto_renew,
    ("POST", "complimentary_subscriptions"): complimentary_subscription,
    ("POST", "complimentary_time_extensions"): complimentary_time_extension,
    ("POST", "lifetime_complimentary_subscriptions"): lifetime_complimentary_subscription,
    ("POST", "credits"): add_credit,
    ("POST", "fees"): add_fee,
    ("PUT", "change_subscription_plan"): change_plan,
}
if C.ACCEPT_SINGULAR_TIME_EXTENSION_PATH:
    ACTIONS[("POST", "complimentary_time_extension")] = complimentary_time_extension


def authorised(req: Request, site: SiteState, site_segment: str) -> bool:
    header = req.header("authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user = decoded.partition(":")[0]
    return user == site.token and site_segment == site.site_name


def route_api(ctx: Ctx, rest: list[str]) -> Reply:
    method = ctx.req.method
    if len(rest) == 1:
        name = rest[0]
        if name == "subscription_plans" and method == "GET":
            return list_plans(ctx)
        if name == "subscribers":
            if method == "GET":
                return list_subscribers(ctx)
            if method == "POST":
                return create_subscriber(ctx)
            if method == "DELETE":
                return delete_all(ctx)
        if name == "transactions" and method == "GET":
            return list_transactions(ctx)
        if name == "invoices" and method == "POST":
            return create_invoice(ctx)
    elif len(rest) == 2 and rest[0] == "subscribers":
        if method == "GET":
            return get_subscriber(ctx, rest[1])
        if method == "PUT":
            return update_subscriber(ctx, rest[1])
        if method == "DELETE":
            return delete_subscriber(ctx, rest[1])
    elif len(rest) == 3 and rest[0] == "subscribers":
        action = ACTIONS.get((method, rest[2]))
        if action is not None:
            return action(ctx, rest[1])
    elif len(rest) == 3 and rest[0] == "invoices" and rest[2] == "pay" and method == "PUT":
        return pay_invoice(ctx, rest[1])
    raise Refusal(404, C.TEXT_NOT_FOUND)


def dispatch(site: SiteState, now: datetime, req: Request, changed: Callable[[Iterable[str]], None]) -> Reply:
    """Answer one request against the site's state (call it under the emulator's lock)."""
    raw = req.raw_path.split("?", 1)[0]
    parts = [p for p in raw.split("/")][1:]
    if len(parts) >= 3 and parts[0] == "api" and parts[1] == "v4":
        site_segment = unquote(parts[2])
        if not authorised(req, site, site_segment):
            return text_reply(401, C.TEXT_ACCESS_DENIED, {"WWW-Authenticate": f'Basic realm="{C.AUTH_REALM}"'})
        rest = parts[3:]
        if not rest or not rest[-1].endswith(".xml"):
            return text_reply(404, C.TEXT_NOT_FOUND)
        rest[-1] = rest[-1][: -len(".xml")]
        ctx = Ctx(site=site, now=now, req=req, changed=changed)
        try:
            return route_api(ctx, [unquote(p) for p in rest])
        except Refusal as exc:
            return refusal_reply(exc)
    if req.method in ("GET", "POST"):
        from ._hosted import serve_hosted  # the hosted pages with their forms; late import (it imports this module)

        hosted = serve_hosted(site, now, req, changed)
        if hosted is not None:
            return hosted
    return text_reply(404, C.TEXT_NOT_FOUND)
