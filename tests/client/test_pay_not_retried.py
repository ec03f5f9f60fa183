"""Paying an invoice is a PUT that charges a card: ambiguous failures are never retried."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from spreedly_sdk import APIConnectionError, AsyncClient, Client, CreditCardPayment, InternalServerError

CARD = CreditCardPayment("4222222222222", "visa", "123", 12, 2030, "Ada", "Lovelace")
INVOICE = (b'<?xml version="1.0" encoding="UTF-8"?>\n<invoice><token>t1</token>'
           b'<closed type="boolean">true</closed></invoice>')


def _handler(first: httpx.Response | Exception, calls: list[str]):
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            if isinstance(first, Exception):
                raise first
            return first
        return httpx.Response(200, content=INVOICE, headers={"content-type": "application/xml"})

    return handle


FAILURES = [
    pytest.param(lambda: httpx.Response(503, text="busy"), InternalServerError, id="503"),
    pytest.param(lambda: httpx.ReadError("reset"), APIConnectionError, id="read-error"),
    pytest.param(lambda: httpx.ReadTimeout("slow"), APIConnectionError, id="read-timeout"),
]


@pytest.mark.parametrize(("make_failure", "error"), FAILURES)
def test_sync_pay_is_sent_once(make_failure, error) -> None:
    calls: list[str] = []
    transport = httpx.MockTransport(_handler(make_failure(), calls))
    with Client("tok", "mysite", http_client=httpx.Client(transport=transport)) as client:
        client._transport.sleep = lambda _delay: None
        with pytest.raises(error) as info:
            client.invoices.pay("t1", CARD)
    assert calls == ["PUT"]
    if isinstance(info.value, APIConnectionError):
        assert info.value.maybe_processed is True


@pytest.mark.parametrize(("make_failure", "error"), FAILURES)
def test_async_pay_is_sent_once(make_failure, error) -> None:
    calls: list[str] = []
    transport = httpx.MockTransport(_handler(make_failure(), calls))

    async def run() -> None:
        async with AsyncClient("tok", "mysite", http_client=httpx.AsyncClient(transport=transport)) as client:

            async def no_sleep(_delay: float) -> None:
                return None

            client._transport.asleep = no_sleep
            with pytest.raises(error):
                await client.invoices.pay("t1", CARD)

    asyncio.run(run())
    assert calls == ["PUT"]


def test_other_puts_are_still_retried() -> None:
    """The exception is per call: an update (also a PUT) is retried after a 503."""
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503 if len(calls) == 1 else 200)

    with Client("tok", "mysite", http_client=httpx.Client(transport=httpx.MockTransport(handle))) as client:
        client._transport.sleep = lambda _delay: None
        client.subscribers.update("42", email="a@example.com")
    assert calls == ["PUT", "PUT"]
