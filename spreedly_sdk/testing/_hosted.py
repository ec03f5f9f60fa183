"""The hosted pages as the service served them: HTML forms at the URLs the SDK builds.

The flow, for the subscribe page (``/{site}/subscribers/{customer_id}[/{token}]/subscribe/
{plan_id}[/{screen_name}]``) and the account / change-payment pages
(``/{site}/subscriber_accounts/{token}[/change_payment]``), follows the service (see
docs/service/hosted-pages.md, "The subscribe flow"; for users, docs/hosted-pages.md):

1. ``GET`` shows a first page whose first form, submitted as it is, leads to
2. the payment page: a form with the service's field names (:data:`CARD_FIELDS`,
   ``subscriber[email]``; the emulator's older names are accepted too);
3. an approved payment shows a receipt titled ``Thank you!`` with a Continue link to the return
   URL (``?return_url=`` or the plan's); any failure shows the payment form again, status 200,
   with the message.

Every change goes through the API handlers (bodies written with the SDK's request models), so
invoices, transactions and the subscribers-changed notification follow as for API calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Optional
from urllib.parse import parse_qsl, quote, urlencode

from lxml import html

from .._xml import displayable_xml_text
from ..models import (
    CreditCard,
    InvoiceCreate,
    InvoiceSubscriber,
    OnFilePayment,
    Payment,
    PaymentMethod,
    PlanReference,
    RailsModel,
    SubscriberUpdate,
    SubscriptionPlan,
)
from . import _choices as C
from ._paths import Route, find_route, split_path
from ._state import SiteState, SubscriberRecord
from ._wire import Fields, Refusal, Reply, Request
from .handlers._cards import card_from
from .handlers._context import Ctx
from .handlers.invoices import create_invoice, pay_invoice
from .handlers.subscribers import new_subscriber, stop_auto_renew, subscribe_to_free_trial, update_subscriber

__all__ = ["CARD_FIELDS", "EMAIL_FIELD", "HOSTED_ROUTES", "serve_hosted"]

MAX_FORM_BYTES = 16 * 1024
MAX_FORM_FIELDS = 50

CARD_FIELDS: Mapping[str, str] = {
    "first_name": "credit_card[first_name]", "last_name": "credit_card[last_name]",
    "number": "credit_card[number]", "card_type": "credit_card[card_type]",
    "verification_value": "credit_card[verification_value]", "month": "credit_card[month]",
    "year": "credit_card[year]",
}
"""The payment form's inputs by :class:`~spreedly_sdk.models.CreditCard` field: the service's names."""
EMAIL_FIELD = "subscriber[email]"
OLD_NAMES: Mapping[str, str] = {"card_number": CARD_FIELDS["number"], "email": EMAIL_FIELD,
                                **{name: CARD_FIELDS[name] for name in CARD_FIELDS if name != "number"}}
"""The names the emulator's own form used before (still accepted from scripts written for it)."""
STEP = "step"
STEP_DETAILS = "details"
"""The first page's form sends ``step=details``: "show me the payment form"."""
STEP_PAYMENT = "payment"
"""The payment form sends ``step=payment``: "pay (or start the trial) with these details"."""
THANK_YOU = "Thank you!"


def serve_hosted(site: SiteState, now: datetime, req: Request,
                 changed: Callable[[Iterable[str]], None]) -> Optional[Reply]:
    """Answer a hosted-page request, or ``None`` when the path is not one of them."""
    found = find_route(HOSTED_ROUTES, req.method, split_path(req.raw_path))
    if found is None:
        return None
    route, params = found
    if params.pop("site") != site.site_name:
        return None
    ctx = Ctx(site=site, now=now, req=req, changed=changed)
    if not all(_storable(value) for value in params.values()):  # no such subscriber or plan can exist
        return _page("Not found", [_html("p", "No such page.")], 404)
    try:
        return route.handler(ctx, **params)
    except Refusal as exc:
        return _page("Unavailable", [_html("p", exc.text or "")], exc.status)


# ----------------------------------------------------------------------------- plumbing


def _storable(value: str) -> bool:
    """Whether an XML document can carry ``value`` (what the pages store must be writable later)."""
    return displayable_xml_text(value) == value


def _pairs(text: str, *, rename: bool = True) -> dict[str, str]:
    """Form (``rename``: old names to the service's) or query fields (the first of a repeated name
    wins); values kept as typed."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise Refusal(200, C.TEXT_FORM_UNREADABLE) from None
    out: dict[str, str] = {}
    for key, value in pairs:
        out.setdefault(OLD_NAMES.get(key, key) if rename else key, value)
    return out


def _query(req: Request) -> dict[str, str]:
    try:
        return _pairs(req.query, rename=False)
    except Refusal:
        return {}


def _form(req: Request) -> dict[str, str]:
    """The posted form; one that cannot be read, or carries characters no document can, is refused."""
    if len(req.body) > MAX_FORM_BYTES:
        raise Refusal(200, C.TEXT_FORM_UNREADABLE)
    try:
        form = _pairs(req.body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refusal(200, C.TEXT_FORM_UNREADABLE) from None
    if not all(_storable(value) for value in form.values()):
        raise Refusal(200, C.TEXT_FORM_UNREADABLE)
    return form


def _body(model: RailsModel) -> bytes:
    """The request document for an API handler. Models are made with ``model_construct`` where they
    carry what the customer typed: the handler judges those texts exactly as it judges an API call's."""
    return model.to_xml(exclude_unset=True)


def _call(ctx: Ctx, handler: Callable[[Ctx], Reply], body: bytes) -> Reply:
    """Run an API handler on a request carrying ``body`` (the same rules as the API)."""
    inner = Request(method="POST", raw_path=ctx.req.raw_path, query="", headers={}, body=body,
                    origin=ctx.req.origin)
    return handler(Ctx(site=ctx.site, now=ctx.now, req=inner, changed=ctx.changed))


def _html(tag: str, *children: str | html.HtmlElement, **attrs: str) -> html.HtmlElement:
    """An HTML element built with lxml: text and attribute values are escaped by the serializer.

    ``children`` are elements or text; attribute names ending in ``_`` lose it (``for_``).
    Characters no HTML document can carry (from a query string, say) are shown as U+FFFD.
    """
    el = html.Element(tag, {k.rstrip("_"): displayable_xml_text(v) for k, v in attrs.items()})
    for child in children:
        if isinstance(child, str):
            text = displayable_xml_text(child)
            if len(el):
                el[-1].tail = (el[-1].tail or "") + text
            else:
                el.text = (el.text or "") + text
        else:
            el.append(child)
    return el


def _page(title: str, body: Iterable[html.HtmlElement], status: int = 200) -> Reply:
    head = _html("head", html.Element("meta", charset="utf-8"), _html("title", title))
    page = _html("html", head, _html("body", _html("h1", title), *body), lang="en")
    text = b"<!DOCTYPE html>\n" + html.tostring(page, encoding="utf-8") + b"\n"
    return Reply(status, text, {"Content-Type": C.HTML_CONTENT_TYPE, "Cache-Control": "no-store"})


def _id(name: str) -> str:
    """The element id Rails' form helpers gave an input: ``credit_card[number]`` → ``credit_card_number``."""
    return name.replace("[", "_").replace("]", "")


def _errors_html(errors: Iterable[str]) -> list[html.HtmlElement]:
    items = [_html("li", e) for e in errors]
    return [_html("ul", *items, class_="errors", role="alert", id="errors")] if items else []


def _input(name: str, label: str, value: str = "", kind: str = "text", *, required: bool = True) -> html.HtmlElement:
    field = _html("input", id=_id(name), name=name, type=kind, value=value)
    if required:
        field.set("required", "required")
    return _html("p", _html("label", label, for_=_id(name)), " ", field)


def _hidden(name: str, value: str) -> html.HtmlElement:
    return _html("input", type="hidden", name=name, value=value)


def _button(text: str, button_id: str) -> html.HtmlElement:
    return _html("p", _html("input", type="submit", value=text, id=button_id, name="commit"))


_CARD_TYPES = (("visa", "Visa"), ("master", "MasterCard"), ("american_express", "American Express"),
               ("discover", "Discover"))


def _card_inputs(prefill: Mapping[str, str], *, required: bool = True) -> list[html.HtmlElement]:
    chosen = prefill.get(CARD_FIELDS["card_type"], "visa")
    options = [_html("option", name, value=value, **({"selected": "selected"} if value == chosen else {}))
               for value, name in _CARD_TYPES]
    card_type = CARD_FIELDS["card_type"]
    return [
        _input(CARD_FIELDS["first_name"], "First name", prefill.get(CARD_FIELDS["first_name"], ""),
               required=required),
        _input(CARD_FIELDS["last_name"], "Last name", prefill.get(CARD_FIELDS["last_name"], ""), required=required),
        _input(CARD_FIELDS["number"], "Card number", "", required=required),
        _html("p", _html("label", "Card type", for_=_id(card_type)), " ",
              _html("select", *options, id=_id(card_type), name=card_type)),
        _input(CARD_FIELDS["verification_value"], "Security code", "", required=required),
        _input(CARD_FIELDS["month"], "Expiry month", prefill.get(CARD_FIELDS["month"], ""), "number",
               required=required),
        _input(CARD_FIELDS["year"], "Expiry year", prefill.get(CARD_FIELDS["year"], ""), "number",
               required=required),
    ]


def _card(form: Mapping[str, str]) -> Fields:
    """The card as typed, under :class:`~spreedly_sdk.models.CreditCard`'s field names."""
    return Fields({field: form[name] for field, name in CARD_FIELDS.items() if name in form})


def _action(ctx: Ctx, path: Optional[str] = None) -> str:
    """The URL a form posts to: ``path`` (default: this page) with this page's query."""
    target = path if path is not None else ctx.req.raw_path
    return target + (f"?{ctx.req.query}" if ctx.req.query else "")


def _receipt(return_url: str, lines: Iterable[str]) -> Reply:
    """The ``Thank you!`` page with its Continue link (never a redirect)."""
    body = [_html("p", line) for line in lines]
    body.append(_html("p", _html("a", "Continue", href=return_url, id="continue")))
    return _page(THANK_YOU, body)


def _wants_payment_form(form: Mapping[str, str]) -> bool:
    """The first page's form (``step=details``, or no step and nothing card-like): show the payment form.

    The payment form itself sends ``step=payment``; a script posting card fields directly is paying too.
    """
    if form.get(STEP) == STEP_DETAILS:
        return True
    return form.get(STEP) != STEP_PAYMENT and not any(name in form for name in CARD_FIELDS.values())


# ----------------------------------------------------------------------------- subscribe pages


def _find_plan(ctx: Ctx, plan_text: str) -> SubscriptionPlan:
    plan = ctx.plan(plan_text)
    if not plan.enabled:
        raise Refusal(403, C.TEXT_PLAN_DISABLED)
    return plan


def _price(plan: SubscriptionPlan) -> str:
    if plan.needs_to_be_renewed:
        return f"{plan.amount} {plan.currency_code} every {plan.terms}"
    return f"{plan.amount} {plan.currency_code}, {plan.terms}"


def subscribe_page(ctx: Ctx, customer_id: str, plan_id: str, token: Optional[str] = None,
                   screen_name: Optional[str] = None) -> Reply:
    """``GET``: the plan and a Continue form; ``POST``: the payment form, or the purchase."""
    plan = _find_plan(ctx, plan_id)
    rec = ctx.site.subscribers.get(customer_id)
    if token is not None and (rec is None or rec.token != token):
        raise Refusal(404, C.TEXT_SUBSCRIBER_NOT_FOUND.format(id=customer_id))
    query = _query(ctx.req)
    prefill = {EMAIL_FIELD: query.get("email", ""), CARD_FIELDS["first_name"]: query.get("first_name", ""),
               CARD_FIELDS["last_name"]: query.get("last_name", "")}
    if token is not None and rec is not None:
        prefill = {EMAIL_FIELD: rec.email or "", CARD_FIELDS["first_name"]: rec.billing_first_name or "",
                   CARD_FIELDS["last_name"]: rec.billing_last_name or ""}
    if ctx.req.method == "GET":
        form = _html("form", _hidden(STEP, STEP_DETAILS), _button("Continue", "continue"),
                     method="post", action=_action(ctx), id="subscribe")
        summary = _html("p", f"{plan.name or ''}: {_price(plan)}", class_="plan")
        return _page(f"Subscribe to {plan.name}", [summary, _html("p", plan.description or ""), form])
    form_values: dict[str, str] = {}
    try:
        form_values = _form(ctx.req)
        if _wants_payment_form(form_values):
            return _payment_form(ctx, plan, rec, token is not None, prefill, [])
        return _purchase(ctx, customer_id, token is not None, plan, form_values, screen_name, query)
    except Refusal as exc:
        kept = {**prefill, **{k: v for k, v in form_values.items() if k not in
                              (CARD_FIELDS["number"], CARD_FIELDS["verification_value"])}}
        return _payment_form(ctx, plan, ctx.site.subscribers.get(customer_id), token is not None, kept,
                             exc.messages)


def _payment_form(ctx: Ctx, plan: SubscriptionPlan, rec: Optional[SubscriberRecord], with_token: bool,
                  prefill: Mapping[str, str], errors: list[str]) -> Reply:
    fields = [_hidden(STEP, STEP_PAYMENT), _input(EMAIL_FIELD, "Email", prefill.get(EMAIL_FIELD, ""), "email",
                                               required=False)]
    if plan.is_free_trial:
        button = "Start free trial"
    else:
        button = "Subscribe"
        on_file = with_token and rec is not None and rec.card is not None
        if on_file and rec is not None and rec.card is not None:
            checkbox = _html("input", type="checkbox", name="use_card_on_file", value="1", id="use_card_on_file")
            fields.append(_html("p", _html("label", checkbox, f" Use {rec.card.display}")))
        fields += _card_inputs(prefill, required=not on_file)
    form = _html("form", *fields, _button(button, "submit"), method="post", action=_action(ctx), id="payment")
    body = [_html("p", f"{plan.name or ''}: {_price(plan)}", class_="plan"), *_errors_html(errors), form]
    return _page(f"Subscribe to {plan.name}", body)


def _purchase(ctx: Ctx, customer_id: str, with_token: bool, plan: SubscriptionPlan, form: Mapping[str, str],
              screen_name: Optional[str], query: Mapping[str, str]) -> Reply:
    return_url = query.get("return_url") or plan.return_url or "/"
    email = form.get(EMAIL_FIELD) or None
    rec = ctx.site.subscribers.get(customer_id)
    contact: dict[str, Any] = {k: v for k, v in (("screen_name", screen_name), ("email", email)) if v is not None}
    assert plan.id is not None
    if plan.is_free_trial:
        if rec is None:
            rec = new_subscriber(ctx, customer_id, Fields(contact))
        _call(ctx, lambda c: subscribe_to_free_trial(c, customer_id), _body(PlanReference(id=plan.id)))
        if email is not None:
            rec.email = email
        return _receipt(return_url, [f"Your free trial of {plan.name} has started."])
    on_file = with_token and form.get("use_card_on_file") == "1" and rec is not None and rec.card is not None
    card = _card(form)
    if not on_file:
        card_from(ctx, card)  # refuse invalid card data before anything changes
    _call(ctx, create_invoice, _body(InvoiceCreate.model_construct(
        subscription_plan_id=plan.id, subscriber=InvoiceSubscriber.model_construct(customer_id=customer_id,
                                                                                  **contact))))
    rec = ctx.site.subscribers[customer_id]
    if email is not None:
        rec.email = email
    invoice_token = rec.invoice_tokens[-1]
    payment = OnFilePayment().to_payment() if on_file else Payment.model_construct(
        account_type="credit-card", credit_card=CreditCard.model_construct(**card.values))
    _call(ctx, lambda c: pay_invoice(c, invoice_token), _body(payment))
    rec.renewal_invoice = None
    return _receipt(return_url, [f"You are now subscribed to {plan.name} ({_price(plan)})."])


# ----------------------------------------------------------------------------- account pages


def _account_of(ctx: Ctx, token: str) -> SubscriberRecord:
    rec = next((r for r in ctx.site.subscribers.values() if r.token == token), None)
    if rec is None:
        raise Refusal(404, "No such subscriber account.")
    return rec


def _account_base(ctx: Ctx, token: str) -> str:
    return f"/{quote(ctx.site.site_name, safe='')}/subscriber_accounts/{quote(token, safe='')}"


def _return_url(ctx: Ctx, token: str) -> str:
    query = _query(ctx.req)
    back = _account_base(ctx, token)
    if query.get("return_url"):
        back += "?" + urlencode({"return_url": query["return_url"]})
    return query.get("return_url") or back


def account_page(ctx: Ctx, token: str) -> Reply:
    """The account page: the subscription, then "Update payment information" (first form) and
    "Stop auto renew"."""
    rec = _account_of(ctx, token)
    if ctx.req.method == "POST":
        return change_payment(ctx, token)
    return _account_summary(ctx, rec, token)


def _account_summary(ctx: Ctx, rec: SubscriberRecord, token: str) -> Reply:
    plan = ctx.site.plans.get(rec.plan_id) if rec.plan_id is not None else None
    active = rec.is_active(ctx.now)
    until = rec.active_until.strftime("%Y-%m-%d %H:%M UTC") if rec.active_until is not None else "never"
    base = _account_base(ctx, token)
    rows = [("Customer", rec.screen_name or rec.customer_id), ("Plan", (plan.name or "") if plan else "none"),
            ("Status", "active" if active else "inactive"), ("Active until", until),
            ("Auto renew", "on" if rec.recurring else "off"),
            ("Card", rec.card.display if rec.card is not None else "none")]
    if rec.renewal_invoice is not None:
        rows.append(("Payment", "the last renewal failed: update your card"))
    table = _html("table", *(_html("tr", _html("th", k), _html("td", v)) for k, v in rows), id="subscription")
    body = [table, _html("form", _hidden(STEP, STEP_DETAILS), _button("Update payment information", "continue"),
                         method="post", action=_action(ctx, f"{base}/change_payment"), id="change_payment")]
    if rec.recurring:
        body.append(_html("form", _button("Stop auto renew", "stop_auto_renew"),
                          method="post", action=_action(ctx, f"{base}/stop_auto_renew"), id="stop"))
    return_url = _query(ctx.req).get("return_url")
    if return_url and return_url.lower().startswith(("http://", "https://")):
        body.append(_html("p", _html("a", "Back to the application", href=return_url, id="return")))
    return _page("Your subscription", body)


def _card_form(ctx: Ctx, token: str, prefill: Mapping[str, str], errors: list[str]) -> Reply:
    form = _html("form", _hidden(STEP, STEP_PAYMENT), *_card_inputs(prefill), _button("Save card", "submit"),
                 method="post", action=_action(ctx, f"{_account_base(ctx, token)}/change_payment"), id="payment")
    return _page("Update payment information", [*_errors_html(errors), form])


def change_payment(ctx: Ctx, token: str) -> Reply:
    """``GET``: the account summary (its first form leads on); ``POST``: the card form, or the new card
    (which also pays a renewal left open by a declined card)."""
    rec = _account_of(ctx, token)
    if ctx.req.method == "GET":
        return _account_summary(ctx, rec, token)
    form: dict[str, str] = {}
    try:
        form = _form(ctx.req)
        if _wants_payment_form(form):
            return _card_form(ctx, token, {}, [])
        update = SubscriberUpdate.model_construct(payment_method=PaymentMethod.model_construct(
            credit_card=CreditCard.model_construct(**_card(form).values)))
        _call(ctx, lambda c: update_subscriber(c, rec.customer_id), _body(update))
        open_invoice = rec.renewal_invoice
        if open_invoice is not None and open_invoice in ctx.site.invoices \
                and not ctx.site.invoices[open_invoice].closed:
            _call(ctx, lambda c: pay_invoice(c, open_invoice), _body(OnFilePayment().to_payment()))
            rec.renewal_invoice = None
    except Refusal as exc:
        kept = {k: v for k, v in form.items() if k not in (CARD_FIELDS["number"], CARD_FIELDS["verification_value"])}
        return _card_form(ctx, token, kept, exc.messages)
    assert rec.card is not None
    return _receipt(_return_url(ctx, token), [f"Your payment information was updated: {rec.card.display}."])


def stop_auto_renew_page(ctx: Ctx, token: str) -> Reply:
    rec = _account_of(ctx, token)
    _call(ctx, lambda c: stop_auto_renew(c, rec.customer_id), b"")
    return _receipt(_return_url(ctx, token), ["Your subscription will not renew automatically."])


def _both(pattern: str, handler: Callable[..., Reply]) -> tuple[Route, Route]:
    return Route("GET", pattern, handler), Route("POST", pattern, handler)


HOSTED_ROUTES: tuple[Route, ...] = (
    *_both("{site}/subscribers/{customer_id}/subscribe/{plan_id}", subscribe_page),
    *_both("{site}/subscribers/{customer_id}/subscribe/{plan_id}/{screen_name}", subscribe_page),
    *_both("{site}/subscribers/{customer_id}/{token}/subscribe/{plan_id}", subscribe_page),
    *_both("{site}/subscribers/{customer_id}/{token}/subscribe/{plan_id}/{screen_name}", subscribe_page),
    *_both("{site}/subscriber_accounts/{token}", account_page),
    *_both("{site}/subscriber_accounts/{token}/change_payment", change_payment),
    Route("POST", "{site}/subscriber_accounts/{token}/stop_auto_renew", stop_auto_renew_page),
)
"""The hosted pages: method and path (from the host root) → page handler."""
