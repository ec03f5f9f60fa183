"""One large-list measurement in a fresh process: time and peak RSS growth.

``python -m benchmarks._memory MODE FILE`` reads the list document in ``FILE`` one way and
prints one JSON line: ``{"mode", "seconds", "items", "growth_mb"}``. Modes:

* ``floor`` - read the body into memory, ``lxml`` → typed dicts (the floor);
* ``parse`` - read the body into memory, ``Subscriber.list_from_xml`` (whole document);
* ``iter`` - ``client.subscribers.iter()`` through the real client, the body streamed from
  the file in 64 KiB chunks by an ``httpx.MockTransport`` (never whole in memory).

Peak RSS growth is the kernel's high-water mark (``VmHWM``, reset just before the work
starts) minus the RSS at that moment, so the body bytes of the whole-document modes are
not counted: the figure is what the parse itself costs.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import Any


def _status(key: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{key} not in /proc/self/status")


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:  # pragma: no cover - older kernels: the peak then includes set-up
        pass


def _client(path: str) -> Any:
    import httpx

    from spreedly_sdk import Client

    class FileStream(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            with open(path, "rb") as fh:
                while chunk := fh.read(65536):
                    yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/xml; charset=utf-8"},
                              stream=FileStream())

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Client("token", "bench", base_url="http://bench.invalid", http_client=http,
                  max_response_bytes=10 * 1024 * 1024)


def main(mode: str, path: str) -> None:
    from benchmarks._floors import lxml_typed_dicts
    from spreedly_sdk import Subscriber

    body = b""
    client = None
    if mode in ("floor", "parse"):
        with open(path, "rb") as fh:
            body = fh.read()
    else:
        client = _client(path)
    _reset_peak()
    before = _status("VmRSS")
    start = time.perf_counter()
    if mode == "floor":
        items = len(lxml_typed_dicts(body))
    elif mode == "parse":
        items = len(Subscriber.list_from_xml(body))
    else:
        assert client is not None
        items = sum(1 for _ in client.subscribers.iter())
    seconds = time.perf_counter() - start
    growth = max(0, _status("VmHWM") - before)
    print(json.dumps({"mode": mode, "seconds": seconds, "items": items, "growth_mb": growth / 2**20}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
