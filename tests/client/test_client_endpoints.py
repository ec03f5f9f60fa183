"""Every endpoint of docs/service/endpoints.md on both clients, at the wire: method, exact path,
headers, body (parsed back), and the typed result parsed from a real document."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from wire import API, Answer, FakeService, basic_auth, fixture, leaf, node, shape, text

from spreedly_sdk.models import (
    CreditCard,
    CreditCardPayment,
    Invoice,
    OnFilePayment,
    Subscriber,
    SubscriptionPlan,
    Transaction,
)
from tests.routes import NOT_SENT_BY_THE_SDK, not_covered, route_of

SUB_XML = fixture("subscriber-full.xml")
SUB = Subscriber.from_xml(SUB_XML)
PLANS_XML = fixture("plans-list.xml")
PLANS = SubscriptionPlan.list_from_xml(PLANS_XML)
SUBS_XML = fixture("subscribers-list.xml")
TXS_XML = fixture("transactions-list.xml")
INVOICE_OPEN = fixture("invoice-open.xml")
INVOICE_CLOSED = fixture("invoice-closed.xml")
INV_TOKEN = "5f4e3d2c1b0a99887766554433221100ffeeddcc"


def unordered(s: Any) -> Any:
    tag, attrs, txt, children = s
    return (tag, attrs, txt, tuple(sorted(unordered(c) for c in children)))


def is_sub(result: Any) -> None:
    assert isinstance(result, Subscriber)
    assert result == SUB and result.customer_id == "001"


def is_none(result: Any) -> None:
    assert result is None


@dataclass
class Case:
    id: str
    invoke: Callable[[Any], Any]
    method: str
    path: str
    answer: Answer
    body: Any = None
    check: Callable[[Any], None] = is_none
    query: str = ""


def plan_ref(plan_id: int) -> Any:
    return node("subscription-plan", leaf("id", str(plan_id), "integer"))


CASES = [
    Case("plans.list", lambda c: c.plans.list(), "GET", f"{API}/subscription_plans.xml", Answer(200, PLANS_XML),
         check=lambda r: (r == PLANS and [p.id for p in r] == [7, 8, 9]) or pytest.fail("plans")),
    Case("plans.find", lambda c: c.plans.find(9), "GET", f"{API}/subscription_plans.xml", Answer(200, PLANS_XML),
         check=lambda r: (r == PLANS[2] and r.is_free_trial) or pytest.fail("find")),
    Case("plans.find-missing", lambda c: c.plans.find(99), "GET", f"{API}/subscription_plans.xml",
         Answer(200, PLANS_XML)),
    Case("get_plans", lambda c: c.get_plans(), "GET", f"{API}/subscription_plans.xml", Answer(200, PLANS_XML),
         check=lambda r: (r == PLANS) or pytest.fail("plans")),
    Case("subscribers.list", lambda c: c.subscribers.list(), "GET", f"{API}/subscribers.xml", Answer(200, SUBS_XML),
         check=lambda r: [s.customer_id for s in r] == ["001", "0042", "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c"]
         or pytest.fail("ids")),
    Case("subscribers.list-empty", lambda c: c.subscribers.list(), "GET", f"{API}/subscribers.xml",
         Answer(200, fixture("subscribers-list-empty.xml")), check=lambda r: r == [] or pytest.fail("empty")),
    Case("subscribers.get", lambda c: c.subscribers.get("001"), "GET", f"{API}/subscribers/001.xml",
         Answer(200, SUB_XML), check=is_sub),
    Case("subscribers.get-int", lambda c: c.subscribers.get(42), "GET", f"{API}/subscribers/42.xml",
         Answer(200, SUB_XML), check=is_sub),
    Case("subscribers.get-encoded", lambda c: c.subscribers.get("a/b c?d#e"), "GET",
         f"{API}/subscribers/a%2Fb%20c%3Fd%23e.xml", Answer(200, SUB_XML), check=is_sub),
    Case("get_info", lambda c: c.get_info("001"), "GET", f"{API}/subscribers/001.xml", Answer(200, SUB_XML),
         check=is_sub),
    Case("subscribers.create", lambda c: c.subscribers.create("001", screen_name="Ana & Bo", email="a+b@x.org"),
         "POST", f"{API}/subscribers.xml", Answer(201, SUB_XML),
         node("subscriber", leaf("customer-id", "001"), leaf("screen-name", "Ana & Bo"), leaf("email", "a+b@x.org")),
         is_sub),
    Case("subscribers.create-billing", lambda c: c.subscribers.create(7, billing_first_name="Zoë",
                                                                      billing_last_name="山田"),
         "POST", f"{API}/subscribers.xml", Answer(201, SUB_XML),
         node("subscriber", leaf("customer-id", "7"), leaf("billing-first-name", "Zoë"),
              leaf("billing-last-name", "山田")), is_sub),
    Case("create_subscriber", lambda c: c.create_subscriber("001", "Ana"), "POST", f"{API}/subscribers.xml",
         Answer(201, SUB_XML), node("subscriber", leaf("customer-id", "001"), leaf("screen-name", "Ana")), is_sub),
    Case("subscribers.update", lambda c: c.subscribers.update("42", email="joe2@example.com", screen_name=None),
         "PUT", f"{API}/subscribers/42.xml", Answer(200, b""),
         node("subscriber", leaf("email", "joe2@example.com"), leaf("screen-name", "", nil=True))),
    Case("subscribers.update-new-id", lambda c: c.subscribers.update("44", new_customer_id=589), "PUT",
         f"{API}/subscribers/44.xml", Answer(200, b""), node("subscriber", leaf("new-customer-id", "589"))),
    Case("subscribers.update-card", lambda c: c.subscribers.update("44", payment_method=CreditCard(
        number="4222222222222", card_type="visa", verification_value="123", month=1, year=2030,
        first_name="Joe", last_name="Bob")), "PUT", f"{API}/subscribers/44.xml", Answer(200, b""),
         node("subscriber", node("payment-method", node(
             "credit-card", leaf("number", "4222222222222"), leaf("card-type", "visa"),
             leaf("verification-value", "123"), leaf("month", "1", "integer"), leaf("year", "2030", "integer"),
             leaf("first-name", "Joe"), leaf("last-name", "Bob"))))),
    Case("subscribers.delete", lambda c: c.subscribers.delete("42"), "DELETE", f"{API}/subscribers/42.xml",
         Answer(200, b"")),
    Case("delete_subscriber", lambda c: c.delete_subscriber("0042"), "DELETE", f"{API}/subscribers/0042.xml",
         Answer(200, b"")),
    Case("subscribers.delete_all", lambda c: c.subscribers.delete_all(), "DELETE", f"{API}/subscribers.xml",
         Answer(200, b"")),
    Case("cleanup", lambda c: c.cleanup(), "DELETE", f"{API}/subscribers.xml", Answer(200, b"")),
    Case("subscribers.subscribe_to_free_trial", lambda c: c.subscribers.subscribe_to_free_trial("42", 9), "POST",
         f"{API}/subscribers/42/subscribe_to_free_trial.xml", Answer(200, SUB_XML), plan_ref(9), is_sub),
    Case("subscribe-with-plan", lambda c: c.subscribe("42", 3), "POST",
         f"{API}/subscribers/42/subscribe_to_free_trial.xml", Answer(200, SUB_XML), plan_ref(3), is_sub),
    Case("subscribers.allow_free_trial", lambda c: c.subscribers.allow_free_trial("42"), "POST",
         f"{API}/subscribers/42/allow_free_trial.xml", Answer(200, SUB_XML), check=is_sub),
    Case("allow_free_trial", lambda c: c.allow_free_trial("42"), "POST",
         f"{API}/subscribers/42/allow_free_trial.xml", Answer(200, SUB_XML), check=is_sub),
    Case("subscribers.stop_auto_renew", lambda c: c.subscribers.stop_auto_renew("42"), "POST",
         f"{API}/subscribers/42/stop_auto_renew.xml", Answer(200, b"")),
    Case("stop_auto_renew-with-xml-answer", lambda c: c.subscribers.stop_auto_renew("42"), "POST",
         f"{API}/subscribers/42/stop_auto_renew.xml", Answer(200, SUB_XML)),
    Case("subscribers.give_complimentary_subscription",
         lambda c: c.subscribers.give_complimentary_subscription("42", 2, "months", "Pro"), "POST",
         f"{API}/subscribers/42/complimentary_subscriptions.xml", Answer(201, SUB_XML),
         node("complimentary-subscription", leaf("duration-quantity", "2", "integer"),
              leaf("duration-units", "months"), leaf("feature-level", "Pro")), is_sub),
    Case("create_complimentary_subscription",
         lambda c: c.create_complimentary_subscription("42", 30, "days", "gold",
                                                       datetime(2012, 1, 1, 12, tzinfo=timezone.utc), "9.95"),
         "POST", f"{API}/subscribers/42/complimentary_subscriptions.xml", Answer(201, SUB_XML),
         node("complimentary-subscription", leaf("duration-quantity", "30", "integer"),
              leaf("duration-units", "days"), leaf("feature-level", "gold"),
              leaf("start-time", "2012-01-01T12:00:00Z", "datetime"), leaf("amount", "9.95", "decimal")), is_sub),
    Case("create_complimentary_subscription-minimal",
         lambda c: c.create_complimentary_subscription("42", 1, "months", "gold"),
         "POST", f"{API}/subscribers/42/complimentary_subscriptions.xml", Answer(201, SUB_XML),
         node("complimentary-subscription", leaf("duration-quantity", "1", "integer"),
              leaf("duration-units", "months"), leaf("feature-level", "gold")), is_sub),
    # the time extension path is plural (see docs/service/endpoints.md)
    Case("subscribers.give_time_extension", lambda c: c.subscribers.give_time_extension("42", 1, "days"), "POST",
         f"{API}/subscribers/42/complimentary_time_extensions.xml", Answer(201, SUB_XML),
         node("complimentary-time-extension", leaf("duration-quantity", "1", "integer"),
              leaf("duration-units", "days")), is_sub),
    Case("complimentary_time_extensions", lambda c: c.complimentary_time_extensions("42", 2, "months"), "POST",
         f"{API}/subscribers/42/complimentary_time_extensions.xml", Answer(201, SUB_XML),
         node("complimentary-time-extension", leaf("duration-quantity", "2", "integer"),
              leaf("duration-units", "months")), is_sub),
    Case("complimentary_time_extension", lambda c: c.complimentary_time_extension("42", 2, "months"), "POST",
         f"{API}/subscribers/42/complimentary_time_extensions.xml", Answer(201, SUB_XML),
         node("complimentary-time-extension", leaf("duration-quantity", "2", "integer"),
              leaf("duration-units", "months")), is_sub),
    Case("subscribers.give_lifetime_subscription", lambda c: c.subscribers.give_lifetime_subscription("42", "Pro"),
         "POST", f"{API}/subscribers/42/lifetime_complimentary_subscriptions.xml", Answer(201, SUB_XML),
         node("lifetime-complimentary-subscription", leaf("feature-level", "Pro")), is_sub),
    Case("lifetime-answered-200", lambda c: c.subscribers.give_lifetime_subscription("42", "Pro"),
         "POST", f"{API}/subscribers/42/lifetime_complimentary_subscriptions.xml", Answer(200, SUB_XML),
         node("lifetime-complimentary-subscription", leaf("feature-level", "Pro")), is_sub),
    Case("subscribers.add_store_credit", lambda c: c.subscribers.add_store_credit("42", "2.34"), "POST",
         f"{API}/subscribers/42/credits.xml", Answer(201, b""), node("credit", leaf("amount", "2.34", "decimal"))),
    Case("add_store_credit-negative", lambda c: c.subscribers.add_store_credit("42", Decimal("-1.50")), "POST",
         f"{API}/subscribers/42/credits.xml", Answer(201, b""), node("credit", leaf("amount", "-1.50", "decimal"))),
    Case("subscribers.add_fee", lambda c: c.subscribers.add_fee("42", name="Daily Bandwidth Charge",
                                                                group="Traffic Fees", amount="2.34",
                                                                description="313 MB used"),
         "POST", f"{API}/subscribers/42/fees.xml", Answer(201, b""),
         node("fee", leaf("name", "Daily Bandwidth Charge"), leaf("description", "313 MB used"),
              leaf("group", "Traffic Fees"), leaf("amount", "2.34", "decimal"))),
    Case("add_fee", lambda c: c.add_fee("42", "Support", "1 hour", "Support Fees", 25), "POST",
         f"{API}/subscribers/42/fees.xml", Answer(201, b""),
         node("fee", leaf("name", "Support"), leaf("description", "1 hour"), leaf("group", "Support Fees"),
              leaf("amount", "25", "decimal"))),
    Case("invoices.create", lambda c: c.invoices.create(7, "001", screen_name="Ana", email="ana+gold@example.com"),
         "POST", f"{API}/invoices.xml", Answer(201, INVOICE_OPEN),
         node("invoice", leaf("subscription-plan-id", "7", "integer"),
              node("subscriber", leaf("customer-id", "001"), leaf("screen-name", "Ana"),
                   leaf("email", "ana+gold@example.com"))),
         lambda r: (isinstance(r, Invoice) and r == Invoice.from_xml(INVOICE_OPEN) and r.closed is False
                    and r.subscriber is not None and r.subscriber.customer_id == "001") or pytest.fail("invoice")),
    Case("invoices.pay-card", lambda c: c.invoices.pay(INV_TOKEN, CreditCardPayment(
        "4222222222222", "visa", "234", 1, 2030, "Joe", "Bob", zip="02134")),
         "PUT", f"{API}/invoices/{INV_TOKEN}/pay.xml", Answer(200, INVOICE_CLOSED),
         node("payment", leaf("account-type", "credit-card"), node(
             "credit-card", leaf("number", "4222222222222"), leaf("card-type", "visa"),
             leaf("verification-value", "234"), leaf("month", "1", "integer"), leaf("year", "2030", "integer"),
             leaf("first-name", "Joe"), leaf("last-name", "Bob"), leaf("zip", "02134"))),
         lambda r: (r == Invoice.from_xml(INVOICE_CLOSED) and r.closed is True) or pytest.fail("paid")),
    Case("invoices.pay-on-file", lambda c: c.invoices.pay(INV_TOKEN, OnFilePayment()),
         "PUT", f"{API}/invoices/{INV_TOKEN}/pay.xml", Answer(200, INVOICE_CLOSED),
         node("payment", leaf("account-type", "on-file")),
         lambda r: (r.closed is True) or pytest.fail("paid")),
    Case("transactions.list", lambda c: c.transactions.list(), "GET", f"{API}/transactions.xml",
         Answer(200, TXS_XML), check=lambda r: ([t.id for t in r] == [101, 102]
                                                and r == Transaction.list_from_xml(TXS_XML)) or pytest.fail("txs")),
    Case("transactions.list-since", lambda c: c.transactions.list(since_id=100), "GET", f"{API}/transactions.xml",
         Answer(200, TXS_XML), query="since_id=100", check=lambda r: len(r) == 2 or pytest.fail("txs")),
    Case("subscribers.change_plan", lambda c: c.subscribers.change_plan("42", 7), "PUT",
         f"{API}/subscribers/42/change_subscription_plan.xml",
         text(200, "Subscription plan successfully changed."), plan_ref(7)),
    Case("change_plan", lambda c: c.change_plan("42", 26020), "PUT",
         f"{API}/subscribers/42/change_subscription_plan.xml",
         text(200, "Subscription plan successfully changed."), plan_ref(26020)),
]


@pytest.mark.parametrize("delivery", ["whole", "chunked"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_endpoint(api: Any, service: FakeService, case: Case, delivery: str) -> None:
    answer = case.answer if delivery == "whole" else dataclasses.replace(case.answer, chunk=7)
    service.on(case.method, case.path, answer)
    result = case.invoke(api)
    assert service.calls() == [(case.method, case.path)]
    seen = service.last
    assert seen.url.startswith("https://subs.pinpayments.com/api/v4/mysite/")
    assert seen.query == case.query
    assert seen.headers["authorization"] == basic_auth()
    if case.body is None:
        assert seen.body == b""
        assert "content-type" not in seen.headers
    else:
        assert seen.headers["content-type"].split(";")[0] == "application/xml"
        assert unordered(shape(seen.body)) == unordered(case.body)
    case.check(result)


def test_every_resource_method_has_a_case() -> None:
    """The table above covers every public method of every resource, and every flat method of
    the client that sends a request."""
    from spreedly_sdk import Client
    from spreedly_sdk.resources import Invoices, Plans, Subscribers, Transactions

    covered = {c.id.split("-")[0] for c in CASES}
    extra = {"subscribers.iter", "plans.iter", "transactions.iter"}  # paging/streaming: other tests
    # not one endpoint each: settings, closing, a raw request, and two-request flows (test_client_flows.py)
    not_endpoints = {"with_options", "close", "query", "get_or_create_subscriber", "set_info"}
    missing = []
    for name, cls in [("subscribers", Subscribers), ("plans", Plans), ("invoices", Invoices),
                      ("transactions", Transactions)]:
        missing += [f"{name}.{m}" for m in vars(cls) if not m.startswith("_") and f"{name}.{m}" not in covered | extra]
    flat = [m for m, v in vars(Client).items() if callable(v) and not m.startswith("_") and m not in not_endpoints]
    missing += [m for m in flat if m not in covered]
    assert missing == [], f"no wire test for {missing}"


def test_the_cases_reach_every_route_and_nothing_else() -> None:
    """The emulator's route table is the registry of endpoints: every case's request reaches one
    of its routes (so every resource method does, by the test above), and every route the SDK
    sends has a case; a new route fails here, named, until it has one."""
    reached = {case.id: route_of(case.method, case.path) for case in CASES}
    strays = [case_id for case_id, route in reached.items() if route is None]
    assert strays == [], f"cases whose request reaches no route of ROUTES: {strays}"
    missing = not_covered({route for route in reached.values() if route is not None}, NOT_SENT_BY_THE_SDK)
    assert missing == [], f"routes of ROUTES without a case here: {missing}"
