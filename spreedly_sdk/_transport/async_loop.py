"""The asynchronous send loop: one loop for every call, plain or streamed."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing, asynccontextmanager
from typing import Any, TypeVar, cast

import httpx

from ..errors import APIConnectionError, SpreedlyError
from . import fast_path
from .answers import Call, Response, check_xml_type
from .bodies import BodyReader
from .core import Exchange, Intake, Received, TransportCore, client_settings
from .settings import Options

__all__ = ["AsyncTransport"]

T = TypeVar("T")


def _raw(http_response: httpx.Response) -> AsyncGenerator[bytes, None]:
    """The body as httpx hands it over: typed as an iterator, but an async generator, which a loop
    that stops early leaves open until the event loop finalizes it (perhaps after it closed)."""
    return cast("AsyncGenerator[bytes, None]", http_response.aiter_raw())


class AsyncTransport(TransportCore[httpx.AsyncClient]):
    """The asynchronous send loop over an :class:`httpx.AsyncClient`."""

    def __init__(self, http_client: httpx.AsyncClient | None, *, http_transport: httpx.AsyncBaseTransport | None = None,
                 **kwargs: Any) -> None:
        super().__init__(owns_client=http_client is None, **kwargs)
        self.http = http_client or httpx.AsyncClient(**client_settings(self.options), transport=http_transport)
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None

    def check_loop(self) -> None:
        """Refuse a second event loop: pooled connections belong to the loop that opened them,
        and httpx would send the request and then fail with a bare ``RuntimeError``. Transports
        without pooled sockets (mocks, the emulator's in-process transport) may move freely."""
        if not fast_path.pooled(self.http):
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

    async def execute(self, call: Call[T], options: Options | None = None) -> T:
        """Send a call with retries and return the parsed result (or raise a typed error)."""
        return call.parse(await self.send(call.method, call.path, body=call.body, params=call.params,
                                          options=options, idempotent=call.idempotent))

    async def send(self, method: str, path: str, *, body: bytes | None = None,
                   params: Mapping[str, str] | None = None, options: Options | None = None,
                   raise_for_status: bool = True, idempotent: bool | None = None) -> Response:
        """Send with retries and return the answer, its body read under the cap."""
        x = self.begin(method, path, body=body, params=params, options=options, idempotent=idempotent,
                       raise_for_status=raise_for_status)
        return (await self._exchange(x)).response

    @asynccontextmanager
    async def stream(self, method: str, path: str, options: Options | None = None,
                     idempotent: bool | None = None) -> AsyncGenerator[AsyncIterator[bytes], None]:
        """Async twin of :meth:`SyncTransport.stream`."""
        x = self.begin(method, path, options=options, idempotent=idempotent, keep_open=True)
        received = await self._exchange(x)
        http_response = received.open_body
        assert http_response is not None
        chunks = self._chunks(x, http_response)
        try:
            check_xml_type(http_response.status_code, received.response.content_type, x.path)
            yield chunks
        finally:  # async generators are not closed by a loop that stops early: close them here
            await chunks.aclose()
            await http_response.aclose()

    async def _exchange(self, x: Exchange) -> Received:
        """The loop: attempt, and on a failure or an error status ask the policy whether and
        when to try again."""
        self.check_loop()
        while True:
            if x.policy.out_of_time():
                raise x.deadline_error()
            try:
                received = await self._attempt(x)
            except APIConnectionError as err:
                delay = self.retry_after_failure(x, err)
                if delay is None:
                    raise
            else:
                if x.succeeded(received.response.status_code):
                    return received
                delay = self.retry_or_raise(x, received)
            await self.asleep(delay)

    async def _attempt(self, x: Exchange) -> Received:
        """One attempt, bounded as a whole by the time left before the deadline."""
        left = x.policy.deadline.remaining()
        try:
            if left is None:
                return await self._exchange_once(x)
            return await asyncio.wait_for(self._exchange_once(x), max(left, 0.001))
        except asyncio.TimeoutError:
            raise x.deadline_error(during_attempt=True) from None

    async def _exchange_once(self, x: Exchange) -> Received:
        request, direct = self.make_request(x)
        try:
            if direct:
                http_response = await fast_path.asend(self.http, request)
            else:
                http_response = await self.http.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise x.failure(exc) from exc
        intake = Intake(x, request, http_response)
        if intake.keep_open:
            return intake.received()
        try:
            if intake.start():
                async with aclosing(_raw(http_response)) as raw:
                    async for chunk in raw:
                        if intake.take(chunk):
                            break
            return intake.received()
        except Exception as exc:  # mapped (or re-raised as it is) by the intake
            return intake.failed(exc)
        finally:
            await http_response.aclose()

    async def _chunks(self, x: Exchange, http_response: httpx.Response) -> AsyncGenerator[bytes, None]:
        if http_response.is_stream_consumed:
            yield http_response.content
            return
        reader = BodyReader(http_response.headers, 2**62)
        try:
            async with aclosing(_raw(http_response)) as raw:
                async for chunk in raw:
                    yield reader.feed(chunk)
            yield reader.finish()
        except httpx.HTTPError as exc:
            raise x.lost(exc) from exc
