"""Route tables: a method and a path pattern, matched segment by segment, to a handler."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from typing import Any, Optional
from urllib.parse import unquote

from ._wire import Reply

__all__ = ["Route", "find_route", "split_path"]


@dataclasses.dataclass(frozen=True)
class Route:
    """``method`` and ``pattern`` (``subscribers/{customer_id}/credits.xml``) → ``handler``.

    A ``{name}`` segment (optionally followed by a fixed suffix such as ``.xml``) matches one
    path segment and is passed to the handler, percent-decoded, as the keyword ``name``.
    """

    method: str
    pattern: str
    handler: Callable[..., Reply]

    @functools.cached_property
    def parts(self) -> tuple[str, ...]:
        """The pattern's segments (split once: every request is matched against every route)."""
        return tuple(self.pattern.split("/"))

    @property
    def parameters(self) -> tuple[str, ...]:
        """The names of the pattern's parameters, in order."""
        return tuple(part[1:part.index("}")] for part in self.parts if part.startswith("{"))

    def match(self, method: str, segments: Sequence[str]) -> Optional[dict[str, str]]:
        """The parameters when ``method`` and the raw path ``segments`` fit, else ``None``."""
        if method != self.method:
            return None
        parts = self.parts
        if len(parts) != len(segments):
            return None
        params: dict[str, str] = {}
        for part, segment in zip(parts, segments, strict=True):
            if part.startswith("{"):
                name, suffix = part[1:part.index("}")], part[part.index("}") + 1:]
                if not segment.endswith(suffix) or len(segment) == len(suffix):
                    return None
                params[name] = unquote(segment[: len(segment) - len(suffix)])
            elif unquote(segment) != part:
                return None
        return params


def split_path(raw_path: str) -> list[str]:
    """The raw (still percent-encoded) segments of a path, without the leading slash."""
    return raw_path.split("?", 1)[0].split("/")[1:]


def find_route(routes: Sequence[Route], method: str, segments: Sequence[str]) -> Optional[tuple[Route, dict[str, Any]]]:
    """The first route that fits, with its parameters."""
    for route in routes:
        params = route.match(method, segments)
        if params is not None:
            return route, params
    return None
