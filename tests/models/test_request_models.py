"""Request models are first-class: every method that sends one takes an instance of it in place
of its keyword arguments and sends the same body; floats are amounts by their shortest repr;
create refuses, before sending, a customer id no path could carry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spreedly_sdk import AsyncClient, Client
from spreedly_sdk.errors import InvalidRequestError
from spreedly_sdk.models import (
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    Credit,
    Fee,
    InvoiceCreate,
    InvoiceSubscriber,
    LifetimeComplimentarySubscription,
    PlanReference,
    SubscriberCreate,
    SubscriberUpdate,
)

SUBSCRIBER = b"<subscriber><customer-id>42</customer-id></subscriber>"
INVOICE = (b"<invoice><token>t</token><closed>false</closed><amount>1.0</amount><price>$1</price>"
           b"<currency-code>USD</currency-code><created-at>2012-01-01T00:00:00Z</created-at>"
           b"<updated-at>2012-01-01T00:00:00Z</updated-at><line-items type=\"array\"/></invoice>")


class _Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, bytes]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path, request.content))
        body = INVOICE if request.url.path.endswith("invoices.xml") else SUBSCRIBER
        return httpx.Response(200, headers={"Content-Type": "application/xml"}, content=body)


def _sent(call: Callable[[Client], Any]) -> tuple[str, str, bytes]:
    recorder = _Recorder()
    with Client("t", "site", base_url="http://test.invalid", max_retries=0,
                http_client=httpx.Client(transport=httpx.MockTransport(recorder))) as client:
        call(client)
    assert len(recorder.sent) == 1
    return recorder.sent[0]


START = datetime(2012, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc)
PAIRS: dict[str, tuple[Callable[[Client], Any], Callable[[Client], Any]]] = {
    "create": (lambda c: c.subscribers.create("42", screen_name="a", email=None),
               lambda c: c.subscribers.create(SubscriberCreate(customer_id="42", screen_name="a", email=None))),
    "update": (lambda c: c.subscribers.update("42", email="e@x.io", billing_last_name=None),
               lambda c: c.subscribers.update("42", SubscriberUpdate(email="e@x.io", billing_last_name=None))),
    "free_trial": (lambda c: c.subscribers.subscribe_to_free_trial("42", 3),
                   lambda c: c.subscribers.subscribe_to_free_trial("42", PlanReference(id=3))),
    "change_plan": (lambda c: c.subscribers.change_plan("42", 3),
                    lambda c: c.subscribers.change_plan("42", PlanReference(id=3))),
    "comp": (lambda c: c.subscribers.give_complimentary_subscription("42", 2, "months", "pro", start_time=START,
                                                                     amount=1.1),
             lambda c: c.subscribers.give_complimentary_subscription("42", ComplimentarySubscription(
                 duration_quantity=2, duration_units="months", feature_level="pro", start_time=START,
                 amount=Decimal("1.1")))),
    "extension": (lambda c: c.subscribers.give_time_extension("42", 3, "days"),
                  lambda c: c.subscribers.give_time_extension("42", ComplimentaryTimeExtension(
                      duration_quantity=3, duration_units="days"))),
    "lifetime": (lambda c: c.subscribers.give_lifetime_subscription("42", "pro"),
                 lambda c: c.subscribers.give_lifetime_subscription(
                     "42", LifetimeComplimentarySubscription(feature_level="pro"))),
    "credit": (lambda c: c.subscribers.add_store_credit("42", 0.1),
               lambda c: c.subscribers.add_store_credit("42", Credit(amount=Decimal("0.1")))),
    "fee": (lambda c: c.subscribers.add_fee("42", name="n", group="g", amount=1.5, description="d"),
            lambda c: c.subscribers.add_fee("42", Fee(name="n", group="g", amount=Decimal("1.5"), description="d"))),
    "invoice": (lambda c: c.invoices.create(3, "42", email="e@x.io"),
                lambda c: c.invoices.create(InvoiceCreate(subscription_plan_id=3, subscriber=InvoiceSubscriber(
                    customer_id="42", email="e@x.io")))),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_the_model_form_sends_what_the_keyword_form_sends(name: str) -> None:
    keywords, model = PAIRS[name]
    assert _sent(keywords) == _sent(model)


def test_floats_are_sent_by_their_shortest_repr() -> None:
    assert b"<amount type=\"decimal\">1.1</amount>" in _sent(PAIRS["comp"][0])[2]
    assert b"<amount type=\"decimal\">0.1</amount>" in _sent(PAIRS["credit"][0])[2]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True])
def test_amounts_that_are_not_numbers_are_refused(bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match="amount"):
        _sent(lambda c: c.subscribers.add_store_credit("42", bad))


@settings(max_examples=80, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_any_finite_float_is_sent_as_its_repr(value: float) -> None:
    body = _sent(lambda c: c.subscribers.add_store_credit("42", value))[2]
    assert Decimal(body.split(b">")[-3].split(b"<")[0].decode()) == Decimal(repr(value))


def test_both_forms_at_once_are_refused_before_sending() -> None:
    fee = Fee(name="n", group="g", amount=Decimal(1))
    recorder = _Recorder()
    with Client("t", "site", base_url="http://test.invalid",
                http_client=httpx.Client(transport=httpx.MockTransport(recorder))) as client:
        with pytest.raises(InvalidRequestError, match="not both"):
            client.subscribers.add_fee("42", fee, name="other")  # type: ignore[call-overload]
        with pytest.raises(InvalidRequestError, match="not both"):
            client.subscribers.update("42", SubscriberUpdate(email="a@b.c"), email="x@y.z")  # type: ignore[call-overload]
        with pytest.raises(InvalidRequestError, match="not both"):
            client.invoices.create(InvoiceCreate(subscription_plan_id=3, subscriber=InvoiceSubscriber(
                customer_id="1")), "42")  # type: ignore[call-overload]
    assert recorder.sent == []


@pytest.mark.parametrize("customer_id", ["", " 7", "7 ", "..", ".", "%2e%2e", "a\nb", "a\x7fb", "x\ud800"])
def test_create_refuses_ids_no_path_could_carry(customer_id: str) -> None:
    recorder = _Recorder()
    with Client("t", "site", base_url="http://test.invalid",
                http_client=httpx.Client(transport=httpx.MockTransport(recorder))) as client:
        with pytest.raises(InvalidRequestError) as caught:
            client.subscribers.create(customer_id)
        with pytest.raises(InvalidRequestError):
            client.subscribers.create(SubscriberCreate(customer_id=customer_id))
        with pytest.raises(InvalidRequestError):
            client.subscribers.get(customer_id)
    assert caught.value.field == "customer_id"
    assert recorder.sent == []


def test_create_accepts_ids_any_path_can_carry() -> None:
    for customer_id in ["007", "a/b", "a?b#c", "x😀", 12]:
        method, path, body = _sent(lambda c, i=customer_id: c.subscribers.create(i))
        assert method == "POST" and path.endswith("/subscribers.xml")
        assert f"<customer-id>{customer_id}</customer-id>".encode() in body


async def test_the_async_twins_take_the_models_too() -> None:
    recorder = _Recorder()
    async with AsyncClient("t", "site", base_url="http://test.invalid", max_retries=0,
                           http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder))) as client:
        await client.subscribers.add_fee("42", Fee(name="n", group="g", amount=Decimal("1.5")))
        await client.subscribers.give_time_extension("42", ComplimentaryTimeExtension(
            duration_quantity=1, duration_units="days"))
        await client.subscribers.add_store_credit("42", 2.5)
    assert [body for _, _, body in recorder.sent][2].endswith(b"<credit><amount type=\"decimal\">2.5</amount></credit>")
    assert b"<name>n</name>" in recorder.sent[0][2]
