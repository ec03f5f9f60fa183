"""Injected faults and the record of requests served (shared by both transports)."""

from __future__ import annotations

import dataclasses
from typing import Optional

__all__ = ["Fault", "RecordedRequest"]


@dataclasses.dataclass
class Fault:
    """One armed fault; see :meth:`Emulator.fail_next` for what each field does."""

    remaining: int
    status: Optional[int] = None
    body: bytes = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict[str, str])
    delay: float = 0.0
    drop_connection: bool = False
    truncate_body: bool = False
    path: Optional[str] = None
    method: Optional[str] = None
    processed: bool = False

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or self.path in path

    @property
    def replaces_answer(self) -> bool:
        """Whether the emulator's own answer is replaced (a status) or withheld (a drop)."""
        return self.status is not None or self.drop_connection


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """A request the emulator received: method, raw path, query, headers (no ``Authorization``), body,
    and the injected fault it met (``None`` for ordinary requests)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    site_name: str
    fault: Optional[Fault] = None
    """The injected fault this request met, if any (its answer was then not the site's own)."""

    @property
    def api_path(self) -> str:
        """The path under ``/api/v4/{site}/`` (``subscribers/42.xml``), or the whole path."""
        prefix = f"/api/v4/{self.site_name}/"
        return self.path[len(prefix):] if self.path.startswith(prefix) else self.path
