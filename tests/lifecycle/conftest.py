"""Helpers for the lifecycle tests: a frozen emulator and a loopback notification receiver."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from spreedly_sdk.testing import Clock, Emulator

START = datetime(2024, 1, 10, 9, 0, 0, tzinfo=timezone.utc)


class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that records POSTs; it can fail the first N."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.fail_first = 0
        self.fail_status = 500
        self.on_post: Callable[[list[str]], None] | None = None
        self.lock = threading.Lock()
        self.url = ""

    @property
    def ids(self) -> list[list[str]]:
        """The subscriber ids of each POST received (failed ones too)."""
        out = []
        for body in self.bodies:
            values = parse_qs(body.decode())["subscriber_ids"]
            out.append(values[0].split(","))
        return out


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with receiver.lock:
                receiver.bodies.append(body)
                receiver.headers.append(dict(self.headers.items()))
                failing = receiver.fail_first > 0
                if failing:
                    receiver.fail_first -= 1
            if not failing and receiver.on_post is not None:
                receiver.on_post(parse_qs(body.decode())["subscriber_ids"][0].split(","))
            status = receiver.fail_status if failing else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(rec))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/spreedly/s3cret"
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def emu(receiver: Receiver) -> Emulator:
    """A frozen-clock emulator that notifies the loopback receiver."""
    return Emulator(clock=Clock(START), notify_url=receiver.url)
