"""A tiny loopback HTTP/1.1 server for the benchmarks: fixed answers, keep-alive, asyncio.

:func:`serve` starts it in a separate process (so it never competes with the measured
client for the GIL), bound to 127.0.0.1 on a free port, and stops it when the block ends.
Every request for a known path gets the same bytes (404 otherwise). Being small and fast,
it adds little to either side of a comparison, which keeps the ratios honest (a slow server
would hide the SDK's own cost).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["serve"]

ROOT = Path(__file__).resolve().parents[1]


def _response(body: bytes, status: str = "200 OK") -> bytes:
    head = (f"HTTP/1.1 {status}\r\nContent-Type: application/xml; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def _serve_forever(routes: dict[str, bytes]) -> None:
    answers = {path.encode(): _response(body) for path, body in routes.items()}
    missing = _response(b"not found", "404 Not Found")

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

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


@contextmanager
def serve(routes: dict[str, bytes]) -> Iterator[str]:
    """Serve ``routes`` (path -> body) from a child process; yield the base URL."""
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        for i, (path, body) in enumerate(routes.items()):
            file = os.path.join(tmp, f"{i}.xml")
            Path(file).write_bytes(body)
            args.append(f"{path}={file}")
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks._server", *args], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline().split()
            if len(line) != 2 or line[0] != "PORT":
                raise RuntimeError(f"the benchmark server did not start: {line!r}")
            yield f"http://127.0.0.1:{line[1]}"
        finally:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


if __name__ == "__main__":
    table = {}
    for arg in sys.argv[1:]:
        route, file = arg.split("=", 1)
        table[route] = Path(file).read_bytes()
    asyncio.run(_serve_forever(table))
