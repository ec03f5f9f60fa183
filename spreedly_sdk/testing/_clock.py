"""The emulator's clock: real time by default, frozen or moved on demand; period arithmetic."""

from __future__ import annotations

import calendar
import threading
from datetime import datetime, timedelta, timezone

__all__ = ["Clock", "add_period"]


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class Clock:
    """What time it is for the emulated site (UTC, whole seconds like the service's documents).

    ``Clock()`` follows real time; ``Clock(datetime(...))`` starts frozen at that instant.
    :meth:`advance` moves it forward either way; :meth:`freeze` stops it; :meth:`unfreeze`
    lets it run again from where it stands.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen: datetime | None = _utc(start) if start is not None else None
        self._offset = timedelta()

    def now(self) -> datetime:
        """The current instant, UTC, without microseconds."""
        with self._lock:
            value = self._frozen if self._frozen is not None else datetime.now(timezone.utc) + self._offset
        return value.replace(microsecond=0)

    @property
    def frozen(self) -> bool:
        """Whether the clock is stopped."""
        return self._frozen is not None

    def freeze(self, at: datetime | None = None) -> None:
        """Stop the clock at ``at`` (default: now)."""
        target = _utc(at) if at is not None else self.now()
        with self._lock:
            self._frozen = target

    def unfreeze(self) -> None:
        """Let the clock run again from the instant it shows."""
        current = self.now()
        with self._lock:
            self._offset = current - datetime.now(timezone.utc)
            self._frozen = None

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (keeping the frozen/running state)."""
        target = _utc(at)
        with self._lock:
            if self._frozen is not None:
                self._frozen = target
            else:
                self._offset = target - datetime.now(timezone.utc)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` and return the new instant."""
        if delta < timedelta():
            raise ValueError("the clock only moves forward")
        with self._lock:
            if self._frozen is not None:
                self._frozen += delta
            else:
                self._offset += delta
        return self.now()


def add_period(start: datetime, quantity: int, units: str) -> datetime:
    """``start`` plus ``quantity`` days or calendar months (the day clamped to the month's end)."""
    if units == "days":
        return start + timedelta(days=quantity)
    if units != "months":
        raise ValueError(f"unknown duration units {units!r}")
    month_index = start.month - 1 + quantity
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)
