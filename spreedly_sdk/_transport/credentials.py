"""The API token: checked once, turned into the ``Authorization`` header, kept out of sight.

No I/O here.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx

from ..errors import InvalidRequestError, InvalidTypeError

__all__ = ["Credentials", "without_credentials"]


class Credentials:
    """Holds the API token; it shows up in no repr, str, pickle or copy.

    The service reads the token as the HTTP Basic user name, with ``X`` as the password.
    """

    __slots__ = ("_header", "_secrets")

    def __init__(self, token: object) -> None:
        if not isinstance(token, str):
            raise InvalidTypeError("the API token must be a string")
        if not token or not token.strip():
            raise InvalidRequestError("an API token is required")
        if any(c in token for c in "\r\n\x00") or not token.isprintable():
            raise InvalidRequestError("the API token contains characters a header cannot carry")
        encoded = base64.b64encode(f"{token}:X".encode()).decode("ascii")
        self._header: str = f"Basic {encoded}"
        raw = token.encode("utf-8")
        self._secrets: tuple[bytes, ...] = (encoded.encode("ascii"), raw) if len(raw) >= 6 else (
            encoded.encode("ascii"),)

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


def without_credentials(request: httpx.Request) -> httpx.Request:
    """A copy of ``request`` (method, URL, headers, body) without its ``Authorization`` header."""
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "authorization"]
    try:
        body: bytes | None = request.content
    except httpx.RequestNotRead:
        body = None
    return httpx.Request(request.method, request.url, headers=headers, content=body)
