"""Fixtures for the wire-level client tests: one fake service, each test run on both clients."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from wire import SITE, TOKEN, FakeService, Synced

from spreedly_sdk import AsyncClient, Client


@pytest.fixture
def service() -> FakeService:
    return FakeService()


def make_client(kind: str, service: FakeService, **kwargs: Any) -> tuple[Any, Any]:
    """(the client as tests drive it, a closer)."""
    transport = httpx.MockTransport(service.handler)
    kwargs.setdefault("max_retries", 0)
    if kind == "sync":
        shttp = httpx.Client(transport=transport)
        client = Client(TOKEN, SITE, http_client=shttp, **kwargs)

        def sclose() -> None:
            client.close()
            shttp.close()

        return client, sclose
    loop = asyncio.new_event_loop()
    http = httpx.AsyncClient(transport=transport)
    aclient = AsyncClient(TOKEN, SITE, http_client=http, **kwargs)

    def close() -> None:
        loop.run_until_complete(aclient.aclose())
        loop.run_until_complete(http.aclose())
        loop.close()

    return Synced(aclient, loop), close


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, service: FakeService) -> Iterator[Any]:
    """The same test against ``Client`` and ``AsyncClient`` (driven through :class:`Synced`)."""
    client, close = make_client(request.param, service)
    try:
        yield client
    finally:
        close()
