"""The in-process httpx transport: one object serving both ``httpx.Client`` and ``httpx.AsyncClient``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, cast

import httpx

from ._faults import Exchange
from ._wire import Request

if TYPE_CHECKING:
    from .emulator import Emulator

__all__ = ["EmulatorTransport"]


class _TruncatedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Half the body, then the connection "closes" the way httpcore reports it."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self._data
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._data
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout")
    if isinstance(timeout, dict):
        value = cast("dict[str, float | None]", timeout).get("read")
        return float(value) if value is not None else None
    return None


class EmulatorTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers requests from the emulator without any socket.

    Faults behave as over a socket: a ``delay`` longer than the request's read timeout raises
    :class:`httpx.ReadTimeout` after waiting that timeout; ``drop_connection`` raises
    :class:`httpx.RemoteProtocolError` ("Server disconnected..."); ``truncate_body`` delivers
    half the body and then raises :class:`httpx.RemoteProtocolError` while it is read.
    """

    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator

    def _request(self, request: httpx.Request, body: bytes) -> Request:
        return Request(method=request.method, raw_path=request.url.raw_path.decode("ascii").split("?", 1)[0],
                       query=request.url.query.decode("ascii"), headers=dict(request.headers.items()), body=body,
                       origin=f"{request.url.scheme}://{request.url.netloc.decode('ascii')}")

    def _response(self, request: httpx.Request, exchange: Exchange) -> httpx.Response:
        reply = exchange.reply()
        if reply is None:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if exchange.truncated:
            headers = {**reply.headers, "Content-Length": str(len(reply.body))}
            stream = _TruncatedStream(reply.body[: len(reply.body) // 2])
            return httpx.Response(reply.status, headers=headers, stream=stream, request=request)
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body, request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._emulator.exchange(self._request(request, request.read()))
        limit = _read_timeout(request)
        if exchange.wait(limit) > 0:
            time.sleep(exchange.wait(limit))
        if exchange.times_out(limit):
            exchange.lose_answer()
            raise httpx.ReadTimeout("timed out waiting for the emulator", request=request)
        return self._response(request, exchange)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._emulator.exchange(self._request(request, await request.aread()))
        limit = _read_timeout(request)
        if exchange.wait(limit) > 0:
            await asyncio.sleep(exchange.wait(limit))
        if exchange.times_out(limit):
            exchange.lose_answer()
            raise httpx.ReadTimeout("timed out waiting for the emulator", request=request)
        return self._response(request, exchange)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""
