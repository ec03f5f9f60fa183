"""Failures without an answer: httpx's transport exceptions mapped to our errors.

No I/O here. Each error names the method, the path under the host and the ``host:port``
tried, and says whether the service may have acted (``maybe_processed``).
"""

from __future__ import annotations

import ssl

import httpx

from ..errors import APIConnectionError, APITimeoutError, TimeoutPhase

__all__ = ["connection_error", "deadline_error", "is_tls_error"]

_NOT_SENT = "it was not sent"
_UNKNOWN = "the outcome is unknown: the service may have processed it"


def _timeout_phase(exc: httpx.TimeoutException) -> TimeoutPhase:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect"
    if isinstance(exc, httpx.PoolTimeout):
        return "pool"
    if isinstance(exc, httpx.WriteTimeout):
        return "write"
    return "read"


def is_tls_error(exc: BaseException) -> bool:
    """Whether a failure came from TLS (a certificate, a handshake): never worth retrying."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, ssl.SSLError | ssl.CertificateError):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return "SSL" in str(exc) or "CERTIFICATE" in str(exc).upper()


def connection_error(exc: httpx.HTTPError, method: str, path: str, origin: str) -> APIConnectionError:
    """Our error for an httpx transport failure of ``method path`` sent to ``origin``
    (``host:port``), deciding whether the call may have landed."""
    not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    outcome = _NOT_SENT if not_sent else _UNKNOWN
    if isinstance(exc, httpx.TimeoutException):
        phase = _timeout_phase(exc)
        return APITimeoutError(f"{method} {path} to {origin} timed out ({phase}); {outcome}", method=method,
                               path=path, host=origin, maybe_processed=not not_sent, phase=phase)
    what = "could not connect to" if not_sent else "the connection to"
    failed = "" if not_sent else " failed"
    return APIConnectionError(f"{method} {path}: {what} {origin}{failed} ({type(exc).__name__}); {outcome}",
                              method=method, path=path, host=origin, maybe_processed=not not_sent)


def deadline_error(method: str, path: str, origin: str, *, maybe_processed: bool) -> APITimeoutError:
    """The error for a call whose ``deadline`` passed."""
    outcome = "the outcome is unknown" if maybe_processed else _NOT_SENT
    return APITimeoutError(f"{method} {path} to {origin} exceeded its deadline; {outcome}", method=method,
                           path=path, host=origin, maybe_processed=maybe_processed, phase="deadline")
