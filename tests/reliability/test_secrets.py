"""The API token shows up nowhere (canary test over every error path).

The canary is searched for raw and as ``base64(token + ":X")`` (the Basic auth value) in log
messages and arguments at DEBUG for ``spreedly_sdk``, ``httpx`` and ``httpcore``, in every
exception's str/repr, in formatted tracebacks, in tracebacks with captured locals, in
pickles, and in the client's and its configuration's repr/str.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
import pickle
import subprocess
import sys
import traceback
from decimal import Decimal
from typing import Any

import httpx
import pytest

from spreedly_sdk import (
    APIConnectionError,
    APIStatusError,
    AsyncClient,
    AuthenticationError,
    Client,
    InternalServerError,
    InvalidRequestError,
    SpreedlyError,
)

from . import faultserver as fs
from .conftest import ERRORS_500, TOKEN, TOKEN_B64, free_port, sub_xml

BOTH_SEND_PATHS = True
"""Every harness test here runs on the fast path and on httpx's public path."""

SECRETS = (TOKEN, TOKEN_B64)
ECHO_401 = (f"<html><body>Unauthorized. You sent Authorization: Basic {TOKEN_B64} for token {TOKEN}. "
            + "x" * 3000 + "</body></html>").encode()


def assert_clean(text: str | bytes, where: str) -> None:
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    for secret in SECRETS:
        assert secret.encode() not in data, f"token found in {where}"


def get(c):  # noqa: ANN001, ANN201
    return c.subscribers.get(1)


def fee(c):  # noqa: ANN001, ANN201
    return c.subscribers.add_fee(1, name="n", description=None, group="g", amount=Decimal(1))


# Each path: fault-server script (or None for a dead port / a mock handler), client kwargs, call.
SERVER_PATHS: dict[str, tuple[list[Any], dict[str, Any], Any]] = {
    "500-then-200": ([fs.respond(500, ERRORS_500), fs.respond(200, sub_xml(1))], {}, get),
    "500-always": ([fs.respond(500, ERRORS_500)] * 3, {}, get),
    "post-500": ([fs.respond(500, ERRORS_500)], {}, fee),
    "reset": ([fs.reset()] * 3, {}, get),
    "reset-mid-body": ([fs.reset_mid_body(200, sub_xml(1) * 4)] * 3, {}, get),
    "fin": ([fs.close_without_answer()] * 3, {}, get),
    "post-dropped": ([fs.close_without_answer()], {}, fee),
    "slow-headers": ([fs.delay_headers(0.5, fs.respond(200, sub_xml(1)))] * 2,
                         {"timeout": httpx.Timeout(5, read=0.1), "max_retries": 1}, get),
    "stall-body": ([fs.stall_mid_body(200, sub_xml(1), 0.5)], {"timeout": httpx.Timeout(5, read=0.1),
                                                                   "max_retries": 0}, get),
    # a deadline long enough that the request surely reaches the server even on a loaded machine
    "trickle-deadline": ([fs.trickle(200, sub_xml(1), 0.05)], {"deadline": 1.0}, get),
    "short-body": ([fs.lying_length(200, sub_xml(1))], {"max_retries": 0}, get),
    "garbage": ([fs.raw(b"NOT HTTP AT ALL\r\n\r\n")], {"max_retries": 0}, get),
    "bad-gzip": ([fs.respond(200, sub_xml(1), headers=[("Content-Encoding", "gzip")])], {}, get),
    "redirect": ([fs.respond(302, b"", headers=[("Location", "http://127.0.0.1:9/elsewhere")])], {}, get),
    "401-echo": ([fs.respond(401, ECHO_401, content_type="text/html")], {}, get),
    "truncated": ([fs.respond(200, sub_xml(1)[:-15])], {}, get),
    "502-html": ([fs.respond(502, b"<html>bad gateway</html>", content_type="text/html")] * 3, {}, get),
    "html-200": ([fs.respond(200, b"<html>login</html>", content_type="text/html")], {}, get),
    "json": ([fs.respond(200, b"{}", content_type="application/json")], {}, get),
    "empty": ([fs.respond(200, b"")], {}, get),
    "bad-utf8": ([fs.respond(200, sub_xml(1).replace(b"Joe", b"\xff\xfe"))], {}, get),
    "422": ([fs.respond(422, b"<errors><error>Customer has already been taken</error></errors>")], {}, fee),
    "403": ([fs.respond(403, b"")], {}, get),
    "404": ([fs.respond(404, b"<errors><error>Not found</error></errors>")], {}, get),
    "wrong-root": ([fs.respond(200, ERRORS_500)], {}, get),
    "wrong-type": ([fs.respond(200, b'<subscriber><customer-id>1</customer-id><active type="boolean">maybe'
                                        b"</active></subscriber>")], {}, get),
    "doctype": ([fs.respond(200, b'<!DOCTYPE subscriber [<!ENTITY a "b">]><subscriber><customer-id>&a;'
                                    b"</customer-id></subscriber>")], {}, get),
    "too-large": ([fs.respond(200, sub_xml(1) + b" " * 5000)], {"max_response_bytes": 1000}, get),
    "bomb": ([fs.gzip_bomb(5_000_000)], {"max_response_bytes": 100_000}, get),
    "list-rst": ([fs.reset()] * 3, {}, lambda c: c.subscribers.list()),
}


def _surfaces(err: BaseException) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {
        "str": str(err),
        "repr": repr(err),
        "format_exception": "".join(traceback.format_exception(type(err), err, err.__traceback__)),
        "capture_locals": "".join(traceback.TracebackException.from_exception(err, capture_locals=True).format()),
        "vars": repr(vars(err)),
        "pickle": pickle.dumps(err),
    }
    if isinstance(err, APIStatusError):
        out["errors"] = repr(err.errors)
        out["snippet"] = err.body_snippet
        out["request-headers"] = repr(dict(err.request.headers)) if err.request is not None else ""
        out["response-body"] = err.response.content if err.response is not None else b""
        out["response-request"] = (repr(dict(err.response.request.headers))
                                   if err.response is not None else "")
    cause = err.__cause__
    if cause is not None:
        out["cause"] = repr(cause) + str(cause)
    return out


def _check_records(records: list[logging.LogRecord]) -> None:
    formatter = logging.Formatter()
    for rec in records:
        assert_clean(rec.getMessage(), f"log message of {rec.name}")
        assert_clean(repr(rec.args), f"log args of {rec.name}")
        if rec.exc_info:
            assert_clean(formatter.formatException(rec.exc_info), f"log exc_info of {rec.name}")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture):  # noqa: ANN201
    for name in ("spreedly_sdk", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_canary_over_every_server_error_path(make, server, debug_logs):
    seen: set[str] = set()
    for name, (script, kwargs, call) in SERVER_PATHS.items():
        srv = server(*script, default=fs.respond(500, b""))
        h = make(base_url=srv.url, **kwargs)
        try:
            h.run(call)
        except SpreedlyError as err:
            seen.add(type(err).__name__)
            for where, text in _surfaces(err).items():
                assert_clean(text, f"{name}: {where}")
        assert any(r.get("authorization") == f"Basic {TOKEN_B64}" for r in (q.headers for q in srv.requests)), name
    # a dead port, a TLS handshake failure and refused input too
    tls = server(on_connect=b"HTTP/1.1 400 x\r\n\r\n")
    for name, kwargs, call in [
        ("refused", {"base_url": f"http://127.0.0.1:{free_port()}"}, get),
        ("tls", {"base_url": f"https://127.0.0.1:{tls.port}"}, get),
        ("illegal-char", {}, lambda c: c.subscribers.update(1, screen_name="a\x00")),
        ("dot-segment", {}, lambda c: c.subscribers.get("..")),
    ]:
        h = make(**kwargs)
        with pytest.raises(SpreedlyError) as info:
            h.run(call)
        seen.add(type(info.value).__name__)
        for where, text in _surfaces(info.value).items():
            assert_clean(text, f"{name}: {where}")
    records = debug_logs.records
    assert any(r.name.startswith("httpcore") for r in records) and any(r.name == "httpx" for r in records)
    assert any(r.name == "spreedly_sdk" for r in records)
    _check_records(records)
    assert seen >= {"InternalServerError", "APIConnectionError", "APITimeoutError", "UnexpectedResponseError",
                    "ResponseParseError", "ResponseTooLargeError", "XmlSecurityError", "AuthenticationError",
                    "ForbiddenError", "NotFoundError", "UnprocessableEntityError", "InvalidRequestError"}


def test_status_error_messages(make):
    answers = {"/api/v4/mysite/subscribers/1.xml": httpx.Response(401, content=ECHO_401),
               "/api/v4/mysite/subscribers/2.xml": httpx.Response(500, content=ERRORS_500,
                                                                  headers={"x-request-id": "req-123"})}
    h = make(handler=lambda r: answers[r.url.path], max_retries=0)
    e401 = h.raises(AuthenticationError, get)
    e500 = h.raises(InternalServerError, lambda c: c.subscribers.get(2))
    for err, status, path in [(e401, 401, "subscribers/1.xml"), (e500, 500, "subscribers/2.xml")]:
        for text in (str(err), repr(err), "".join(traceback.format_exception(err))):
            assert_clean(text, "status error")
        assert "GET" in str(err) and path in str(err) and str(status) in str(err)
        assert "authorization" not in {k.lower() for k in err.request.headers}
        assert pickle.loads(pickle.dumps(err)).status_code == status


def test_snippets_capped_and_scrubbed(make):
    h = make(handler=lambda r: httpx.Response(401, content=ECHO_401, headers={"content-type": "text/html"}))
    err = h.raises(AuthenticationError, get)
    assert len(err.body_snippet) <= 1025 and len(str(err)) < 600
    assert "****" in err.body_snippet
    assert_clean(err.response.content, "response body kept on the error")


def test_capture_locals_refused_port(make):
    h = make(base_url=f"http://127.0.0.1:{free_port()}", max_retries=1)
    err = h.raises(APIConnectionError, get)
    te = traceback.TracebackException.from_exception(err, capture_locals=True)
    text = "".join(te.format())
    assert "httpx" in text and "spreedly_sdk" in text  # both kinds of frames were rendered
    assert_clean(text, "capture_locals")


def test_client_config_and_copies(make):
    h = make(handler=lambda r: httpx.Response(200))
    client = h.client
    derived = client.with_options(max_retries=0)
    for obj in (client, derived, client._options, client._transport, client._credentials, client.subscribers):
        assert_clean(repr(obj), f"repr({type(obj).__name__})")
        assert_clean(str(obj), f"str({type(obj).__name__})")
    assert_clean(repr(vars(client)), "vars(client)")
    assert_clean(repr(dataclasses.asdict(client._options)), "options as dict")
    assert_clean(pickle.dumps(client._options), "pickled options")
    for attempt in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError) as info:
            attempt(client)
        assert_clean(str(info.value), "copy refusal")
    for attempt in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError):
            attempt(client._credentials)


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize("base_url", [f"https://{TOKEN}:X@subs.pinpayments.com", f"https://{TOKEN}@example.test/",
                                      f"http://user:{TOKEN}@127.0.0.1:8080"])
def test_base_url_with_credentials_refused(cls, base_url):
    with pytest.raises(InvalidRequestError) as info:
        cls(TOKEN, "mysite", base_url=base_url)
    assert_clean(str(info.value) + repr(info.value), "base_url error")
    assert "credentials" in str(info.value)


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize("token", [[TOKEN], (TOKEN,), TOKEN.encode(), {"token": TOKEN}, 12345])
def test_wrongly_typed_token_not_echoed(cls, token):
    with pytest.raises(InvalidRequestError) as info:
        cls(token, "mysite")
    text = str(info.value) + repr(info.value) + "".join(traceback.format_exception(info.value))
    assert_clean(text, "token type error")
    assert "12345" not in text


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize("token", ["", "   ", None])
def test_missing_token(cls, token):
    with pytest.raises(InvalidRequestError, match="token"):
        cls(token, "mysite")


@pytest.mark.parametrize("token", [TOKEN + "\r\nX-Evil: 1", TOKEN + "\x00"])
def test_token_with_control_chars_not_echoed(token):
    with pytest.raises(InvalidRequestError) as info:
        Client(token, "mysite")
    assert_clean(str(info.value), "token check")


def test_redirect_never_reaches_other_origin(make, server):
    other = server(default=fs.respond(200, sub_xml(1)))
    srv = server(default=fs.respond(301, b"", headers=[("Location", f"{other.url}/steal")]))
    h = make(base_url=srv.url, http_kwargs={"follow_redirects": True})
    h.raises(SpreedlyError, get)
    assert other.hits == 0


_G4_SCRIPT = """
import logging
before = (logging.getLogger("httpx").level, logging.getLogger("httpcore").level)
from spreedly_sdk import Client
after = (logging.getLogger("httpx").level, logging.getLogger("httpcore").level)
print(before == after, logging.getLogger("spreedly_sdk").level)
"""


def test_log_switch_leaves_httpx_alone():
    env = {**os.environ, "SPREEDLY_LOG": "debug"}
    out = subprocess.run([sys.executable, "-c", _G4_SCRIPT], capture_output=True, text=True, env=env, check=True,
                         timeout=60).stdout.split()
    assert out == ["True", str(logging.DEBUG)]
