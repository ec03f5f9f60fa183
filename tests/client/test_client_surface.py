"""Hosted-page URLs (see docs/service/hosted-pages.md), pyspreedly's names and parameters on both clients, and
the clients' configuration and lifecycle at the wire."""

from __future__ import annotations

import asyncio
import inspect
from decimal import Decimal
from typing import Any

import httpx
import pytest
from wire import TOKEN, Answer, FakeService, basic_auth, fixture

from spreedly_sdk import AsyncClient, Client
from spreedly_sdk.errors import InvalidRequestError, SpreedlyError

SUB_TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
HOST = "https://subs.pinpayments.com"

# ----------------------------------------------------------------------------- hosted pages

SIGNUP_CASES = [
    (dict(customer_id="001", plan_id=9), f"{HOST}/mysite/subscribers/001/subscribe/9"),
    (dict(customer_id=42, plan_id=9, screen_name="joe"), f"{HOST}/mysite/subscribers/42/subscribe/9/joe"),
    (dict(customer_id="42", plan_id=9, screen_name="Ana & Bo/2"),
     f"{HOST}/mysite/subscribers/42/subscribe/9/Ana%20%26%20Bo%2F2"),
    (dict(customer_id="42", plan_id=9, token=SUB_TOKEN),
     f"{HOST}/mysite/subscribers/42/{SUB_TOKEN}/subscribe/9"),
    (dict(customer_id="42", plan_id=9, screen_name="joe", token=SUB_TOKEN),
     f"{HOST}/mysite/subscribers/42/{SUB_TOKEN}/subscribe/9/joe"),
    (dict(customer_id="a/b", plan_id=9), f"{HOST}/mysite/subscribers/a%2Fb/subscribe/9"),
    (dict(customer_id="42", plan_id=9, email="first+last@example.com", first_name="Zoë", last_name="O'Neil"),
     f"{HOST}/mysite/subscribers/42/subscribe/9?email=first%2Blast%40example.com&first_name=Zo%C3%AB"
     "&last_name=O%27Neil"),
    (dict(customer_id="42", plan_id=9, return_url="https://example.org/back?x=1&y=a b"),
     f"{HOST}/mysite/subscribers/42/subscribe/9?return_url=https%3A%2F%2Fexample.org%2Fback%3Fx%3D1%26y%3Da%20b"),
]


@pytest.mark.parametrize(("kwargs", "expected"), SIGNUP_CASES)
def test_signup_url(api: Any, service: FakeService, kwargs: dict[str, Any], expected: str) -> None:
    args = dict(kwargs)
    url = api.signup_url(args.pop("customer_id"), args.pop("plan_id"), args.pop("screen_name", None), **args)
    assert url == expected
    assert "/api/" not in url
    assert service.seen == []  # a URL, not a request


def test_get_signup_url_is_pyspreedlys_name(api: Any) -> None:
    assert api.get_signup_url("42", 9, "joe") == f"{HOST}/mysite/subscribers/42/subscribe/9/joe"
    assert api.get_signup_url("42", 9, "joe", token=SUB_TOKEN) == (
        f"{HOST}/mysite/subscribers/42/{SUB_TOKEN}/subscribe/9/joe")
    assert api.get_signup_url("42", 9, "joe", SUB_TOKEN) == api.get_signup_url("42", 9, "joe", token=SUB_TOKEN)


def test_account_url(api: Any) -> None:
    assert api.account_url(SUB_TOKEN) == f"{HOST}/mysite/subscriber_accounts/{SUB_TOKEN}"
    assert api.account_url(SUB_TOKEN, return_url="https://example.org/a?b=c+d") == (
        f"{HOST}/mysite/subscriber_accounts/{SUB_TOKEN}?return_url=https%3A%2F%2Fexample.org%2Fa%3Fb%3Dc%2Bd")
    assert "/api/" not in api.account_url(SUB_TOKEN)


def test_hosted_pages_follow_base_url() -> None:
    client = Client(TOKEN, "site-test", base_url="http://127.0.0.1:8080/")
    try:
        assert client.signup_url("1", 2) == "http://127.0.0.1:8080/site-test/subscribers/1/subscribe/2"
        assert client.account_url("t") == "http://127.0.0.1:8080/site-test/subscriber_accounts/t"
    finally:
        client.close()


@pytest.mark.parametrize("bad", ["..", "", " 42", "a\nb"])
def test_hosted_pages_refuse_bad_segments(api: Any, bad: str) -> None:
    with pytest.raises(InvalidRequestError):
        api.signup_url(bad, 9)
    with pytest.raises(InvalidRequestError):
        api.account_url(bad)


# ----------------------------------------------------------------------------- pyspreedly's API

PYSPREEDLY = {
    "add_fee": ["subscriber_id", "name", "description", "group", "amount"],
    "allow_free_trial": ["subscriber_id"],
    "cleanup": [],
    "complimentary_time_extensions": ["subscriber_id", "duration", "duration_units"],
    "complimentary_time_extension": ["subscriber_id", "duration", "duration_units"],
    "create_complimentary_subscription": ["subscriber_id", "duration", "duration_units", "feature_level",
                                          "start_time", "amount"],
    "create_subscriber": ["customer_id", "screen_name"],
    "delete_subscriber": ["id"],
    "get_info": ["subscriber_id"],
    "get_or_create_subscriber": ["subscriber_id", "screen_name"],
    "get_plans": [],
    "get_signup_url": ["subscriber_id", "plan_id", "screen_name", "token"],
    "query": ["url", "data", "action"],
    "set_info": ["subscriber_id", "kw"],
    "subscribe": ["subscriber_id", "plan_id"],
}
DEFAULTS = {("create_complimentary_subscription", "start_time"): None,
            ("create_complimentary_subscription", "amount"): None, ("get_signup_url", "token"): None,
            ("query", "data"): None, ("query", "action"): "get", ("subscribe", "plan_id"): None}


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize("name", sorted(PYSPREEDLY))
def test_pyspreedly_names_and_parameters(cls: type, name: str) -> None:
    method = getattr(cls, name)
    params = list(inspect.signature(method).parameters.values())[1:]
    # the seed's parameters, in its order; keyword-only additions (new options) may follow
    params = [p for p in params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert [p.name for p in params] == PYSPREEDLY[name]
    for p in params:
        if (name, p.name) in DEFAULTS:
            assert p.default == DEFAULTS[(name, p.name)]
    if cls is AsyncClient and name != "get_signup_url":
        assert inspect.iscoroutinefunction(method), f"AsyncClient.{name} must be async"


def test_clients_are_twins() -> None:
    """Every public method of Client exists on AsyncClient (async where it does I/O), and the
    resources have the same methods."""
    sync_names = {n for n in dir(Client) if not n.startswith("_")}
    async_names = {n for n in dir(AsyncClient) if not n.startswith("_")}
    assert sync_names - {"close"} <= async_names
    pure = {"signup_url", "account_url", "get_signup_url", "with_options", "timeout", "max_retries",
            "subscribers", "plans", "invoices", "transactions", "hosted_pages"}
    for name in sync_names - pure - {"close"}:
        assert inspect.iscoroutinefunction(getattr(AsyncClient, name)), name
    from spreedly_sdk import resources as r

    for sync_cls, async_cls in [(r.Subscribers, r.AsyncSubscribers), (r.Plans, r.AsyncPlans),
                                (r.Invoices, r.AsyncInvoices), (r.Transactions, r.AsyncTransactions)]:
        sync_methods = {n for n in vars(sync_cls) if not n.startswith("_")}
        assert sync_methods == {n for n in vars(async_cls) if not n.startswith("_")}
        for n in sync_methods:
            sig_s = [p.name for p in inspect.signature(getattr(sync_cls, n)).parameters.values()]
            sig_a = [p.name for p in inspect.signature(getattr(async_cls, n)).parameters.values()]
            assert sig_s == sig_a, n


# ----------------------------------------------------------------------------- configuration


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_base_url_and_site_shape_every_path(service: FakeService, kind: str) -> None:
    service.on("GET", "/api/v4/other-site/subscribers/1.xml", Answer(200, fixture("subscriber-full.xml")))
    transport = httpx.MockTransport(service.handler)
    if kind == "sync":
        with httpx.Client(transport=transport) as http:
            Client("other-token", "other-site", base_url="http://127.0.0.1:8099/", http_client=http).get_info("1")
    else:
        async def run() -> None:
            async with httpx.AsyncClient(transport=transport) as http:
                await AsyncClient("other-token", "other-site", base_url="http://127.0.0.1:8099",
                                  http_client=http).get_info("1")

        asyncio.run(run())
    assert service.last.url == "http://127.0.0.1:8099/api/v4/other-site/subscribers/1.xml"
    assert service.last.headers["authorization"] == basic_auth("other-token")
    assert service.last.headers["accept"].startswith("application/xml")


def test_positional_token_and_site() -> None:
    client = Client(TOKEN, "mysite")
    try:
        assert client.site_name == "mysite"
        assert str(client.base_url).rstrip("/") == HOST
        assert TOKEN not in repr(client)
    finally:
        client.close()
    with pytest.raises(InvalidRequestError):
        Client("", "mysite")
    with pytest.raises(InvalidRequestError):
        Client(TOKEN, "my/site")


def test_context_managers_close_owned_connections(service: FakeService) -> None:
    with Client(TOKEN, "mysite") as client:
        pass
    with pytest.raises(SpreedlyError):
        client.get_info("1")

    async def run() -> None:
        async with AsyncClient(TOKEN, "mysite") as aclient:
            pass
        with pytest.raises(SpreedlyError):
            await aclient.get_info("1")

    asyncio.run(run())


def test_supplied_http_client_is_left_open(service: FakeService) -> None:
    http = httpx.Client(transport=httpx.MockTransport(service.handler))
    service.on("GET", "/api/v4/mysite/subscribers/1.xml", Answer(200, fixture("subscriber-full.xml")))
    with Client(TOKEN, "mysite", http_client=http) as client:
        client.get_info("1")
    assert not http.is_closed
    http.close()
    with pytest.raises(InvalidRequestError):
        Client(TOKEN, "mysite", http_client=httpx.AsyncClient())  # type: ignore[arg-type]


async def _call(result: object) -> object:
    return await result if inspect.isawaitable(result) else result


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_pyspreedly_names_take_the_request_models_too(flavour: str) -> None:
    """The flat methods that send a request model accept a whole one, as the resource methods do,
    and refuse a model mixed with loose fields before anything is sent."""
    from spreedly_sdk.errors import InvalidRequestError
    from spreedly_sdk.models import ComplimentarySubscription, ComplimentaryTimeExtension, Fee
    from spreedly_sdk.testing import Emulator

    emu = Emulator()
    emu.add_subscriber("paying", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    emu.add_subscriber("comped")
    client = emu.client() if flavour == "sync" else emu.async_client()
    try:
        await _call(client.add_fee("paying", Fee(name="setup", group="one-off", amount=1.5)))
        await _call(client.add_fee("paying", name="extra", group="one-off", amount=2,
                                   allow_non_recurring_subscriber=True))
        comp = await _call(client.create_complimentary_subscription(
            "comped", ComplimentarySubscription(duration_quantity=2, duration_units="months", feature_level="pro")))
        extended = await _call(client.complimentary_time_extensions(
            "comped", ComplimentaryTimeExtension(duration_quantity=1, duration_units="days")))
        assert comp.active and extended.active_until > comp.active_until  # type: ignore[attr-defined]
        sent = len(emu.requests)
        with pytest.raises(InvalidRequestError):
            await _call(client.add_fee("paying", Fee(name="x", group="g", amount=1), "description"))  # type: ignore[call-overload]
        with pytest.raises(InvalidRequestError):
            await _call(client.create_complimentary_subscription(  # type: ignore[call-overload]
                "comped", ComplimentarySubscription(duration_quantity=2, duration_units="months", feature_level="pro"),
                "days"))
        assert len(emu.requests) == sent
        fees = [line for line in emu.state.subscribers["paying"].fees]
        assert [(f.name, f.amount) for f in fees] == [("setup", Decimal("1.5")), ("extra", Decimal("2"))]
    finally:
        if flavour == "sync":
            client.close()  # type: ignore[union-attr]
        else:
            await client.aclose()  # type: ignore[union-attr]
