"""The blocking send loop: one loop for every call, plain or streamed."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx

from ..errors import APIConnectionError
from . import fast_path
from .answers import Call, Response, check_xml_type
from .bodies import BodyReader
from .core import Exchange, Intake, Received, TransportCore, client_settings
from .policy import Deadline
from .settings import Options

__all__ = ["SyncTransport", "deadline_watchdog"]

T = TypeVar("T")


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def deadline_watchdog(http_response: httpx.Response, deadline: Deadline) -> threading.Timer | None:
    """A timer that shuts the response's socket when the deadline passes, so a body read
    stalled inside the (clamped, but per-read) timeout still ends on time. ``None`` when there
    is no deadline or no socket (e.g. a mock transport)."""
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


class SyncTransport(TransportCore[httpx.Client]):
    """The blocking send loop over an :class:`httpx.Client`."""

    def __init__(self, http_client: httpx.Client | None, *, http_transport: httpx.BaseTransport | None = None,
                 **kwargs: Any) -> None:
        super().__init__(owns_client=http_client is None, **kwargs)
        self.http = http_client or httpx.Client(**client_settings(self.options), transport=http_transport)

    def close(self) -> None:
        if self.owns_client:
            self.http.close()

    def execute(self, call: Call[T], options: Options | None = None) -> T:
        """Send a call with retries and return the parsed result (or raise a typed error)."""
        return call.parse(self.send(call.method, call.path, body=call.body, params=call.params, options=options,
                                    idempotent=call.idempotent))

    def send(self, method: str, path: str, *, body: bytes | None = None,
             params: Mapping[str, str] | None = None, options: Options | None = None,
             raise_for_status: bool = True, idempotent: bool | None = None) -> Response:
        """Send with retries and return the answer, its body read under the cap."""
        x = self.begin(method, path, body=body, params=params, options=options, idempotent=idempotent,
                       raise_for_status=raise_for_status)
        return self._exchange(x).response

    @contextmanager
    def stream(self, method: str, path: str, options: Options | None = None,
               idempotent: bool | None = None) -> Generator[Iterator[bytes], None, None]:
        """Send with retries, then hand over the 2xx body chunk by chunk, decoded (list endpoints)."""
        x = self.begin(method, path, options=options, idempotent=idempotent, keep_open=True)
        received = self._exchange(x)
        http_response = received.open_body
        assert http_response is not None
        chunks = self._chunks(x, http_response)
        try:
            check_xml_type(http_response.status_code, received.response.content_type, x.path)
            yield chunks
        finally:  # as the async twin does: not left to garbage collection where reading stopped
            chunks.close()
            http_response.close()

    def _exchange(self, x: Exchange) -> Received:
        """The loop: attempt, and on a failure or an error status ask the policy whether and
        when to try again."""
        while True:
            if x.policy.out_of_time():
                raise x.deadline_error()
            try:
                received = self._attempt(x)
            except APIConnectionError as err:
                delay = self.retry_after_failure(x, err)
                if delay is None:
                    raise
            else:
                if x.succeeded(received.response.status_code):
                    return received
                delay = self.retry_or_raise(x, received)
            self.sleep(delay)

    def _attempt(self, x: Exchange) -> Received:
        request, direct = self.make_request(x)
        try:
            if direct:
                http_response = fast_path.send(self.http, request)
            else:
                http_response = self.http.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise x.failure(exc) from exc
        intake = Intake(x, request, http_response)
        if intake.keep_open:
            return intake.received()
        watchdog = None
        try:
            if intake.start():
                watchdog = deadline_watchdog(http_response, x.policy.deadline)
                for chunk in http_response.iter_raw():
                    if intake.take(chunk):
                        break
            return intake.received()
        except Exception as exc:  # mapped (or re-raised as it is) by the intake
            return intake.failed(exc)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            http_response.close()

    def _chunks(self, x: Exchange, http_response: httpx.Response) -> Generator[bytes, None, None]:
        if http_response.is_stream_consumed:
            yield http_response.content
            return
        reader = BodyReader(http_response.headers, 2**62)
        try:
            for chunk in http_response.iter_raw():
                yield reader.feed(chunk)
            yield reader.finish()
        except httpx.HTTPError as exc:
            raise x.lost(exc) from exc
