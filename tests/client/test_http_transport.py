"""``http_transport``: the SDK's own httpx client over a transport you give (a MockTransport,
the emulator's), so nothing outside the client has to reach into it."""

from __future__ import annotations

import ast
from pathlib import Path

import httpx
import pytest

import spreedly_sdk.testing
from spreedly_sdk import AsyncClient, Client
from spreedly_sdk.errors import InvalidRequestError
from spreedly_sdk.testing import Emulator

PLANS = b'<?xml version="1.0" encoding="UTF-8"?>\n<nil-classes type="array"/>\n'


def _answer(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=PLANS, headers={"Content-Type": "application/xml; charset=utf-8"})
    return httpx.MockTransport(handler)


def test_sync_client_over_a_given_transport_is_still_the_sdks_own() -> None:
    seen: list[httpx.Request] = []
    with Client("tok", "mysite", http_transport=_answer(seen)) as client:
        assert client.plans.list() == []
        http = client._transport.http
        assert (client._transport.owns_client, client._transport.fast_path) == (True, True)
    assert http.is_closed  # the SDK made this client, so it closed it
    assert seen[0].url == "https://subs.pinpayments.com/api/v4/mysite/subscription_plans.xml"
    assert seen[0].headers["authorization"].startswith("Basic ")


async def test_async_client_over_a_given_transport_is_still_the_sdks_own() -> None:
    seen: list[httpx.Request] = []
    async with AsyncClient("tok", "mysite", http_transport=_answer(seen)) as client:
        assert await client.plans.list() == []
        http = client._transport.http
        assert client._transport.owns_client
    assert http.is_closed
    assert seen[0].url.path == "/api/v4/mysite/subscription_plans.xml"


@pytest.mark.parametrize("cls, http_cls", [(Client, httpx.Client), (AsyncClient, httpx.AsyncClient)])
def test_a_client_and_a_transport_together_are_refused(cls: type, http_cls: type) -> None:
    http = http_cls()
    with pytest.raises(InvalidRequestError) as caught:
        cls("tok", "mysite", http_client=http, http_transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    assert caught.value.field == "http_transport"


async def test_the_emulator_wires_its_clients_through_the_parameter() -> None:
    emu = Emulator()
    with emu.client() as client:
        assert [p.id for p in client.plans.list()] == [p.id for p in emu.plans]
        assert client._transport.owns_client and client._transport.fast_path
    async with emu.async_client() as async_client:
        assert len(await async_client.plans.list()) == len(emu.plans)


def test_the_testing_package_sets_no_attribute_of_a_client_it_made() -> None:
    """The emulator used to flip the SDK client's private switches from outside; nothing in
    ``spreedly_sdk.testing`` assigns to an attribute reached through ``_transport`` now."""
    offenders = []
    for path in Path(spreedly_sdk.testing.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and "_transport" in ast.unparse(target.value):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
