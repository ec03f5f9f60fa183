"""Fixtures for the emulator tests: one ``api`` fixture over the four ways of talking to it.

``api`` is an asynchronous view of a client: in-process or over a loopback socket, blocking
or asynchronous. Tests ``await api.subscribers.create(...)`` whatever the mode; a blocking
client's calls are simply wrapped.

A module that defines ``ROUTE_LEDGER`` (a :class:`tests.routes.RouteLedger`) has every request
its tests make recorded by route; its last test checks that every route of ``ROUTES`` was sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from spreedly_sdk import AsyncClient, Client
from spreedly_sdk._transport import shared_ssl_context
from spreedly_sdk.testing import Emulator
from tests.routes import RouteLedger

MODES = ["inprocess-sync", "inprocess-async", "socket-sync", "socket-async"]


class Awaitable:
    """Makes a blocking client (or resource) look asynchronous."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if name in ("subscribers", "plans", "invoices", "transactions"):
            return Awaitable(attr)
        if callable(attr):
            return _wrap(attr)
        return attr


def _wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return call


def _ledger(item: pytest.Item) -> RouteLedger | None:
    ledger = getattr(getattr(item, "module", None), "ROUTE_LEDGER", None)
    return ledger if isinstance(ledger, RouteLedger) else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Before any deselection: tell each ledger every test of its module, so its check knows
    whether the whole module ran."""
    for item in items:
        ledger = _ledger(item)
        if ledger is not None:
            ledger.expected.add(item.nodeid)


@pytest.fixture(autouse=True)
def _route_ledger(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = _ledger(request.node)
    if ledger is not None:
        ledger.watch(request.node.nodeid, monkeypatch)


@pytest.fixture
def emu(spreedly_emulator: Emulator) -> Emulator:
    """The emulator of the test (the pytest plugin's fixture)."""
    return spreedly_emulator


@pytest.fixture(params=MODES)
async def api(request: pytest.FixtureRequest, emu: Emulator) -> AsyncIterator[Any]:
    """A client on ``emu`` in one of the four modes, as an awaitable API."""
    mode: str = request.param
    if mode.startswith("inprocess"):
        if mode.endswith("sync") and not mode.endswith("async"):
            client = emu.client(max_retries=0)
            yield Awaitable(client)
            client.close()
        else:
            aclient = emu.async_client(max_retries=0)
            yield aclient
            await aclient.aclose()
        return
    with emu.serve() as base_url:
        if mode == "socket-sync":
            with Client(emu.token, emu.site_name, base_url=base_url, max_retries=0) as sclient:
                yield Awaitable(sclient)
        else:
            async with AsyncClient(emu.token, emu.site_name, base_url=base_url, max_retries=0) as aclient:
                yield aclient


@pytest.fixture(params=["inprocess", "socket"])
def raw(request: pytest.FixtureRequest, emu: Emulator) -> Any:
    """A raw httpx client (no SDK) on the emulator's API root, in-process or over the socket,
    authenticated with the site token; for exact status, header and body checks."""
    auth = (emu.token, "X")
    if request.param == "inprocess":
        with httpx.Client(transport=emu.transport, base_url=f"{emu.BASE_URL}/api/v4/{emu.site_name}/",
                          auth=auth) as client:
            yield client
        return
    with emu.serve() as base_url, httpx.Client(base_url=f"{base_url}/api/v4/{emu.site_name}/", auth=auth,
                                                  verify=shared_ssl_context()) as client:
        yield client
