"""The transport's modules that need no socket, each tested without one: URLs and path
segments, credentials, answers mapped to errors, failures mapped to errors, body decoding."""

from __future__ import annotations

import gzip

import httpx
import pytest

from spreedly_sdk import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    InvalidRequestError,
    InvalidTypeError,
    NotFoundError,
    ResponseParseError,
    ResponseTooLargeError,
)
from spreedly_sdk._transport.answers import Response, status_error
from spreedly_sdk._transport.bodies import BodyReader
from spreedly_sdk._transport.credentials import Credentials
from spreedly_sdk._transport.failures import connection_error, deadline_error
from spreedly_sdk._transport.urls import ApiRoot, check_base_url, check_params, check_query_path, segment

from .conftest import TOKEN, TOKEN_B64

# ----------------------------------------------------------------------------- urls


@pytest.mark.parametrize(("given", "expected"), [
    ("https://subs.pinpayments.com", "https://subs.pinpayments.com/"),
    ("http://127.0.0.1:8765/", "http://127.0.0.1:8765/"),
    ("http://127.0.0.1:8765/api/v4/mysite/", "http://127.0.0.1:8765/"),
    ("http://127.0.0.1:8765/api/v4/mysite", "http://127.0.0.1:8765/"),
    ("http://127.0.0.1:8765/api/v4", "http://127.0.0.1:8765/"),
    ("https://proxy.internal/spreedly/api/v4/mysite/", "https://proxy.internal/spreedly/"),
    ("https://proxy.internal/spreedly/", "https://proxy.internal/spreedly/"),
    ("https://proxy.internal/api/v4x/", "https://proxy.internal/api/v4x/"),
])
def test_base_url_ending_in_the_api_root_is_cut_back(given: str, expected: str) -> None:
    assert str(check_base_url(given, "mysite")).rstrip("/") == expected.rstrip("/")


@pytest.mark.parametrize("given", ["http://127.0.0.1:8765/api/v4/othersite/",
                                   "http://127.0.0.1:8765/api/v4/mysite/subscribers.xml"])
def test_base_url_with_another_api_path_is_refused_saying_what_to_pass(given: str) -> None:
    with pytest.raises(InvalidRequestError) as info:
        check_base_url(given, "mysite")
    assert "base_url='http://127.0.0.1:8765'" in str(info.value) and info.value.field == "base_url"


def test_base_url_of_the_wrong_type() -> None:
    with pytest.raises(InvalidTypeError):
        check_base_url(8765, "mysite")


@pytest.mark.parametrize(("base", "origin"), [("https://subs.pinpayments.com", "subs.pinpayments.com:443"),
                                              ("http://127.0.0.1:8765/", "127.0.0.1:8765"),
                                              ("http://example.test", "example.test:80"),
                                              ("http://[::1]:9000/prefix/", "[::1]:9000")])
def test_api_root_shows_the_full_path_and_the_origin(base: str, origin: str) -> None:
    root = ApiRoot.of(check_base_url(base, "mysite"), "mysite")
    url = root.url("subscribers/42.xml")
    assert url.endswith("/api/v4/mysite/subscribers/42.xml")
    assert root.shown(url) == httpx.URL(url).path and root.shown(url).endswith("/api/v4/mysite/subscribers/42.xml")
    assert root.shown(root.url("transactions.xml?since_id=4")).endswith("/transactions.xml")
    assert root.origin == origin
    assert root.same_origin(url) and not root.same_origin("https://elsewhere.test/x")


@pytest.mark.parametrize("text", ["a\ud800", "\udfff", "ok\udc80ok"])
def test_lone_surrogates_refused_in_segments_query_paths_and_values(text: str) -> None:
    with pytest.raises(InvalidRequestError, match="surrogate") as info:
        segment(text, "customer_id")
    assert info.value.field == "customer_id"
    with pytest.raises(InvalidRequestError, match="surrogate"):
        check_query_path(f"subscribers/{text}.xml")
    with pytest.raises(InvalidRequestError, match="surrogate"):
        check_params({"since_id": text})
    with pytest.raises(InvalidRequestError, match="surrogate"):
        check_base_url(f"http://host.test/{text}", "mysite")


def test_query_path_of_the_wrong_type() -> None:
    with pytest.raises(InvalidTypeError):
        check_query_path(b"subscribers.xml")


# ----------------------------------------------------------------------------- credentials


def test_credentials_build_the_basic_header_and_mask_the_token() -> None:
    creds = Credentials(TOKEN)
    assert creds.header() == f"Basic {TOKEN_B64}"
    assert creds.scrub(f"x {TOKEN} y {TOKEN_B64} z".encode()) == b"x **** y **** z"
    assert TOKEN not in repr(creds)


# ----------------------------------------------------------------------------- answers and failures

PATH = "/api/v4/mysite/subscribers/42.xml"


def answer(status: int, body: bytes = b"", ctype: str = "application/xml") -> Response:
    request = httpx.Request("GET", "https://subs.pinpayments.com" + PATH, headers={"Authorization": "Basic x"})
    return Response(status, httpx.Headers({"content-type": ctype}), body, request)


def test_status_errors_name_the_method_and_the_full_path() -> None:
    err = status_error(answer(404, b"<errors><error>Not found</error></errors>"), "GET", PATH)
    assert isinstance(err, NotFoundError)
    assert str(err).startswith(f"GET {PATH} -> 404: Not found") and err.path == PATH
    assert err.request is not None and "authorization" not in err.request.headers


def test_an_unreadable_error_body_is_said_not_hidden() -> None:
    err = status_error(answer(500), "GET", PATH, unreadable="the compressed body could not be decoded")
    assert isinstance(err, InternalServerError) and "could not be read" in str(err)


@pytest.mark.parametrize(("exc", "cls", "sent", "words"), [
    (httpx.ConnectError("refused"), APIConnectionError, False, "could not connect to 127.0.0.1:9"),
    (httpx.ConnectTimeout("slow"), APITimeoutError, False, "to 127.0.0.1:9 timed out (connect)"),
    (httpx.ReadError("reset"), APIConnectionError, True, "the connection to 127.0.0.1:9 failed"),
    (httpx.ReadTimeout("slow"), APITimeoutError, True, "to 127.0.0.1:9 timed out (read)"),
])
def test_connection_errors_name_method_path_and_host_port(exc: httpx.HTTPError, cls: type, sent: bool,
                                                          words: str) -> None:
    err = connection_error(exc, "GET", PATH, "127.0.0.1:9")
    assert type(err) is cls and err.maybe_processed is sent
    assert str(err).startswith(f"GET {PATH}") and words in str(err)
    assert (err.method, err.path, err.host) == ("GET", PATH, "127.0.0.1:9")


def test_deadline_error_says_whether_it_was_sent() -> None:
    assert "it was not sent" in str(deadline_error("GET", PATH, "h:1", maybe_processed=False))
    err = deadline_error("POST", PATH, "h:1", maybe_processed=True)
    assert err.phase == "deadline" and "outcome is unknown" in str(err) and "h:1" in str(err)


# ----------------------------------------------------------------------------- bodies


def test_error_bodies_are_cut_at_the_limit_not_refused() -> None:
    reader = BodyReader(httpx.Headers({"content-length": "5000"}), 100, truncate=True)
    reader.add(b"a" * 60)
    assert not reader.full
    reader.add(b"b" * 60)
    assert reader.full and reader.finish() == b"a" * 60 + b"b" * 40


def test_compressed_error_bodies_are_cut_too() -> None:
    reader = BodyReader(httpx.Headers({"content-encoding": "gzip"}), 1000, truncate=True)
    reader.add(gzip.compress(b"x" * 1_000_000))
    assert reader.full and reader.finish() == b"x" * 1000


def test_bodies_the_caller_gets_are_refused_past_the_limit() -> None:
    with pytest.raises(ResponseTooLargeError):
        BodyReader(httpx.Headers({"content-length": "5000"}), 100)
    reader = BodyReader(httpx.Headers({}), 100)
    with pytest.raises(ResponseTooLargeError):
        reader.add(b"a" * 101)


def test_broken_compression_keeps_what_was_decoded() -> None:
    data = gzip.compress(b"<errors><error>boom</error></errors>")
    reader = BodyReader(httpx.Headers({"content-encoding": "gzip"}), 1000, truncate=True)
    reader.add(data[:-8])
    with pytest.raises(ResponseParseError):
        reader.add(b"\x00garbage-that-is-not-deflate" * 3)
        reader.finish()
    assert reader.so_far().startswith(b"<errors>")
