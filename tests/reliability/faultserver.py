"""A tiny raw-socket HTTP/1.1 server that misbehaves on purpose, for the reliability tests.

It binds 127.0.0.1 on a free port, serves each connection in a daemon thread, refuses
connections beyond a bound, and stops (closing every socket it opened) on ``stop()``, when
its ``with`` block ends, or by itself after ``lifetime`` seconds. Each request it reads is recorded (request line, headers,
body) and answered by the next *action* of its script, or by the default action once the
script is used up. Actions are plain functions ``(conn, request, server) -> keep_alive``;
the helpers below build the ones the reliability tests need: scripted responses, resets before or
during a response, a clean close with no answer, slow headers, a stalled or trickling
body, a lying ``Content-Length``, a garbage status line and gzip bombs.
"""

from __future__ import annotations

import dataclasses
import functools
import socket
import ssl
import struct
import threading
import zlib
from collections.abc import Callable, Iterable

__all__ = ["FaultServer", "RawRequest"]


@dataclasses.dataclass
class RawRequest:
    """One request as it arrived on the wire."""

    line: str
    headers: dict[str, str]
    body: bytes

    @property
    def method(self) -> str:
        return self.line.split(" ", 1)[0]

    @property
    def target(self) -> str:
        return self.line.split(" ")[1]


Action = Callable[[socket.socket, RawRequest, "FaultServer"], bool]

_REASONS = {200: "OK", 201: "Created", 204: "No Content", 302: "Found", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found", 408: "Request Timeout", 409: "Conflict", 422: "Unprocessable Entity",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}


def response_bytes(status: int, body: bytes = b"", *, content_type: str | None = "application/xml; charset=utf-8",
                   headers: Iterable[tuple[str, str]] = (), keep_alive: bool = False,
                   content_length: int | None = None, chunked: bool = False) -> bytes:
    """The bytes of one HTTP/1.1 answer (head and, unless chunked, body)."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    else:
        lines.append(f"Content-Length: {len(body) if content_length is None else content_length}")
    lines.append("Connection: " + ("keep-alive" if keep_alive else "close"))
    lines.extend(f"{k}: {v}" for k, v in headers)
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if chunked else head + body


class FaultServer:
    """Loopback HTTP server that answers with a script of (mis)behaviours."""

    def __init__(self, script: Iterable[Action] = (), default: Action | None = None, *,
                 max_connections: int = 64, on_connect: bytes | None = None,
                 tls: ssl.SSLContext | None = None, lifetime: float = 120.0) -> None:
        self._on_connect = on_connect
        self._tls = tls
        self._script = list(script)
        self._default = default or respond(404, b"")
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_connections)
        self._stop = threading.Event()
        self._conns: set[socket.socket] = set()
        self.requests: list[RawRequest] = []
        self.connections = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._serve, name=f"faultserver:{self.port}", daemon=True)
        self._thread.start()
        self._reaper = threading.Timer(lifetime, self.stop)  # stops itself even if a test forgets
        self._reaper.daemon = True
        self._reaper.start()

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop accepting, close every open connection and wait for the accept loop."""
        self._stop.set()
        self._reaper.cancel()
        try:  # wakes a blocked accept() at once on Linux; the accept timeout covers the rest
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._thread.join(5)
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            _close(conn)
        self._listener.close()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; ``True`` when the server is stopping meanwhile."""
        return self._stop.wait(seconds)

    @property
    def hits(self) -> int:
        """How many requests arrived."""
        with self._lock:
            return len(self.requests)

    def push(self, *actions: Action) -> None:
        """Append actions to the script."""
        with self._lock:
            self._script.extend(actions)

    # ------------------------------------------------------------------ serving

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._slots.acquire(blocking=False):
                _close(conn)
                continue
            with self._lock:
                self._conns.add(conn)
                self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            if self._tls is not None:  # the handshake fails when the client distrusts the certificate
                conn = self._tls.wrap_socket(conn, server_side=True)
            if self._on_connect is not None:  # e.g. a plain-HTTP answer to a TLS hello
                conn.recv(65536)
                conn.sendall(self._on_connect)
                return
            buf = b""
            while not self._stop.is_set():
                parsed = _read_request(conn, buf)
                if parsed is None:
                    return
                request, buf = parsed
                with self._lock:
                    self.requests.append(request)
                    action = self._script.pop(0) if self._script else self._default
                if not action(conn, request, self):
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self._conns.discard(conn)
            _close(conn)
            self._slots.release()


def _close(conn: socket.socket) -> None:
    try:
        conn.close()
    except OSError:
        pass


def _read_request(conn: socket.socket, buf: bytes) -> tuple[RawRequest, bytes] | None:
    while b"\r\n\r\n" not in buf:
        data = conn.recv(65536)
        if not data:
            return None
        buf += data
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(rest) < length:
        data = conn.recv(65536)
        if not data:
            return None
        rest += data
    return RawRequest(lines[0], headers, rest[:length]), rest[length:]


# ---------------------------------------------------------------------- actions


def respond(status: int, body: bytes = b"", *, content_type: str | None = "application/xml; charset=utf-8",
            headers: Iterable[tuple[str, str]] = (), keep_alive: bool = False) -> Action:
    """Answer normally."""
    headers = list(headers)

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        conn.sendall(response_bytes(status, body, content_type=content_type, headers=headers, keep_alive=keep_alive))
        return keep_alive

    return act


def echo_subscriber(delay: float = 0.0) -> Action:
    """Answer ``GET .../subscribers/{id}.xml`` with a subscriber whose customer id is ``{id}``."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        if delay and srv.wait(delay):
            return False
        cid = req.target.rsplit("/", 1)[-1].removesuffix(".xml")
        body = f"<subscriber><customer-id>{cid}</customer-id></subscriber>".encode()
        conn.sendall(response_bytes(200, body, keep_alive=True))
        return True

    return act


def reset(sent: bytes = b"") -> Action:
    """Send ``sent`` (maybe nothing), then abort the connection with a TCP RST."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        if sent:
            conn.sendall(sent)
            srv.wait(0.05)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return False

    return act


def reset_mid_body(status: int, body: bytes) -> Action:
    """Send the head and a third of the body, then RST."""
    full = response_bytes(status, body)
    return reset(full[: len(full) - len(body) + len(body) // 3])


def close_without_answer() -> Action:
    """Read the request, then close cleanly (FIN) without a byte of answer."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        conn.shutdown(socket.SHUT_RDWR)
        return False

    return act


def delay_headers(seconds: float, then: Action) -> Action:
    """Wait before answering at all."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        if srv.wait(seconds):
            return False
        return then(conn, req, srv)

    return act


def stall_mid_body(status: int, body: bytes, seconds: float) -> Action:
    """Send the head and half the body, stall, then the rest."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        full = response_bytes(status, body)
        cut = len(full) - len(body) // 2
        conn.sendall(full[:cut])
        if srv.wait(seconds):
            return False
        conn.sendall(full[cut:])
        return False

    return act


def trickle(status: int, body: bytes, interval: float, *, tail: int | None = None) -> Action:
    """Send the head (and all but the last ``tail`` body bytes) at once, then one byte every
    ``interval`` seconds."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        start = 0 if tail is None else max(len(body) - tail, 0)
        conn.sendall(response_bytes(status, body)[: len(response_bytes(status, body)) - len(body) + start])
        for i in range(start, len(body)):
            if srv.wait(interval):
                return False
            conn.sendall(body[i:i + 1])
        return False

    return act


def lying_length(status: int, body: bytes, extra: int = 30) -> Action:
    """Announce ``extra`` bytes more than are sent, then close."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        conn.sendall(response_bytes(status, body, content_length=len(body) + extra))
        conn.shutdown(socket.SHUT_WR)
        return False

    return act


def raw(data: bytes) -> Action:
    """Send arbitrary bytes, then close."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        return False

    return act


@functools.lru_cache(maxsize=2)
def _deflated(decoded_size: int) -> tuple[bytes, int, int, int]:
    """Raw deflate of the bomb's document, its CRC-32, Adler-32 and length (computed once)."""
    inner = b"<subscriber><screen-name>" + b"A" * decoded_size + b"</screen-name></subscriber>"
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)  # fastest level: still over 200:1
    return packer.compress(inner) + packer.flush(), zlib.crc32(inner), zlib.adler32(inner), len(inner)


def _bomb(decoded_size: int, encoding: str) -> bytes:
    """The bomb wrapped as gzip or zlib (HTTP ``deflate``)."""
    deflated, crc, adler, length = _deflated(decoded_size)
    if encoding == "gzip":
        return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + deflated + struct.pack("<II", crc, length & 0xFFFFFFFF)
    return b"\x78\xda" + deflated + struct.pack(">I", adler)


def gzip_bomb(decoded_size: int, *, chunked: bool = False, encoding: str = "gzip") -> Action:
    """A small compressed body (``gzip`` or ``deflate``) that inflates to ``decoded_size``
    bytes of one XML text node."""
    return _send_body(_bomb(decoded_size, encoding), chunked=chunked, headers=[("Content-Encoding", encoding)])


def big_body(size: int, *, chunked: bool, element: bytes = b"<x>y</x>", announce: bool = True) -> Action:
    """A large identity body, streamed in 64 KiB pieces (with a Content-Length unless ``chunked``)."""

    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        head = response_bytes(200, b"", chunked=chunked, content_length=size if announce else 0)
        conn.sendall(head)
        piece = (element * (65536 // len(element) + 1))[:65536]
        sent = 0
        try:
            conn.sendall(_frame(b"<subscriber>", chunked))
            while sent < size and not srv.wait(0):
                conn.sendall(_frame(piece, chunked))
                sent += len(piece)
            conn.sendall(_frame(b"</subscriber>", chunked) + (b"0\r\n\r\n" if chunked else b""))
        except OSError:
            pass
        return False

    return act


def _frame(data: bytes, chunked: bool) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n" if chunked else data


def _send_body(body: bytes, *, chunked: bool, headers: list[tuple[str, str]]) -> Action:
    def act(conn: socket.socket, req: RawRequest, srv: FaultServer) -> bool:
        conn.sendall(response_bytes(200, body, headers=headers, chunked=chunked))
        if chunked:
            try:
                for i in range(0, len(body), 16384):
                    conn.sendall(_frame(body[i:i + 16384], True))
                conn.sendall(b"0\r\n\r\n")
            except OSError:
                pass
        return False

    return act
