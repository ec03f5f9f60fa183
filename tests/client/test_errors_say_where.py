"""Every status and connection error names the method and the full path under the host, a
connection error the ``host:port``, never the token; a base_url already ending in the API
root is accepted (cut back) or refused saying what to pass. Sync and async."""

from __future__ import annotations

import asyncio
import gzip
import socket
from typing import Any

import pytest
from wire import API, TOKEN, Answer, FakeService

from spreedly_sdk import (
    APIConnectionError,
    AsyncClient,
    Client,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
)
from spreedly_sdk.testing import Emulator


def _dead_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port: int = s.getsockname()[1]
    s.close()
    return port


def run(kind: str, make: Any, call: Any) -> Any:
    """Build a client of ``kind`` with ``make(cls)``, run ``call(client)`` and close it."""
    if kind == "sync":
        with make(Client) as client:
            return call(client)

    async def go() -> Any:
        async with make(AsyncClient) as client:
            result = call(client)
            if hasattr(result, "__aiter__"):
                return [item async for item in result]
            return await result

    return asyncio.run(go())


KINDS = ["sync", "async"]


def test_status_errors_name_the_full_path(api: Any, service: FakeService) -> None:
    service.on("GET", f"{API}/subscribers/42.xml", Answer(404, b"<errors><error>Not found</error></errors>"))
    with pytest.raises(NotFoundError) as info:
        api.subscribers.get("42")
    err = info.value
    assert str(err).startswith(f"GET {API}/subscribers/42.xml -> 404") and err.path == f"{API}/subscribers/42.xml"
    assert TOKEN not in str(err) and TOKEN not in repr(err)


def test_streamed_lists_map_errors_like_plain_calls(api: Any, service: FakeService) -> None:
    """One loop: a broken (gzip) error body gives the same status error on both paths, saying
    the body could not be read, where the stream path once dropped it silently."""
    broken = gzip.compress(b"<errors><error>x</error></errors>")[:10] + b"\xff" * 20  # a gzip header, then junk
    answer = Answer(503, broken, headers={"content-encoding": "gzip"}, chunk=7)
    service.on("GET", f"{API}/subscribers.xml", answer)
    errors = []
    for call in (lambda: api.subscribers.list(), lambda: list(api.subscribers.iter())):
        with pytest.raises(InternalServerError) as info:
            call()
        errors.append(info.value)
    assert [str(e) for e in errors][0] == str(errors[1])
    assert f"GET {API}/subscribers.xml -> 503" in str(errors[0]) and "could not be read" in str(errors[0])


@pytest.mark.parametrize("kind", KINDS)
def test_connection_errors_name_host_and_port(kind: str) -> None:
    port = _dead_port()
    with pytest.raises(APIConnectionError) as info:
        run(kind, lambda cls: cls(TOKEN, "mysite", base_url=f"http://127.0.0.1:{port}", max_retries=0),
            lambda c: c.plans.list())
    err = info.value
    assert f"GET /api/v4/mysite/subscription_plans.xml: could not connect to 127.0.0.1:{port}" in str(err)
    assert err.host == f"127.0.0.1:{port}" and err.maybe_processed is False and TOKEN not in str(err)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("suffix", ["", "/", "/api/v4/demo-test/", "/api/v4/demo-test", "/api/v4"])
def test_the_emulators_api_root_works_as_base_url(kind: str, suffix: str) -> None:
    emulator = Emulator()
    with emulator.serve() as base_url:
        given = base_url.rstrip("/") + suffix
        plans = run(kind, lambda cls: cls(emulator.token, emulator.site_name, base_url=given),
                    lambda c: c.plans.list())
    assert plans and all(p.id is not None for p in plans)


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_another_sites_api_root_is_refused_at_construction(cls: type) -> None:
    with pytest.raises(InvalidRequestError) as info:
        cls(TOKEN, "mysite", base_url="http://127.0.0.1:8765/api/v4/demo-test/")
    assert "pass base_url='http://127.0.0.1:8765'" in str(info.value) and TOKEN not in str(info.value)
