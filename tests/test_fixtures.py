"""Our own fixtures (tests/fixtures) cover every quirk of the service's documents, and the SDK
reads every one of them.

The quirks are those described on docs/service/xml.md and docs/service/documents.md: each
era's field set (2007-2013), underscored names, ``nil-classes`` and named empty lists, plan
versions typed ``SubscriptionPlan::Version``, free-form transaction details, ``nil="true"``
beside a value, plain-text error bodies, request bodies. Each quirk is a predicate below that
some fixture must satisfy, so deleting or "tidying" the one fixture that carries a quirk fails
here with the quirk's name.

Naming convention (README.md in the folder): response documents at the top, named by what
reads them (``subscriber-*``, ``subscribers-*``, ``plans-*``, ``invoice-*``, ``transactions-*``,
``errors-*``); plain-text answers in ``text/`` named ``{status}-{what}.txt``; request bodies in
``requests/``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from spreedly_sdk import (
    AuthenticationError,
    Client,
    CreditCard,
    CreditCardPayment,
    ForbiddenError,
    NotFoundError,
    OnFilePayment,
    UnprocessableEntityError,
)
from spreedly_sdk.errors import APIStatusError
from spreedly_sdk.models import ErrorsDocument, Invoice, Payment, RailsModel, Subscriber, SubscriptionPlan, Transaction
from spreedly_sdk.testing import Emulator
from tests.conftest import FIXTURES, fixture_bytes

RESPONSES = sorted(p.name for p in FIXTURES.glob("*.xml"))
TEXTS = sorted(p.name for p in (FIXTURES / "text").glob("*.txt"))
REQUESTS = sorted(p.name for p in (FIXTURES / "requests").glob("*.xml"))

# File-name prefix -> (model, is a list document)
READERS: dict[str, tuple[type[RailsModel], bool]] = {
    "subscriber": (Subscriber, False),
    "subscribers": (Subscriber, True),
    "plans": (SubscriptionPlan, True),
    "invoice": (Invoice, False),
    "transactions": (Transaction, True),
    "errors": (ErrorsDocument, False),
}


def reader(name: str) -> tuple[type[RailsModel], bool]:
    return READERS[name.split("-")[0]]


def tree(name: str) -> etree._Element:
    """The fixture's XML root (a placeholder ``<text-body/>`` for a plain-text answer)."""
    if name.endswith(".txt"):
        return etree.Element("text-body")
    return etree.fromstring(fixture_bytes(name))


def everything(name: str) -> list[etree._Element]:
    return list(tree(name).iter())


# ----------------------------------------------------------------------------- the quirks

SUBSCRIBER_2007 = {
    "active", "active-until", "billing-first-name", "billing-last-name", "card-expires-before-next-auto-renew",
    "created-at", "customer-id", "eligible-for-free-trial", "email", "feature-level", "lifetime-subscription",
    "on-trial", "recurring", "screen-name", "store-credit", "subscription-plan-name", "token", "updated-at",
}
ADDED_2009 = {"store-credit-currency-code", "grace-until", "in_grace_period", "ready-to-renew"}
ADDED_2010 = {"ready-to-renew-since", "on-gift", "on-metered", "payment-account-on-file", "in-grace-period", "invoices"}
ADDED_2013 = {
    "eligible-for-setup-fee", "payment-account-display", "billing-address1", "billing-city", "billing-state",
    "billing-zip", "billing-country", "billing-phone-number", "pagination-id", "subscription-plan-version",
}


def _tags(el: etree._Element) -> set[str]:
    return {child.tag for child in el}


def _subscribers(name: str) -> list[etree._Element]:
    return [el for el in everything(name) if el.tag == "subscriber"]


def _is_empty_list(root: etree._Element) -> bool:
    return root.get("type") == "array" and len(root) == 0


def _nil_beside_value(name: str) -> bool:
    return any(el.get("nil") == "true" and (el.text or "").strip() for el in everything(name))


def _era_2007(name: str) -> bool:
    subs = _subscribers(name)
    return any(_tags(s) == SUBSCRIBER_2007 and [c.tag for c in s] == sorted(_tags(s)) for s in subs)


def _era_2009(name: str) -> bool:
    return any(_tags(s) == SUBSCRIBER_2007 | ADDED_2009 for s in _subscribers(name))


def _era_2010(name: str) -> bool:
    return any(ADDED_2010 <= _tags(s) and not (_tags(s) & ADDED_2013) for s in _subscribers(name))


def _era_2011(name: str) -> bool:
    lines = [el for el in everything(name) if el.tag == "line-item"]
    invoices = [el for el in everything(name) if el.tag == "invoice"]
    return (any("response-message" in _tags(i) for i in invoices)
            and any(line.findtext("description") == "Credit from current subscription"
                    and "feature-level" in _tags(line) for line in lines))


def _era_2013(name: str) -> bool:
    return any(ADDED_2013 <= _tags(s) for s in _subscribers(name))


def _plans_era(predicate: Callable[[set[str]], bool]) -> Callable[[str], bool]:
    def check(name: str) -> bool:
        plans = [el for el in everything(name) if el.tag == "subscription-plan"]
        return bool(plans) and all(predicate(_tags(p)) for p in plans)
    return check


def _version_typed(name: str) -> bool:
    versions = [el for el in everything(name) if el.tag == "version" and len(el)]
    return any(v.get("type") == "SubscriptionPlan::Version"
               and any(c.get("type") == "SubscriptionPlan::Version" for c in v) for v in versions)


def _free_form_detail(name: str) -> bool:
    usual = {"payment-method", "recurring", "feature-level"}
    return any(el.tag == "detail" and _tags(el) - usual for el in everything(name))


def _free_trial_transaction(name: str) -> bool:
    return any(el.tag == "detail" and el.findtext("payment-method") == "free_trial" for el in everything(name))


def _text(status: str) -> Callable[[str], bool]:
    return lambda name: name.startswith(f"text/{status}-")


def _request(predicate: Callable[[etree._Element], bool]) -> Callable[[str], bool]:
    return lambda name: name.startswith("requests/") and predicate(tree(name))


QUIRKS: dict[str, Callable[[str], bool]] = {
    "2007 subscriber: the core fields only, in alphabetical order": _era_2007,
    "2009 subscriber: currency, grace, underscored in_grace_period, no invoices": _era_2009,
    "2010 subscriber: gift, metered, card-on-file flags, dashed in-grace-period, invoices": _era_2010,
    "2011 invoices: gateway messages, proration credit line with a feature level": _era_2011,
    "2013 subscriber: setup fee, card display, billing address, pagination id, plan version": _era_2013,
    "2009 plans: without minimum-needed-for-charge or versions": _plans_era(
        lambda t: "minimum-needed-for-charge" not in t and "versions" not in t),
    "2011 plans: minimum-needed-for-charge, no versions": _plans_era(
        lambda t: "minimum-needed-for-charge" in t and "versions" not in t),
    "2013 plans: version, versions and the setup fee": _plans_era(
        lambda t: {"version", "versions", "setup-fee-amount"} <= t),
    "a nil plan description": lambda n: any(
        el.tag == "description" and el.get("nil") == "true" for el in everything(n) if n.startswith("plans-")),
    "underscored element names in a response": lambda n: any("_" in el.tag for el in everything(n)),
    "an empty boolean without nil": lambda n: any(
        el.get("type") == "boolean" and el.get("nil") is None and not (el.text or "").strip()
        for el in everything(n)),
    "a nil boolean": lambda n: any(el.get("type") == "boolean" and el.get("nil") == "true" for el in everything(n)),
    'nil="true" beside a value': _nil_beside_value,
    "an empty string beside a nil in one document": lambda n: (
        any(el.get("nil") == "true" for el in everything(n))
        and any(el.get("nil") is None and len(el) == 0 and not el.text and el.get("type") is None
                for el in everything(n))),
    "a self-closing empty nested list": lambda n: b'type="array"/>' in fixture_bytes(n) and not _is_empty_list(tree(n)),
    "<nil-classes> empty subscriber list": lambda n: n.startswith("subscribers-") and tree(n).tag == "nil-classes",
    "<nil-classes> empty plan list": lambda n: n.startswith("plans-") and tree(n).tag == "nil-classes",
    "<nil-classes> empty transaction list": lambda n: n.startswith("transactions-") and tree(n).tag == "nil-classes",
    "a named empty list": lambda n: _is_empty_list(tree(n)) and tree(n).tag != "nil-classes",
    'a plan version typed "SubscriptionPlan::Version", and its string children': _version_typed,
    "a plan version nested in a subscriber": lambda n: any(
        el.tag == "subscription-plan-version" for el in everything(n)),
    "free-form transaction details": _free_form_detail,
    "a free-trial transaction": _free_trial_transaction,
    "transactions newest first": lambda n: n.startswith("transactions-") and len(ids := [
        int(el.findtext("id") or 0) for el in tree(n)]) > 2 and ids == sorted(ids, reverse=True),
    "customer ids that are not numbers (leading zeros, letters)": lambda n: any(
        el.tag == "customer-id" and (el.text or "").startswith(("0", "cust-")) for el in everything(n)),
    "non-ASCII and escaped text": lambda n: "Zoë" in fixture_bytes(n).decode() and b"&amp;" in fixture_bytes(n),
    "negative money and pre-formatted prices": lambda n: any(
        el.tag == "price" and (el.text or "").startswith("$-") for el in everything(n)),
    "a lifetime subscription answer": lambda n: any(
        s.findtext("lifetime-subscription") == "true" and s.findtext("on-trial") == "false"
        for s in _subscribers(n)),
    "a zero-length (lifetime) free trial answer": lambda n: any(
        s.findtext("lifetime-subscription") == "true" and s.findtext("on-trial") == "true"
        and s.find("invoices") is None for s in _subscribers(n)),
    "an invoice create answer (open, nested subscriber)": lambda n: n.startswith("invoice-") and (
        tree(n).findtext("closed") == "false" and tree(n).find("subscriber") is not None),
    "an invoice pay answer (closed, nested subscriber)": lambda n: n.startswith("invoice-") and (
        tree(n).findtext("closed") == "true" and tree(n).find("subscriber") is not None),
    "2009 invoice fields (customer-id, subscriber-store-credit)": lambda n: n.startswith("invoice-") and {
        "customer-id", "subscriber-store-credit"} <= _tags(tree(n)),
    "an <errors> document with one message": lambda n: tree(n).tag == "errors" and len(tree(n)) == 1,
    "an <errors> document with several messages": lambda n: tree(n).tag == "errors" and len(tree(n)) > 1,
    "a 401 text body": _text("401"),
    "a 403 text body": _text("403"),
    "a 404 text body": _text("404"),
    "a 422 text body": _text("422"),
    "a server exception leaked as a 422 text": lambda n: n.startswith("text/422-") and b"NilClass" in fixture_bytes(n),
    "a 200 text body (change plan)": _text("200"),
    "a dashed request body": _request(lambda r: "-" in r.tag),
    "an underscored request root": _request(lambda r: "_" in r.tag),
    "underscored request children": _request(lambda r: any("_" in c.tag for c in r)),
    "a nested card in an update": _request(lambda r: r.find("payment-method/credit-card") is not None),
    "a nil in a request (clearing a field)": _request(lambda r: any(c.get("nil") == "true" for c in r)),
    "allow_non_recurring_subscriber on a fee": _request(
        lambda r: r.tag == "fee" and r.find("allow_non_recurring_subscriber") is not None),
    "optional start-time and amount on a comp": _request(
        lambda r: r.tag == "complimentary-subscription" and {"start-time", "amount"} <= _tags(r)),
    "every account type of a payment": lambda n: n == "requests/pay-invoice-general-credit.xml" and {
        tree(f"requests/{f}").findtext("account-type") for f in REQUESTS if f.startswith("pay-")} == {
        "credit-card", "on-file", "store-credit", "general-credit"},
}

ALL_FIXTURES = RESPONSES + [f"text/{n}" for n in TEXTS] + [f"requests/{n}" for n in REQUESTS]


@pytest.mark.parametrize("quirk", list(QUIRKS))
def test_some_fixture_carries_the_quirk(quirk: str) -> None:
    carriers = [name for name in ALL_FIXTURES if QUIRKS[quirk](name)]
    assert carriers, f"no fixture in tests/fixtures shows: {quirk}"


def test_fixture_folder_is_complete() -> None:
    """Enough of each kind that the quirks above are not carried by a single stray file."""
    assert len(RESPONSES) >= 30 and len(TEXTS) >= 15 and len(REQUESTS) >= 20
    stray = [p.name for p in FIXTURES.rglob("*") if p.is_file() and p.suffix not in (".xml", ".txt", ".md")]
    assert stray == []


# ----------------------------------------------------------------------------- responses parse


@pytest.mark.parametrize("name", RESPONSES)
def test_every_response_fixture_reads_with_the_models(name: str) -> None:
    model, is_list = reader(name)
    data = fixture_bytes(name)
    root = etree.fromstring(data)
    if is_list:
        items = model.list_from_xml(data)
        assert len(items) == len(root)
        assert all(isinstance(item, model) for item in items)
    else:
        parsed = model.from_xml(data)
        assert isinstance(parsed, model)


def test_era_fixtures_read_to_the_values_they_hold() -> None:
    old = Subscriber.from_xml(fixture_bytes("subscriber-2007.xml"))
    assert old.customer_id == "cust-0107" and old.email == "" and old.feature_level == "Basic"
    legacy = Subscriber.from_xml(fixture_bytes("subscriber-2009-comp-nil-beside-value.xml"))
    assert legacy.active_until is not None and legacy.active_until.isoformat() == "2009-11-10T09:16:00+00:00"
    assert legacy.in_grace_period is None  # empty, without nil
    empty_invoices = Subscriber.from_xml(fixture_bytes("subscriber-2010-empty-invoices.xml"))
    assert empty_invoices.invoices == [] and empty_invoices.recurring is None
    trial = Subscriber.from_xml(fixture_bytes("subscriber-2013-after-free-trial.xml"))
    assert trial.lifetime_subscription is True and trial.active_until is None
    assert trial.subscription_plan_version is not None and trial.subscription_plan_version.name == "Starter Trial"
    plans = SubscriptionPlan.list_from_xml(fixture_bytes("plans-list-2013-versions.xml"))
    assert [p.versions[0].subscription_plan_id for p in plans] == [p.id for p in plans]
    with_invoices = Subscriber.from_xml(fixture_bytes("subscriber-2011-with-invoices.xml"))
    first = with_invoices.invoices[0]
    assert first.amount == sum(line.amount for line in first.line_items)
    assert [line.amount for line in first.line_items if line.amount < 0] == [Decimal("-20.4"), Decimal("-24.5")]


@pytest.mark.parametrize("name", [n for n in RESPONSES if n.endswith("nil-classes.xml") or "empty" in n])
def test_empty_lists_read_as_empty(name: str) -> None:
    model, is_list = reader(name)
    if is_list:
        assert model.list_from_xml(fixture_bytes(name)) == []


# ----------------------------------------------------------------------------- error bodies


def _answering(status: int, body: bytes, content_type: str) -> Client:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"Content-Type": content_type})
    return Client("0" * 40, "fixtures-test", http_client=httpx.Client(transport=httpx.MockTransport(handler)),
                  max_retries=0)


STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    401: AuthenticationError, 403: ForbiddenError, 404: NotFoundError, 422: UnprocessableEntityError,
}


@pytest.mark.parametrize("name", TEXTS)
def test_every_text_answer_is_read_as_one_message(name: str) -> None:
    status = int(name.split("-")[0])
    body = fixture_bytes(f"text/{name}")
    with _answering(status, body, "text/plain; charset=utf-8") as client:
        if status == 200:
            client.subscribers.change_plan("cust-0701", 1002)  # the answer's text is not an error
            return
        with pytest.raises(STATUS_CLASSES[status]) as caught:
            client.subscribers.get("cust-0701")
    assert caught.value.errors == [body.decode().strip()]


@pytest.mark.parametrize("name", [n for n in RESPONSES if n.startswith("errors-")])
def test_every_errors_document_is_read_message_by_message(name: str) -> None:
    body = fixture_bytes(name)
    with _answering(422, body, "application/xml; charset=utf-8") as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            client.subscribers.get("cust-0701")
    assert caught.value.errors == [(el.text or "").strip() for el in etree.fromstring(body)]


# ----------------------------------------------------------------------------- request bodies


def _canonical(data: bytes) -> bytes:
    """The document without layout and without ``type=`` attributes (the SDK writes Rails'
    ``type="integer"`` and the like; the manual's request examples carry none, and the service
    reads elements by name)."""
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    for el in root.iter():
        el.attrib.pop("type", None)
    return etree.tostring(root)


CARD = dict(number="4222222222222", card_type="visa", month=4, year=2030)


def _sdk_calls(client: Client) -> list[tuple[str, Callable[[], Any]]]:
    """(fixture, the SDK call that must send exactly that body), in an order the emulator accepts."""
    subs, invoices = client.subscribers, client.invoices
    invoice_tokens: list[str] = []

    def pay_new_invoice(plan_id: int, payment: Any) -> Any:
        invoice = invoices.create(plan_id, "cust-0703", screen_name="hopper", email="hopper@example.com")
        invoice_tokens.append(invoice.token or "")
        return invoices.pay(invoice.token or "", payment)

    return [
        ("create-subscriber.xml", lambda: subs.create(
            "cust-0701", screen_name="ada", email="ada@example.com", billing_first_name="Ada",
            billing_last_name="Lovelace")),
        ("update-subscriber.xml", lambda: subs.update("cust-0701", screen_name="countess",
                                                      email="ada@lovelace.example")),
        ("update-subscriber-clear-email.xml", lambda: subs.update("cust-0701", email=None)),
        ("update-new-customer-id.xml", lambda: subs.update("cust-0701", new_customer_id="cust-0702")),
        ("subscribe-to-free-trial.xml", lambda: subs.subscribe_to_free_trial("cust-0702", 1001)),
        ("create-invoice.xml", lambda: invoices.create(1002, "cust-0703", screen_name="hopper",
                                                       email="hopper@example.com")),
        ("pay-invoice-credit-card.xml", lambda: pay_new_invoice(1002, CreditCardPayment(
            **CARD, verification_value="123", first_name="Grace", last_name="Hopper"))),
        ("update-payment-method.xml", lambda: subs.update("cust-0703", payment_method=CreditCard(
            number="4222222222222", card_type="visa", verification_value="321", month=11, year=2031,
            first_name="Ada", last_name="Byron"))),
        ("pay-invoice-on-file.xml", lambda: pay_new_invoice(1003, OnFilePayment())),
        ("fee.xml", lambda: subs.add_fee("cust-0703", name="Extra seats", description="Two seats in March",
                                         group="Seat fees", amount="12.00")),
        ("change-plan.xml", lambda: subs.change_plan("cust-0703", 1002)),
        ("complimentary-subscription.xml", lambda: (
            subs.create("cust-0704"), subs.give_complimentary_subscription("cust-0704", 3, "months", "pro"))),
        ("complimentary-time-extension.xml", lambda: subs.give_time_extension("cust-0704", 1, "days")),
        ("credit.xml", lambda: subs.add_store_credit("cust-0704", "2.50")),
        ("credit-negative.xml", lambda: subs.add_store_credit("cust-0704", "-1.25")),
        ("lifetime-complimentary-subscription.xml", lambda: (
            subs.create("cust-0705"), subs.give_lifetime_subscription("cust-0705", "patron"))),
        ("complimentary-subscription-start-time-amount.xml", lambda: (
            subs.create("cust-0706"),
            client.create_complimentary_subscription("cust-0706", 14, "days", "pro",
                                                     start_time=_when(), amount="20.00"))),
        ("pay-invoice-store-credit.xml", lambda: _refused(lambda: pay_new_invoice(
            1002, Payment(account_type="store-credit")))),
        ("pay-invoice-general-credit.xml", lambda: _refused(lambda: pay_new_invoice(
            1002, Payment(account_type="general-credit", description="Goodwill credit after an outage")))),
    ]


def _when() -> Any:
    from datetime import datetime, timezone

    return datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def _refused(call: Callable[[], Any]) -> None:
    """Pay with a credit account: the emulator does not emulate those (docs/service/behaviour.md)."""
    with pytest.raises(UnprocessableEntityError):
        call()


def test_the_sdk_sends_exactly_the_dashed_request_fixtures() -> None:
    emulator = Emulator()
    covered = []
    with emulator.client() as client:
        for name, call in _sdk_calls(client):
            call()
            sent = [r for r in emulator.requests if r.body][-1].body
            assert _canonical(sent) == _canonical(fixture_bytes(f"requests/{name}")), name
            covered.append(name)
    dashed = [n for n in REQUESTS if "underscored" not in n and n not in (
        "allow-free-trial-dummy-body.xml", "fee-allow-non-recurring.xml")]
    assert sorted(covered) == sorted(dashed)


def test_the_service_accepts_the_underscored_and_dummy_request_fixtures() -> None:
    """Bodies other clients sent (underscored names, a dummy body) are accepted as the dashed ones."""
    emulator = Emulator()
    with emulator.client() as client:
        def send(path: str, name: str, action: Any = "post") -> httpx.Response:
            answer = client.query(path, fixture_bytes(f"requests/{name}"), action)
            assert answer.is_success, (name, answer.status_code, answer.text)
            return answer

        send("subscribers.xml", "create-subscriber-underscored.xml")
        sub = client.subscribers.get("cust-0711")
        assert (sub.screen_name, sub.billing_first_name) == ("grace", "Grace")

        send("subscribers/cust-0711/subscribe_to_free_trial.xml", "subscribe-to-free-trial-underscored.xml")
        assert client.subscribers.get("cust-0711").on_trial is True
        send("subscribers/cust-0711/allow_free_trial.xml", "allow-free-trial-dummy-body.xml")
        assert client.subscribers.get("cust-0711").eligible_for_free_trial is True

        client.subscribers.create("cust-0712")
        send("subscribers/cust-0712/complimentary_subscriptions.xml", "complimentary-subscription-underscored.xml")
        assert client.subscribers.get("cust-0712").active is True
        without_flag = client.query("subscribers/cust-0712/fees.xml", fixture_bytes("requests/fee.xml"), "post")
        assert without_flag.status_code == 422  # a comp is not recurring: the flag is what lets the fee in
        send("subscribers/cust-0712/fees.xml", "fee-allow-non-recurring.xml")

        client.invoices.pay(client.invoices.create(1002, "cust-0713").token or "", CreditCardPayment(
            **CARD, verification_value="123", first_name="Kim", last_name="Lee"))
        changed = send("subscribers/cust-0713/change_subscription_plan.xml", "change-plan-underscored.xml", "put")
        assert changed.text.strip() == fixture_bytes("text/200-change-plan.txt").decode()
        assert client.subscribers.get("cust-0713").subscription_plan_name == "Yearly"


def test_readme_lists_every_fixture() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    missing = [n for n in ALL_FIXTURES if f"`{Path(n).name}`" not in readme]
    assert missing == []
