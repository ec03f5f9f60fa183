"""The httpx adapter: the only module that names httpx's private API.

A client the SDK makes has nothing of its own to add to an API request (no base URL,
headers, cookies, auth, hooks or redirects to follow), so its requests can be handed
straight to the connection pool (or the proxy mounted for the URL) that ``Client.send``
would pick, skipping httpx's merging and cookie bookkeeping: about a fifth of a loopback
call. That lookup, ``_transport_for_url``, is private; :data:`AVAILABLE` says whether this
httpx has it, and without it every request takes the public ``Client.send``.

Each send loop has its own switch for this path (``fast_path``), on for clients the SDK
makes and off for an ``http_client`` you pass in, whose hooks and defaults must run.
"""

from __future__ import annotations

import logging

import httpx

__all__ = ["AVAILABLE", "asend", "pooled", "send"]

AVAILABLE = hasattr(httpx.Client, "_transport_for_url") and hasattr(httpx.AsyncClient, "_transport_for_url")
"""Whether this httpx has the mount lookup the fast path needs."""

_httpx_log = logging.getLogger("httpx")


def _log_like_httpx(response: httpx.Response) -> None:
    """The line httpx logs for each response it gets, written for requests sent past its
    client: whoever watches httpx's log still sees them."""
    if _httpx_log.isEnabledFor(logging.INFO):
        request = response.request
        _httpx_log.info('HTTP Request: %s %s "%s %d %s"', request.method, request.url, response.http_version,
                        response.status_code, response.reason_phrase)


def send(http: httpx.Client, request: httpx.Request) -> httpx.Response:
    """Send ``request`` to the transport ``http`` would use for its URL (proxy mounts honoured)."""
    response = http._transport_for_url(request.url).handle_request(request)
    response.request = request
    _log_like_httpx(response)
    return response


async def asend(http: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """Async twin of :func:`send`."""
    response = await http._transport_for_url(request.url).handle_async_request(request)
    response.request = request
    _log_like_httpx(response)
    return response


def pooled(http: httpx.AsyncClient) -> bool:
    """Whether ``http`` sends through httpx's own connection pool, whose connections belong to
    the event loop that opened them. Mocks and in-process transports have no such pool; an
    httpx without the private attribute is treated the same (httpx then reports a second
    loop itself)."""
    return isinstance(getattr(http, "_transport", None), httpx.AsyncHTTPTransport)
