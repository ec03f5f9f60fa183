"""spreedly_sdk.webhooks: parsing the notification body and fetching the subscribers it names."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from spreedly_sdk import AsyncClient, InvalidRequestError
from spreedly_sdk.errors import InternalServerError
from spreedly_sdk.testing import Emulator
from spreedly_sdk.webhooks import MAX_BODY_BYTES, MAX_IDS, afetch_changed, fetch_changed, parse_subscriber_ids


@pytest.mark.parametrize(("body", "ids"), [
    (b"subscriber_ids=1%2C2%2C3", ["1", "2", "3"]),
    (b"subscriber_ids=1,2,3", ["1", "2", "3"]),
    (b"subscriber_ids=+7+%2C+8+", ["7", "8"]),
    (b"subscriber_ids=5%2C5%2C6%2C5", ["5", "6"]),
    (b"subscriber_ids=%2C%2C9%2C%2C", ["9"]),
    (b"subscriber_ids=", []),
    (b"subscriber_ids=1&subscriber_ids=2%2C1", ["1", "2"]),
    (b"other=x&subscriber_ids=abc-001&utf8=%E2%9C%93", ["abc-001"]),
    ("subscriber_ids=caf%C3%A9", ["café"]),
    (bytearray(b"subscriber_ids=42"), ["42"]),
])
def test_parse_tolerates(body: bytes | str, ids: list[str]) -> None:
    assert parse_subscriber_ids(body) == ids
    assert parse_subscriber_ids(body, "application/x-www-form-urlencoded; charset=UTF-8") == ids


@pytest.mark.parametrize(("body", "content_type", "message"), [
    (b"customer_ids=1", None, "no subscriber_ids field"),
    (b"", None, "no subscriber_ids field"),
    (b'{"subscriber_ids": "1"}', "application/json", "must be application/x-www-form-urlencoded"),
    (b"subscriber_ids=%FF", None, "not UTF-8"),
    (b"\xff", None, "not UTF-8"),
    (b"subscriber_ids=" + b"9" * 300, None, "longer than 255"),
    (b"subscriber_ids=a%0Ab", None, "control characters"),
    (b"subscriber_ids=" + ",".join(str(i) for i in range(MAX_IDS + 1)).encode(), None, "more than 1000"),
    (b"&".join(b"f%d=1" % i for i in range(50)), None, "not a form"),
    (b"subscriber_ids=" + b"1," * (MAX_BODY_BYTES // 2), None, "larger than"),
])
def test_parse_refuses_clearly(body: bytes, content_type: str | None, message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        parse_subscriber_ids(body, content_type)


def test_a_thousand_ids_are_fine() -> None:
    body = "subscriber_ids=" + ",".join(str(i) for i in range(MAX_IDS))
    assert len(parse_subscriber_ids(body)) == MAX_IDS


def test_fetch_changed_reports_unknown_ids(spreedly_emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    spreedly_emulator.add_subscriber("1", email="one@example.com")
    spreedly_emulator.add_subscriber("3")
    with spreedly_emulator.client() as client, caplog.at_level(logging.WARNING, "spreedly_sdk.webhooks"):
        found = fetch_changed(client, b"subscriber_ids=3%2C2%2C1%2C3")
    assert [s.customer_id for s in found] == ["3", "1"] and found[1].email == "one@example.com"
    assert found.missing == ("2",) and found.ids == ("3", "2", "1")
    assert isinstance(found, list) and "'2'" in caplog.text
    with spreedly_emulator.client() as client:
        assert [s.customer_id for s in fetch_changed(client, ["1", " 1 ", ""])] == ["1"]


def test_fetch_changed_raises_other_api_errors(spreedly_emulator: Emulator) -> None:
    spreedly_emulator.add_subscriber("1")
    spreedly_emulator.fail_next(3, status=500, path="/subscribers/1.xml")
    with spreedly_emulator.client(max_retries=0) as client, pytest.raises(InternalServerError):
        fetch_changed(client, b"subscriber_ids=1")


class Gauge(httpx.AsyncBaseTransport):
    """Counts requests in flight (each waits a little so they overlap), then lets the emulator answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.now = 0
        self.peak = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            await asyncio.sleep(0.005)
            return await self.inner.handle_async_request(request)
        finally:
            self.now -= 1


@pytest.mark.parametrize("concurrency", [1, 3, 8])
async def test_afetch_changed_is_bounded_and_keeps_order(spreedly_emulator: Emulator, concurrency: int) -> None:
    for i in range(20):
        spreedly_emulator.add_subscriber(f"c{i}")
    gauge = Gauge(spreedly_emulator.transport)
    http = httpx.AsyncClient(transport=gauge)
    async with AsyncClient(spreedly_emulator.token, spreedly_emulator.site_name, base_url=Emulator.BASE_URL,
                           http_client=http) as client:
        body = "subscriber_ids=" + ",".join([f"c{i}" for i in range(20)] + ["gone"])
        found = await afetch_changed(client, body, concurrency=concurrency)
    await http.aclose()
    assert [s.customer_id for s in found] == [f"c{i}" for i in range(20)] and found.missing == ("gone",)
    assert gauge.peak == concurrency


async def test_afetch_changed_raises_after_the_others_finish(spreedly_emulator: Emulator) -> None:
    spreedly_emulator.add_subscriber("1")
    spreedly_emulator.add_subscriber("2")
    spreedly_emulator.fail_next(1, status=503, path="/subscribers/2.xml")
    async with spreedly_emulator.async_client(max_retries=0) as client:
        with pytest.raises(InternalServerError):
            await afetch_changed(client, ["1", "2"])
        with pytest.raises(InvalidRequestError):
            await afetch_changed(client, ["1"], concurrency=0)
        assert (await afetch_changed(client, [])) == []

