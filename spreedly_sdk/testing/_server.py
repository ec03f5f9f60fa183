"""The emulator on a real socket: a threaded HTTP/1.1 server (keep-alive, one thread per connection).

Whatever arrives, the server answers or closes: a request it cannot read (a ``Content-Length``
that is not a non-negative number, a bad chunk size) gets ``400 Bad Request``, a body larger than
:data:`MAX_BODY_BYTES` ``413``, and the connection is closed; nothing is written to stderr.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from ._wire import Reply, Request

if TYPE_CHECKING:
    from .emulator import Emulator

__all__ = ["IDLE_TIMEOUT", "MAX_BODY_BYTES", "EmulatorServer"]

log = logging.getLogger("spreedly_sdk.testing")

IDLE_TIMEOUT = 30.0
"""Seconds a kept-alive connection may sit idle before the server closes it."""
MAX_BODY_BYTES = 1024 * 1024
"""The largest request body read (the service's documents are a few kilobytes)."""


class _Unreadable(Exception):
    """The request cannot be read: answer ``status`` and close the connection."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class _ClientGone(Exception):
    """The client closed the connection before sending the whole body."""


def _length(value: str) -> int:
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise _Unreadable(400, "Bad Request: Content-Length is not a number of bytes")
    if len(text) > 12 or int(text) > MAX_BODY_BYTES:
        raise _Unreadable(413, "Payload Too Large")
    return int(text)


def _chunk_size(line: bytes) -> int:
    text = line.split(b";", 1)[0].strip()
    if not text or len(text) > 8 or any(ch not in b"0123456789abcdefABCDEF" for ch in text):
        raise _Unreadable(400, "Bad Request: malformed chunk size")
    return int(text, 16)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True
    server: EmulatorServer  # pyright: ignore[reportIncompatibleVariableOverride]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the emulator records requests itself."""

    def _read_exactly(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise _ClientGone
        return data

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts: list[bytes] = []
            total = 0
            while True:
                size = _chunk_size(self.rfile.readline(64))
                if size == 0:
                    for _ in range(100):  # trailers, up to the blank line
                        if self.rfile.readline(8192) in (b"\r\n", b"\n", b""):
                            break
                    return b"".join(parts)
                total += size
                if total > MAX_BODY_BYTES:
                    raise _Unreadable(413, "Payload Too Large")
                parts.append(self._read_exactly(size))
                self.rfile.readline(8)
        lengths = self.headers.get_all("Content-Length") or []
        if len(set(lengths)) > 1:
            raise _Unreadable(400, "Bad Request: conflicting Content-Length headers")
        length = _length(lengths[0]) if lengths else 0
        return self._read_exactly(length) if length > 0 else b""

    def _send(self, reply: Reply, *, body: bytes | None = None, close: bool = False) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body if body is None else body)
        self.wfile.flush()

    def _refuse(self, exc: _Unreadable) -> None:
        text = f"{exc.text}\n".encode()
        self._send(Reply(exc.status, text, {"Content-Type": "text/plain; charset=utf-8"}), close=True)

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except _Unreadable as exc:
            self._refuse(exc)
            return
        except _ClientGone:
            self.close_connection = True
            return
        path, _, query = self.path.partition("?")
        host = self.headers.get("Host") or self.server.base_url.partition("://")[2]
        req = Request(method=self.command, raw_path=path, query=query, headers=dict(self.headers.items()),
                      body=body, origin=f"http://{host}")
        exchange = self.server.emulator.exchange(req)
        if exchange.wait() > 0:
            time.sleep(exchange.wait())
        reply = exchange.reply()
        if reply is None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if exchange.truncated:
            self._send(reply, body=reply.body[: len(reply.body) // 2], close=True)
            return
        self._send(reply)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve


class EmulatorServer(ThreadingHTTPServer):
    """Serves one emulator; tracks its connections so :meth:`close_connections` can end them."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.emulator = emulator
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        with self._connections_lock:
            self._connections.add(conn)
        return conn, addr

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that broke (the client went away mid-answer): logged, never printed."""
        log.debug("connection from %s ended abnormally", client_address, exc_info=True)

    def close_connections(self) -> None:
        """End every open connection (kept-alive clients see the server go away)."""
        with self._connections_lock:
            conns = list(self._connections)
            self._connections.clear()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode("ascii") if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}"
