"""Typed bad input: any text through every id-taking call (lone surrogates included) either
goes out as one encoded path segment or is refused with ``InvalidRequestError`` before
anything is sent; never a ``UnicodeEncodeError`` or an httpx ``TypeError``. Sync and async.
Also: the pyspreedly aliases accept the resource methods' keyword calls."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from wire import API, SITE, TOKEN, Answer, FakeService

from spreedly_sdk import AsyncClient, Client, InvalidRequestError, InvalidTypeError, NotFoundError
from spreedly_sdk.webhooks import parse_subscriber_ids

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
"""Any text: surrogates, controls, slashes, dots, percent signs..."""

# Every call that takes a customer id (resources and their pyspreedly aliases).
ID_CALLS: dict[str, Callable[[Any, str], Any]] = {
    "subscribers.get": lambda c, i: c.subscribers.get(i),
    "subscribers.delete": lambda c, i: c.subscribers.delete(i),
    "subscribers.create": lambda c, i: c.subscribers.create(i),
    "subscribers.update": lambda c, i: c.subscribers.update(i, screen_name="x"),
    "subscribers.subscribe_to_free_trial": lambda c, i: c.subscribers.subscribe_to_free_trial(i, 1),
    "subscribers.allow_free_trial": lambda c, i: c.subscribers.allow_free_trial(i),
    "subscribers.stop_auto_renew": lambda c, i: c.subscribers.stop_auto_renew(i),
    "subscribers.change_plan": lambda c, i: c.subscribers.change_plan(i, 1),
    "subscribers.give_complimentary_subscription":
        lambda c, i: c.subscribers.give_complimentary_subscription(i, 1, "months", "gold"),
    "subscribers.give_time_extension": lambda c, i: c.subscribers.give_time_extension(i, 1, "months"),
    "subscribers.give_lifetime_subscription": lambda c, i: c.subscribers.give_lifetime_subscription(i, "gold"),
    "subscribers.add_store_credit": lambda c, i: c.subscribers.add_store_credit(i, "1.00"),
    "subscribers.add_fee": lambda c, i: c.subscribers.add_fee(i, name="n", group="g", amount="1.00"),
    "invoices.create": lambda c, i: c.invoices.create(1, i),
    "get_info": lambda c, i: c.get_info(i),
    "set_info": lambda c, i: c.set_info(i, screen_name="x"),
    "create_subscriber": lambda c, i: c.create_subscriber(i),
    "get_or_create_subscriber": lambda c, i: c.get_or_create_subscriber(i),
    "delete_subscriber": lambda c, i: c.delete_subscriber(i),
    "subscribe": lambda c, i: c.subscribe(i, 1),
    "allow_free_trial": lambda c, i: c.allow_free_trial(i),
    "change_plan": lambda c, i: c.change_plan(i, 1),
    "add_fee": lambda c, i: c.add_fee(i, "n", None, "g", "1.00"),
    "create_complimentary_subscription": lambda c, i: c.create_complimentary_subscription(i, 1, "months", "g"),
    "complimentary_time_extensions": lambda c, i: c.complimentary_time_extensions(i, 1, "months"),
}


class Driver:
    """One client of each kind on a MockTransport that answers 404 to everything."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.sent: list[httpx.Request] = []
        transport = httpx.MockTransport(self._answer)
        self.loop = asyncio.new_event_loop() if kind == "async" else None
        if kind == "sync":
            self.http: Any = httpx.Client(transport=transport)
            self.client: Any = Client(TOKEN, SITE, http_client=self.http, max_retries=0)
        else:
            self.http = httpx.AsyncClient(transport=transport)
            self.client = AsyncClient(TOKEN, SITE, http_client=self.http, max_retries=0)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return httpx.Response(404, text="Not found")

    def run(self, call: Callable[[Any], Any]) -> Any:
        result = call(self.client)
        if self.loop is not None and asyncio.iscoroutine(result):
            return self.loop.run_until_complete(result)
        return result

    def close(self) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self.http.aclose())
            self.loop.close()
        else:
            self.http.close()


@pytest.fixture(params=["sync", "async"], scope="module")
def driver(request: pytest.FixtureRequest) -> Iterator[Driver]:
    d = Driver(request.param)
    yield d
    d.close()


def _segments(request: httpx.Request) -> list[str]:
    """The decoded path segments (the last one without its ``.xml``)."""
    raw = request.url.raw_path.decode("ascii").split("?")[0].removesuffix(".xml")
    return [unquote(s, errors="strict") for s in raw.split("/")]


@pytest.mark.parametrize("name", sorted(ID_CALLS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(customer_id=ANY_TEXT)
def test_any_text_as_an_id_is_sent_intact_or_refused_before_sending(driver: Driver, name: str,
                                                                     customer_id: str) -> None:
    driver.sent.clear()
    try:
        driver.run(lambda c: ID_CALLS[name](c, customer_id))
    except InvalidRequestError:
        assert driver.sent == []  # refused before anything was sent
        return
    except NotFoundError:
        pass
    assert driver.sent, "a call neither refused nor sent"
    for request in driver.sent:
        assert request.url.raw_path.decode("ascii").startswith(f"{API}/")
        # the customer id goes into the path as one segment, or into the body (creating)
        in_body = request.content and etree.fromstring(request.content).findtext(".//customer-id")
        assert customer_id in _segments(request) or in_body == customer_id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT)
def test_any_text_as_a_query_path_or_hosted_page_value(driver: Driver, text: str) -> None:
    driver.sent.clear()
    try:
        answer = driver.run(lambda c: c.query(f"subscribers/{text}.xml"))
    except InvalidRequestError:
        assert driver.sent == []
    else:
        assert answer.status_code == 404 and len(driver.sent) == 1
    try:
        url = driver.client.hosted_pages.signup_url("42", 1, screen_name=text or None, email=text)
    except InvalidRequestError:
        pass
    else:
        url.encode("ascii")  # a real URL: everything percent-encoded


@pytest.mark.parametrize("data", [123, 1.5, ["<x/>"], {"a": 1}, object()])
def test_query_body_of_the_wrong_type(driver: Driver, data: Any) -> None:
    driver.sent.clear()
    with pytest.raises(InvalidTypeError) as info:
        driver.run(lambda c: c.query("subscribers.xml", data, "post"))
    assert info.value.field == "data" and driver.sent == [] and isinstance(info.value, TypeError)


def test_query_body_with_a_lone_surrogate(driver: Driver) -> None:
    driver.sent.clear()
    with pytest.raises(InvalidRequestError, match="surrogate"):
        driver.run(lambda c: c.query("subscribers.xml", "<a>\ud800</a>", "post"))
    assert driver.sent == []


@settings(max_examples=200, deadline=None)
@given(body=st.one_of(ANY_TEXT.map(lambda t: "subscriber_ids=" + t), ANY_TEXT, st.binary(max_size=40)))
def test_notification_bodies_parse_or_raise_invalid_request(body: str | bytes) -> None:
    try:
        ids = parse_subscriber_ids(body)
    except InvalidRequestError:
        return
    assert all(isinstance(i, str) and i.encode("utf-8") for i in ids)


def test_notification_body_of_the_wrong_type() -> None:
    with pytest.raises(InvalidTypeError):
        parse_subscriber_ids(42)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- aliases


def test_add_fee_takes_the_resource_keyword_call(api: Any, service: FakeService) -> None:
    service.on("POST", f"{API}/subscribers/100/fees.xml", Answer(201, b""))
    api.add_fee("100", name="x", group="g", amount="1.00")
    api.add_fee("100", "x", "setup", "g", "1.00")  # pyspreedly's order
    first, second = (s.xml() for s in service.seen)
    assert "description" not in str(first) and "setup" in str(second)
    assert api.subscribers.add_fee is not None  # the resource spelling stays


def test_add_fee_needs_group_and_amount(api: Any, service: FakeService) -> None:
    with pytest.raises(InvalidTypeError, match="group"):
        api.add_fee("100", "x")
    with pytest.raises(InvalidTypeError, match="amount"):
        api.add_fee("100", "x", group="g")
    assert service.seen == []
