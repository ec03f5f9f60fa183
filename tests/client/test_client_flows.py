"""Multi-request behaviour on both clients: set_info(get_info(x)), get-or-create, subscribe's
plan choice, transaction paging, streaming lists, raw query(), and real samples served."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from wire import API, Answer, FakeService, basic_auth, documents, fixture, load, paired, shape, text

from spreedly_sdk.errors import ForbiddenError, InvalidRequestError, NotFoundError
from spreedly_sdk.models import (
    WRITABLE_FIELDS,
    Invoice,
    Subscriber,
    SubscriptionPlan,
    Transaction,
)

SUB_XML = fixture("subscriber-full.xml")
PLANS_XML = fixture("plans-list.xml")
NOT_FOUND = "There is no subscriber with a customer id of {}"
READ_ONLY_TAGS = {s.tag for s in Subscriber.rails_fields().specs} - {
    Subscriber.rails_fields().by_name[f].tag for f in WRITABLE_FIELDS}

# ----------------------------------------------------------------------------- set_info


def _subscriber_docs() -> list[Any]:
    return documents("subscriber-", ("subscriber-full.xml", "subscriber-legacy-2009.xml"),
                     keep=lambda n: "invoice-element" not in n)


@pytest.mark.parametrize("source", _subscriber_docs())
def test_set_info_of_get_info_sends_only_writable_fields(api: Any, service: FakeService,
                                                         source: tuple[str, str]) -> None:
    doc = load(source)
    fetched = Subscriber.from_xml(doc)
    path = f"{API}/subscribers/{fetched.customer_id}.xml"
    service.on("GET", path, Answer(200, doc))
    service.on("PUT", path, Answer(200, b""))

    sub = api.get_info(fetched.customer_id)
    again = api.set_info(sub.model_copy(update={"email": "new@example.com"}))

    assert service.calls() == [("GET", path), ("PUT", path), ("GET", path)]
    put = service.seen[1]
    tags = [el[0] for el in shape(put.body)[3]]
    assert shape(put.body)[0] == "subscriber"
    assert not set(tags) & READ_ONLY_TAGS, f"read-only elements sent: {set(tags) & READ_ONLY_TAGS}"
    assert not {"token", "invoices", "active", "feature-level", "customer-id"} & set(tags)
    sent = {el[0]: el[2] for el in shape(put.body)[3]}
    assert sent["email"] == "new@example.com"
    for field in WRITABLE_FIELDS:
        value = getattr(fetched, field)
        tag = Subscriber.rails_fields().by_name[field].tag
        if value is not None and field != "email":
            assert sent[tag] == value  # unchanged writable values go back as they came
    assert put.headers["content-type"].startswith("application/xml")
    assert again == fetched


def test_set_info_by_id_with_keywords(api: Any, service: FakeService) -> None:
    service.on("PUT", f"{API}/subscribers/44.xml", Answer(200, b""))
    service.on("GET", f"{API}/subscribers/589.xml", Answer(200, SUB_XML))
    result = api.set_info("44", email="joe2@example.com", new_customer_id="589")
    assert service.calls() == [("PUT", f"{API}/subscribers/44.xml"), ("GET", f"{API}/subscribers/589.xml")]
    body = {el[0]: el[2] for el in shape(service.seen[0].body)[3]}
    assert body == {"email": "joe2@example.com", "new-customer-id": "589"}
    assert result == Subscriber.from_xml(SUB_XML)


def test_set_info_refuses_read_only_keywords_before_sending(api: Any, service: FakeService) -> None:
    with pytest.raises(InvalidRequestError):
        api.set_info("42", token="x")
    with pytest.raises(InvalidRequestError):
        api.set_info("42", active=True)
    assert service.seen == []


# ----------------------------------------------------------------------------- get_or_create


def test_get_or_create_returns_an_existing_subscriber(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscribers/001.xml", Answer(200, SUB_XML))
    assert api.get_or_create_subscriber("001", "Ana").customer_id == "001"
    assert service.calls() == [("GET", f"{API}/subscribers/001.xml")]


def test_get_or_create_creates_on_404(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscribers/001.xml", text(404, NOT_FOUND.format("001")))
    service.on("POST", f"{API}/subscribers.xml", Answer(201, SUB_XML))
    sub = api.get_or_create_subscriber("001", "Ana")
    assert service.calls() == [("GET", f"{API}/subscribers/001.xml"), ("POST", f"{API}/subscribers.xml")]
    body = {el[0]: el[2] for el in shape(service.last.body)[3]}
    assert body == {"customer-id": "001", "screen-name": "Ana"}
    assert sub == Subscriber.from_xml(SUB_XML)


def test_get_or_create_fetches_when_created_meanwhile(api: Any, service: FakeService) -> None:
    gets = [text(404, NOT_FOUND.format("001")), Answer(200, SUB_XML)]
    service.on("GET", f"{API}/subscribers/001.xml", gets)
    service.on("POST", f"{API}/subscribers.xml", text(403, "A subscriber with a customer-id of 001 already exists."))
    assert api.get_or_create_subscriber("001").customer_id == "001"
    assert [m for m, _ in service.calls()] == ["GET", "POST", "GET"]


def test_get_or_create_does_not_hide_other_errors(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscribers/001.xml", text(401, "HTTP Basic: Access denied."))
    with pytest.raises(Exception) as info:
        api.get_or_create_subscriber("001")
    assert type(info.value).__name__ == "AuthenticationError"
    assert service.calls() == [("GET", f"{API}/subscribers/001.xml")]


# ----------------------------------------------------------------------------- subscribe


def test_subscribe_without_plan_picks_the_enabled_free_trial(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscription_plans.xml", Answer(200, PLANS_XML))
    service.on("POST", f"{API}/subscribers/42/subscribe_to_free_trial.xml", Answer(200, SUB_XML))
    sub = api.subscribe("42")
    assert service.calls() == [("GET", f"{API}/subscription_plans.xml"),
                               ("POST", f"{API}/subscribers/42/subscribe_to_free_trial.xml")]
    # plan 8 is a free trial but disabled; 9 is the enabled one
    assert shape(service.last.body) == ("subscription-plan", (), "", (("id", (("type", "integer"),), "9", ()),))
    assert sub == Subscriber.from_xml(SUB_XML)


@pytest.mark.parametrize("sources", paired(("plans-list.xml", "subscriber-full.xml"),
                                           ("plans-list-2009.xml", "subscriber-after-free-trial-2009.xml")))
def test_subscribe_with_real_plan_list(api: Any, service: FakeService, sources: tuple[tuple[str, str], ...]) -> None:
    plans_xml, subscriber_xml = (load(s) for s in sources)
    trials = [p for p in SubscriptionPlan.list_from_xml(plans_xml) if p.is_free_trial and p.enabled]
    service.on("GET", f"{API}/subscription_plans.xml", Answer(200, plans_xml))
    service.on("POST", f"{API}/subscribers/42/subscribe_to_free_trial.xml", Answer(200, subscriber_xml))
    if not trials:
        with pytest.raises(InvalidRequestError):
            api.subscribe("42")
        return
    api.subscribe("42")
    assert shape(service.last.body)[3][0][2] == str(trials[0].id)


def test_subscribe_without_any_free_trial_plan_refuses(api: Any, service: FakeService) -> None:
    only_regular = SubscriptionPlan.list_to_xml(SubscriptionPlan.list_from_xml(PLANS_XML)[:1])
    service.on("GET", f"{API}/subscription_plans.xml", Answer(200, only_regular))
    with pytest.raises(InvalidRequestError):
        api.subscribe("42")
    assert service.calls() == [("GET", f"{API}/subscription_plans.xml")]


# ----------------------------------------------------------------------------- lists


def _page(ids: list[int]) -> bytes:
    template = Transaction.list_from_xml(fixture("transactions-list.xml"))[0]
    return Transaction.list_to_xml([template.model_copy(update={"id": i}) for i in ids])


def test_transactions_iter_pages_with_since_id(api: Any, service: FakeService) -> None:
    pages = {"since_id=0": [1, 2, 3], "since_id=3": [4, 5], "since_id=5": []}

    def answer(request: httpx.Request) -> Answer:
        return Answer(200, _page(pages[request.url.query.decode()]))

    service.on("GET", f"{API}/transactions.xml", answer)
    txs = api.transactions.iter()
    assert [t.id for t in txs] == [1, 2, 3, 4, 5]
    assert [s.query for s in service.seen] == ["since_id=0", "since_id=3", "since_id=5"]
    assert service.last.headers["authorization"] == basic_auth()


def test_transactions_iter_from_a_given_id(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/transactions.xml",
               lambda r: Answer(200, _page([] if r.url.query == b"since_id=12" else [11, 12])))
    assert [t.id for t in api.transactions.iter(since_id=10)] == [11, 12]
    assert [s.query for s in service.seen] == ["since_id=10", "since_id=12"]


def test_transactions_list_refuses_bad_since_id(api: Any, service: FakeService) -> None:
    for bad in (-1, "5", True):
        with pytest.raises(InvalidRequestError):
            api.transactions.list(since_id=bad)
    assert service.seen == []


def _list_docs() -> list[Any]:
    return documents("subscribers-list", ("subscribers-list.xml", "subscribers-list-empty.xml"))


@pytest.mark.parametrize("source", _list_docs())
def test_subscribers_iter_streams_what_list_returns(api: Any, service: FakeService, source: tuple[str, str]) -> None:
    doc = load(source)
    service.on("GET", f"{API}/subscribers.xml", Answer(200, doc))
    listed = api.subscribers.list()
    streamed = list(api.subscribers.iter())
    assert streamed == listed == Subscriber.list_from_xml(doc)
    service.on("GET", f"{API}/subscribers.xml", Answer(200, doc, chunk=11))  # items split across chunks
    assert list(api.subscribers.iter()) == listed
    assert service.calls() == [("GET", f"{API}/subscribers.xml")] * 3
    assert all(s.headers["authorization"] == basic_auth() for s in service.seen)


@pytest.mark.parametrize("name", ["plans-list.xml"])
def test_plans_iter_streams_what_list_returns(api: Any, service: FakeService, name: str) -> None:
    service.on("GET", f"{API}/subscription_plans.xml", Answer(200, fixture(name), chunk=13))
    assert list(api.plans.iter()) == api.plans.list() == SubscriptionPlan.list_from_xml(fixture(name))


# ----------------------------------------------------------------------------- query


def test_query_returns_the_response_whatever_its_status(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscribers/9.xml", text(404, NOT_FOUND.format(9)))
    resp = api.query("subscribers/9.xml")
    assert isinstance(resp, httpx.Response)
    assert resp.status_code == 404 and resp.text == NOT_FOUND.format(9)
    assert service.last.headers["authorization"] == basic_auth()


def test_query_sends_data_with_the_action(api: Any, service: FakeService) -> None:
    service.on("POST", f"{API}/subscribers/42/credits.xml", Answer(201, b""))
    resp = api.query("subscribers/42/credits.xml", "<credit><amount>2.34</amount></credit>", "post")
    assert resp.status_code == 201
    assert service.last.body == b"<credit><amount>2.34</amount></credit>"
    assert service.last.headers["content-type"].startswith("application/xml")
    service.on("PUT", f"{API}/subscribers/42.xml", text(403, "This API call does not allow adjusting "
                                                          "the following attributes [ invoices ]."))
    assert api.query("subscribers/42.xml", b"<subscriber><invoices/></subscriber>", action="put").status_code == 403
    service.on("GET", f"{API}/subscribers/42.xml", Answer(200, SUB_XML))
    ok = api.query("subscribers/42.xml")
    assert ok.status_code == 200 and Subscriber.from_xml(ok.content).customer_id == "001"


def test_query_refuses_urls_that_leave_the_site(api: Any, service: FakeService) -> None:
    for url in ("https://evil.example/x.xml", "/api/v4/other/subscribers.xml", "../other/subscribers.xml"):
        with pytest.raises(InvalidRequestError):
            api.query(url)
    with pytest.raises(InvalidRequestError):
        api.query("subscribers.xml", action="patch")
    assert service.seen == []


# ----------------------------------------------------------------------------- real samples served


@pytest.mark.parametrize("source", _subscriber_docs())
def test_get_parses_every_real_subscriber(api: Any, service: FakeService, source: tuple[str, str]) -> None:
    doc = load(source)
    expected = Subscriber.from_xml(doc)
    service.on("GET", f"{API}/subscribers/{expected.customer_id}.xml", Answer(200, doc))
    assert api.subscribers.get(expected.customer_id) == expected


@pytest.mark.parametrize("source", documents("plans-list", ("plans-list.xml",)))
def test_plans_list_parses_every_real_plan_list(api: Any, service: FakeService, source: tuple[str, str]) -> None:
    doc = load(source)
    service.on("GET", f"{API}/subscription_plans.xml", Answer(200, doc))
    assert api.plans.list() == SubscriptionPlan.list_from_xml(doc)


@pytest.mark.parametrize("source", documents("transactions-list", ("transactions-list.xml",)))
def test_transactions_list_parses_every_real_list(api: Any, service: FakeService, source: tuple[str, str]) -> None:
    doc = load(source)
    service.on("GET", f"{API}/transactions.xml", Answer(200, doc))
    assert api.transactions.list() == Transaction.list_from_xml(doc)


@pytest.mark.parametrize("sources", paired(("invoice-open.xml", "invoice-closed.xml"),
                                           ("invoice-create-response-2009.xml", "invoice-pay-response-closed-2009.xml")))
def test_invoice_create_and_pay_with_real_answers(api: Any, service: FakeService,
                                                  sources: tuple[tuple[str, str], ...]) -> None:
    created, paid = (load(s) for s in sources)
    service.on("POST", f"{API}/invoices.xml", Answer(201, created))
    invoice = api.invoices.create(1, "400", screen_name="bob", email="test@example.com")
    assert invoice == Invoice.from_xml(created) and invoice.closed is False and invoice.token
    service.on("PUT", f"{API}/invoices/{invoice.token}/pay.xml", Answer(200, paid))
    from spreedly_sdk.models import CreditCardPayment

    result = api.invoices.pay(invoice.token, CreditCardPayment("4222222222222", "visa", "234", 1, 2030, "Joe", "Bob"))
    assert result == Invoice.from_xml(paid) and result.closed is True
    assert result.subscriber is not None and result.subscriber.active is True


@pytest.mark.parametrize("sources", paired(("subscriber-legacy-2009.xml", "subscriber-full.xml"),
                                           ("doc-response-subscribe-to-free-trial-2007.xml",
                                            "doc-response-lifetime-complimentary-subscription-2010.xml")))
def test_free_trial_and_comp_answers_from_the_docs(api: Any, service: FakeService,
                                                   sources: tuple[tuple[str, str], ...]) -> None:
    trial, life = (load(s) for s in sources)
    service.on("POST", f"{API}/subscribers/42/subscribe_to_free_trial.xml", Answer(200, trial))
    sub = api.subscribers.subscribe_to_free_trial("42", 2)
    assert sub == Subscriber.from_xml(trial)
    service.on("POST", f"{API}/subscribers/42/lifetime_complimentary_subscriptions.xml", Answer(201, life))
    assert api.subscribers.give_lifetime_subscription("42", "Pro") == Subscriber.from_xml(life)


def test_forbidden_create_is_typed(api: Any, service: FakeService) -> None:
    service.on("POST", f"{API}/subscribers.xml", text(403, "A subscriber with a customer-id of 8889 already exists."))
    with pytest.raises(ForbiddenError) as info:
        api.create_subscriber("8889", "freddy")
    assert info.value.errors == ["A subscriber with a customer-id of 8889 already exists."]
    service.on("GET", f"{API}/subscribers/8889.xml", text(404, NOT_FOUND.format(8889)))
    with pytest.raises(NotFoundError):
        api.get_info("8889")


def test_transactions_iter_ends_when_the_server_ignores_since_id(api: Any, service: FakeService) -> None:
    """The transactions sample repeats one id: a server that ignores ``since_id`` must not
    make the walk loop for ever or yield duplicates."""
    service.on("GET", f"{API}/transactions.xml", Answer(200, _page([20, 20, 20])))
    assert [t.id for t in api.transactions.iter()] == [20, 20, 20]
    assert [s.query for s in service.seen] == ["since_id=0", "since_id=20"]


def test_update_without_fields_is_refused_before_sending(api: Any, service: FakeService) -> None:
    with pytest.raises(InvalidRequestError):
        api.subscribers.update("42")
    with pytest.raises(InvalidRequestError):
        api.set_info("42")
    assert service.seen == []


def test_set_info_never_sends_fields_the_fetched_document_did_not_carry(api: Any, service: FakeService) -> None:
    """A subscriber taken from a list (fewer fields) must not clear the others when sent back."""
    service.on("GET", f"{API}/subscribers.xml", Answer(200, fixture("subscribers-list.xml")))
    service.on("PUT", f"{API}/subscribers/001.xml", Answer(200, b""))
    service.on("GET", f"{API}/subscribers/001.xml", Answer(200, SUB_XML))
    first = api.subscribers.list()[0]
    api.set_info(first.model_copy(update={"billing_last_name": "Silva"}))
    put = service.seen[1]
    assert (put.method, put.path) == ("PUT", f"{API}/subscribers/001.xml")
    assert {el[0]: el[2] for el in shape(put.body)[3]} == {"screen-name": "first", "billing-last-name": "Silva"}


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_subscribers_iter_with_unknown_and_nested_elements(api: Any, service: FakeService, where: str) -> None:
    """Streaming yields only the root's own ``<subscriber>`` items: unknown elements between
    items are skipped, and a ``<subscriber>`` nested inside an item's invoice is not an item."""
    from lxml import etree

    root = etree.fromstring(fixture("subscribers-list.xml"))
    full = etree.fromstring(SUB_XML)
    invoice = full.find("invoices/invoice")
    assert invoice is not None
    nested = etree.SubElement(invoice, "subscriber")
    etree.SubElement(nested, "customer-id").text = "nested-one"
    unknown = etree.Element("pagination", type="array")
    etree.SubElement(etree.SubElement(unknown, "subscriber"), "customer-id").text = "not-an-item"
    position = {"first": 0, "middle": 2, "last": len(root)}[where]
    root.insert(position, unknown)
    root.append(full)
    doc = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    service.on("GET", f"{API}/subscribers.xml", Answer(200, doc, chunk=17))
    streamed = list(api.subscribers.iter())
    assert [s.customer_id for s in streamed] == ["001", "0042", "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c", "001"]
    assert streamed[-1].invoices and streamed[-1].invoices[0].subscriber is not None
    assert streamed[-1].invoices[0].subscriber.customer_id == "nested-one"
    assert streamed == api.subscribers.list()


@pytest.mark.parametrize("bad_call", [
    pytest.param(lambda c: c.subscribers.give_time_extension("42", 1, "weeks"), id="units"),
    pytest.param(lambda c: c.create_complimentary_subscription("42", "two", "months", "Pro"), id="quantity"),
    pytest.param(lambda c: c.subscribers.add_store_credit("42", "lots"), id="amount"),
    pytest.param(lambda c: c.add_fee("42", "n", None, "g", "NaN?"), id="fee-amount"),
    pytest.param(lambda c: c.invoices.pay("tok", {"account-type": "on-file"}), id="payment-type"),
    pytest.param(lambda c: c.invoices.create("seven", "001"), id="plan-id"),
    pytest.param(lambda c: c.subscribers.get(None), id="no-id"),
    pytest.param(lambda c: c.subscribers.get(".."), id="dot-segment"),
    pytest.param(lambda c: c.subscribers.create(True), id="bool-id"),
    pytest.param(lambda c: c.subscribers.subscribe_to_free_trial("42", "nine"), id="trial-plan"),
])
def test_bad_values_are_refused_before_sending(api: Any, service: FakeService, bad_call: Any) -> None:
    with pytest.raises(InvalidRequestError) as info:
        bad_call(api)
    assert isinstance(info.value, ValueError)
    assert service.seen == []
