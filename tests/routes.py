"""The one registry of endpoints for the tests that enumerate them: the emulator's :data:`ROUTES`.

A test that lists endpoints either derives its list from ``ROUTES`` or is checked against it
here, so adding a route fails every such test, naming the route, until it has its case:

* :func:`route_of` finds the route a request (method and path) reaches, or ``None``;
* :func:`not_covered` names the routes a set of covered routes leaves out;
* :class:`RouteLedger` records the routes a test module's emulators served, for modules whose
  tests are written by behaviour rather than as a table (``tests/emulator/conftest.py`` feeds
  it to modules that define ``ROUTE_LEDGER``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

import pytest

from spreedly_sdk.testing import ROUTES, Emulator, Route
from spreedly_sdk.testing._paths import find_route, split_path

SINGULAR_TIME_EXTENSION = ("POST", "subscribers/{customer_id}/complimentary_time_extension.xml")
NOT_SENT_BY_THE_SDK = frozenset({SINGULAR_TIME_EXTENSION})
"""Routes the emulator answers but the SDK never requests: the singular time-extension path is
accepted for clients written against it (see docs/service/endpoints.md); the SDK sends the plural."""


def route_name(route: Route) -> str:
    return f"{route.method} {route.pattern}"


def route_of(method: str, path: str) -> Route | None:
    """The route of ``ROUTES`` a request reaches: ``path`` is relative to the site's API root
    (``subscribers/42.xml``) or absolute (``/api/v4/{site}/subscribers/42.xml``); a query is ignored."""
    segments = split_path(path if path.startswith("/") else f"/{path}")
    if segments[:2] == ["api", "v4"]:
        segments = segments[3:]
    found = find_route(ROUTES, method.upper(), segments)
    return found[0] if found else None


def not_covered(covered: Collection[Route], exempt: Collection[tuple[str, str]] = ()) -> list[str]:
    """The routes of ``ROUTES`` neither in ``covered`` nor exempt (``(method, pattern)``), by name."""
    unknown = set(exempt) - {(r.method, r.pattern) for r in ROUTES}
    assert not unknown, f"exempt routes that are not in ROUTES any more: {sorted(unknown)}"
    return [route_name(r) for r in ROUTES if r not in covered and (r.method, r.pattern) not in exempt]


class RouteLedger:
    """The routes served while one test module's tests ran, and which of its tests ran."""

    def __init__(self) -> None:
        self.served: dict[Route, set[str]] = {}
        self.expected: set[str] = set()
        self.ran: set[str] = set()

    def watch(self, test: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """Record, for the duration of ``test``, every request any :class:`Emulator` receives."""
        self.ran.add(test)

        def spying(original: Callable[..., Any]) -> Callable[..., Any]:
            def spy(emu: Emulator, req: Any) -> Any:
                route = route_of(req.method, req.raw_path)
                if route is not None:
                    self.served.setdefault(route, set()).add(test)
                return original(emu, req)
            return spy

        for name in ("exchange", "handle"):
            monkeypatch.setattr(Emulator, name, spying(getattr(Emulator, name)))

    def check(self, request: pytest.FixtureRequest, exempt: Iterable[tuple[str, str]] = ()) -> None:
        """Fail naming every route no test of the module sent a request to (call it from the
        module's last test; the whole module must have run for the answer to mean anything)."""
        others = self.expected - {request.node.nodeid}
        if not others <= self.ran:
            pytest.skip(f"the route check needs the whole module; {len(others - self.ran)} of its tests did not run")
        missing = not_covered(self.served, frozenset(exempt))
        assert missing == [], f"no test in {request.node.path.name} sends a request to: {missing}"
