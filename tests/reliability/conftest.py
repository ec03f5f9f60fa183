"""Shared helpers for the reliability tests: a canary token, sync/async harnesses, documents."""

from __future__ import annotations

import asyncio
import base64
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from spreedly_sdk import AsyncClient, Client

from .faultserver import FaultServer

TOKEN = "tok_CANARY_7f3a9c2e51d84b06"
TOKEN_B64 = base64.b64encode(f"{TOKEN}:X".encode()).decode()
SITE = "mysite"


def sub_xml(customer_id: object = 1, screen_name: str = "Joe") -> bytes:
    """A small subscriber document as the service sends it."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<subscriber>'
        f"<customer-id>{customer_id}</customer-id><screen-name>{screen_name}</screen-name>"
        '<active type="boolean">true</active><store-credit type="decimal">0.0</store-credit>'
        "</subscriber>"
    ).encode()


ERRORS_500 = b'<?xml version="1.0" encoding="UTF-8"?><errors><error>Something broke</error></errors>'


def free_port() -> int:
    """A loopback port with no listener (bound, then closed)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port: int = s.getsockname()[1]
    s.close()
    return port


class Harness:
    """One client (sync or async) with recorded backoff sleeps, driven by ``run``.

    ``run(lambda c: c.subscribers.get(1))`` works for both: the async harness runs the
    coroutine on its own event loop, which lives as long as the harness.
    """

    def __init__(self, mode: str, *, send_path: str = "default", base_url: str = "https://example.test",
                 handler: Callable[[httpx.Request], httpx.Response] | None = None,
                 http_kwargs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.mode = mode
        self.sleeps: list[float] = []
        self.requests: list[httpx.Request] = []
        self.loop = asyncio.new_event_loop() if mode == "async" else None
        self.http: httpx.Client | httpx.AsyncClient | None = None
        if handler is not None or http_kwargs is not None:
            extra = dict(http_kwargs or {})
            if handler is not None:
                inner = handler

                def recording(request: httpx.Request) -> httpx.Response:
                    request.read()
                    self.requests.append(request)
                    return inner(request)

                extra["transport"] = httpx.MockTransport(recording)
            self.http = httpx.AsyncClient(**extra) if mode == "async" else httpx.Client(**extra)
            kwargs["http_client"] = self.http
        self.client: Any = (AsyncClient if mode == "async" else Client)(TOKEN, SITE, base_url=base_url, **kwargs)
        if send_path == "public":  # the SDK's own client, through httpx's public Client.send
            self.client._transport.fast_path = False
        if mode == "async":

            async def asleep(delay: float) -> None:
                self.sleeps.append(delay)

            self.client._transport.asleep = asleep
        else:
            self.client._transport.sleep = self.sleeps.append

    @property
    def is_async(self) -> bool:
        return self.mode == "async"

    def run(self, fn: Callable[[Any], Any]) -> Any:
        result = fn(self.client)
        if inspect.isawaitable(result):
            assert self.loop is not None
            return self.loop.run_until_complete(_wrap(result))
        return result

    def raises(self, exc: type[BaseException] | tuple[type[BaseException], ...], fn: Callable[[Any], Any]) -> Any:
        with pytest.raises(exc) as info:
            self.run(fn)
        return info.value

    def close(self) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self.client.aclose())
            if isinstance(self.http, httpx.AsyncClient):
                self.loop.run_until_complete(self.http.aclose())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()
        else:
            self.client.close()
            if isinstance(self.http, httpx.Client):
                self.http.close()


async def _wrap(awaitable: Any) -> Any:
    return await awaitable


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules that set ``BOTH_SEND_PATHS = True`` run each harness test twice: the SDK's own
    client on its fast path (see spreedly_sdk/_transport/fast_path.py) and on httpx's public
    ``Client.send``."""
    if "make" in metafunc.fixturenames and getattr(metafunc.module, "BOTH_SEND_PATHS", False):
        metafunc.parametrize("send_path", ["fast", "public"])


@pytest.fixture
def send_path() -> str:
    """Which way the SDK's own client sends ("default": the fast path where httpx has it)."""
    return "default"


@pytest.fixture
def make(mode: str, send_path: str) -> Iterator[Callable[..., Harness]]:
    """Factory of harnesses in the parametrised mode; all are closed at teardown."""
    made: list[Harness] = []

    def factory(**kwargs: Any) -> Harness:
        h = Harness(mode, send_path=send_path, **kwargs)
        made.append(h)
        return h

    yield factory
    for h in made:
        h.close()


@pytest.fixture
def server() -> Iterator[Callable[..., FaultServer]]:
    """Factory of fault servers; all are stopped at teardown."""
    started: list[FaultServer] = []

    def factory(*script: Any, **kwargs: Any) -> FaultServer:
        srv = FaultServer(script, **kwargs)
        started.append(srv)
        return srv

    yield factory
    for srv in started:
        srv.stop()
