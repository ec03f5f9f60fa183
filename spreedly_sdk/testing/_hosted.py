"""The hosted pages (REFERENCE §4) as real HTML forms, at the URLs the SDK builds.

* ``GET /{site}/subscribers/{customer_id}[/{token}]/subscribe/{plan_id}[/{screen_name}]`` — the
  subscribe page: a card form (pre-filled from ``?email=&first_name=&last_name=``, or from the
  subscriber's saved details with the token form, which also offers the card on file).
  ``POST`` to the same URL buys the plan: the subscriber is created if needed, an invoice is
  opened and paid exactly as ``POST invoices.xml`` + ``PUT invoices/{token}/pay.xml`` would,
  and the answer is ``303 See Other`` to ``?return_url=`` or the plan's return URL.
* ``GET /{site}/subscriber_accounts/{token}[?return_url=]`` — the account page: the
  subscription, a "Stop auto renew" button (``POST .../stop_auto_renew``) and a card form
  (``POST .../change_payment``, which also pays a renewal left open by a declined card);
  ``GET .../change_payment`` (the change-payment link) shows the same page.

Every change goes through the API handlers, so transactions and the subscribers-changed
notification follow. Choices are listed in :mod:`._lifecycle`'s docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Optional
from urllib.parse import parse_qs, quote, unquote, urlencode

from lxml import etree, html

from .._xml import displayable_xml_text
from ..models import CreditCard, SubscriberCreate, SubscriptionPlan
from . import _choices as C
from ._state import SiteState, SubscriberRecord
from ._wire import Refusal, Reply, Request, fields_of, read_fields
from .handlers._cards import card_from
from .handlers._context import Ctx
from .handlers.invoices import create_invoice, pay_invoice
from .handlers.subscribers import new_subscriber, stop_auto_renew, subscribe_to_free_trial, update_subscriber

__all__ = ["serve_hosted"]

MAX_FORM_BYTES = 16 * 1024
CARD_FIELDS = ("first_name", "last_name", "card_number", "card_type", "verification_value", "month", "year")


def serve_hosted(site: SiteState, now: datetime, req: Request,
                 changed: Callable[[Iterable[str]], None]) -> Optional[Reply]:
    """Answer a hosted-page request, or ``None`` when the path is not one of them."""
    segments = [unquote(p) for p in req.raw_path.split("?", 1)[0].split("/") if p]
    if len(segments) < 3 or segments[0] != site.site_name or req.method not in ("GET", "POST"):
        return None
    ctx = Ctx(site=site, now=now, req=req, changed=changed)
    try:
        return _route(ctx, segments)
    except Refusal as exc:
        return _page("Error", [_html("p", exc.text or "")], exc.status)


def _route(ctx: Ctx, segments: list[str]) -> Optional[Reply]:
    if segments[1] == "subscribers":
        rest = segments[2:]
        if len(rest) >= 3 and rest[1] == "subscribe" and len(rest) <= 4:
            return _subscribe(ctx, rest[0], None, rest[2], screen_name=rest[3] if len(rest) == 4 else None)
        if len(rest) >= 4 and rest[2] == "subscribe" and len(rest) <= 5:
            return _subscribe(ctx, rest[0], rest[1], rest[3], screen_name=rest[4] if len(rest) == 5 else None)
        return None
    if segments[1] == "subscriber_accounts" and len(segments) in (3, 4):
        action = segments[3] if len(segments) == 4 else None
        return _account(ctx, segments[2], action)
    return None


# ----------------------------------------------------------------------------- plumbing


def _query(req: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(req.query, max_num_fields=20).items()}


def _form(req: Request) -> dict[str, str]:
    if len(req.body) > MAX_FORM_BYTES:
        raise Refusal(413, "Form too large")
    try:
        text = req.body.decode("utf-8")
        return {k: v[0].strip() for k, v in parse_qs(text, max_num_fields=50).items()}
    except (UnicodeDecodeError, ValueError):
        raise Refusal(400, "Malformed form") from None


def _call(ctx: Ctx, handler: Callable[[Ctx], Reply], body: str) -> Reply:
    """Run an API handler on a synthetic request carrying ``body``."""
    inner = Request(method="POST", raw_path=ctx.req.raw_path, query="", headers={}, body=body.encode("utf-8"),
                    origin=ctx.req.origin)
    return handler(Ctx(site=ctx.site, now=ctx.now, req=inner, changed=ctx.changed))


def _el(tag: str, *children: etree._Element, text: str | None = None) -> etree._Element:
    """An element built with lxml (never string formatting), refusing text XML cannot carry."""
    el = etree.Element(tag)
    if text is not None:
        try:
            el.text = text
        except ValueError:
            raise Refusal(422, "The form contains characters that cannot be accepted.") from None
    el.extend(children)
    return el


def _xml(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode")


def _contact(screen_name: Optional[str], email: Optional[str]) -> list[etree._Element]:
    """The ``<screen-name>`` and ``<email>`` children given on a form."""
    return [_el(tag, text=value) for tag, value in (("screen-name", screen_name), ("email", email)) if value]


def _card(form: Mapping[str, str]) -> etree._Element:
    values = {
        "number": form.get("card_number", ""), "card-type": form.get("card_type", "visa") or "visa",
        "verification-value": form.get("verification_value", ""), "month": form.get("month", ""),
        "year": form.get("year", ""), "first-name": form.get("first_name", ""),
        "last-name": form.get("last_name", ""),
    }
    return _el("credit-card", *(_el(tag, text=value) for tag, value in values.items()))


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


def _redirect(location: str) -> Reply:
    return Reply(303, b"", {"Location": location})


def _errors_html(errors: Iterable[str]) -> list[html.HtmlElement]:
    items = [_html("li", e) for e in errors]
    return [_html("ul", *items, class_="errors", role="alert")] if items else []


def _input(name: str, label: str, value: str = "", kind: str = "text", *, required: bool = True) -> html.HtmlElement:
    field = _html("input", id=name, name=name, type=kind, value=value)
    if required:
        field.set("required", "required")
    return _html("p", _html("label", label, for_=name), " ", field)


_CARD_TYPES = (("visa", "Visa"), ("master", "MasterCard"), ("american_express", "American Express"),
               ("discover", "Discover"))


def _card_inputs(prefill: Mapping[str, str], *, required: bool = True) -> list[html.HtmlElement]:
    options = [_html("option", name, value=value) for value, name in _CARD_TYPES]
    return [
        _input("first_name", "First name", prefill.get("first_name", ""), required=required),
        _input("last_name", "Last name", prefill.get("last_name", ""), required=required),
        _input("card_number", "Card number", "", "text", required=required),
        _html("p", _html("label", "Card type", for_="card_type"), " ",
              _html("select", *options, id="card_type", name="card_type")),
        _input("verification_value", "Security code", "", "text", required=required),
        _input("month", "Expiry month", "", "number", required=required),
        _input("year", "Expiry year", "", "number", required=required),
    ]


# ----------------------------------------------------------------------------- subscribe page


def _find_plan(ctx: Ctx, plan_text: str) -> SubscriptionPlan:
    try:
        plan = ctx.site.plans.get(int(plan_text))
    except ValueError:
        plan = None
    if plan is None:
        raise Refusal(404, C.TEXT_PLAN_NOT_FOUND.format(id=plan_text))
    if not plan.enabled:
        raise Refusal(403, C.TEXT_PLAN_DISABLED)
    return plan


def _subscribe(ctx: Ctx, customer_id: str, token: Optional[str], plan_text: str, *,
               screen_name: Optional[str] = None) -> Reply:
    try:
        plan = _find_plan(ctx, plan_text)
        rec = ctx.site.subscribers.get(customer_id)
        if token is not None and (rec is None or rec.token != token):
            raise Refusal(404, C.TEXT_SUBSCRIBER_NOT_FOUND.format(id=customer_id))
    except Refusal as exc:
        return _page("Unavailable", [_html("p", exc.text or "")], exc.status)
    query = _query(ctx.req)
    prefill = {"email": query.get("email", ""), "first_name": query.get("first_name", ""),
               "last_name": query.get("last_name", "")}
    if token is not None and rec is not None:
        prefill = {"email": rec.email or "", "first_name": rec.billing_first_name or "",
                   "last_name": rec.billing_last_name or ""}
    if ctx.req.method == "POST":
        form: dict[str, str] = {}
        try:
            form = _form(ctx.req)
            return _purchase(ctx, customer_id, token is not None, plan, form, screen_name, query)
        except Refusal as exc:
            errors = exc.errors if exc.errors is not None else [exc.text or ""]
            status = 402 if exc.status == 403 and exc.text in (C.TEXT_CARD_DECLINED, C.TEXT_GATEWAY_UNAVAILABLE) \
                else exc.status
            prefill = {**prefill, **{k: v for k, v in form.items() if k in prefill}}
            return _subscribe_form(ctx, plan, rec, token is not None, prefill, errors, status)
    return _subscribe_form(ctx, plan, rec, token is not None, prefill, [], 200)


def _subscribe_form(ctx: Ctx, plan: SubscriptionPlan, rec: Optional[SubscriberRecord], with_token: bool,
                    prefill: Mapping[str, str], errors: list[str], status: int) -> Reply:
    action = ctx.req.raw_path + (f"?{ctx.req.query}" if ctx.req.query else "")
    price = f"{plan.amount} {plan.currency_code} every {plan.terms}" if plan.needs_to_be_renewed \
        else f"{plan.amount} {plan.currency_code}, {plan.terms}"
    fields = [_input("email", "Email", prefill.get("email", ""), "email", required=False)]
    if plan.is_free_trial:
        button = "Start free trial"
    else:
        button = "Subscribe"
        on_file = with_token and rec is not None and rec.card is not None
        if on_file and rec is not None and rec.card is not None:
            checkbox = _html("input", type="checkbox", name="use_card_on_file", value="1", id="use_card_on_file")
            fields.append(_html("p", _html("label", checkbox, f" Use {rec.card.display}")))
        fields += _card_inputs(prefill, required=not on_file)
    form = _html("form", *fields, _html("p", _html("button", button, type="submit", id="submit")),
                 method="post", action=action, id="subscribe")
    body = [_html("p", f"{plan.name or ''}: {price}", class_="plan"), *_errors_html(errors), form]
    return _page(f"Subscribe to {plan.name}", body, status)


def _purchase(ctx: Ctx, customer_id: str, with_token: bool, plan: SubscriptionPlan, form: Mapping[str, str],
              screen_name: Optional[str], query: Mapping[str, str]) -> Reply:
    return_url = query.get("return_url") or plan.return_url or "/"
    email = form.get("email") or None
    rec = ctx.site.subscribers.get(customer_id)
    if plan.is_free_trial:
        if rec is None:
            rec = _create(ctx, customer_id, screen_name, email)
        _call(ctx, lambda c: subscribe_to_free_trial(c, customer_id),
              _xml(_el("subscription-plan", _el("id", text=str(plan.id)))))
        return _redirect(return_url)
    on_file = with_token and form.get("use_card_on_file") == "1" and rec is not None and rec.card is not None
    if not on_file:
        card_from(ctx, fields_of(CreditCard, _card(form)))  # refuse invalid card data before anything changes
    subscriber = _el("subscriber", _el("customer-id", text=customer_id), *_contact(screen_name, email))
    _call(ctx, create_invoice,
          _xml(_el("invoice", _el("subscription-plan-id", text=str(plan.id)), subscriber)))
    rec = ctx.site.subscribers[customer_id]
    if email:
        rec.email = email
    invoice_token = rec.invoice_tokens[-1]
    payment = (_el("payment", _el("account-type", text="on-file")) if on_file else
               _el("payment", _el("account-type", text="credit-card"), _card(form)))
    _call(ctx, lambda c: pay_invoice(c, invoice_token), _xml(payment))
    rec.renewal_invoice = None
    return _redirect(return_url)


def _create(ctx: Ctx, customer_id: str, screen_name: Optional[str], email: Optional[str]) -> SubscriberRecord:
    body = _el("subscriber", *_contact(screen_name, email))
    return new_subscriber(ctx, customer_id, read_fields(_xml(body).encode(), SubscriberCreate))


# ----------------------------------------------------------------------------- account page


def _account(ctx: Ctx, token: str, action: Optional[str]) -> Reply:
    rec = next((r for r in ctx.site.subscribers.values() if r.token == token), None)
    if rec is None or (action is not None and action not in ("stop_auto_renew", "change_payment")):
        return _page("Not found", [_html("p", "No such subscriber account.")], 404)
    query = _query(ctx.req)
    back = f"/{quote(ctx.site.site_name)}/subscriber_accounts/{quote(token)}"
    if query.get("return_url"):
        back += "?" + urlencode({"return_url": query["return_url"]})
    if ctx.req.method == "POST" and action == "stop_auto_renew":
        _call(ctx, lambda c: stop_auto_renew(c, rec.customer_id), "")
        return _redirect(query.get("return_url") or back)
    if ctx.req.method == "POST" and action == "change_payment":
        form = _form(ctx.req)
        try:
            _call(ctx, lambda c: update_subscriber(c, rec.customer_id),
                  _xml(_el("subscriber", _el("payment-method", _card(form)))))
            open_invoice = rec.renewal_invoice
            if open_invoice is not None and open_invoice in ctx.site.invoices \
                    and not ctx.site.invoices[open_invoice].closed:
                _call(ctx, lambda c: pay_invoice(c, open_invoice),
                      _xml(_el("payment", _el("account-type", text="on-file"))))
                rec.renewal_invoice = None
        except Refusal as exc:
            return _account_page(ctx, rec, back, exc.errors if exc.errors is not None else [exc.text or ""], 422)
        return _redirect(query.get("return_url") or back)
    if action == "stop_auto_renew":
        return _page("Not found", [_html("p", "No such page.")], 404)
    return _account_page(ctx, rec, back, [], 200)  # GET .../change_payment shows the same page and card form


def _account_page(ctx: Ctx, rec: SubscriberRecord, back: str, errors: list[str], status: int) -> Reply:
    plan = ctx.site.plans.get(rec.plan_id) if rec.plan_id is not None else None
    active = rec.is_active(ctx.now)
    until = rec.active_until.strftime("%Y-%m-%d %H:%M UTC") if rec.active_until is not None else "never"
    base, _, query = back.partition("?")
    suffix = f"?{query}" if query else ""
    plan_name = (plan.name or "") if plan is not None else "none"
    rows = [("Customer", rec.screen_name or rec.customer_id), ("Plan", plan_name),
            ("Status", "active" if active else "inactive"), ("Active until", until),
            ("Auto renew", "on" if rec.recurring else "off"),
            ("Card", rec.card.display if rec.card is not None else "none")]
    if rec.renewal_invoice is not None:
        rows.append(("Payment", "the last renewal failed: update your card"))
    table = _html("table", *(_html("tr", _html("th", k), _html("td", v)) for k, v in rows), id="subscription")
    body = [*_errors_html(errors), table]
    if rec.recurring:
        body.append(_html("form", _html("button", "Stop auto renew", type="submit", id="stop_auto_renew"),
                          method="post", action=f"{base}/stop_auto_renew{suffix}", id="stop"))
    body.append(_html("h2", "Change card"))
    body.append(_html("form", *_card_inputs({}), _html("p", _html("button", "Save card", type="submit")),
                      method="post", action=f"{base}/change_payment{suffix}", id="change_payment"))
    return_url = _query(ctx.req).get("return_url")
    if return_url and return_url.lower().startswith(("http://", "https://")):
        body.append(_html("p", _html("a", "Back to the application", href=return_url, id="return")))
    return _page("Your subscription", body, status)
