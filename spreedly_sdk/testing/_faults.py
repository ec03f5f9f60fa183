"""Injected faults and the record of requests served: the one place both transports (the
in-process httpx transport and the socket server) learn what to do with a request."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Optional

from ._wire import Reply

__all__ = ["Exchange", "Fault", "RecordedRequest", "take_fault"]


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


def take_fault(faults: list[Fault], method: str, path: str) -> Optional[Fault]:
    """The first armed fault matching the request, used once (disarmed when used up)."""
    for fault in faults:
        if fault.matches(method, path):
            fault.remaining -= 1
            if fault.remaining <= 0:
                faults.remove(fault)
            return fault
    return None


class Exchange:
    """One request and the fault it met (or ``None``): what a transport does, in order.

    1. wait :meth:`wait` seconds (the fault's delay, no longer than the client's read timeout);
    2. if :meth:`times_out`, call :meth:`lose_answer` and report a read timeout;
    3. otherwise send :meth:`reply` (``None``: close the connection without an answer), only
       the first half of its body when :attr:`truncated`.

    ``perform`` performs the request on the site (recording it) and returns the site's answer.
    """

    def __init__(self, fault: Optional[Fault], perform: Callable[[Optional[Fault]], Reply]) -> None:
        self.fault = fault
        self._perform = perform

    def wait(self, read_timeout: Optional[float] = None) -> float:
        delay = self.fault.delay if self.fault is not None else 0.0
        return min(delay, read_timeout) if read_timeout is not None else delay

    def times_out(self, read_timeout: Optional[float]) -> bool:
        return self.fault is not None and read_timeout is not None and self.fault.delay > read_timeout

    @property
    def truncated(self) -> bool:
        return self.fault is not None and self.fault.truncate_body

    def lose_answer(self) -> None:
        """The client gave up waiting: the request still happened if the fault says it was processed."""
        if self.fault is not None and self.fault.processed:
            self._perform(self.fault)

    def reply(self) -> Optional[Reply]:
        """The answer to send (the site's, or the fault's); ``None`` means drop the connection."""
        fault = self.fault
        if fault is None or not fault.replaces_answer:
            return self._perform(None)
        if fault.processed:
            self._perform(fault)
        if fault.drop_connection:
            return None
        assert fault.status is not None
        return Reply(fault.status, fault.body, dict(fault.headers))
