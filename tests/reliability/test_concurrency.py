"""Concurrency, pooling and lifecycle (emulator over loopback + fault server)."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from spreedly_sdk import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    InternalServerError,
    SpreedlyError,
)

from . import faultserver as fs
from .conftest import TOKEN, sub_xml

# The emulator runs in its own process, like a real service, so the server's threads do not
# compete with the client for this interpreter's GIL; it is still ``Emulator.serve()``.
_EMULATOR_PROCESS = """
import sys
from spreedly_sdk.testing import Emulator
emu = Emulator(site_name="loadsite", token="tok_LOAD_0123456789")
for i in range(int(sys.argv[1])):
    emu.add_subscriber(i, screen_name=f"user {i}")
with emu.serve() as url:
    print(url, flush=True)
    sys.stdin.read()
"""

N = 1000


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, "-c", _EMULATOR_PROCESS, str(N)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _pool(client: Client | AsyncClient):  # noqa: ANN202
    return client._transport.http._transport._pool


def _busy(client: Client | AsyncClient) -> list[object]:
    return [c for c in _pool(client).connections if not c.is_idle() and not c.is_closed()]


async def test_thousand_concurrent_async_calls_with_defaults(emulator_url):
    async with AsyncClient("tok_LOAD_0123456789", "loadsite", base_url=emulator_url) as client:
        results = await asyncio.gather(*(client.subscribers.get(i) for i in range(N)), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        assert failures == []
        assert [r.customer_id for r in results] == [str(i) for i in range(N)]
        assert all(r.screen_name == f"user {i}" for i, r in enumerate(results))
        assert _busy(client) == []


def test_one_sync_client_shared_by_eight_threads(emulator_url):
    mismatches: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    with Client("tok_LOAD_0123456789", "loadsite", base_url=emulator_url) as client:

        def worker(w: int) -> int:
            done = 0
            for k in range(250):
                i = (w * 250 + k) % N
                try:
                    sub = client.subscribers.get(i)
                except BaseException as exc:  # noqa: BLE001
                    errors.append(exc)
                    continue
                if sub.customer_id != str(i):
                    mismatches.append((i, sub.customer_id))
                done += 1
            return done

        with ThreadPoolExecutor(8) as pool:
            done = sum(pool.map(worker, range(8)))
        assert errors == [] and mismatches == [] and done == 2000
        assert _busy(client) == []
        assert len(_pool(client).connections) <= 8


def test_slow_server_ends_in_success_or_typed_error(server):
    # Scaled down: 200 concurrent calls against a server that answers after 0.3 s, with a
    # pool of 20 connections and a 0.5 s pool timeout: every call ends (no hang), each either
    # succeeds or fails with APITimeoutError(phase="pool"), and nothing is left busy.
    srv = server(default=fs.delay_headers(0.3, fs.respond(200, sub_xml(1), keep_alive=True)), max_connections=64)

    async def main() -> list[object]:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=20),
                                     timeout=httpx.Timeout(5, pool=0.5)) as http:
            client = AsyncClient(TOKEN, "mysite", base_url=srv.url, http_client=http, max_retries=0, deadline=10)
            results = await asyncio.gather(*(client.subscribers.get(1) for _ in range(200)), return_exceptions=True)
            assert _busy(client) == []
            return results

    results = asyncio.run(main())
    ok = [r for r in results if not isinstance(r, BaseException)]
    bad = [r for r in results if isinstance(r, BaseException)]
    assert ok and all(r.customer_id == "1" for r in ok)
    assert all(isinstance(e, APITimeoutError) and e.phase == "pool" and not e.maybe_processed for e in bad)


def test_threads_mixing_methods_with_faults(server):
    # Faults (500, reset, slow headers) mixed with normal answers.
    import itertools
    import random

    rng = random.Random(4)
    kinds = ["ok"] * 6 + ["500", "reset", "slow"]
    lock = threading.Lock()
    chosen: list[str] = []

    def pick(conn, req, srv):  # noqa: ANN001, ANN202
        with lock:
            kind = rng.choice(kinds)
            chosen.append(kind)
        if kind == "500":
            return fs.respond(500, b"<errors><error>boom</error></errors>", keep_alive=True)(conn, req, srv)
        if kind == "reset":
            return fs.reset()(conn, req, srv)
        if kind == "slow":
            return fs.delay_headers(1.5, fs.respond(200, b""))(conn, req, srv)
        body = sub_xml(1) if req.method != "PUT" else b""
        return fs.respond(200 if req.method != "POST" else 201, body, keep_alive=True)(conn, req, srv)

    srv = server(default=pick, max_connections=64)
    sleeps: list[float] = []
    outcomes: dict[str, int] = {"ok": 0, "typed": 0}
    with Client(TOKEN, "mysite", base_url=srv.url, timeout=httpx.Timeout(5, read=0.5), max_retries=2) as client:
        client._transport.sleep = lambda d: sleeps.append(d)
        calls = itertools.cycle([lambda: client.subscribers.get(1),
                                 lambda: client.subscribers.update(1, screen_name="x"),
                                 lambda: client.subscribers.create(1)])
        jobs = [next(calls) for _ in range(120)]

        def run(job) -> None:  # noqa: ANN001
            try:
                job()
                key = "ok"
            except SpreedlyError:
                key = "typed"
            with lock:
                outcomes[key] += 1

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(run, jobs))
        assert _busy(client) == []
    assert outcomes["ok"] + outcomes["typed"] == 120 and outcomes["ok"] > 0
    # every request the server saw is one first attempt or one retry (each retry slept once)
    assert srv.hits == 120 + len(sleeps) == len(chosen)


async def test_cancel_during_retry_sleep(server):
    srv = server(default=fs.respond(503, b"", keep_alive=True))
    async with AsyncClient(TOKEN, "mysite", base_url=srv.url, max_retries=5) as client:
        sleeping = asyncio.Event()

        async def long_sleep(delay: float) -> None:
            sleeping.set()
            await asyncio.sleep(3600)

        client._transport.asleep = long_sleep
        task = asyncio.ensure_future(client.subscribers.get(1))
        await asyncio.wait_for(sleeping.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert srv.hits == 1 and _busy(client) == []


async def test_cancel_during_read(server):
    srv = server(default=fs.delay_headers(5, fs.respond(200, sub_xml(1))))
    async with AsyncClient(TOKEN, "mysite", base_url=srv.url) as client:
        task = asyncio.ensure_future(client.subscribers.get(1))
        while srv.hits == 0:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert _busy(client) == []
        # the same client still works afterwards
        srv.push(fs.respond(200, sub_xml(2)))
        assert (await client.subscribers.get(2)).customer_id == "2"
        assert _busy(client) == []


def test_sync_context_manager_closes(server):
    srv = server(default=fs.respond(200, sub_xml(1), keep_alive=True))
    with Client(TOKEN, "mysite", base_url=srv.url) as client:
        assert client.subscribers.get(1).customer_id == "1"
        assert len(_pool(client).connections) == 1
    assert client._transport.http.is_closed and _pool(client).connections == []
    with pytest.raises(SpreedlyError, match="closed"):
        client.subscribers.get(1)
    assert srv.hits == 1


async def test_async_context_manager_closes(server):
    srv = server(default=fs.respond(200, sub_xml(1), keep_alive=True))
    async with AsyncClient(TOKEN, "mysite", base_url=srv.url) as client:
        assert (await client.subscribers.get(1)).customer_id == "1"
    assert client._transport.http.is_closed and _pool(client).connections == []
    with pytest.raises(SpreedlyError, match="closed"):
        await client.subscribers.get(1)
    with pytest.raises(SpreedlyError, match="closed"):
        async for _ in client.subscribers.iter():
            pass
    assert srv.hits == 1


def test_supplied_http_client_left_open(server):
    srv = server(default=fs.respond(200, sub_xml(1), keep_alive=True))
    http = httpx.Client()
    with Client(TOKEN, "mysite", base_url=srv.url, http_client=http) as client:
        client.subscribers.get(1)
    assert not http.is_closed
    http.close()


def test_memory_flat_over_many_calls():
    # Allocated blocks (every live Python object, bytes included) after warming up, then after
    # 600 and 1,200 more calls: a per-call leak of even one small object would show as growth.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=sub_xml(1), headers={"content-type": "application/xml"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        client = Client(TOKEN, "mysite", base_url="https://example.test", http_client=http)
        samples = []
        for rounds in (300, 600, 600):
            for i in range(rounds):
                client.subscribers.get(i)
            gc.collect()
            samples.append(sys.getallocatedblocks())
    assert samples[2] - samples[1] < 300 and samples[1] - samples[0] < 600, samples


def test_async_client_on_a_second_event_loop(server):
    srv = server(default=fs.respond(200, sub_xml(1), keep_alive=True))
    client = AsyncClient(TOKEN, "mysite", base_url=srv.url, max_retries=0, deadline=5)

    async def once() -> str:
        return (await asyncio.wait_for(client.subscribers.get(1), 10)).customer_id

    assert asyncio.run(once()) == "1"
    # The pooled connection belongs to the first (now closed) loop; httpx alone would send the
    # request and then fail with "Event loop is closed". The SDK refuses before sending.
    with pytest.raises(SpreedlyError, match="event loop"):
        asyncio.run(once())
    assert srv.hits == 1
    fresh = AsyncClient(TOKEN, "mysite", base_url=srv.url)

    async def use_fresh() -> str:
        async with fresh:
            return (await fresh.subscribers.get(1)).customer_id

    assert asyncio.run(use_fresh()) == "1"


def test_process_transports_may_change_loops():
    from spreedly_sdk.testing import Emulator

    emu = Emulator()
    emu.add_subscriber(3)
    client = emu.async_client()
    for _ in range(2):
        assert asyncio.run(client.subscribers.get(3)).customer_id == "3"


def test_emulator_get_retried_after_500_over_socket():
    from spreedly_sdk.testing import Emulator

    emu = Emulator()
    emu.add_subscriber(5, screen_name="five")
    with emu.serve() as url:
        with Client(emu.token, emu.site_name, base_url=url) as client:
            sleeps: list[float] = []
            client._transport.sleep = sleeps.append
            emu.fail_next(1, status=500, body="<errors><error>flaky</error></errors>")
            assert client.subscribers.get(5).screen_name == "five"
            assert len(sleeps) == 1
            emu.fail_next(1, truncate_body=True)
            assert client.subscribers.get(5).screen_name == "five"
            assert len(sleeps) == 2


def test_emulator_post_not_retried_over_socket():
    from spreedly_sdk.testing import Emulator

    emu = Emulator()
    with emu.serve() as url:
        with Client(emu.token, emu.site_name, base_url=url) as client:
            client._transport.sleep = lambda d: pytest.fail("a POST was retried")
            emu.fail_next(1, status=500, method="POST")
            with pytest.raises(InternalServerError):
                client.subscribers.create("new-1")
            assert emu.subscriber("new-1") is None
            # the lost-answer case: the service did it, the connection dropped
            emu.fail_next(1, drop_connection=True, processed=True, method="POST")
            with pytest.raises(APIConnectionError) as info:
                client.subscribers.create("new-2", screen_name="two")
            assert info.value.maybe_processed is True and "outcome is unknown" in str(info.value)
            assert emu.subscriber("new-2") is not None  # the reason POSTs are never retried blindly
            posts = [(r.path, r.body) for r in emu.requests if r.method == "POST"]
            assert len(posts) == 1, posts


async def test_emulator_delay_over_socket_async():
    from spreedly_sdk.testing import Emulator

    emu = Emulator()
    emu.add_subscriber(9)
    with emu.serve() as url:
        async with AsyncClient(emu.token, emu.site_name, base_url=url, timeout=httpx.Timeout(5, read=0.1),
                               max_retries=1) as client:
            async def no_sleep(d: float) -> None:
                return None

            client._transport.asleep = no_sleep
            emu.fail_next(1, delay=0.4)
            assert (await client.subscribers.get(9)).customer_id == "9"
            emu.fail_next(2, delay=0.4)
            with pytest.raises(APITimeoutError) as info:
                await client.subscribers.get(9)
            assert info.value.phase == "read"
