"""The retry policy at the wire: backoff, Retry-After, which methods and statuses."""

from __future__ import annotations

import email.utils
import logging
import time
from decimal import Decimal

import httpx
import pytest

from spreedly_sdk import APIConnectionError, APIStatusError, AsyncClient, Client, InvalidRequestError
from spreedly_sdk._transport import answers, policy

from . import faultserver as fs
from .conftest import TOKEN, TOKEN_B64, sub_xml

XML = {"content-type": "application/xml"}


def seq(*responses: httpx.Response | Exception):  # noqa: ANN201
    """A handler answering with the given responses (or raising the given errors) in turn, then 200."""
    items = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        item = items.pop(0) if items else httpx.Response(200, content=sub_xml(1), headers=XML)
        if isinstance(item, Exception):
            raise item
        return item

    return handler


# ---------------------------------------------------------------------- backoff


def test_backoff_formula_without_jitter(monkeypatch):
    monkeypatch.setattr(policy.random, "random", lambda: 0.0)
    assert [policy.backoff_delay(n) for n in range(7)] == [0.5, 1, 2, 4, 8, 8, 8]
    for n in (-1100, -1, 1000, 10**9):
        d = policy.backoff_delay(n)
        assert 0 < d <= 8
    monkeypatch.setattr(policy.random, "random", lambda: 0.999999)
    assert all(0.75 * 0.5 <= policy.backoff_delay(0) <= 0.5 for _ in range(3))


def test_jitter_band():
    for n, full in [(0, 0.5), (2, 2.0), (10, 8.0)]:
        samples = [policy.backoff_delay(n) for _ in range(1000)]
        assert all(0.75 * full <= s <= full for s in samples)
        assert len(set(samples)) > 1


# ---------------------------------------------------------------------- Retry-After


def test_retry_after_seconds(make):
    h = make(handler=seq(httpx.Response(429, headers={"retry-after": "2"})))
    assert h.run(lambda c: c.subscribers.get(1)).customer_id == "1"
    assert h.sleeps == [2.0] and len(h.requests) == 2


def test_429_retries_post_too(make):
    h = make(handler=seq(httpx.Response(429, headers={"retry-after": "1"}), httpx.Response(200)))
    h.run(lambda c: c.subscribers.add_fee(1, name="n", description=None, group="g", amount=Decimal(1)))
    assert h.sleeps == [1.0] and len(h.requests) == 2


def test_retry_after_http_date(make):
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    h = make(handler=seq(httpx.Response(503, headers={"retry-after": when})))
    h.run(lambda c: c.subscribers.get(1))
    assert len(h.sleeps) == 1 and 18.5 <= h.sleeps[0] <= 20.0


def test_retry_after_http_date_with_fixed_clock():
    now = 1_700_000_000.0
    headers = httpx.Headers({"retry-after": email.utils.formatdate(now + 20, usegmt=True)})
    assert answers.parse_retry_after(headers, now=now) == 20.0


@pytest.mark.parametrize("value", ["0", "-10", "61", "86400", "garbage", "99999999999999999999", "1e400",
                                   "inf", "nan", "", "Wed, 21 Oct 2015 07:28:00 GMT", "Mon, 99 Foo 2020 25:61:61 GMT",
                                   "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_unusable_retry_after_falls_back_to_backoff(make, value):
    assert answers.parse_retry_after(httpx.Headers({"retry-after": value})) is None
    h = make(handler=seq(httpx.Response(429, headers={"retry-after": value})))
    h.run(lambda c: c.subscribers.get(1))
    assert len(h.sleeps) == 1 and 0.375 <= h.sleeps[0] <= 0.5


def test_retry_after_at_cap_is_honoured():
    assert answers.parse_retry_after(httpx.Headers({"retry-after": "60"})) == 60.0
    assert answers.parse_retry_after(httpx.Headers({"retry-after": " 1.5 "})) == 1.5


# ---------------------------------------------------------------------- who is retried

FAULTS = {
    "500": lambda: httpx.Response(500),
    "429": lambda: httpx.Response(429),
    "connect-error": lambda: httpx.ConnectError("refused"),
    "read-error": lambda: httpx.ReadError("reset"),
    "read-timeout": lambda: httpx.ReadTimeout("slow"),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_max_retries_zero(make, fault):
    h = make(handler=seq(*[fault() for _ in range(5)]), max_retries=0)
    h.raises((APIStatusError, APIConnectionError), lambda c: c.subscribers.get(1))
    assert len(h.requests) == 1 and h.sleeps == []


@pytest.mark.parametrize("bad", [-1, "2", 1.5, True, None, 2**100 * -1])
@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_max_retries_validated(cls, bad):
    with pytest.raises(InvalidRequestError, match="max_retries"):
        cls(TOKEN, "mysite", max_retries=bad)


def test_with_options_validates_too(make):
    h = make(handler=seq())
    with pytest.raises(InvalidRequestError):
        h.client.with_options(max_retries=-1)


CALLS = {
    "GET": lambda c: c.subscribers.get(1),
    "PUT": lambda c: c.subscribers.update(1, screen_name="x"),
    "DELETE": lambda c: c.subscribers.delete(1),
}


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
@pytest.mark.parametrize("method", CALLS)
def test_client_errors_never_retried(make, status, method):
    # 409 is pinned as not retried: the policy retries 408 and 429 only among 4xx.
    h = make(handler=seq(*[httpx.Response(status) for _ in range(3)]), max_retries=2)
    err = h.raises(APIStatusError, CALLS[method])
    assert err.status_code == status and len(h.requests) == 1 and h.sleeps == []


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
@pytest.mark.parametrize("method", CALLS)
def test_retryable_statuses(make, status, method):
    h = make(handler=seq(*[httpx.Response(status) for _ in range(5)]), max_retries=2)
    err = h.raises(APIStatusError, CALLS[method])
    assert err.status_code == status
    assert len(h.requests) == 3 and len(h.sleeps) == 2
    assert all(r.method == method for r in h.requests)


def test_per_call_override(make):
    h = make(handler=seq(*[httpx.Response(500) for _ in range(10)]), max_retries=2)
    once = h.client.with_options(max_retries=0)
    h.raises(APIStatusError, lambda c: once.subscribers.get(1))
    assert len(h.requests) == 1
    assert h.client.max_retries == 2 and once.max_retries == 0
    h.raises(APIStatusError, lambda c: c.subscribers.get(1))
    assert len(h.requests) == 4


# ---------------------------------------------------------------------- no leaked connections


def _busy(h):  # noqa: ANN001, ANN202
    pool = h.client._transport.http._transport._pool
    return [c for c in pool.connections if not c.is_idle() and not c.is_closed()]


def test_no_connection_left_busy_after_retries(make, server):
    srv = server(fs.respond(500, b"", keep_alive=True), fs.reset(), fs.close_without_answer(),
                 fs.respond(503, b"x" * 5000, keep_alive=True), default=fs.respond(200, sub_xml(1), keep_alive=True))
    h = make(base_url=srv.url, max_retries=5)
    assert h.run(lambda c: c.subscribers.get(1)).customer_id == "1"
    assert _busy(h) == []
    assert len(h.client._transport.http._transport._pool.connections) <= 1
    # a streamed list after retries, fully consumed and abandoned half way
    srv.push(fs.respond(502, b"", keep_alive=True),
             fs.respond(200, b'<subscribers type="array">' + sub_xml(1).split(b"?>", 1)[1] * 3 + b"</subscribers>",
                        keep_alive=True))
    if h.is_async:
        async def consume(c):  # noqa: ANN001, ANN202
            return [s async for s in c.subscribers.iter()]
        assert len(h.run(consume)) == 3
    else:
        assert len(list(h.client.subscribers.iter())) == 3
    assert _busy(h) == []
    assert srv.hits == 7


def test_errors_release_connections(make, server):
    srv = server(default=fs.respond(404, b"<errors><error>Not found</error></errors>", keep_alive=True))
    h = make(base_url=srv.url)
    for _ in range(5):
        h.raises(APIStatusError, lambda c: c.subscribers.get(1))
    assert _busy(h) == [] and srv.connections == 1


# ---------------------------------------------------------------------- logging and other settings


def test_put_retry_sends_identical_bytes(make):
    h = make(handler=seq(httpx.Response(503), httpx.ReadError("reset"), httpx.Response(200)), max_retries=2)
    h.run(lambda c: c.subscribers.update(1, screen_name="Zoë & <co>", email="z@example.com"))
    bodies = [r.content for r in h.requests]
    assert len(bodies) == 3 and bodies[0] == bodies[1] == bodies[2] and b"&amp; &lt;co&gt;" in bodies[0]


def test_one_log_line_per_retry(make, caplog):
    caplog.set_level(logging.DEBUG, logger="spreedly_sdk")
    h = make(handler=seq(httpx.Response(500), httpx.ReadError("reset"), httpx.Response(200)), max_retries=2)
    h.run(lambda c: c.subscribers.update(1, screen_name="SECRET-BODY-VALUE"))
    lines = [r for r in caplog.records if r.name.startswith("spreedly_sdk") and "retry" in r.getMessage()]
    assert len(lines) == 2
    for n, (rec, delay) in enumerate(zip(lines, h.sleeps), start=2):
        msg = rec.getMessage()
        assert rec.levelno == logging.INFO
        assert "PUT" in msg and "subscribers/1.xml" in msg and f"attempt {n}" in msg and f"{delay:.2f}s" in msg
        for secret in (TOKEN, TOKEN_B64, "SECRET-BODY-VALUE", "Authorization", "authorization"):
            assert secret not in msg and secret not in repr(rec.args)
