"""What the two send loops share: the per-call state, request building, reading one answer
(:class:`Intake`) and the decisions taken between attempts. No sockets are touched here;
:mod:`.sync_loop` and :mod:`.async_loop` do the sending, each in exactly one loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import httpx

from ..errors import APIConnectionError, APITimeoutError, ResponseError, SpreedlyError
from . import fast_path
from .answers import Response, parse_retry_after, redirect_error, status_error
from .bodies import ERROR_BODY_LIMIT, BodyReader, read_consumed
from .credentials import Credentials
from .failures import connection_error, deadline_error, is_tls_error
from .policy import RetryPolicy
from .settings import DEFAULT_LIMITS, USER_AGENT, XML_CONTENT_TYPE, Options, log
from .urls import ApiRoot, check_params

__all__ = ["Exchange", "Intake", "Received", "TransportCore", "shared_ssl_context"]

H = TypeVar("H", httpx.Client, httpx.AsyncClient)

_ssl_lock = threading.Lock()
_ssl_context: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """One verifying SSL context per process: building one costs tens of milliseconds."""
    global _ssl_context  # noqa: PLW0603
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = ssl.create_default_context()
        return _ssl_context


def client_settings(options: Options) -> dict[str, Any]:
    """The settings of an httpx client the SDK makes for itself."""
    return dict(timeout=options.timeout, limits=DEFAULT_LIMITS, follow_redirects=False,
                verify=shared_ssl_context(), trust_env=True)


@dataclasses.dataclass
class Exchange:
    """One call as the loop drives it: what to send, where errors say it went, its policy.

    ``keep_open``: a 2xx body is left to the caller to stream (the deadline then bounds only
    getting the answer started). ``raise_for_status=False``: every answer is returned, read
    in full under the cap (``query()``).
    """

    method: str
    url: str
    path: str
    """The path under the host, as errors name it."""
    origin: str
    body: bytes | None
    params: Mapping[str, str] | None
    options: Options
    policy: RetryPolicy
    keep_open: bool = False
    raise_for_status: bool = True

    def read_limit(self, status: int) -> tuple[int, bool] | None:
        """How an answer's body is read in the attempt: ``(limit, truncate)``, or ``None``
        when it is not read there (a body left open, or a redirect that is refused)."""
        if not self.raise_for_status:
            return self.options.max_response_bytes, False
        if 200 <= status < 300:
            return None if self.keep_open else (self.options.max_response_bytes, False)
        if status < 400:
            return None
        return ERROR_BODY_LIMIT, True

    def succeeded(self, status: int) -> bool:
        return 200 <= status < 300 or not self.raise_for_status

    def deadline_error(self, *, during_attempt: bool = False) -> APITimeoutError:
        """The deadline passed: between attempts (the outcome is known only if no attempt may
        have reached the service) or during one (it may have)."""
        return deadline_error(self.method, self.path, self.origin,
                              maybe_processed=during_attempt or self.policy.reached)

    def lost(self, exc: httpx.HTTPError) -> APIConnectionError:
        """The error for a streamed body that broke off (the deadline does not bound those)."""
        return connection_error(exc, self.method, self.path, self.origin)

    def failure(self, exc: httpx.HTTPError) -> APIConnectionError:
        """:func:`connection_error`, except that a failure once the deadline has passed reports
        ``phase="deadline"``: the per-request timeouts are clamped to it, and the blocking
        loop's watchdog ends a stalled body read by shutting the socket."""
        err = self.lost(exc)
        if self.policy.failure_is_deadline():
            return deadline_error(self.method, self.path, self.origin, maybe_processed=err.maybe_processed)
        return err


@dataclasses.dataclass
class Received:
    """What one attempt got: the answer (its body read, unless ``open_body`` holds it), and why
    an error body could not be read, when it could not."""

    response: Response
    open_body: httpx.Response | None = None
    unreadable: str | None = None


def with_answer(exc: ResponseError, http_response: httpx.Response) -> ResponseError:
    """Attach the status and content type to a body-reading failure."""
    exc.status_code = http_response.status_code
    exc.content_type = http_response.headers.get("content-type", "").split(";")[0].strip().lower()
    return exc


class Intake:
    """One answer as an attempt takes it in: left open for the caller (a 2xx to stream),
    skipped (a redirect, refused anyway) or read under the exchange's cap. The loops only
    feed it the raw chunks they receive, so both read and map failures alike."""

    def __init__(self, x: Exchange, request: httpx.Request, http_response: httpx.Response) -> None:
        self.x = x
        self.request = request
        self.http_response = http_response
        status = http_response.status_code
        self.plan = x.read_limit(status)
        self.keep_open = self.plan is None and 200 <= status < 300
        self.content = b""
        self.reader: BodyReader | None = None
        self.unreadable: str | None = None

    def start(self) -> bool:
        """Prepare to read; ``True`` when the loop must feed the raw chunks to :meth:`take`."""
        if self.plan is None:
            return False
        limit, truncate = self.plan
        if self.http_response.is_stream_consumed:  # already read, e.g. by a mock transport
            self.content = read_consumed(self.http_response, limit, truncate=truncate)
            return False
        self.reader = BodyReader(self.http_response.headers, limit, truncate=truncate)
        return True

    def take(self, chunk: bytes) -> bool:
        """Add one raw chunk; ``True`` when reading should stop (an error body was cut)."""
        assert self.reader is not None
        self.reader.add(chunk)
        if self.x.policy.out_of_time():
            raise self.x.deadline_error(during_attempt=True)
        return self.reader.full

    def received(self) -> Received:
        """What the attempt got, once the body was read (or left open)."""
        if self.reader is not None:
            self.content = self.reader.finish()
        return self._received()

    def failed(self, exc: Exception) -> Received:
        """Map a failure while reading: the transport's to our errors; a decode failure of an
        error body is kept on the answer (its status still decides), any other is raised."""
        if isinstance(exc, httpx.HTTPError):
            raise self.x.failure(exc) from exc
        if not isinstance(exc, ResponseError):
            raise exc
        if self.plan is None or not self.plan[1]:
            raise with_answer(exc, self.http_response) from exc.__cause__
        self.content = self.reader.so_far() if self.reader is not None else b""
        self.unreadable = str(exc)
        return self._received()

    def _received(self) -> Received:
        r = self.http_response
        return Received(Response(r.status_code, r.headers, self.content, self.request, r.reason_phrase),
                        open_body=r if self.keep_open else None, unreadable=self.unreadable)


class TransportCore(Generic[H]):
    """State and decisions shared by :class:`SyncTransport` and :class:`AsyncTransport`."""

    http: H

    def __init__(self, *, base_url: httpx.URL, site: str, credentials: Credentials, options: Options,
                 owns_client: bool) -> None:
        self.base_url = base_url
        self.site = site
        self.root = ApiRoot.of(base_url, site)
        self.credentials = credentials
        self.options = options
        self.owns_client = owns_client
        """Whether closing the SDK client closes :attr:`http`."""
        self.fast_path = owns_client
        """Whether same-origin requests may skip ``http.send`` (see :mod:`.fast_path`)."""
        self.sleep: Callable[[float], Any] = time.sleep
        self.asleep: Callable[[float], Any] = asyncio.sleep

    def closed(self) -> bool:
        return self.http.is_closed

    def begin(self, method: str, path: str, *, body: bytes | None = None, params: Mapping[str, str] | None = None,
              options: Options | None = None, idempotent: bool | None = None, keep_open: bool = False,
              raise_for_status: bool = True) -> Exchange:
        """Check that the call can be sent, and the state the loop drives it with."""
        if self.closed():  # our own error (httpx's is a bare RuntimeError)
            raise SpreedlyError("this client has been closed; create a new one")
        check_params(params)
        opts = options or self.options
        url = self.root.url(path)
        return Exchange(method, url, self.root.shown(url), self.root.origin, body, params, opts,
                        RetryPolicy.start(method, opts, idempotent), keep_open, raise_for_status)

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

    def make_request(self, x: Exchange) -> tuple[httpx.Request, bool]:
        """The request for one attempt, and whether it takes the fast path.

        Only same-origin URLs get the credentials. With :attr:`fast_path` on, API requests are
        built directly (cookies a server sets are then never sent back: the API is stateless);
        otherwise they go through ``http.send``, keeping the client's defaults, cookies and hooks.
        """
        timeout = x.policy.deadline.clamp(x.options.timeout if x.options.timeout is not None else self.http.timeout)
        if self.root.same_origin(x.url):
            headers = self.headers(x.body)
            if self.fast_path and fast_path.AVAILABLE and not x.params:
                return httpx.Request(x.method, x.url, headers=headers, content=x.body,
                                     extensions={"timeout": httpx.Timeout(timeout).as_dict()}), True
        else:
            headers = {}
        return self.http.build_request(x.method, x.url, content=x.body, params=x.params, headers=headers,
                                       timeout=timeout), False

    def retry_after_failure(self, x: Exchange, err: APIConnectionError) -> float | None:
        """The delay before trying again after a failure with no answer, or ``None``."""
        cause = err.__cause__ or err
        delay = x.policy.after_failure(maybe_processed=err.maybe_processed, tls=is_tls_error(cause),
                                       kind=type(cause).__name__)
        self._log_retry(x, delay)
        return delay

    def retry_or_raise(self, x: Exchange, received: Received) -> float:
        """After an answer that is not a success: the delay before trying again, or its error."""
        resp = received.response
        if resp.status_code < 400:
            raise redirect_error(resp.status_code, resp.content_type, x.method, x.path)
        delay = x.policy.after_status(resp.status_code, parse_retry_after(resp.headers))
        if delay is None:
            raise status_error(resp, x.method, x.path, self.credentials.scrub, unreadable=received.unreadable)
        self._log_retry(x, delay)
        return delay

    def _log_retry(self, x: Exchange, delay: float | None) -> None:
        if delay is not None:
            log.info("retrying %s %s (attempt %d) in %.2fs after %s", x.method, x.path, x.policy.attempt, delay,
                     x.policy.reason)
