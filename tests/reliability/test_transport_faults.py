"""Transport faults over a real loopback socket, sync and async."""

from __future__ import annotations

import asyncio
import socket
import threading
from decimal import Decimal

import httpx
import pytest

from spreedly_sdk import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    ResponseParseError,
    UnexpectedResponseError,
)
from spreedly_sdk.models import Subscriber

from . import faultserver as fs
from .conftest import ERRORS_500, TOKEN_B64, free_port, sub_xml

BOTH_SEND_PATHS = True
"""Every harness test here runs on the fast path and on httpx's public path."""


def get(c):  # noqa: ANN001, ANN201
    return c.subscribers.get(1)


def fee(c):  # noqa: ANN001, ANN201
    return c.subscribers.add_fee(1, name="Setup", description="d", group="g", amount=Decimal("1.00"))


# ---------------------------------------------------------------------- status retries


def test_get_500_then_200_retried_once(make, server):
    srv = server(fs.respond(500, ERRORS_500), fs.respond(200, sub_xml(1)))
    h = make(base_url=srv.url, max_retries=2)
    sub = h.run(get)
    assert isinstance(sub, Subscriber) and sub.customer_id == "1"
    assert srv.hits == 2
    assert len(h.sleeps) == 1 and 0.375 <= h.sleeps[0] <= 0.5


def test_get_500_every_time(make, server):
    srv = server(default=fs.respond(500, ERRORS_500))
    h = make(base_url=srv.url, max_retries=2)
    err = h.raises(InternalServerError, get)
    assert err.status_code == 500 and err.errors == ["Something broke"]
    assert srv.hits == 3 and len(h.sleeps) == 2


def test_post_500_not_retried_by_default(make, server):
    srv = server(fs.respond(500, ERRORS_500), fs.respond(200, b""))
    h = make(base_url=srv.url)
    err = h.raises(InternalServerError, fee)
    assert err.status_code == 500 and err.method == "POST"
    assert srv.hits == 1 and h.sleeps == []


def test_post_500_retried_when_opted_in(make, server):
    srv = server(fs.respond(500, ERRORS_500), fs.respond(200, b""))
    h = make(base_url=srv.url, retry_non_idempotent=True)
    assert h.run(fee) is None
    assert srv.hits == 2 and len(h.sleeps) == 1
    assert srv.requests[0].body == srv.requests[1].body


# ---------------------------------------------------------------------- nothing sent


@pytest.mark.parametrize("call", [get, fee], ids=["GET", "POST"])
def test_connection_refused_retried_for_every_method(make, call):
    h = make(base_url=f"http://127.0.0.1:{free_port()}", max_retries=2)
    err = h.raises(APIConnectionError, call)
    assert not isinstance(err, APITimeoutError)
    assert err.maybe_processed is False
    assert isinstance(err.__cause__, httpx.ConnectError)
    assert len(h.sleeps) == 2
    assert "not sent" in str(err)


@pytest.mark.parametrize("call", [get, fee], ids=["GET", "POST"])
def test_dns_failure_same_as_refused(make, call, monkeypatch):
    def no_dns(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    h = make(base_url="http://spreedly-sdk-test.invalid", max_retries=2)
    err = h.raises(APIConnectionError, call)
    assert err.maybe_processed is False
    assert isinstance(err.__cause__, httpx.ConnectError)
    assert len(h.sleeps) == 2


# ---------------------------------------------------------------------- ambiguous failures

AMBIGUOUS = {
    "rst-before-response": lambda: fs.reset(),
    "rst-mid-body": lambda: fs.reset_mid_body(200, sub_xml(1) + b"<!-- padding -->" * 20),
    "fin-before-response": lambda: fs.close_without_answer(),
}


@pytest.mark.parametrize("fault", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_get_retried_then_ambiguous_error(make, server, fault):
    srv = server(default=fault())
    h = make(base_url=srv.url, max_retries=2)
    err = h.raises(APIConnectionError, get)
    assert err.maybe_processed is True
    assert isinstance(err.__cause__, (httpx.ReadError, httpx.RemoteProtocolError))
    assert srv.hits == 3 and len(h.sleeps) == 2


@pytest.mark.parametrize("fault", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_post_not_retried(make, server, fault):
    srv = server(default=fault())
    h = make(base_url=srv.url, max_retries=2)
    err = h.raises(APIConnectionError, fee)
    assert err.maybe_processed is True and "outcome is unknown" in str(err)
    assert srv.hits == 1 and h.sleeps == []


def test_get_recovers_after_rst_mid_body_without_partial_model(make, server):
    srv = server(fs.reset_mid_body(200, sub_xml(1, "partial") * 3), fs.respond(200, sub_xml(1, "whole")))
    h = make(base_url=srv.url)
    sub = h.run(get)
    assert sub.screen_name == "whole" and srv.hits == 2


def test_keepalive_connection_dropped_after_post_read(make, server):
    srv = server(fs.respond(200, sub_xml(1), keep_alive=True), fs.close_without_answer())
    h = make(base_url=srv.url, max_retries=2)
    assert h.run(get).customer_id == "1"
    err = h.raises(APIConnectionError, fee)
    assert err.maybe_processed is True
    assert "outcome is unknown" in str(err)
    assert isinstance(err.__cause__, httpx.RemoteProtocolError)
    assert srv.connections == 1  # the POST went over the pooled connection
    assert srv.hits == 2 and srv.requests[1].method == "POST"
    assert h.sleeps == []


# ---------------------------------------------------------------------- timeouts


def slow_headers():  # noqa: ANN201
    return fs.delay_headers(1.0, fs.respond(200, sub_xml(1)))


def slow_body():  # noqa: ANN201
    return fs.stall_mid_body(200, sub_xml(1), 1.0)


@pytest.mark.parametrize("fault", [slow_headers, slow_body], ids=["headers", "body"])
def test_read_timeout_get_retried(make, server, fault):
    srv = server(default=fault())
    h = make(base_url=srv.url, timeout=httpx.Timeout(5, read=0.15), max_retries=1)
    err = h.raises(APITimeoutError, get)
    assert err.phase == "read" and err.maybe_processed is True
    assert isinstance(err.__cause__, httpx.ReadTimeout)
    assert srv.hits == 2 and len(h.sleeps) == 1


@pytest.mark.parametrize("fault", [slow_headers, slow_body], ids=["headers", "body"])
def test_read_timeout_post_not_retried(make, server, fault):
    srv = server(default=fault())
    h = make(base_url=srv.url, timeout=httpx.Timeout(5, read=0.15), max_retries=2)
    err = h.raises(APITimeoutError, fee)
    assert err.phase == "read" and err.maybe_processed is True
    assert srv.hits == 1 and h.sleeps == []


def test_deadline_holds_against_trickle(make, server):
    body = sub_xml(1)
    srv = server(default=fs.trickle(200, body, 0.05))
    h = make(base_url=srv.url, timeout=httpx.Timeout(5, read=2.0), deadline=0.4, max_retries=2)
    err = h.raises(APITimeoutError, get)
    assert err.phase == "deadline" and err.maybe_processed is True
    assert srv.hits == 1  # no retry starts once the deadline has passed


def test_without_deadline_trickle_runs_to_completion(make, server):
    # The read timeout alone is per read: a server that never idles longer than it keeps the
    # call alive until the body is complete. That is why the deadline exists.
    body = sub_xml(1)
    srv = server(default=fs.trickle(200, body, 0.05, tail=12))
    h = make(base_url=srv.url, timeout=httpx.Timeout(5, read=1.0))
    assert h.run(get).customer_id == "1"


def test_deadline_holds_when_body_stalls_after_slow_headers(make, server):
    # The per-request timeouts are clamped when the request is built; a body that stalls
    # after slow headers would outlive the deadline by up to one read timeout. The async
    # loop bounds the whole exchange; the sync loop arms a watchdog that shuts the socket.
    srv = server(default=fs.delay_headers(0.3, fs.stall_mid_body(200, sub_xml(1) * 4, 3.0)))
    h = make(base_url=srv.url, timeout=httpx.Timeout(5), deadline=0.5, max_retries=2)
    err = h.raises(APITimeoutError, get)
    assert err.phase == "deadline" and err.maybe_processed is True and srv.hits == 1


def test_sync_watchdog_shuts_the_socket_at_the_deadline():
    from spreedly_sdk._transport.policy import Deadline
    from spreedly_sdk._transport.sync_loop import deadline_watchdog

    a, b = socket.socketpair()
    try:
        class Stream:
            def get_extra_info(self, name: str) -> object:
                return a if name == "socket" else None

        response = httpx.Response(200, extensions={"network_stream": Stream()})
        timer = deadline_watchdog(response, Deadline(0.05))
        assert timer is not None
        timer.join(5)
        b.settimeout(5)
        assert b.recv(10) == b""  # the peer saw the shutdown
        assert deadline_watchdog(response, Deadline(None)) is None
        assert deadline_watchdog(httpx.Response(200), Deadline(1)) is None
    finally:
        a.close()
        b.close()


def test_deadline_bounds_the_start_of_a_streamed_list(make, server):
    srv = server(default=fs.delay_headers(2.0, fs.respond(200, b'<subscribers type="array"></subscribers>')))
    h = make(base_url=srv.url, timeout=httpx.Timeout(5), deadline=0.3, max_retries=2)

    def consume(c):  # noqa: ANN001, ANN202
        if h.is_async:
            async def run():  # noqa: ANN202
                return [s async for s in c.subscribers.iter()]
            return run()
        return list(c.subscribers.iter())

    err = h.raises(APITimeoutError, consume)
    assert err.phase == "deadline" and srv.hits == 1


def test_deadline_after_unsent_attempts_says_not_sent(mode):
    # Connection refused twice, and the backoff (here made to overrun) eats the deadline: the
    # request never reached the service, so the deadline error says so.
    import time

    from spreedly_sdk import AsyncClient, Client

    cls = AsyncClient if mode == "async" else Client
    client = cls("tok_x", "mysite", base_url=f"http://127.0.0.1:{free_port()}", deadline=1.0, max_retries=3)

    async def asleep(d: float) -> None:
        await asyncio.sleep(1.1)

    client._transport.asleep = asleep
    client._transport.sleep = lambda d: time.sleep(1.1)
    with pytest.raises(APITimeoutError) as info:
        if mode == "async":
            asyncio.run(fee(client))
        else:
            fee(client)
    assert info.value.phase == "deadline" and info.value.maybe_processed is False
    assert "not sent" in str(info.value)
    if mode == "async":
        asyncio.run(client.aclose())
    else:
        client.close()


def test_deadline_stops_retry_sleep(make, server):
    # A backoff longer than what is left of the deadline is not slept: the last error is
    # raised at once (the caller learns the real cause instead of waiting to time out).
    srv = server(default=fs.respond(503, b"", headers=[("Retry-After", "30")]))
    h = make(base_url=srv.url, deadline=5, max_retries=2)
    err = h.raises(InternalServerError, get)
    assert err.status_code == 503 and err.retry_after == 30
    assert srv.hits == 1 and h.sleeps == []


# ---------------------------------------------------------------------- broken framing, TLS


def test_content_length_longer_than_body(make, server):
    srv = server(default=fs.lying_length(200, sub_xml(1)))
    h = make(base_url=srv.url, max_retries=0)
    err = h.raises(APIConnectionError, get)
    assert err.maybe_processed is True
    assert isinstance(err.__cause__, httpx.RemoteProtocolError)


def test_garbage_status_line(make, server):
    srv = server(default=fs.raw(b"NOT HTTP AT ALL\r\n\r\n"))
    h = make(base_url=srv.url, max_retries=0)
    err = h.raises(APIConnectionError, get)
    assert not isinstance(err, ResponseParseError)
    assert isinstance(err.__cause__, httpx.RemoteProtocolError)


def test_gzip_header_on_plain_body(make, server):
    srv = server(default=fs.respond(200, sub_xml(1), headers=[("Content-Encoding", "gzip")]))
    h = make(base_url=srv.url)
    err = h.raises(ResponseParseError, get)
    assert err.status_code == 200
    assert srv.hits == 1  # a decoding failure is not a transport failure: no retry


def test_tls_to_plaintext_port_not_retried(make, server):
    srv = server(on_connect=b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
    h = make(base_url=f"https://127.0.0.1:{srv.port}", max_retries=2)
    err = h.raises(APIConnectionError, get)
    assert err.maybe_processed is False  # the handshake failed: nothing was sent
    assert h.sleeps == []
    assert srv.connections == 1


def test_self_signed_certificate_not_retried(make, server, tmp_path):
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    srv = server(default=fs.respond(200, sub_xml(1)), tls=tls)
    for call in (get, fee):
        h = make(base_url=f"https://127.0.0.1:{srv.port}", max_retries=2)
        err = h.raises(APIConnectionError, call)
        assert "CERTIFICATE" in repr(err.__cause__).upper()
        assert err.maybe_processed is False and h.sleeps == []
    assert srv.hits == 0 and srv.connections == 2


# ---------------------------------------------------------------------- pool exhausted


def test_pool_exhausted_sync(server):
    from spreedly_sdk import Client

    srv = server(default=fs.delay_headers(0.6, fs.respond(200, sub_xml(1))))
    http = httpx.Client(limits=httpx.Limits(max_connections=1), timeout=httpx.Timeout(5, pool=0.1))
    client = Client("tok_x", "mysite", base_url=srv.url, http_client=http, max_retries=0)
    try:
        slow = threading.Thread(target=client.subscribers.get, args=(1,))
        slow.start()
        while srv.hits == 0:
            srv.wait(0.01)
        with pytest.raises(APITimeoutError) as info:
            client.subscribers.get(2)
        assert info.value.phase == "pool" and info.value.maybe_processed is False
        slow.join()
        assert srv.hits == 1
    finally:
        client.close()
        http.close()


async def test_pool_exhausted_async(server):
    from spreedly_sdk import AsyncClient

    srv = server(default=fs.delay_headers(0.6, fs.respond(200, sub_xml(1))))
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=1), timeout=httpx.Timeout(5, pool=0.1)) as http:
        client = AsyncClient("tok_x", "mysite", base_url=srv.url, http_client=http, max_retries=0)
        slow = asyncio.ensure_future(client.subscribers.get(1))
        while srv.hits == 0:
            await asyncio.sleep(0.01)
        with pytest.raises(APITimeoutError) as info:
            await client.subscribers.get(2)
        assert info.value.phase == "pool" and info.value.maybe_processed is False
        assert (await slow).customer_id == "1"


# ---------------------------------------------------------------------- redirects


@pytest.mark.parametrize("follow", [False, True], ids=["default-client", "user-client-follows"])
def test_redirect_not_followed(make, server, follow):
    other = server(default=fs.respond(200, sub_xml(1)))
    srv = server(default=fs.respond(302, b"", content_type=None,
                                    headers=[("Location", f"{other.url}/api/v4/mysite/subscribers/1.xml")]))
    h = (make(base_url=srv.url, http_kwargs={"follow_redirects": True}) if follow else make(base_url=srv.url))
    err = h.raises(UnexpectedResponseError, get)
    assert err.status_code == 302 and "302" in str(err)
    assert srv.hits == 1 and other.hits == 0
    assert srv.requests[0].headers["authorization"] == f"Basic {TOKEN_B64}"


# ---------------------------------------------------------------------- same mapping on MockTransport

MOCK_FAULTS = {
    "connect-error": (httpx.ConnectError("refused"), False, APIConnectionError),
    "connect-timeout": (httpx.ConnectTimeout("slow connect"), False, APITimeoutError),
    "pool-timeout": (httpx.PoolTimeout("pool"), False, APITimeoutError),
    "read-error": (httpx.ReadError("reset"), True, APIConnectionError),
    "read-timeout": (httpx.ReadTimeout("slow"), True, APITimeoutError),
    "write-timeout": (httpx.WriteTimeout("slow"), True, APITimeoutError),
    "remote-protocol": (httpx.RemoteProtocolError("Server disconnected"), True, APIConnectionError),
}


@pytest.mark.parametrize("case", MOCK_FAULTS.values(), ids=MOCK_FAULTS.keys())
@pytest.mark.parametrize("call", [get, fee], ids=["GET", "POST"])
def test_mock_transport_same_mapping(make, case, call):
    exc, maybe, cls = case

    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    h = make(handler=handler, max_retries=2)
    err = h.raises(cls, call)
    assert type(err) is cls
    assert err.maybe_processed is maybe
    assert err.__cause__ is exc
    retried = (not maybe) or call is get
    assert len(h.requests) == (3 if retried else 1)


@pytest.mark.parametrize("call", [get, fee], ids=["GET", "POST"])
def test_mock_transport_status_mapping(make, call):
    answers = iter([httpx.Response(500, content=ERRORS_500, headers={"content-type": "application/xml"}),
                    httpx.Response(200, content=sub_xml(1), headers={"content-type": "application/xml"})])
    h = make(handler=lambda r: next(answers), max_retries=2)
    if call is get:
        assert h.run(call).customer_id == "1" and len(h.requests) == 2
    else:
        assert h.raises(InternalServerError, call).errors == ["Something broke"] and len(h.requests) == 1
