"""The subscribers-changed notification: what is POSTed, when, and the retries on the emulator's clock."""

from __future__ import annotations

import socket
from datetime import timedelta

import httpx

from spreedly_sdk import Client
from spreedly_sdk.testing import Clock, Emulator
from spreedly_sdk.webhooks import fetch_changed

from .conftest import START, Receiver


def test_each_change_posts_the_form_field(emu: Emulator, receiver: Receiver) -> None:
    with emu.client() as client:
        client.subscribers.create("1")
        client.subscribers.create("a,b?")                  # ids are sent as given, form-encoded
        client.subscribers.get("1")                        # reads change nothing
        client.plans.list()
        client.subscribers.update("1", new_customer_id="2")
    assert receiver.ids == [["1"], ["a", "b?"], ["1", "2"]]
    assert receiver.bodies[0] == b"subscriber_ids=1"
    assert receiver.headers[0]["Content-Type"] == "application/x-www-form-urlencoded"
    assert all(a.ok and a.attempt == 1 and a.at == START for a in emu.notifications)
    assert [a.subscriber_ids for a in emu.notifications] == [("1",), ("a,b?",), ("1", "2")]


def test_retries_after_1_2_4_minutes_of_emulator_time(emu: Emulator, receiver: Receiver) -> None:
    receiver.fail_first = 3
    with emu.client() as client:
        client.subscribers.create("r")
    assert [(a.at, a.status, a.attempt) for a in emu.notifications] == [(START, 500, 1)]
    assert emu.notifier.pending == ["r"] and emu.notifier.next_retry_at == START + timedelta(minutes=1)

    emu.advance(seconds=59)
    assert len(receiver.bodies) == 1                       # not yet
    emu.advance(seconds=1)                                 # +1 min: second attempt, fails
    assert len(receiver.bodies) == 2
    with emu.client() as client:                           # a change while failing joins the batch
        client.subscribers.create("s")
    assert len(receiver.bodies) == 2 and emu.notifier.pending == ["r", "s"]
    emu.advance(minutes=10)                                # +3 min fails, +7 min succeeds
    assert [(a.at - START, a.status, a.attempt, a.subscriber_ids) for a in emu.notifications] == [
        (timedelta(0), 500, 1, ("r",)),
        (timedelta(minutes=1), 500, 2, ("r",)),
        (timedelta(minutes=3), 500, 3, ("r", "s")),
        (timedelta(minutes=7), 200, 4, ("r", "s")),
    ]
    assert emu.notifier.pending == [] and emu.notifier.next_retry_at is None
    with emu.client() as client:                           # healthy again: immediate
        client.subscribers.create("t")
    assert emu.notifications[-1].subscriber_ids == ("t",) and emu.notifications[-1].ok
    assert receiver.ids[-1] == ["t"]


def test_only_200_acknowledges(emu: Emulator, receiver: Receiver) -> None:
    receiver.fail_first, receiver.fail_status = 1, 204
    with emu.client() as client:
        client.subscribers.create("x")
    emu.advance(minutes=1)
    assert [a.status for a in emu.notifications] == [204, 200]


def test_unreachable_endpoint_keeps_retrying_with_doubling_waits() -> None:
    with socket.socket() as sock:                          # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    emu = Emulator(clock=Clock(START), notify_url=f"http://127.0.0.1:{port}/hook")
    with emu.client() as client:
        client.subscribers.create("u")
    emu.advance(minutes=31)
    attempts = emu.notifications
    assert [a.at - START for a in attempts] == [timedelta(minutes=m) for m in (0, 1, 3, 7, 15, 31)]
    assert all(a.status is None and a.error and "Connect" in a.error for a in attempts)
    assert emu.notifier.failed == attempts and emu.notifier.delivered == []


def test_renewals_during_an_outage_are_delivered_when_it_ends(emu: Emulator, receiver: Receiver) -> None:
    emu.add_subscriber("v", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    receiver.fail_first = 10**6
    emu.advance(days=31)                                   # seeding + renewal, then retries all month
    assert emu.notifications and not any(a.ok for a in emu.notifications)
    assert emu.notifier.pending == ["v"]
    receiver.fail_first = 0
    waited = emu.notifier.next_retry_at
    assert waited is not None
    emu.advance(seconds=(waited - emu.clock.now()).total_seconds())
    assert emu.notifications[-1].ok and emu.notifier.pending == []


def test_no_url_no_attempts() -> None:
    emu = Emulator()
    with emu.client() as client:
        client.subscribers.create("n")
    assert emu.notifications == [] and emu.changed_ids == ["n"]


def test_the_receiver_may_call_back_into_the_emulator(emu: Emulator, receiver: Receiver) -> None:
    """The endpoint fetches with the SDK while the emulator waits for its answer: no deadlock,
    in-process and over a socket."""
    seen: list[tuple[str, bool]] = []
    with emu.client() as app_client:
        receiver.on_post = lambda ids: seen.extend(
            (s.customer_id, bool(s.active)) for s in fetch_changed(app_client, ids))
        with emu.client() as client:
            client.subscribers.create("w")
            client.subscribers.give_complimentary_subscription("w", 1, "months", "pro")
        with emu.serve() as base_url, Client(emu.token, emu.site_name, base_url=base_url) as remote:
            receiver.on_post = lambda ids: seen.extend(
                (s.customer_id, bool(s.active)) for s in fetch_changed(remote, ids))
            emu.advance(days=32)
    assert seen == [("w", False), ("w", True), ("w", False)]


def test_delivery_through_a_transport(receiver: Receiver) -> None:
    got: list[bytes] = []

    def app(request: httpx.Request) -> httpx.Response:
        got.append(request.read())
        return httpx.Response(200)

    emu = Emulator(notify_url="http://app.invalid/hook")
    emu.notifier.transport = httpx.MockTransport(app)
    with emu.client() as client:
        client.subscribers.create("m")
    assert got == [b"subscriber_ids=m"] and receiver.bodies == []


def test_reset_forgets_notifications(emu: Emulator, receiver: Receiver) -> None:
    receiver.fail_first = 1
    with emu.client() as client:
        client.subscribers.create("z")
    emu.reset()
    assert emu.notifications == [] and emu.notifier.pending == []
    emu.advance(minutes=5)
    assert len(receiver.bodies) == 1


def test_a_bad_url_is_a_failed_attempt_not_an_api_error() -> None:
    emu = Emulator(clock=Clock(START), notify_url="ftp://127.0.0.1/hook")
    with emu.client() as client:
        assert client.subscribers.create("b").customer_id == "b"
    [attempt] = emu.notifications
    assert attempt.status is None and attempt.error is not None and not attempt.ok


async def test_async_api_calls_notify_too(emu: Emulator, receiver: Receiver) -> None:
    async with emu.async_client() as client:
        await client.subscribers.create("as1")
        await client.subscribers.give_complimentary_subscription("as1", 1, "months", "pro")
    assert receiver.ids == [["as1"], ["as1"]]


def test_concurrent_changes_are_each_delivered_once(receiver: Receiver) -> None:
    from concurrent.futures import ThreadPoolExecutor

    emu = Emulator(notify_url=receiver.url)               # a running clock, many threads
    with emu.serve() as base_url, Client(emu.token, emu.site_name, base_url=base_url) as client, \
            ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda i: client.subscribers.create(f"k{i}"), range(80)))
    delivered = [cid for ids in receiver.ids for cid in ids]
    assert sorted(delivered) == sorted(f"k{i}" for i in range(80))
    assert all(a.ok for a in emu.notifications) and emu.notifier.pending == []
