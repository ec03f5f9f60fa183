"""Everything about talking to the service, in small modules with one job each.

Without I/O: :mod:`.settings` (defaults, timeouts, :class:`Options`), :mod:`.urls` (base
URL, API root, path segments, query values), :mod:`.credentials` (the token),
:mod:`.answers` (reading answers, statuses to errors), :mod:`.failures` (transport failures
to errors), :mod:`.bodies` (decoding under caps) and :mod:`.policy` (the retry and deadline
rules). With I/O: :mod:`.sync_loop` and :mod:`.async_loop`, one send loop each, sharing
:mod:`.core`; :mod:`.fast_path` is the only module that names httpx's private API.
docs/architecture.md describes how they fit together.

The names below are what the rest of the SDK imports from here.
"""

from .answers import Call, Response, check_xml_answer
from .async_loop import AsyncTransport
from .core import shared_ssl_context
from .credentials import Credentials
from .settings import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    Options,
    make_timeout,
)
from .sync_loop import SyncTransport
from .urls import check_base_url, check_site_name, segment

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncTransport",
    "Call",
    "Credentials",
    "Options",
    "Response",
    "SyncTransport",
    "check_base_url",
    "check_site_name",
    "check_xml_answer",
    "make_timeout",
    "segment",
    "shared_ssl_context",
]
