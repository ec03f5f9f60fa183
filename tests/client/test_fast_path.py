"""The httpx adapter: httpx's private API is named in one module only, behind its own switch
(not ``owns_client``) and a check that the hook exists, with the public path as fallback.
Both paths are run, sync and async."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

import spreedly_sdk
from spreedly_sdk import AsyncClient, Client
from spreedly_sdk._transport import fast_path
from spreedly_sdk.testing import Emulator

PACKAGE = Path(spreedly_sdk.__file__).resolve().parent
PRIVATE_HTTPX = re.compile(r"_transport_for_url|\._auth_header|\bhttp\._transport\b|\._pool\b|\._mounts\b")


def test_only_the_adapter_names_httpx_private_api() -> None:
    offenders = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                       if PRIVATE_HTTPX.search(p.read_text(encoding="utf-8")))
    assert offenders == ["_transport/fast_path.py"]


def test_the_switch_is_not_ownership() -> None:
    own = Client("token", "mysite")
    supplied_http = httpx.Client()
    supplied = Client("token", "mysite", http_client=supplied_http)
    try:
        assert (own._transport.owns_client, own._transport.fast_path) == (True, True)
        assert (supplied._transport.owns_client, supplied._transport.fast_path) == (False, False)
        own._transport.fast_path = False  # the public path, but the SDK still closes its own client
    finally:
        own.close()
        supplied.close()
    assert own._transport.http.is_closed and not supplied_http.is_closed
    supplied_http.close()


def _hooked(client: Any, seen: list[str]) -> None:
    """Record requests that pass through httpx's public ``send`` (hooks run only there)."""
    def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async def ahook(request: httpx.Request) -> None:
        hook(request)

    client._transport.http.event_hooks["request"].append(ahook if isinstance(client, AsyncClient) else hook)


@pytest.mark.parametrize("available", [True, False], ids=["hook-present", "hook-missing"])
@pytest.mark.parametrize("switch", [True, False], ids=["fast", "public"])
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_both_paths_give_the_same_answers(kind: str, switch: bool, available: bool,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_path, "AVAILABLE", available and fast_path.AVAILABLE)
    emulator = Emulator()
    emulator.add_subscriber("42", screen_name="Ann")
    public: list[str] = []

    if kind == "sync":
        with emulator.client() as client:
            client._transport.fast_path = switch
            _hooked(client, public)
            got = client.subscribers.get("42")
            missing = client.query("subscribers/nobody.xml")
    else:
        async def go() -> tuple[Any, Any]:
            async with emulator.async_client() as aclient:
                aclient._transport.fast_path = switch
                _hooked(aclient, public)
                return await aclient.subscribers.get("42"), await aclient.query("subscribers/nobody.xml")

        got, missing = asyncio.run(go())
    assert got.screen_name == "Ann" and missing.status_code == 404
    direct = switch and available and fast_path.AVAILABLE
    assert public == ([] if direct else ["/api/v4/demo-test/subscribers/42.xml",
                                         "/api/v4/demo-test/subscribers/nobody.xml"])
    assert [r.path for r in emulator.requests][-2:] == ["/api/v4/demo-test/subscribers/42.xml",
                                                        "/api/v4/demo-test/subscribers/nobody.xml"]
