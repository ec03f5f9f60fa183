"""A tiny loopback HTTP/1.1 server for the benchmarks: fixed answers, keep-alive, asyncio.

It runs its own event loop in a daemon thread, binds 127.0.0.1 on a free port, and answers
every ``GET`` of a known path with the same bytes (404 otherwise). Being small and fast, it
adds little to either side of a comparison, which keeps the ratios honest (a slow server
would hide the SDK's own cost).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["serve"]


def _response(body: bytes, status: str = "200 OK") -> bytes:
    head = (f"HTTP/1.1 {status}\r\nContent-Type: application/xml; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


@contextmanager
def serve(routes: dict[str, bytes]) -> Iterator[str]:
    """Serve ``routes`` (path -> body) and yield the base URL; stop when the block ends."""
    answers = {path.encode(): _response(body) for path, body in routes.items()}
    missing = _response(b"not found", "404 Not Found")
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, object] = {}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line_end = head.index(b"\r\n")
                parts = head[:line_end].split(b" ")
                length = 0
                for line in head[line_end + 2:].split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if length:
                    await reader.readexactly(length)
                path = parts[1].split(b"?", 1)[0] if len(parts) > 1 else b""
                writer.write(answers.get(path, missing))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def start() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
        holder["server"] = server
        holder["port"] = server.sockets[0].getsockname()[1]
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, name="bench-server", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://127.0.0.1:{holder['port']}"
    finally:
        server = holder["server"]

        async def stop() -> None:
            server.close()  # type: ignore[attr-defined]
            await server.wait_closed()  # type: ignore[attr-defined]

        with contextlib.suppress(Exception):  # best effort at shutdown
            asyncio.run_coroutine_threadsafe(stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
