"""A recording fake of the service for wire-level tests, and a sync face for ``AsyncClient``.

``FakeService`` is an ``httpx.MockTransport`` handler: routes map ``(method, path)`` to canned
answers (real documents from the samples or our fixtures) and every request is recorded so a
test can assert method, exact path, headers and body. ``Synced`` lets one test body drive both
``Client`` and ``AsyncClient``: it runs each coroutine to completion on a private loop and
collects async iterators into lists.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import httpx
import pytest

from spreedly_sdk._xml import parse_document

REPO = Path(__file__).resolve().parents[2]
SAMPLES = (REPO / ".." / "shared" / "spreedly-api" / "samples").resolve()
FIXTURES = REPO / "tests" / "fixtures"

TOKEN = "0123456789abcdef0123456789abcdef01234567"
SITE = "mysite"
API = f"/api/v4/{SITE}"
XML = "application/xml; charset=utf-8"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sample(name: str) -> bytes:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"samples folder absent ({SAMPLES})")
    return path.read_bytes()


def sample_names(prefix: str) -> list[str]:
    if not SAMPLES.is_dir():
        return []
    return sorted(p.name for p in SAMPLES.glob(f"{prefix}*.xml"))


def documents(prefix: str, fixtures: tuple[str, ...], keep: Callable[[str], bool] = lambda name: True) -> list[Any]:
    """Parameters for a test over documents: our own fixtures always, the samples whose names
    start with ``prefix`` as an extra layer when the samples folder is present."""
    params = [pytest.param(("fixture", n), id=n) for n in fixtures]
    return params + [pytest.param(("sample", n), id=n) for n in sample_names(prefix) if keep(n)]


def paired(fixtures: tuple[str, ...], samples: tuple[str, ...]) -> list[Any]:
    """Parameters for a test that needs several documents at once: our fixtures always, the
    samples too when every one of them is present."""
    params = [pytest.param(tuple(("fixture", n) for n in fixtures), id="fixtures")]
    if all((SAMPLES / n).is_file() for n in samples):
        params.append(pytest.param(tuple(("sample", n) for n in samples), id="samples"))
    return params


def load(source: tuple[str, str]) -> bytes:
    """The bytes of a ``("fixture" | "sample", name)`` source."""
    kind, name = source
    return sample(name) if kind == "sample" else fixture(name)


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body delivered in small pieces (for both clients), so the SDK's incremental readers
    and list streaming see several chunks instead of one already-read body."""

    def __init__(self, body: bytes, size: int) -> None:
        self._parts = [body[i:i + size] for i in range(0, len(body), size)]

    def __iter__(self) -> Any:
        yield from self._parts

    async def __aiter__(self) -> Any:
        for part in self._parts:
            yield part


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str | None = XML
    headers: dict[str, str] = field(default_factory=dict)
    chunk: int | None = None

    def response(self) -> httpx.Response:
        headers = dict(self.headers)
        if self.content_type is not None:
            headers["content-type"] = self.content_type
        if self.chunk:
            return httpx.Response(self.status, headers=headers, stream=Chunks(self.body, self.chunk))
        return httpx.Response(self.status, content=self.body, headers=headers)


def text(status: int, body: str) -> Answer:
    """A plain-text answer, the way the service sent most errors."""
    return Answer(status, body.encode(), "text/plain; charset=utf-8")


Route = Union[Answer, list[Answer], Callable[[httpx.Request], Answer]]


@dataclass
class Seen:
    """One recorded request."""

    method: str
    path: str  # raw (still percent-encoded) path, without the query
    query: str
    headers: httpx.Headers
    body: bytes
    url: str

    def xml(self) -> Any:
        """The body as a comparable shape (tag, attributes, text, children)."""
        return shape(self.body)


class FakeService:
    """Routes requests to canned answers and records them."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.seen: list[Seen] = []

    def on(self, method: str, path: str, answer: Route) -> None:
        self.routes[(method, path)] = answer

    def handler(self, request: httpx.Request) -> httpx.Response:
        raw = request.url.raw_path.decode("ascii")
        path, _, query = raw.partition("?")
        self.seen.append(Seen(request.method, path, query, request.headers, request.content, str(request.url)))
        route = self.routes.get((request.method, path))
        if route is None:
            return httpx.Response(599, text=f"no route for {request.method} {path}")
        if isinstance(route, list):
            answer = route.pop(0) if len(route) > 1 else route[0]
        elif isinstance(route, Answer):
            answer = route
        else:
            answer = route(request)
        return answer.response()

    @property
    def last(self) -> Seen:
        return self.seen[-1]

    def calls(self) -> list[tuple[str, str]]:
        return [(s.method, s.path) for s in self.seen]


def basic_auth(token: str = TOKEN) -> str:
    return "Basic " + base64.b64encode(f"{token}:X".encode()).decode()


def shape(data: bytes | Any) -> Any:
    """A comparable form of a document: (tag, attributes, text, children), whitespace ignored."""
    el = parse_document(data) if isinstance(data, bytes) else data
    text_ = (el.text or "").strip() if len(el) else (el.text or "")
    return (el.tag, tuple(sorted(el.attrib.items())), text_, tuple(shape(c) for c in el))


def leaf(tag: str, value: str, xml_type: str | None = None, nil: bool = False) -> Any:
    attrs = []
    if nil:
        attrs.append(("nil", "true"))
    if xml_type:
        attrs.append(("type", xml_type))
    return (tag, tuple(sorted(attrs)), value, ())


def node(tag: str, *children: Any) -> Any:
    return (tag, (), "", tuple(children))


class Synced:
    """Drives an ``AsyncClient`` (or one of its resources) with plain calls."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    @property
    def wrapped(self) -> Any:
        return self._target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if hasattr(attr, "_client") and not callable(attr):
            return Synced(attr, self._loop)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._resolve(attr(*args, **kwargs))

        return call

    def _resolve(self, result: Any) -> Any:
        if inspect.isawaitable(result):
            return self._loop.run_until_complete(result)
        if hasattr(result, "__aiter__"):
            async def collect() -> list[Any]:
                return [item async for item in result]

            return self._loop.run_until_complete(collect())
        return result
