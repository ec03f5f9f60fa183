"""The harness around the site: faults, the request record, reset, seeding, the clock, the plugin."""

from __future__ import annotations

import asyncio
import base64
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest

from spreedly_sdk import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    InternalServerError,
    RateLimitError,
)
from spreedly_sdk.testing import Clock, Emulator, add_period, make_plan

UTC = timezone.utc


# ----------------------------------------------------------------------------- faults


@pytest.mark.parametrize("over_socket", [False, True])
def test_status_fault_replaces_the_answer_and_changes_nothing(emu: Emulator, over_socket: bool) -> None:
    def run(client: Client) -> None:
        emu.fail_next(status=503, body=b"down for maintenance", path="/subscribers.xml", method="POST")
        with pytest.raises(InternalServerError) as info:
            client.subscribers.create("1")
        assert info.value.status_code == 503 and info.value.errors == ["down for maintenance"]
        assert emu.subscriber("1") is None
        assert client.subscribers.create("1").customer_id == "1"  # the fault was used up

    if over_socket:
        with emu.serve() as url, Client(emu.token, emu.site_name, base_url=url, max_retries=0) as client:
            run(client)
    else:
        with emu.client(max_retries=0) as client:
            run(client)


def test_status_fault_with_retry_after_is_retried_by_the_sdk(emu: Emulator) -> None:
    emu.fail_next(2, status=429, headers={"Retry-After": "0.01"}, path="subscription_plans")
    with emu.client(max_retries=2) as client:
        assert len(client.plans.list()) == 4
    assert [r.api_path for r in emu.requests] == ["subscription_plans.xml"]  # performed once
    assert [r.api_path for r in emu.received] == ["subscription_plans.xml"] * 3  # arrived three times
    assert [r.fault is not None for r in emu.received] == [True, True, False]
    assert all(r.fault is None or r.fault.status == 429 for r in emu.received)
    emu.fail_next(3, status=429, headers={"Retry-After": "0.01"})
    with emu.client(max_retries=2) as client, pytest.raises(RateLimitError):
        client.plans.list()


@pytest.mark.parametrize("over_socket", [False, True])
def test_processed_drop_performs_the_request_but_loses_the_answer(emu: Emulator, over_socket: bool) -> None:
    def run(client: Client) -> None:
        emu.fail_next(drop_connection=True, processed=True, path="/subscribers.xml")
        with pytest.raises(APIConnectionError):
            client.subscribers.create("7")
        assert emu.subscriber("7") is not None
        assert emu.requests[-1].fault is not None and emu.requests[-1].fault.processed
        emu.fail_next(drop_connection=True, path="/subscribers.xml")
        with pytest.raises(APIConnectionError):
            client.subscribers.create("8")
        assert emu.subscriber("8") is None

    if over_socket:
        with emu.serve() as url, Client(emu.token, emu.site_name, base_url=url, max_retries=0) as client:
            run(client)
    else:
        with emu.client(max_retries=0) as client:
            run(client)


@pytest.mark.parametrize("over_socket", [False, True])
async def test_truncated_body_is_a_connection_error(emu: Emulator, over_socket: bool) -> None:
    emu.add_subscriber("1")
    emu.fail_next(truncate_body=True, path="subscribers/1.xml")
    if over_socket:
        with emu.serve() as url:
            async with AsyncClient(emu.token, emu.site_name, base_url=url, max_retries=0) as client:
                with pytest.raises(APIConnectionError):
                    await client.subscribers.get("1")
                assert (await client.subscribers.get("1")).customer_id == "1"
    else:
        async with emu.async_client(max_retries=0) as client:
            with pytest.raises(APIConnectionError):
                await client.subscribers.get("1")
            assert (await client.subscribers.get("1")).customer_id == "1"


@pytest.mark.parametrize("over_socket", [False, True])
async def test_delay_beyond_the_timeout_times_out(emu: Emulator, over_socket: bool) -> None:
    emu.fail_next(delay=0.5, path="subscription_plans")
    if over_socket:
        with emu.serve() as url:
            async with AsyncClient(emu.token, emu.site_name, base_url=url, max_retries=0, timeout=0.1) as client:
                with pytest.raises(APITimeoutError):
                    await client.plans.list()
    else:
        async with emu.async_client(max_retries=0, timeout=0.1) as client:
            with pytest.raises(APITimeoutError):
                await client.plans.list()
    emu.fail_next(delay=0.01)
    with emu.client(max_retries=0, timeout=5) as sync_client:
        assert len(sync_client.plans.list()) == 4


def test_faults_queue_and_clear(emu: Emulator) -> None:
    emu.fail_next(status=500, path="transactions")
    emu.fail_next(status=502)
    with emu.client(max_retries=0) as client:
        with pytest.raises(InternalServerError) as info:
            client.plans.list()  # only the second fault matches
        assert info.value.status_code == 502
        emu.clear_faults()
        assert client.transactions.list() == []
    with pytest.raises(ValueError):
        emu.fail_next(0)


# ----------------------------------------------------------------------------- record, reset, seeding


def test_requests_are_recorded_without_the_token(spreedly_client: Client, spreedly_emulator: Emulator) -> None:
    spreedly_client.subscribers.create("42", email="a@b.c")
    spreedly_client.subscribers.get("42")
    first, second = spreedly_emulator.requests
    assert (first.method, first.api_path, second.method, second.api_path) == (
        "POST", "subscribers.xml", "GET", "subscribers/42.xml")
    assert b"<customer-id>42</customer-id>" in first.body and b"a@b.c" in first.body
    assert all(k.lower() != "authorization" for r in spreedly_emulator.requests for k in r.headers)
    assert first.headers["content-type"].startswith("application/xml")


async def test_async_plugin_fixture(spreedly_async_client: AsyncClient, spreedly_emulator: Emulator) -> None:
    await spreedly_async_client.subscribers.create("a")
    assert spreedly_emulator.subscriber("a") is not None
    assert spreedly_emulator.changed_ids == ["a"]


def test_reset_restores_the_catalogue(emu: Emulator) -> None:
    emu.add_plan("Weekly", amount="5", duration_quantity=7, duration_units="days")
    emu.add_subscriber("1")
    emu.fail_next(status=500)
    emu.reset()
    assert len(emu.plans) == 4 and emu.state.subscribers == {} and emu.requests == [] and emu.changed_ids == []
    assert emu.received == []
    with emu.client() as client:
        assert len(client.plans.list()) == 4


def test_custom_catalogue_and_plan_lookup() -> None:
    emu = Emulator("shop-test", "tok", plans=[make_plan(1, "Basic", amount="9.95"),
                                              make_plan(2, "Trial", plan_type="free_trial", duration_quantity=30,
                                                        duration_units="days")])
    assert emu.plan_id("basic") == 1 and emu.plan_id("Trial") == 2
    with pytest.raises(KeyError):
        emu.plan_id("monthly")
    with emu.client() as client:
        plans = client.plans.list()
    assert [(p.id, p.amount, p.terms) for p in plans] == [(1, Decimal("9.95"), "1 month"), (2, Decimal("0.0"),
                                                                                           "30 days")]
    added = emu.add_plan("Gold", amount=50)
    assert added.id == 3 and emu.plan_id("gold") == 3
    with emu.client() as client:
        assert [p.name for p in client.plans.list()] == ["Basic", "Trial", "Gold"]


def test_seeded_subscribers(emu: Emulator) -> None:
    paid = emu.add_subscriber("p", plan_id=emu.plan_id("monthly"), active=True, card=True, email="p@x.y")
    assert paid.active and paid.recurring and paid.subscription_plan_name == "Monthly" and paid.feature_level == "pro"
    assert paid.payment_account_on_file and paid.email == "p@x.y"
    credit = emu.add_subscriber(7, store_credit="3.5")
    assert credit.customer_id == "7" and credit.store_credit == Decimal("3.5") and not credit.active
    with pytest.raises(ValueError):
        emu.add_subscriber("p")
    with pytest.raises(TypeError):
        emu.add_subscriber("q", colour="red")
    assert emu.changed_ids == ["p", "7"]


# ----------------------------------------------------------------------------- time


def test_clock_frozen_advance_and_expiry() -> None:
    clock = Clock(datetime(2024, 1, 31, 12, 0, 0, 999, tzinfo=UTC))
    emu = Emulator(clock=clock)
    assert clock.frozen and clock.now() == datetime(2024, 1, 31, 12, 0, tzinfo=UTC)
    emu.add_subscriber("c")
    with emu.client() as client:
        sub = client.subscribers.give_complimentary_subscription("c", 3, "days", "gold")
        assert sub.active_until == datetime(2024, 2, 3, 12, 0, tzinfo=UTC)
        assert emu.advance(days=2, hours=23) == datetime(2024, 2, 3, 11, 0, tzinfo=UTC)
        assert client.subscribers.get("c").active is True
        emu.advance(hours=1)
        assert client.subscribers.get("c").active is False  # active-until is exclusive
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_running_clock_moves_and_can_be_frozen() -> None:
    clock = Clock()
    before = datetime.now(UTC).replace(microsecond=0)
    assert not clock.frozen and clock.now() >= before
    clock.advance(timedelta(days=10))
    assert clock.now() >= before + timedelta(days=10)
    clock.freeze(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.now() == datetime(2030, 1, 1, tzinfo=UTC)
    clock.set(datetime(2031, 1, 1))
    assert clock.now() == datetime(2031, 1, 1, tzinfo=UTC)
    clock.unfreeze()
    assert not clock.frozen and clock.now() >= datetime(2031, 1, 1, tzinfo=UTC)
    clock.set(datetime(2040, 6, 1, tzinfo=UTC))
    assert datetime(2040, 6, 1, tzinfo=UTC) <= clock.now() < datetime(2040, 6, 2, tzinfo=UTC)


@pytest.mark.parametrize(("start", "quantity", "units", "expected"), [
    (datetime(2024, 1, 31), 1, "months", datetime(2024, 2, 29)),
    (datetime(2023, 1, 31), 1, "months", datetime(2023, 2, 28)),
    (datetime(2024, 1, 31), 2, "months", datetime(2024, 3, 31)),
    (datetime(2024, 11, 30), 3, "months", datetime(2025, 2, 28)),
    (datetime(2024, 12, 15), 12, "months", datetime(2025, 12, 15)),
    (datetime(2024, 3, 31), -1, "months", datetime(2024, 2, 29)),
    (datetime(2024, 2, 28), 2, "days", datetime(2024, 3, 1)),
    (datetime(2024, 1, 1), 30, "days", datetime(2024, 1, 31)),
])
def test_period_arithmetic(start: datetime, quantity: int, units: str, expected: datetime) -> None:
    assert add_period(start, quantity, units) == expected


def test_add_period_refuses_unknown_units() -> None:
    with pytest.raises(ValueError):
        add_period(datetime(2024, 1, 1), 1, "weeks")


# ----------------------------------------------------------------------------- the socket server


async def test_a_thousand_concurrent_connections(emu: Emulator) -> None:
    """1,000 keep-alive connections open at once, each served a request while all stay open.

    Raw asyncio streams: httpx's own pool costs O(n^2) CPU at this size (tens of seconds),
    which would measure httpcore rather than the server.
    """
    auth = base64.b64encode(f"{emu.token}:X".encode()).decode()
    with emu.serve() as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        conns = await asyncio.gather(*[asyncio.open_connection(host, int(port)) for _ in range(1000)])
        request = (f"GET /api/v4/{emu.site_name}/subscription_plans.xml HTTP/1.1\r\nHost: {host}:{port}\r\n"
                   f"Authorization: Basic {auth}\r\n\r\n").encode()

        async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            body = await reader.readexactly(length)
            assert head.startswith(b"HTTP/1.1 200")
            return body

        bodies = await asyncio.wait_for(asyncio.gather(*[exchange(r, w) for r, w in conns]), 60)
        assert threading.active_count() > 1000  # one server thread per open connection
        for _, writer in conns:
            writer.close()
    assert len(bodies) == 1000 and all(b"<subscription-plans" in b for b in bodies)
    assert len(emu.requests) == 1000


async def test_many_concurrent_sdk_calls_over_the_socket(emu: Emulator) -> None:
    with emu.serve() as base_url:
        async with AsyncClient(emu.token, emu.site_name, base_url=base_url) as client:
            ids = await asyncio.gather(*[client.subscribers.create(f"c{i}") for i in range(100)])
    assert sorted(s.customer_id for s in ids) == sorted(f"c{i}" for i in range(100))
    assert len({s.pagination_id for s in ids}) == 100


def test_server_binds_loopback_and_stops(emu: Emulator) -> None:
    with emu.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with httpx.Client() as http:
            assert http.get(f"{base_url}/api/v4/{emu.site_name}/subscription_plans.xml",
                            auth=(emu.token, "X")).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/api/v4/{emu.site_name}/subscription_plans.xml", timeout=2)


def test_a_bug_in_a_handler_is_a_500_and_is_kept(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    import spreedly_sdk.testing.emulator as emulator_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(emulator_module, "dispatch", broken)
    with emu.client(max_retries=0) as client, pytest.raises(InternalServerError):
        client.plans.list()
    assert [str(e) for e in emu.errors] == ["boom"]
    emu.reset()
    assert emu.errors == []


def _raw_exchange(base_url: str, payload: bytes) -> bytes:
    import socket

    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(payload)
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks)


def test_chunked_bodies_http10_and_expect_continue(emu: Emulator) -> None:
    """What older clients sent: chunked uploads, HTTP/1.0 (urllib2), ``Expect: 100-continue`` (curl)."""
    auth = base64.b64encode(f"{emu.token}:X".encode()).decode()
    body = b"<subscriber><customer-id>ch</customer-id></subscriber>"
    with emu.serve() as base_url:
        chunked = (f"POST /api/v4/{emu.site_name}/subscribers.xml HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}"
                   f"\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
        chunked += b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:10], body[10:]))
        chunked += b"0\r\n\r\n"
        answer = _raw_exchange(base_url, chunked)
        assert answer.startswith(b"HTTP/1.1 201") and b"<customer-id>ch</customer-id>" in answer
        old = (f"GET /api/v4/{emu.site_name}/subscribers/ch.xml HTTP/1.0\r\nAuthorization: Basic {auth}\r\n\r\n"
               ).encode()
        answer = _raw_exchange(base_url, old)
        assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"</subscriber>\n")  # and closed
        expect = (f"PUT /api/v4/{emu.site_name}/subscribers/ch.xml HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}"
                  f"\r\nContent-Type: application/xml\r\nExpect: 100-continue\r\nConnection: close\r\n"
                  f"Content-Length: 48\r\n\r\n<subscriber><email>e@x.yz</email></subscriber>\r\n").encode()
        answer = _raw_exchange(base_url, expect)
        assert answer.startswith(b"HTTP/1.1 100") and b"HTTP/1.1 200" in answer
    sub = emu.subscriber("ch")
    assert sub is not None and sub.email == "e@x.yz"
