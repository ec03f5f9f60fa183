"""The in-process httpx transport: one object serving both ``httpx.Client`` and ``httpx.AsyncClient``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, cast

import httpx

from ._faults import Fault
from ._handlers import Reply, Request

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

    def _response(self, request: httpx.Request, reply: Reply | None, fault: Fault | None) -> httpx.Response:
        if reply is None:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if fault is not None and fault.truncate_body:
            headers = {**reply.headers, "Content-Length": str(len(reply.body))}
            return httpx.Response(reply.status, headers=headers, stream=_TruncatedStream(reply.body[: len(reply.body)
                                                                                                   // 2]),
                                  request=request)
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body, request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        req = self._request(request, request.read())
        fault = self._emulator._take_fault(req)
        if fault is not None and fault.delay > 0:
            limit = _read_timeout(request)
            if limit is not None and fault.delay > limit:
                time.sleep(limit)
                if fault.processed:
                    self._emulator._answer(req, fault)
                raise httpx.ReadTimeout("timed out waiting for the emulator", request=request)
            time.sleep(fault.delay)
        return self._response(request, self._emulator._answer(req, fault), fault)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        req = self._request(request, await request.aread())
        fault = self._emulator._take_fault(req)
        if fault is not None and fault.delay > 0:
            limit = _read_timeout(request)
            if limit is not None and fault.delay > limit:
                await asyncio.sleep(limit)
                if fault.processed:
                    self._emulator._answer(req, fault)
                raise httpx.ReadTimeout("timed out waiting for the emulator", request=request)
            await asyncio.sleep(fault.delay)
        return self._response(request, self._emulator._answer(req, fault), fault)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""
