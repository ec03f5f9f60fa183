"""Destructive calls on test vs production sites (see also test_url_paths); timeouts and configuration."""

from __future__ import annotations

import asyncio
import logging
import math

import httpx
import pytest

from spreedly_sdk import AsyncClient, Client, ForbiddenError, InvalidRequestError
from spreedly_sdk.testing import Emulator

from . import faultserver as fs
from .conftest import TOKEN, sub_xml

# ---------------------------------------------------------------------- destructive calls


@pytest.mark.parametrize("how", ["cleanup", "delete_all"])
def test_production_site_refuses_delete_all(make, how):
    emu = Emulator(test_site=False, token=TOKEN, site_name="mysite")
    emu.add_subscriber(1)
    emu.add_subscriber(2)
    h = make(base_url=Emulator.BASE_URL, http_kwargs={"transport": emu.transport})
    call = (lambda c: c.cleanup()) if how == "cleanup" else (lambda c: c.subscribers.delete_all())
    h.raises(ForbiddenError, call)
    assert emu.subscriber(1) is not None and emu.subscriber(2) is not None
    h.raises(ForbiddenError, lambda c: c.delete_subscriber(1))
    assert emu.subscriber(1) is not None


def test_test_site_deletes_everything_without_heuristics(make):
    # the site name has no "test" in it: the SDK does not guess, the service decides
    emu = Emulator(test_site=True, token=TOKEN, site_name="mysite")
    for i in range(3):
        emu.add_subscriber(i)
    h = make(base_url=Emulator.BASE_URL, http_kwargs={"transport": emu.transport})
    h.run(lambda c: c.delete_subscriber(0))
    assert emu.subscriber(0) is None and emu.subscriber(1) is not None
    h.run(lambda c: c.cleanup())
    assert emu.subscriber(1) is None and emu.subscriber(2) is None
    assert [r.method for r in emu.requests] == ["DELETE", "DELETE"]


# ---------------------------------------------------------------------- timeouts and configuration


def _pool(client):  # noqa: ANN001, ANN202
    return client._transport.http._transport._pool


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_defaults_read_from_the_httpx_client(cls):
    client = cls(TOKEN, "mysite")
    http = client._transport.http
    assert http.timeout == httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=30.0)
    assert http.follow_redirects is False
    pool = _pool(client)
    assert pool._max_connections == 1000 and pool._max_keepalive_connections == 100
    assert client.max_retries == 2 and client.timeout == http.timeout
    assert client._options.max_response_bytes == 10 * 1024 * 1024
    assert client._options.retry_non_idempotent is False and client._options.deadline is None
    assert str(client.base_url) == "https://subs.pinpayments.com"


def test_per_call_timeout_applies_to_that_call_only(make):
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        return httpx.Response(200, content=sub_xml(1), headers={"content-type": "application/xml"})

    h = make(handler=handler, timeout=20.0)
    quick = h.client.with_options(timeout=0.75)
    h.run(lambda c: quick.subscribers.get(1))
    h.run(lambda c: c.subscribers.get(1))
    h.run(lambda c: c.with_options(timeout=httpx.Timeout(9, connect=1)).subscribers.get(1))
    assert seen[0] == {"connect": 0.75, "read": 0.75, "write": 0.75, "pool": 0.75}
    assert seen[1] == {"connect": 5.0, "read": 20.0, "write": 20.0, "pool": 20.0}
    assert seen[2] == {"connect": 1.0, "read": 9.0, "write": 9.0, "pool": 9.0}
    assert h.client.timeout == httpx.Timeout(20.0, connect=5.0)


def test_deadline_clamps_per_request_timeouts(make):
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        return httpx.Response(200, content=sub_xml(1), headers={"content-type": "application/xml"})

    h = make(handler=handler, deadline=2.0)
    h.run(lambda c: c.subscribers.get(1))
    assert all(0 < v <= 2.0 for v in seen[0].values())


def test_user_http_client_respected_and_not_mutated(make):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=sub_xml(1), headers={"content-type": "application/xml"})

    limits = httpx.Limits(max_connections=7, max_keepalive_connections=3)
    h = make(http_kwargs={"transport": httpx.MockTransport(handler), "timeout": httpx.Timeout(3.5, pool=1.5),
                          "headers": {"X-App": "mine"}, "limits": limits})
    http = h.http
    before = (dict(http.headers), http.timeout, http.auth, http.follow_redirects, str(http.base_url))
    h.run(lambda c: c.subscribers.get(1))
    h.run(lambda c: c.subscribers.update(1, screen_name="x"))
    after = (dict(http.headers), http.timeout, http.auth, http.follow_redirects, str(http.base_url))
    assert before == after
    assert "authorization" not in {k.lower() for k in http.headers}
    for req in seen:
        assert req.headers["authorization"].startswith("Basic ")
        assert req.headers["x-app"] == "mine"
        assert req.extensions["timeout"] == {"connect": 3.5, "read": 3.5, "write": 3.5, "pool": 1.5}
    assert h.client.timeout is None  # "use the supplied client's own"


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_limits_of_user_client_kept(cls):
    limits = httpx.Limits(max_connections=7, max_keepalive_connections=3)
    http = (httpx.AsyncClient if cls is AsyncClient else httpx.Client)(limits=limits)
    client = cls(TOKEN, "mysite", http_client=http)
    assert client._transport.http is http
    assert _pool(client)._max_connections == 7 and _pool(client)._max_keepalive_connections == 3


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, -math.inf, True, "5",
                                 httpx.Timeout(5, read=0), httpx.Timeout(5, connect=-1),
                                 httpx.Timeout(math.nan)])
def test_bad_timeouts_refused(cls, bad):
    with pytest.raises(InvalidRequestError, match="timeout"):
        cls(TOKEN, "mysite", timeout=bad)


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize("field,bad", [("deadline", 0), ("deadline", -2), ("deadline", math.nan),
                                       ("max_response_bytes", 0), ("max_response_bytes", -1),
                                       ("max_response_bytes", 1.5)])
def test_bad_limits_refused(cls, field, bad):
    with pytest.raises(InvalidRequestError, match=field):
        cls(TOKEN, "mysite", **{field: bad})


def test_with_options_validates():
    client = Client(TOKEN, "mysite")
    for kwargs in ({"timeout": 0}, {"timeout": math.nan}, {"deadline": -1}, {"max_response_bytes": 0}):
        with pytest.raises(InvalidRequestError):
            client.with_options(**kwargs)
    assert client.with_options(timeout=3).timeout == httpx.Timeout(3, connect=3)
    client.close()


# ---------------------------------------------------------------------- requests of the SDK's own client


def test_own_client_builds_requests_itself_and_keeps_no_cookies(make, server):
    """The SDK's own httpx client has nothing to merge, so API requests are built directly:
    they still carry the SDK's headers (the J tests above hold the timeouts), and a cookie set by the server is not
    sent back (the API is stateless)."""
    srv = server(default=fs.respond(200, sub_xml(1), headers=[("Set-Cookie", "_session=abc; Path=/")],
                                    keep_alive=True))
    h = make(base_url=srv.url, timeout=httpx.Timeout(7.0, connect=2.0))
    for _ in range(2):
        assert h.run(lambda c: c.subscribers.get(1)).customer_id == "1"
    assert h.run(lambda c: c.subscribers.update(1, email="a@b.example")) is None
    assert len(srv.requests) == 3
    for req in srv.requests:
        headers = req.headers  # the fault server records names in lower case
        assert headers["authorization"].startswith("Basic ") and headers["user-agent"].startswith("spreedly-sdk-python/")
        assert headers["accept"] == "application/xml" and headers["host"] == srv.url.split("://", 1)[1]
        assert "cookie" not in headers
    assert srv.requests[2].headers["content-type"].startswith("application/xml")
    assert srv.requests[2].method == "PUT" and b"<email>a@b.example</email>" in srv.requests[2].body


def test_passed_client_keeps_its_defaults_and_cookies(mode, server):
    srv = server(default=fs.respond(200, sub_xml(1), headers=[("Set-Cookie", "_session=abc; Path=/")],
                                    keep_alive=True))
    if mode == "sync":
        with httpx.Client(headers={"X-Trace": "t1"}) as http, Client(TOKEN, "mysite", base_url=srv.url,
                                                                     http_client=http) as client:
            client.subscribers.get(1)
            client.subscribers.get(1)
    else:
        async def go() -> None:
            async with httpx.AsyncClient(headers={"X-Trace": "t1"}) as http, AsyncClient(
                    TOKEN, "mysite", base_url=srv.url, http_client=http) as client:
                await client.subscribers.get(1)
                await client.subscribers.get(1)

        asyncio.run(go())
    first, second = (r.headers for r in srv.requests)
    assert first["x-trace"] == second["x-trace"] == "t1"
    assert "cookie" not in first and second["cookie"] == "_session=abc"


def test_own_client_direct_requests_honour_env_proxies_and_httpx_logging(mode, server, monkeypatch, caplog):
    """Requests sent past httpx's client still go through the proxy it mounted from the
    environment, and still leave httpx's usual log line."""
    proxy = server(default=fs.respond(200, sub_xml(1), keep_alive=True))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    caplog.set_level(logging.INFO, logger="httpx")
    base = "http://api.example.test"
    if mode == "sync":
        with Client(TOKEN, "mysite", base_url=base) as client:
            assert client.subscribers.get(1).customer_id == "1"
    else:
        async def go() -> None:
            async with AsyncClient(TOKEN, "mysite", base_url=base) as client:
                assert (await client.subscribers.get(1)).customer_id == "1"

        asyncio.run(go())
    assert [r.target for r in proxy.requests] == [f"{base}/api/v4/mysite/subscribers/1.xml"]
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines == [f'HTTP Request: GET {base}/api/v4/mysite/subscribers/1.xml "HTTP/1.1 200 OK"']


def test_without_httpx_mount_lookup_requests_take_the_public_path(make, server, monkeypatch):
    """Should a future httpx drop the private mount lookup, the SDK's own client falls back to
    httpx's public path (and then sends cookies back, as any httpx client does)."""
    from spreedly_sdk._transport import fast_path

    monkeypatch.setattr(fast_path, "AVAILABLE", False)
    srv = server(default=fs.respond(200, sub_xml(1), headers=[("Set-Cookie", "_session=abc; Path=/")],
                                    keep_alive=True))
    h = make(base_url=srv.url)
    for _ in range(2):
        assert h.run(lambda c: c.subscribers.get(1)).customer_id == "1"
    first, second = (r.headers for r in srv.requests)
    assert first["authorization"].startswith("Basic ") and second["user-agent"].startswith("spreedly-sdk-python/")
    assert "cookie" not in first and second["cookie"] == "_session=abc"
