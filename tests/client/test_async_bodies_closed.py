"""Async generators the SDK reads a body through (its own and httpx's) are closed before the
call returns, even where reading stops early, instead of being left to the event loop's
finalizer (which may run after the loop has closed: "coroutine 'aclose' was never awaited")."""

from __future__ import annotations

import contextlib
import gc
import gzip
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import spreedly_sdk
from spreedly_sdk import AsyncClient
from spreedly_sdk.errors import InternalServerError

LIST = (b'<?xml version="1.0" encoding="UTF-8"?>\n<subscribers type="array">\n'
        + b"".join(b"<subscriber><customer-id>%d</customer-id></subscriber>\n" % n for n in range(50))
        + b"</subscribers>\n")
WATCHED = (str(Path(spreedly_sdk.__file__).parent), str(Path(httpx.__file__).parent))


@contextlib.contextmanager
def finalized_late() -> Iterator[list[str]]:
    """Record the SDK's and httpx's async generators that end up closed by the event loop's
    finalizer (dropped while suspended) instead of being closed where they were used."""
    late: list[str] = []
    hooks = sys.get_asyncgen_hooks()

    def finalizer(agen: Any) -> None:
        if agen.ag_code.co_filename.startswith(WATCHED):
            late.append(agen.__qualname__)
        if hooks.finalizer is not None:
            hooks.finalizer(agen)

    sys.set_asyncgen_hooks(firstiter=hooks.firstiter, finalizer=finalizer)
    try:
        yield late
        gc.collect()
    finally:
        sys.set_asyncgen_hooks(*hooks)


def _client(status: int, body: bytes, headers: dict[str, str]) -> AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        chunks = [body[i:i + 16] for i in range(0, len(body), 16)]
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(b"") if not chunks else _Chunked(chunks))
    return AsyncClient("tok", "mysite", http_transport=httpx.MockTransport(answer), max_retries=0)


class _Chunked(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for chunk in self.chunks:
            yield chunk


async def test_an_error_body_abandoned_on_a_decode_failure_leaves_nothing_open() -> None:
    broken = gzip.compress(b"<errors/>")[:10] + b"\xff" * 200
    async with _client(503, broken, {"content-encoding": "gzip", "content-type": "application/xml"}) as client:
        with finalized_late() as late:
            with pytest.raises(InternalServerError):
                await client.subscribers.list()
        assert late == []


async def test_a_list_left_early_leaves_nothing_open() -> None:
    async with _client(200, LIST, {"content-type": "application/xml; charset=utf-8"}) as client:
        with finalized_late() as late:
            async with contextlib.aclosing(client.subscribers.iter()) as subscribers:
                async for sub in subscribers:
                    if sub.customer_id == "3":
                        break
        assert late == []
