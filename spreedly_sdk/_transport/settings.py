"""Client settings: the defaults, timeout checks, the per-call :class:`Options`, the log switch.

No I/O here: everything is decided when a client is built.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os

import httpx

from .._version import __version__
from ..errors import InvalidRequestError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "XML_CONTENT_TYPE",
    "Options",
    "log",
    "make_timeout",
]

log = logging.getLogger("spreedly_sdk")

DEFAULT_BASE_URL = "https://subs.pinpayments.com"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=30.0)
"""Connect 5 s; read, write and waiting for a pooled connection 30 s each."""
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
DEFAULT_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
"""Enough connections that a thousand concurrent calls never queue inside httpcore, whose
queue handling slows down sharply with many waiters (see docs/reliability.md, "Concurrency")."""
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
USER_AGENT = f"spreedly-sdk-python/{__version__}"


def _log_switch() -> None:
    """``SPREEDLY_LOG=debug|info`` shows the SDK's own log lines on stderr.

    Only the ``spreedly_sdk`` logger is touched: httpx and httpcore keep their levels (their
    debug lines are the caller's choice).
    """
    level = os.environ.get("SPREEDLY_LOG", "").strip().lower()
    if level not in ("debug", "info"):
        return
    log.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        log.addHandler(handler)


_log_switch()


def check_seconds(value: float | None, what: str) -> None:
    """Refuse anything but ``None`` or a positive, finite number of seconds."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                              or not math.isfinite(value) or value <= 0):
        raise InvalidRequestError(f"{what} must be a positive number of seconds or None")


def make_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """Validate and normalise a timeout given as seconds or an :class:`httpx.Timeout`."""
    if isinstance(timeout, httpx.Timeout):
        for phase in ("connect", "read", "write", "pool"):
            check_seconds(getattr(timeout, phase), f"timeout.{phase}")
        return timeout
    if timeout is None:
        return DEFAULT_TIMEOUT
    check_seconds(timeout, "timeout")
    return httpx.Timeout(timeout, connect=min(5.0, float(timeout)))


@dataclasses.dataclass(frozen=True)
class Options:
    """Per-client settings that shape every call; ``with_options`` derives copies."""

    timeout: httpx.Timeout | None = dataclasses.field(default_factory=lambda: DEFAULT_TIMEOUT)
    """``None`` defers to a caller-supplied ``http_client``'s own timeout."""
    max_retries: int = DEFAULT_MAX_RETRIES
    deadline: float | None = None
    """Overall limit for one call, retries and body included, in seconds."""
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    retry_non_idempotent: bool = False
    """Also retry POSTs on ambiguous failures (off: POSTs are not idempotent here)."""

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise InvalidRequestError("max_retries must be a non-negative integer")
        check_seconds(self.deadline, "deadline")
        if (isinstance(self.max_response_bytes, bool) or not isinstance(self.max_response_bytes, int)
                or self.max_response_bytes <= 0):
            raise InvalidRequestError("max_response_bytes must be a positive integer")
