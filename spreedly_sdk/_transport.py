"""Everything about talking to the service, once.

The first part does no I/O: configuration, path segments, URLs, the status-to-error
mapping, the retry decision and backoff, reading a capped body. The last part holds the
only two send loops, :class:`SyncTransport` and :class:`AsyncTransport`, which are short and
alike: build the request, send it, read the body under the caps, decide, maybe sleep and
go again.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import email.utils
import logging
import math
import os
import random
import socket
import ssl
import threading
import time
import weakref
import zlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Generic, TypeVar
from urllib.parse import quote, unquote, urlsplit

import httpx

from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidRequestError,
    InvalidTypeError,
    ResponseError,
    ResponseParseError,
    ResponseTooLargeError,
    SpreedlyError,
    UnexpectedResponseError,
    snippet,
    status_error_class,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncTransport",
    "Call",
    "Options",
    "Response",
    "SyncTransport",
    "segment",
]

log = logging.getLogger("spreedly_sdk")


def _log_switch() -> None:
    """``SPREEDLY_LOG=debug|info`` shows the SDK's own log lines on stderr.

    Only the ``spreedly_sdk`` logger is touched: httpx and httpcore keep their levels (their
    debug lines are the caller's choice).
    """
    level = os.environ.get("SPREEDLY_LOG", "").strip().lower()
    if level not in ("debug", "info"):
        return
    log.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        log.addHandler(handler)


_log_switch()

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)

DEFAULT_BASE_URL = "https://subs.pinpayments.com"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=30.0)
"""Connect 5 s; read, write and waiting for a pooled connection 30 s each."""
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
DEFAULT_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
"""Enough connections that a thousand concurrent calls never queue inside httpcore
(whose queue handling is quadratic: FINDINGS §2f)."""
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""Longest ``Retry-After`` honoured, in seconds; longer (or nonsense) hints use the backoff."""
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
USER_AGENT = f"spreedly-sdk-python/{__version__}"


# ----------------------------------------------------------------------------- configuration


def _check_timeout(value: float | None, what: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                              or not math.isfinite(value) or value <= 0):
        raise InvalidRequestError(f"{what} must be a positive number of seconds or None")


def make_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """Validate and normalise a timeout given as seconds or an :class:`httpx.Timeout`."""
    if isinstance(timeout, httpx.Timeout):
        for phase in ("connect", "read", "write", "pool"):
            _check_timeout(getattr(timeout, phase), f"timeout.{phase}")
        return timeout
    if timeout is None:
        return DEFAULT_TIMEOUT
    _check_timeout(timeout, "timeout")
    return httpx.Timeout(timeout, connect=min(5.0, float(timeout)))


@dataclasses.dataclass(frozen=True)
class Options:
    """Per-client settings that shape every call; ``with_options`` derives copies."""

    timeout: httpx.Timeout | None = dataclasses.field(default_factory=lambda: DEFAULT_TIMEOUT)
    """``None`` defers to a caller-supplied ``http_client``'s own timeout."""
    max_retries: int = DEFAULT_MAX_RETRIES
    deadline: float | None = None
    """Overall limit for one call, retries and body included, in seconds."""
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    retry_non_idempotent: bool = False
    """Also retry POSTs on ambiguous failures (off: POSTs are not idempotent here)."""

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise InvalidRequestError("max_retries must be a non-negative integer")
        _check_timeout(self.deadline, "deadline")
        if (isinstance(self.max_response_bytes, bool) or not isinstance(self.max_response_bytes, int)
                or self.max_response_bytes <= 0):
            raise InvalidRequestError("max_response_bytes must be a positive integer")


class Credentials:
    """Holds the API token; it shows up in no repr, str, pickle or copy."""

    __slots__ = ("_header", "_secrets")

    def __init__(self, token: object) -> None:
        if not isinstance(token, str):
            raise InvalidTypeError("the API token must be a string")
        if not token or not token.strip():
            raise InvalidRequestError("an API token is required")
        if any(c in token for c in "\r\n\x00") or not token.isprintable():
            raise InvalidRequestError("the API token contains characters a header cannot carry")
        self._header: str = httpx.BasicAuth(token, "X")._auth_header
        encoded = self._header.split(" ", 1)[1].encode("ascii")
        raw = token.encode("utf-8")
        self._secrets: tuple[bytes, ...] = (encoded, raw) if len(raw) >= 6 else (encoded,)

    def header(self) -> str:
        return self._header

    def scrub(self, data: bytes) -> bytes:
        """``data`` with the token (raw or base64-encoded as in the header) masked."""
        for secret in self._secrets:
            if secret in data:
                data = data.replace(secret, b"****")
        return data

    def __repr__(self) -> str:
        return "Credentials(****)"

    def __reduce__(self) -> Any:
        raise TypeError("spreedly_sdk credentials cannot be pickled")


def check_base_url(base_url: str | httpx.URL) -> httpx.URL:
    """Refuse base URLs that would leak the token or are not HTTP(S)."""
    try:
        url = httpx.URL(str(base_url))
    except (httpx.InvalidURL, TypeError) as exc:
        raise InvalidRequestError(f"base_url is not a valid URL: {type(exc).__name__}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidRequestError("base_url must be an http:// or https:// URL with a host")
    if url.userinfo:
        raise InvalidRequestError("base_url must not carry credentials; pass the token as the first argument")
    if url.query or url.fragment:
        raise InvalidRequestError("base_url must not have a query or a fragment")
    return url


def segment(value: object, name: str = "id") -> str:
    """Percent-encode one path segment, refusing values that could leave the site.

    Integers are written in decimal; strings are encoded with nothing left safe, so ``/``,
    ``?`` and ``#`` stay inside the segment. Empty or padded values, dot segments (also in
    encoded form), control characters, ``None`` and booleans raise
    :class:`InvalidRequestError`.
    """
    if isinstance(value, bool) or value is None or not isinstance(value, (str, int)):
        raise InvalidTypeError(f"{name} must be a string or an integer, not {type(value).__name__}", field=name)
    text = str(value)
    if not text or text != text.strip():
        raise InvalidRequestError(f"{name} must not be empty or start or end with spaces", field=name)
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise InvalidRequestError(f"{name} must not contain control characters", field=name)
    decoded = text
    for _ in range(3):
        decoded = unquote(decoded)
    if decoded.strip() in (".", "..") or text in (".", ".."):
        raise InvalidRequestError(f"{name} must not be a dot segment", field=name)
    return quote(text, safe="")


def check_site_name(site_name: object) -> str:
    """Validate a site name (the short name in API paths) and return it encoded."""
    encoded = segment(site_name, "site_name")
    if encoded != site_name:
        raise InvalidRequestError("site_name may contain only letters, digits, '-', '_', '.' and '~'",
                                  field="site_name")
    return encoded


# ----------------------------------------------------------------------------- calls and answers


@dataclasses.dataclass(frozen=True)
class Response:
    """A fully read answer: status, headers and the (decoded, capped) body."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    request: httpx.Request
    reason_phrase: str = ""

    def __repr__(self) -> str:  # the body may echo anything (even the token): never shown
        return f"<Response [{self.status_code}] {len(self.content)} bytes>"

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", ""))

    def to_httpx(self) -> httpx.Response:
        """The answer as a read :class:`httpx.Response` (body already decoded)."""
        headers = [(k, v) for k, v in self.headers.multi_items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        return httpx.Response(self.status_code, headers=headers, content=self.content, request=self.request)


@dataclasses.dataclass(frozen=True)
class Call(Generic[T]):
    """One endpoint invocation: what to send and how to read a successful answer.

    ``path`` is relative to ``{base_url}/api/v4/{site}/`` and already encoded.
    """

    method: str
    path: str
    parse: Callable[[Response], T]
    body: bytes | None = None
    params: Mapping[str, str] | None = None
    idempotent: bool | None = None
    """Whether an ambiguous failure may be retried; ``None``: decided by the method
    (GET, PUT and DELETE are, POST is not). Paying an invoice is a PUT that is not."""


def api_root(base_url: httpx.URL, site: str) -> str:
    return str(base_url).rstrip("/") + f"/api/v4/{site}/"


def parse_retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or HTTP-date); ``None`` if absent or
    outside ``(0, MAX_RETRY_AFTER]``."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_RETRY_AFTER:
        return None
    return seconds


def backoff_delay(retries_taken: int, retry_after: float | None = None) -> float:
    """Delay before retry number ``retries_taken + 1``: ``Retry-After`` when sensible,
    else ``min(0.5 * 2**n, 8)`` shrunk by up to a quarter at random."""
    if retry_after is not None:
        return retry_after
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** max(0, min(retries_taken, 32)), MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * random.random())


def error_messages(body: bytes, content_type: str) -> list[str]:
    """The service's messages from an error body: ``<errors>`` items or the plain text."""
    text = body.strip()
    if not text:
        return []
    if text.startswith(b"<") and b"<errors" in text[:200]:
        from .models.errors import ErrorsDocument

        with contextlib.suppress(Exception):  # a broken error document still yields its text below
            return [e.strip() for e in ErrorsDocument.from_xml(text).errors]
    if "html" in content_type or text.lower().startswith((b"<!doctype", b"<html")):
        return []
    return [snippet(text)]


def status_error(resp: Response, method: str, path: str,
                 scrub: Callable[[bytes], bytes] | None = None) -> APIStatusError:
    """The typed error for a non-2xx answer.

    The error keeps a copy of the request without its ``Authorization`` header, and
    ``scrub`` removes the token from the body (some proxies echo the request in a 401 page).
    """
    content = scrub(resp.content) if scrub is not None else resp.content
    errors = error_messages(content, resp.content_type)
    summary = "; ".join(errors) if errors else (resp.reason_phrase or "error")
    cls = status_error_class(resp.status_code)
    safe = dataclasses.replace(resp, content=content, request=without_credentials(resp.request))
    return cls(
        f"{method} {path} -> {resp.status_code}: {snippet(summary, 300)}",
        status_code=resp.status_code,
        method=method,
        path=path,
        errors=errors,
        body_snippet=snippet(content),
        retry_after=parse_retry_after(resp.headers),
        request=safe.request,
        response=safe.to_httpx(),
    )


def without_credentials(request: httpx.Request) -> httpx.Request:
    """A copy of ``request`` (method, URL, headers, body) without its ``Authorization`` header."""
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "authorization"]
    try:
        body: bytes | None = request.content
    except httpx.RequestNotRead:
        body = None
    return httpx.Request(request.method, request.url, headers=headers, content=body)


def redirect_error(status_code: int, content_type: str, method: str, path: str) -> UnexpectedResponseError:
    """The error for a 1xx/3xx final answer: redirects are never followed (the token stays home)."""
    return UnexpectedResponseError(
        f"{method} {path} -> {status_code}: the service answered with a redirect or another unexpected status; "
        "redirects are not followed", status_code=status_code, content_type=content_type)


def check_xml_answer(resp: Response) -> bytes:
    """The body of a 2xx answer that must be an XML document, or a typed error."""
    ctype = resp.content_type.split(";")[0].strip().lower()
    if ctype and not (ctype.endswith("/xml") or ctype.endswith("+xml")):
        raise UnexpectedResponseError(
            f"expected an XML document, got {ctype or 'no content type'} (status {resp.status_code})",
            status_code=resp.status_code, content_type=ctype, body_snippet=snippet(resp.content),
        )
    if not resp.content.strip():
        raise ResponseParseError("empty body where an XML document was expected", status_code=resp.status_code,
                                 content_type=ctype)
    return resp.content


def _timeout_phase(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect"
    if isinstance(exc, httpx.PoolTimeout):
        return "pool"
    if isinstance(exc, httpx.WriteTimeout):
        return "write"
    return "read"


def _is_tls_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, ssl.SSLError | ssl.CertificateError):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return "SSL" in str(exc) or "CERTIFICATE" in str(exc).upper()


def connection_error(exc: httpx.HTTPError, method: str, path: str) -> APIConnectionError:
    """Map an httpx transport failure to our error, deciding whether the call may have landed."""
    not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if isinstance(exc, httpx.TimeoutException):
        phase = _timeout_phase(exc)
        outcome = "it was not sent" if not_sent else "the outcome is unknown: the service may have processed it"
        return APITimeoutError(f"{method} {path} timed out ({phase}); {outcome}", method=method, path=path,
                               maybe_processed=not not_sent, phase=phase)  # type: ignore[arg-type]
    if not_sent:
        return APIConnectionError(f"{method} {path}: could not connect ({type(exc).__name__}); it was not sent",
                                  method=method, path=path, maybe_processed=False)
    return APIConnectionError(
        f"{method} {path}: the connection failed ({type(exc).__name__}); the outcome is unknown: "
        "the service may have processed it", method=method, path=path, maybe_processed=True)


def attempt_error(exc: httpx.HTTPError, method: str, path: str, deadline: _Deadline) -> APIConnectionError:
    """:func:`connection_error`, except that a failure once the call's deadline has passed
    reports ``phase="deadline"``: the per-request timeouts are clamped to the deadline, and
    the sync loop's watchdog ends a stalled body read by shutting the socket."""
    err = connection_error(exc, method, path)
    if deadline.expired(slack=0.02):
        return deadline.error(method, path, maybe_processed=err.maybe_processed)
    return err


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def deadline_watchdog(http_response: httpx.Response, deadline: _Deadline) -> threading.Timer | None:
    """For the blocking client: a timer that shuts the response's socket when the deadline
    passes, so a body read stalled inside the (clamped, but per-read) timeout still ends on
    time. ``None`` when there is no deadline or no socket (e.g. a mock transport)."""
    left = deadline.remaining()
    stream = http_response.extensions.get("network_stream")
    if left is None or stream is None:
        return None
    sock = stream.get_extra_info("socket")
    if not isinstance(sock, socket.socket):
        return None
    timer = threading.Timer(max(left, 0.0), _shutdown, (sock,))
    timer.daemon = True
    timer.start()
    return timer


def _answer_error(exc: ResponseError, http_response: httpx.Response) -> ResponseError:
    """Attach the status and content type to a body-reading failure."""
    exc.status_code = http_response.status_code
    exc.content_type = http_response.headers.get("content-type", "").split(";")[0].strip().lower()
    return exc


def may_retry_error(err: APIConnectionError, idempotent: bool, options: Options, cause: BaseException) -> bool:
    """Retry a transport failure? Never TLS problems; non-idempotent calls only when certainly not sent."""
    if _is_tls_error(cause):
        return False
    if not err.maybe_processed:
        return True
    return idempotent or options.retry_non_idempotent


def may_retry_status(status: int, idempotent: bool, options: Options) -> bool:
    """Retry an error status? 408/429/5xx for idempotent calls; the others only on 429."""
    if status not in RETRYABLE_STATUSES:
        return False
    return idempotent or status == 429 or options.retry_non_idempotent


class _BodyReader:
    """Decodes gzip/deflate itself so a compressed bomb never inflates past the cap."""

    def __init__(self, headers: httpx.Headers, limit: int) -> None:
        encoding = headers.get("content-encoding", "identity").strip().lower()
        self._limit = limit
        self._size = 0
        self._chunks: list[bytes] = []
        self._decoder: Any = None
        if encoding in ("gzip", "x-gzip"):
            self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._decoder = zlib.decompressobj()
        elif encoding not in ("identity", ""):
            raise ResponseParseError(f"unsupported content encoding {encoding!r}")
        length = headers.get("content-length")
        if encoding in ("identity", "") and length and length.isdigit() and int(length) > limit:
            raise ResponseTooLargeError(f"the response announces {length} bytes, over the {limit}-byte limit")

    def feed(self, raw: bytes) -> bytes:
        if self._decoder is None:
            data = raw
        else:
            try:
                data = self._decoder.decompress(raw, self._limit - self._size + 1)
            except zlib.error as exc:
                raise ResponseParseError(f"the compressed body could not be decoded: {exc}") from exc
            if self._decoder.unconsumed_tail:
                raise ResponseTooLargeError(f"the decoded response exceeds {self._limit} bytes")
        self._size += len(data)
        if self._size > self._limit:
            raise ResponseTooLargeError(f"the decoded response exceeds {self._limit} bytes")
        return data

    def add(self, raw: bytes) -> None:
        self._chunks.append(self.feed(raw))

    def finish(self) -> bytes:
        if self._decoder is not None:
            try:
                tail = self._decoder.flush()
            except zlib.error as exc:
                raise ResponseParseError(f"the compressed body could not be decoded: {exc}") from exc
            self._chunks.append(tail)
        return b"".join(self._chunks)


class _Deadline:
    def __init__(self, seconds: float | None) -> None:
        self.end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def expired(self, slack: float = 0.0) -> bool:
        left = self.remaining()
        return left is not None and left <= slack

    def error(self, method: str, path: str, *, maybe_processed: bool = True) -> APITimeoutError:
        outcome = "the outcome is unknown" if maybe_processed else "it was not sent"
        return APITimeoutError(f"{method} {path} exceeded its deadline; {outcome}", method=method, path=path,
                               maybe_processed=maybe_processed, phase="deadline")

    def check(self, method: str, path: str, *, maybe_processed: bool = True) -> None:
        if self.expired():
            raise self.error(method, path, maybe_processed=maybe_processed)

    def clamp(self, timeout: httpx.Timeout | None) -> httpx.Timeout | None:
        left = self.remaining()
        if left is None or timeout is None:
            return timeout
        left = max(left, 0.001)

        def cap(v: float | None) -> float:
            return left if v is None else min(v, left)

        return httpx.Timeout(connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write),
                             pool=cap(timeout.pool))


_ssl_lock = threading.Lock()
_ssl_context: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """One verifying SSL context per process: building one costs tens of milliseconds."""
    global _ssl_context  # noqa: PLW0603
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = ssl.create_default_context()
        return _ssl_context


_httpx_log = logging.getLogger("httpx")

_DIRECT_SEND = hasattr(httpx.Client, "_transport_for_url") and hasattr(httpx.AsyncClient, "_transport_for_url")
"""Whether this httpx has the (private) mount lookup the direct path uses; without it every
request takes httpx's public path, so a future httpx only loses the shortcut."""


def _log_like_httpx(response: httpx.Response) -> None:
    """The line httpx logs for each response it gets, for requests the SDK sends past its client
    (see :meth:`_BaseTransport.make_request`): whoever watches httpx's log still sees them."""
    if _httpx_log.isEnabledFor(logging.INFO):
        request = response.request
        _httpx_log.info('HTTP Request: %s %s "%s %d %s"', request.method, request.url, response.http_version,
                        response.status_code, response.reason_phrase)


class _BaseTransport(Generic[H]):
    """State and request building shared by the two send loops."""

    http: H

    def __init__(self, *, base_url: httpx.URL, site: str, credentials: Credentials, options: Options,
                 owns_client: bool) -> None:
        self.base_url = base_url
        self.site = site
        self.root = api_root(base_url, site)
        self.credentials = credentials
        self.options = options
        self.owns_client = owns_client
        self.sleep: Callable[[float], Any] = time.sleep
        self.asleep: Callable[[float], Any] = asyncio.sleep

    def check_open(self) -> None:
        """Refuse to send on a closed client with our own error (httpx's is a bare RuntimeError)."""
        if self.closed():
            raise SpreedlyError("this client has been closed; create a new one")

    def closed(self) -> bool:
        raise NotImplementedError

    def url(self, path: str) -> str:
        return path if "://" in path else self.root + path

    def headers(self, body: bytes | None) -> dict[str, str]:
        headers = {
            "Authorization": self.credentials.header(),
            "Accept": "application/xml",
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": USER_AGENT,
        }
        if body is not None:
            headers["Content-Type"] = XML_CONTENT_TYPE
        return headers

    def make_request(self, method: str, url: str, *, body: bytes | None = None,
                     params: Mapping[str, str] | None = None,
                     timeout: httpx.Timeout | None) -> tuple[httpx.Request, bool]:
        """The request for one attempt, and whether it goes straight to the connection pool.

        Only same-origin URLs get the credentials. A client the SDK made has nothing of its own
        to add to an API request (no base URL, headers, cookies, auth, hooks or redirects to
        follow), so those requests are built directly and handed to the client's transport,
        skipping httpx's merging and cookie bookkeeping: a fifth of a loopback call. A client
        you pass in keeps its defaults, cookies and hooks: its requests go through it.
        (Cookies a server sets are therefore never sent back by the SDK's own client: the API
        is stateless.)
        """
        if self.same_origin(url):
            headers = self.headers(body)
            if self.owns_client and not params and _DIRECT_SEND:
                return httpx.Request(method, url, headers=headers, content=body,
                                     extensions={"timeout": httpx.Timeout(timeout).as_dict()}), True
        else:
            headers = {}
        return self.http.build_request(method, url, content=body, params=params, headers=headers,
                                       timeout=timeout), False

    def same_origin(self, url: str) -> bool:
        if url.startswith(self.root):  # every API call: no URL parsing (a tenth of a mocked call)
            return True
        target = httpx.URL(url)
        return (target.scheme, target.host, target.port) == (self.base_url.scheme, self.base_url.host,
                                                               self.base_url.port)

    def log_retry(self, method: str, path: str, attempt: int, delay: float, reason: str) -> None:
        log.info("retrying %s %s (attempt %d) in %.2fs after %s", method, path, attempt + 1, delay, reason)

    def decide(self, method: str, path: str, retries_taken: int, options: Options,
               outcome: Response | APIConnectionError, cause: BaseException | None = None,
               deadline: _Deadline | None = None, idempotent: bool | None = None) -> float | None:
        """After an attempt: the delay before retrying, or ``None`` to stop.

        A retry whose backoff would not end before the call's deadline is not attempted:
        the caller gets the real failure now rather than a timeout later.
        """
        if retries_taken >= options.max_retries:
            return None
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        if isinstance(outcome, APIConnectionError):
            if cause is None or not may_retry_error(outcome, idempotent, options, cause):
                return None
            delay = backoff_delay(retries_taken)
            reason = type(cause).__name__
        else:
            if not may_retry_status(outcome.status_code, idempotent, options):
                return None
            delay = backoff_delay(retries_taken, parse_retry_after(outcome.headers))
            reason = f"status {outcome.status_code}"
        left = deadline.remaining() if deadline is not None else None
        if left is not None and delay >= left:
            return None
        self.log_retry(method, path, retries_taken + 1, delay, reason)
        return delay


def display_path(url: str, root: str) -> str:
    return url[len(root):] if url.startswith(root) else urlsplit(url).path


class SyncTransport(_BaseTransport[httpx.Client]):
    """The blocking send loop over an :class:`httpx.Client`."""

    def __init__(self, http_client: httpx.Client | None, **kwargs: Any) -> None:
        super().__init__(owns_client=http_client is None, **kwargs)
        self.http = http_client or httpx.Client(
            timeout=self.options.timeout, limits=DEFAULT_LIMITS, follow_redirects=False,
            verify=shared_ssl_context(), trust_env=True,
        )

    def closed(self) -> bool:
        return self.http.is_closed

    def close(self) -> None:
        if self.owns_client:
            self.http.close()

    def deliver(self, request: httpx.Request, direct: bool) -> httpx.Response:
        """Send one request; a direct one (see :meth:`make_request`) to the client's transport."""
        if not direct:
            return self.http.send(request, stream=True, follow_redirects=False)
        response = self.http._transport_for_url(request.url).handle_request(request)  # honours proxy mounts
        response.request = request
        _log_like_httpx(response)
        return response

    def execute(self, call: Call[T], options: Options | None = None) -> T:
        """Send a call with retries and return the parsed result (or raise a typed error)."""
        resp = self.send(call.method, call.path, body=call.body, params=call.params, options=options,
                         idempotent=call.idempotent)
        return call.parse(resp)

    def send(self, method: str, path: str, *, body: bytes | None = None,
             params: Mapping[str, str] | None = None, options: Options | None = None,
             raise_for_status: bool = True, idempotent: bool | None = None) -> Response:
        self.check_open()
        opts = options or self.options
        deadline = _Deadline(opts.deadline)
        url = self.url(path)
        shown = display_path(url, self.root)
        retries_taken = 0
        reached = False  # whether an attempt may have reached the service (for a late deadline)
        while True:
            deadline.check(method, shown, maybe_processed=reached)
            try:
                resp = self._attempt(method, url, shown, body, params, opts, deadline)
            except APIConnectionError as err:
                reached = reached or err.maybe_processed
                delay = self.decide(method, shown, retries_taken, opts, err, err.__cause__, deadline, idempotent)
                if delay is None:
                    raise
            else:
                reached = reached or resp.status_code != 429
                if 200 <= resp.status_code < 300 or not raise_for_status:
                    return resp
                if resp.status_code < 400:
                    raise redirect_error(resp.status_code, resp.content_type, method, shown)
                delay = self.decide(method, shown, retries_taken, opts, resp, None, deadline, idempotent)
                if delay is None:
                    raise status_error(resp, method, shown, self.credentials.scrub)
            self.sleep(delay)
            retries_taken += 1

    def _attempt(self, method: str, url: str, shown: str, body: bytes | None,
                 params: Mapping[str, str] | None, opts: Options, deadline: _Deadline) -> Response:
        timeout = deadline.clamp(opts.timeout if opts.timeout is not None else self.http.timeout)
        request, direct = self.make_request(method, url, body=body, params=params, timeout=timeout)
        try:
            http_response = self.deliver(request, direct)
        except httpx.HTTPError as exc:
            raise attempt_error(exc, method, shown, deadline) from exc
        watchdog = None
        try:
            if http_response.is_stream_consumed:  # already read, e.g. by a mock transport
                content = _already_read(http_response, opts.max_response_bytes)
            else:
                watchdog = deadline_watchdog(http_response, deadline)
                reader = _BodyReader(http_response.headers, opts.max_response_bytes)
                for chunk in http_response.iter_raw():
                    reader.add(chunk)
                    deadline.check(method, shown)
                content = reader.finish()
        except httpx.HTTPError as exc:
            raise attempt_error(exc, method, shown, deadline) from exc
        except ResponseError as exc:
            raise _answer_error(exc, http_response) from exc.__cause__
        finally:
            if watchdog is not None:
                watchdog.cancel()
            http_response.close()
        return Response(http_response.status_code, http_response.headers, content, request,
                        http_response.reason_phrase)

    @contextmanager
    def stream(self, method: str, path: str,
               options: Options | None = None) -> Generator[Iterator[bytes], None, None]:
        """Open a GET whose body is consumed chunk by chunk (list endpoints).

        The status is checked (with retries) before the first chunk; the body is decoded
        here and bounded by the consumer, item by item.
        """
        self.check_open()
        opts = options or self.options
        url = self.url(path)
        shown = display_path(url, self.root)
        retries_taken = 0
        deadline = _Deadline(opts.deadline)  # bounds getting the answer started, not the consumer
        while True:
            deadline.check(method, shown)
            request, direct = self.make_request(method, url, timeout=deadline.clamp(
                opts.timeout if opts.timeout is not None else self.http.timeout))
            try:
                http_response = self.deliver(request, direct)
            except httpx.HTTPError as exc:
                err = attempt_error(exc, method, shown, deadline)
                delay = self.decide(method, shown, retries_taken, opts, err, exc, deadline)
                if delay is None:
                    raise err from exc
            else:
                if 200 <= http_response.status_code < 300:
                    break
                if http_response.status_code < 400:
                    ctype = http_response.headers.get("content-type", "")
                    http_response.close()
                    raise redirect_error(http_response.status_code, ctype, method, shown)
                try:
                    content = (_already_read(http_response, _ERROR_BODY_LIMIT) if http_response.is_stream_consumed
                               else _read_small(http_response.iter_raw(), http_response.headers))
                except httpx.HTTPError as exc:
                    raise connection_error(exc, method, shown) from exc
                finally:
                    http_response.close()
                resp = Response(http_response.status_code, http_response.headers, content, request,
                        http_response.reason_phrase)
                delay = self.decide(method, shown, retries_taken, opts, resp, None, deadline)
                if delay is None:
                    raise status_error(resp, method, shown, self.credentials.scrub)
            self.sleep(delay)
            retries_taken += 1
        try:
            check_stream_type(http_response, shown)
            if http_response.is_stream_consumed:
                yield iter((http_response.content,))
            else:
                yield _decoded_chunks(http_response.iter_raw(), http_response.headers, method, shown)
        finally:
            http_response.close()


class AsyncTransport(_BaseTransport[httpx.AsyncClient]):
    """The asynchronous send loop over an :class:`httpx.AsyncClient`."""

    def __init__(self, http_client: httpx.AsyncClient | None, **kwargs: Any) -> None:
        super().__init__(owns_client=http_client is None, **kwargs)
        self.http = http_client or httpx.AsyncClient(
            timeout=self.options.timeout, limits=DEFAULT_LIMITS, follow_redirects=False,
            verify=shared_ssl_context(), trust_env=True,
        )
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None

    def closed(self) -> bool:
        return self.http.is_closed

    def check_loop(self) -> None:
        """Refuse a second event loop: pooled connections belong to the loop that opened them,
        and httpx would send the request and then fail with a bare ``RuntimeError``. Transports
        without pooled sockets (mocks, the emulator's in-process transport) may move freely."""
        if not isinstance(self.http._transport, httpx.AsyncHTTPTransport):
            return
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = weakref.ref(loop)
        elif self._loop() is not loop:
            raise SpreedlyError("this AsyncClient was first used on another event loop and its connections "
                                "belong to that loop; create one AsyncClient per event loop")

    async def close(self) -> None:
        if self.owns_client:
            await self.http.aclose()

    async def deliver(self, request: httpx.Request, direct: bool) -> httpx.Response:
        """Async twin of :meth:`SyncTransport.deliver`."""
        if not direct:
            return await self.http.send(request, stream=True, follow_redirects=False)
        response = await self.http._transport_for_url(request.url).handle_async_request(request)
        response.request = request
        _log_like_httpx(response)
        return response

    async def execute(self, call: Call[T], options: Options | None = None) -> T:
        """Send a call with retries and return the parsed result (or raise a typed error)."""
        resp = await self.send(call.method, call.path, body=call.body, params=call.params, options=options,
                               idempotent=call.idempotent)
        return call.parse(resp)

    async def send(self, method: str, path: str, *, body: bytes | None = None,
                   params: Mapping[str, str] | None = None, options: Options | None = None,
                   raise_for_status: bool = True, idempotent: bool | None = None) -> Response:
        self.check_open()
        self.check_loop()
        opts = options or self.options
        deadline = _Deadline(opts.deadline)
        url = self.url(path)
        shown = display_path(url, self.root)
        retries_taken = 0
        reached = False  # whether an attempt may have reached the service (for a late deadline)
        while True:
            deadline.check(method, shown, maybe_processed=reached)
            try:
                resp = await self._attempt(method, url, shown, body, params, opts, deadline)
            except APIConnectionError as err:
                reached = reached or err.maybe_processed
                delay = self.decide(method, shown, retries_taken, opts, err, err.__cause__, deadline, idempotent)
                if delay is None:
                    raise
            else:
                reached = reached or resp.status_code != 429
                if 200 <= resp.status_code < 300 or not raise_for_status:
                    return resp
                if resp.status_code < 400:
                    raise redirect_error(resp.status_code, resp.content_type, method, shown)
                delay = self.decide(method, shown, retries_taken, opts, resp, None, deadline, idempotent)
                if delay is None:
                    raise status_error(resp, method, shown, self.credentials.scrub)
            await self.asleep(delay)
            retries_taken += 1

    async def _attempt(self, method: str, url: str, shown: str, body: bytes | None,
                       params: Mapping[str, str] | None, opts: Options, deadline: _Deadline) -> Response:
        timeout = deadline.clamp(opts.timeout if opts.timeout is not None else self.http.timeout)
        request, direct = self.make_request(method, url, body=body, params=params, timeout=timeout)
        left = deadline.remaining()
        try:
            if left is None:
                return await self._exchange(request, direct, method, shown, opts, deadline)
            return await asyncio.wait_for(self._exchange(request, direct, method, shown, opts, deadline),
                                          max(left, 0.001))
        except asyncio.TimeoutError:
            raise deadline.error(method, shown) from None

    async def _exchange(self, request: httpx.Request, direct: bool, method: str, shown: str, opts: Options,
                        deadline: _Deadline) -> Response:
        try:
            http_response = await self.deliver(request, direct)
        except httpx.HTTPError as exc:
            raise attempt_error(exc, method, shown, deadline) from exc
        try:
            if http_response.is_stream_consumed:  # already read, e.g. by a mock transport
                content = _already_read(http_response, opts.max_response_bytes)
            else:
                reader = _BodyReader(http_response.headers, opts.max_response_bytes)
                async for chunk in http_response.aiter_raw():
                    reader.add(chunk)
                content = reader.finish()
        except httpx.HTTPError as exc:
            raise attempt_error(exc, method, shown, deadline) from exc
        except ResponseError as exc:
            raise _answer_error(exc, http_response) from exc.__cause__
        finally:
            await http_response.aclose()
        return Response(http_response.status_code, http_response.headers, content, request,
                        http_response.reason_phrase)

    @asynccontextmanager
    async def stream(self, method: str, path: str,
                     options: Options | None = None) -> AsyncGenerator[AsyncIterator[bytes], None]:
        """Async twin of :meth:`SyncTransport.stream`."""
        self.check_open()
        self.check_loop()
        opts = options or self.options
        url = self.url(path)
        shown = display_path(url, self.root)
        retries_taken = 0
        deadline = _Deadline(opts.deadline)  # bounds getting the answer started, not the consumer
        while True:
            deadline.check(method, shown)
            request, direct = self.make_request(method, url, timeout=deadline.clamp(
                opts.timeout if opts.timeout is not None else self.http.timeout))
            try:
                http_response = await self.deliver(request, direct)
            except httpx.HTTPError as exc:
                err = attempt_error(exc, method, shown, deadline)
                delay = self.decide(method, shown, retries_taken, opts, err, exc, deadline)
                if delay is None:
                    raise err from exc
            else:
                if 200 <= http_response.status_code < 300:
                    break
                if http_response.status_code < 400:
                    ctype = http_response.headers.get("content-type", "")
                    await http_response.aclose()
                    raise redirect_error(http_response.status_code, ctype, method, shown)
                try:
                    content = (_already_read(http_response, _ERROR_BODY_LIMIT) if http_response.is_stream_consumed
                               else await _aread_small(http_response.aiter_raw(), http_response.headers))
                except httpx.HTTPError as exc:
                    raise connection_error(exc, method, shown) from exc
                finally:
                    await http_response.aclose()
                resp = Response(http_response.status_code, http_response.headers, content, request,
                        http_response.reason_phrase)
                delay = self.decide(method, shown, retries_taken, opts, resp, None, deadline)
                if delay is None:
                    raise status_error(resp, method, shown, self.credentials.scrub)
            await self.asleep(delay)
            retries_taken += 1
        try:
            check_stream_type(http_response, shown)
            if http_response.is_stream_consumed:
                yield _one_chunk(http_response.content)
            else:
                yield _adecoded_chunks(http_response.aiter_raw(), http_response.headers, method, shown)
        finally:
            await http_response.aclose()


_ERROR_BODY_LIMIT = 64 * 1024


def _already_read(http_response: httpx.Response, limit: int) -> bytes:
    try:
        content = http_response.content
    except httpx.DecodingError as exc:
        raise ResponseParseError(f"the compressed body could not be decoded: {exc}") from None
    if len(content) > limit:
        raise ResponseTooLargeError(f"the decoded response exceeds {limit} bytes")
    return content


def _read_small(chunks: Iterator[bytes], headers: httpx.Headers) -> bytes:
    reader = _BodyReader(headers, _ERROR_BODY_LIMIT)
    try:
        for chunk in chunks:
            reader.add(chunk)
        return reader.finish()
    except (ResponseTooLargeError, ResponseParseError):
        return b""


async def _aread_small(chunks: AsyncIterator[bytes], headers: httpx.Headers) -> bytes:
    reader = _BodyReader(headers, _ERROR_BODY_LIMIT)
    try:
        async for chunk in chunks:
            reader.add(chunk)
        return reader.finish()
    except (ResponseTooLargeError, ResponseParseError):
        return b""


def check_stream_type(http_response: httpx.Response, shown: str) -> None:
    ctype = http_response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and not (ctype.endswith("/xml") or ctype.endswith("+xml")):
        raise UnexpectedResponseError(f"expected an XML document from {shown}, got {ctype}",
                                      status_code=http_response.status_code, content_type=ctype)


def _decoded_chunks(raw: Iterator[bytes], headers: httpx.Headers, method: str, shown: str) -> Iterator[bytes]:
    reader = _BodyReader(headers, 2**62)
    try:
        for chunk in raw:
            yield reader.feed(chunk)
        yield reader.finish()
    except httpx.HTTPError as exc:
        raise connection_error(exc, method, shown) from exc


async def _adecoded_chunks(raw: AsyncIterator[bytes], headers: httpx.Headers, method: str,
                           shown: str) -> AsyncIterator[bytes]:
    reader = _BodyReader(headers, 2**62)
    try:
        async for chunk in raw:
            yield reader.feed(chunk)
        yield reader.finish()
    except httpx.HTTPError as exc:
        raise connection_error(exc, method, shown) from exc


async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data
