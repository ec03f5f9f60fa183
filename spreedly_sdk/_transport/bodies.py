"""Body decoding under caps: gzip and deflate decoded here, a bounded amount at a time, so a
compressed bomb never inflates past the limit.

No I/O here: the send loops feed the raw chunks they receive.
"""

from __future__ import annotations

import zlib
from typing import Any

import httpx

from ..errors import ResponseParseError, ResponseTooLargeError

__all__ = ["ERROR_BODY_LIMIT", "BodyReader", "read_consumed"]

ERROR_BODY_LIMIT = 64 * 1024
"""How much of an error answer's body is kept (its messages and a snippet need far less)."""


class BodyReader:
    """Decodes one body chunk by chunk and enforces ``limit`` on the decoded size.

    With ``truncate`` (error answers), the body is cut at ``limit`` instead of refused:
    :attr:`full` then turns true and the loop stops reading.
    """

    def __init__(self, headers: httpx.Headers, limit: int, *, truncate: bool = False) -> None:
        encoding = headers.get("content-encoding", "identity").strip().lower()
        self._limit = limit
        self._truncate = truncate
        self._size = 0
        self._chunks: list[bytes] = []
        self._decoder: Any = None
        self.full = False
        if encoding in ("gzip", "x-gzip"):
            self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._decoder = zlib.decompressobj()
        elif encoding not in ("identity", ""):
            raise ResponseParseError(f"unsupported content encoding {encoding!r}")
        length = headers.get("content-length")
        if (not truncate and encoding in ("identity", "") and length and length.isdigit()
                and int(length) > limit):
            raise ResponseTooLargeError(f"the response announces {length} bytes, over the {limit}-byte limit")

    def feed(self, raw: bytes) -> bytes:
        """The decoded bytes of one raw chunk."""
        if self.full:
            return b""
        if self._decoder is None:
            data = raw
        else:
            try:
                data = self._decoder.decompress(raw, self._limit - self._size + 1)
            except zlib.error as exc:
                raise ResponseParseError(f"the compressed body could not be decoded: {exc}") from exc
            if self._decoder.unconsumed_tail and not self._truncate:
                raise ResponseTooLargeError(f"the decoded response exceeds {self._limit} bytes")
        self._size += len(data)
        if self._size > self._limit:
            if not self._truncate:
                raise ResponseTooLargeError(f"the decoded response exceeds {self._limit} bytes")
            self.full = True
            data = data[:len(data) - (self._size - self._limit)]
        return data

    def add(self, raw: bytes) -> None:
        self._chunks.append(self.feed(raw))

    def finish(self) -> bytes:
        """The whole decoded body (what remains in the decoder included)."""
        if self._decoder is not None and not self.full:
            try:
                tail = self._decoder.flush()
            except zlib.error as exc:
                raise ResponseParseError(f"the compressed body could not be decoded: {exc}") from exc
            self._chunks.append(tail)
        return b"".join(self._chunks)

    def so_far(self) -> bytes:
        """What was decoded before a failure."""
        return b"".join(self._chunks)


def read_consumed(http_response: httpx.Response, limit: int, *, truncate: bool = False) -> bytes:
    """The body of a response httpx already read (e.g. from a mock transport), under the cap."""
    try:
        content = http_response.content
    except httpx.DecodingError as exc:
        raise ResponseParseError(f"the compressed body could not be decoded: {exc}") from None
    if len(content) > limit:
        if truncate:
            return content[:limit]
        raise ResponseTooLargeError(f"the decoded response exceeds {limit} bytes")
    return content
