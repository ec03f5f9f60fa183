"""Reading answers: the :class:`Response` record, what an endpoint call is (:class:`Call`),
and the mapping of statuses and bodies to typed errors.

No I/O here: everything works on a body already read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import math
import time
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

import httpx

from ..errors import (
    APIStatusError,
    ResponseParseError,
    UnexpectedResponseError,
    snippet,
    status_error_class,
)
from .credentials import without_credentials

__all__ = ["MAX_RETRY_AFTER", "Call", "Response", "check_xml_answer", "check_xml_type", "error_messages",
           "parse_retry_after", "redirect_error", "status_error"]

T = TypeVar("T")

MAX_RETRY_AFTER = 60.0
"""Longest ``Retry-After`` honoured, in seconds; longer (or nonsense) hints use the backoff."""


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


def error_messages(body: bytes, content_type: str) -> list[str]:
    """The service's messages from an error body: ``<errors>`` items or the plain text."""
    text = body.strip()
    if not text:
        return []
    if text.startswith(b"<") and b"<errors" in text[:200]:
        from ..models.errors import ErrorsDocument

        with contextlib.suppress(Exception):  # a broken error document still yields its text below
            return [e.strip() for e in ErrorsDocument.from_xml(text).errors]
    if "html" in content_type or text.lower().startswith((b"<!doctype", b"<html")):
        return []
    return [snippet(text)]


def status_error(resp: Response, method: str, path: str, scrub: Callable[[bytes], bytes] | None = None,
                 *, unreadable: str | None = None) -> APIStatusError:
    """The typed error for a non-2xx answer to ``method path`` (the path under the host).

    The error keeps a copy of the request without its ``Authorization`` header, and
    ``scrub`` removes the token from the body (some proxies echo the request in a 401 page).
    ``unreadable`` says why the error body could not be read, when it could not: the status
    still decides the error, and the message says the body is missing.
    """
    content = scrub(resp.content) if scrub is not None else resp.content
    errors = error_messages(content, resp.content_type)
    summary = "; ".join(errors) if errors else (resp.reason_phrase or "error")
    if unreadable:
        summary += f" (the error body could not be read: {unreadable})"
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


def redirect_error(status_code: int, content_type: str, method: str, path: str) -> UnexpectedResponseError:
    """The error for a 1xx/3xx final answer: redirects are never followed (the token stays home)."""
    return UnexpectedResponseError(
        f"{method} {path} -> {status_code}: the service answered with a redirect or another unexpected status; "
        "redirects are not followed", status_code=status_code, content_type=content_type)


def check_xml_type(status_code: int, content_type: str, where: str = "", body: bytes = b"") -> str:
    """The media type of a 2xx answer, or :class:`UnexpectedResponseError` if it is not XML
    (no content type at all is accepted)."""
    ctype = content_type.split(";", maxsplit=1)[0].strip().lower()
    if ctype and not (ctype.endswith("/xml") or ctype.endswith("+xml")):
        source = f" from {where}" if where else ""
        raise UnexpectedResponseError(
            f"expected an XML document{source}, got {ctype} (status {status_code})",
            status_code=status_code, content_type=ctype, body_snippet=snippet(body),
        )
    return ctype


def check_xml_answer(resp: Response) -> bytes:
    """The body of a 2xx answer that must be an XML document, or a typed error."""
    ctype = check_xml_type(resp.status_code, resp.content_type, body=resp.content)
    if not resp.content.strip():
        raise ResponseParseError("empty body where an XML document was expected", status_code=resp.status_code,
                                 content_type=ctype)
    return resp.content
