"""The "subscribers changed" notification, sent by the emulator on its own clock
(docs/service/notification.md).

``Emulator(notify_url=...)`` makes a :class:`Notifier`. Each change (an API call, a hosted-page
purchase, a renewal, an expiry) is queued with the emulator-time instant it happened; queued
changes are delivered as a form-encoded ``POST`` with one field, ``subscriber_ids`` (the
customer ids joined with ``,``), once the request that caused them has been answered
internally (before the HTTP answer leaves) and at the end of every :meth:`Emulator.advance`
(if another thread is delivering at that moment, that thread delivers it instead).

Rules (the service's, as the guide describes them; choices in :mod:`._lifecycle`'s docstring):

* Only a **200** answer acknowledges; any other status, a timeout or a refused connection
  is a failure.
* After a failure the ids wait and the next attempt is 1 minute later, then 2, 4, 8...
  minutes (emulator time), so a test sees retries by calling ``emu.advance(minutes=...)``.
  Changes that happen while a retry is pending join that batch. After a success, delivery
  is immediate again.
* Changes at the same instant (one request, or several renewals due at once) are one POST.
* Every attempt is recorded in :attr:`Notifier.attempts` (``emu.notifications``).

Deliveries run on the thread that caused them, outside the emulator's lock, so the
receiving application may call the emulator back; at most one thread delivers at a time.
A delivery blocks the caller until the receiver answers (at most :data:`DELIVERY_TIMEOUT`
seconds): with an in-process ``AsyncClient``, a receiver running on the *same* event loop
cannot answer, so serve it from another thread or process.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Optional

import httpx

__all__ = ["NotificationAttempt", "Notifier"]

FIRST_RETRY = timedelta(minutes=1)
"""The wait after the first failure; it doubles after each further failure."""
MAX_DOUBLINGS = 30
"""The wait stops doubling after this many failures (2**30 minutes is about two thousand years)."""
DELIVERY_TIMEOUT = 10.0
"""Seconds one delivery may take (wall clock) before it counts as failed."""
USER_AGENT = "spreedly-sdk-emulator (subscribers changed notification)"


@dataclasses.dataclass(frozen=True)
class NotificationAttempt:
    """One POST to the notification URL."""

    at: datetime
    """Emulator time of the attempt."""
    subscriber_ids: tuple[str, ...]
    attempt: int
    """1 for the first try of a batch, 2 for its first retry..."""
    status: Optional[int]
    """The HTTP status answered, or ``None`` when no answer came."""
    error: Optional[str] = None
    """Why no answer came (connection refused, timeout...)."""

    @property
    def ok(self) -> bool:
        """Acknowledged (200)."""
        return self.status == 200


class Notifier:
    """Queues changes and delivers them to ``url`` with the service's retry schedule.

    ``transport`` (optional) is an :class:`httpx.BaseTransport` to deliver through instead of
    the network, e.g. ``httpx.WSGITransport(app)``.
    """

    def __init__(self, url: Optional[str] = None, *, transport: Optional[httpx.BaseTransport] = None,
                 timeout: float = DELIVERY_TIMEOUT) -> None:
        self.url = url
        self.transport = transport
        self.timeout = timeout
        self.attempts: list[NotificationAttempt] = []
        self._lock = threading.Lock()
        self._delivering = threading.Lock()
        self._queue: list[tuple[datetime, list[str]]] = []
        self._batch: Optional[list[str]] = None
        self._failures = 0
        self._next_at: Optional[datetime] = None
        self._http: Optional[httpx.Client] = None
        self._http_transport: Optional[httpx.BaseTransport] = None

    # ----------------------------------------------------------------------------- state

    @property
    def enabled(self) -> bool:
        """A URL or transport is set."""
        return self.url is not None

    @property
    def pending(self) -> list[str]:
        """Ids not yet acknowledged (waiting for a retry or for delivery), in order."""
        with self._lock:
            ids: list[str] = list(self._batch or [])
            for _, more in self._queue:
                ids.extend(more)
            return list(dict.fromkeys(ids))

    @property
    def next_retry_at(self) -> Optional[datetime]:
        """Emulator time of the next retry, or ``None`` when nothing failed."""
        with self._lock:
            return self._next_at if self._batch is not None else None

    @property
    def delivered(self) -> list[NotificationAttempt]:
        """The acknowledged attempts."""
        return [a for a in self.attempts if a.ok]

    @property
    def failed(self) -> list[NotificationAttempt]:
        """The attempts that were not acknowledged."""
        return [a for a in self.attempts if not a.ok]

    def reset(self) -> None:
        """Forget queued changes, retries and the record of attempts."""
        with self._lock:
            self._queue.clear()
            self._batch = None
            self._failures = 0
            self._next_at = None
            self.attempts.clear()

    # ----------------------------------------------------------------------------- queueing

    def enqueue(self, customer_ids: Iterable[str], at: datetime) -> None:
        """Record that these subscribers changed at ``at`` (emulator time)."""
        ids = [str(i) for i in customer_ids]
        if not ids or not self.enabled:
            return
        with self._lock:
            self._queue.append((at, ids))

    def _next_job(self, now: datetime) -> Optional[tuple[datetime, list[str], int]]:
        """The next attempt due by ``now``: (when, ids, attempt number), taken off the queue."""
        # A queued change is always due: it is stamped with the instant it happened, which
        # another thread's clock reading may be a little behind.
        if self._batch is not None:
            assert self._next_at is not None
            due = self._next_at <= now
            while self._queue and (not due or self._queue[0][0] <= self._next_at):
                self._batch = _merge(self._batch, self._queue.pop(0)[1])  # joins the pending retry
            if due:
                return self._next_at, list(self._batch), self._failures + 1
            return None
        if not self._queue:
            return None
        at = self._queue[0][0]
        ids: list[str] = []
        while self._queue and self._queue[0][0] == at:
            ids = _merge(ids, self._queue.pop(0)[1])
        self._batch = ids  # in flight: a failure keeps it for the retry
        self._next_at = at
        return at, ids, 1

    def _settle(self, at: datetime, ok: bool) -> None:
        if ok:
            self._batch = None
            self._failures = 0
            self._next_at = None
            return
        self._failures += 1
        wait = FIRST_RETRY * (2 ** min(self._failures - 1, MAX_DOUBLINGS))
        self._next_at = at + wait

    # ----------------------------------------------------------------------------- delivering

    def deliver_due(self, now: datetime) -> None:
        """Make every attempt that is due by ``now`` (emulator time), oldest first.

        Returns at once when another thread is delivering (it picks up what is queued).
        """
        if not self.enabled:
            return
        while True:
            if not self._delivering.acquire(blocking=False):
                return
            try:
                while True:
                    with self._lock:
                        job = self._next_job(now)
                    if job is None:
                        break
                    at, ids, attempt = job
                    status, error = self._post(ids)
                    with self._lock:
                        self.attempts.append(NotificationAttempt(at=at, subscriber_ids=tuple(ids), attempt=attempt,
                                                                 status=status, error=error))
                        self._settle(at, status == 200)
            finally:
                self._delivering.release()
            with self._lock:
                if not self._due(now):
                    return

    def _due(self, now: datetime) -> bool:
        if self._batch is not None:
            return self._next_at is not None and self._next_at <= now
        return bool(self._queue)

    def _post(self, ids: list[str]) -> tuple[Optional[int], Optional[str]]:
        assert self.url is not None
        if self.transport is None:
            http = _shared_client()
        else:
            if self._http is None or self._http_transport is not self.transport:
                if self._http is not None:
                    self._http.close()
                self._http = _client(self.transport)
                self._http_transport = self.transport
            http = self._http
        try:
            response = http.post(self.url, data={"subscriber_ids": ",".join(ids)},
                                 headers={"User-Agent": USER_AGENT}, timeout=self.timeout)
            return response.status_code, None
        except Exception as exc:  # a bad URL or a broken receiver is a failed attempt, never the caller's error
            return None, f"{type(exc).__name__}: {exc}"


_SHARED: Optional[httpx.Client] = None
_SHARED_LOCK = threading.Lock()


def _client(transport: Optional[httpx.BaseTransport]) -> httpx.Client:
    # no kept-alive connections: nothing is left open between deliveries
    return httpx.Client(transport=transport, trust_env=False, follow_redirects=False,
                        limits=httpx.Limits(max_keepalive_connections=0))


def _shared_client() -> httpx.Client:
    """One network client for every emulator's notifier (making one costs a TLS context)."""
    global _SHARED  # noqa: PLW0603 - a lazily made process-wide client
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = _client(None)  # pyright: ignore[reportConstantRedefinition]
        return _SHARED


def _merge(ids: list[str], more: Iterable[str]) -> list[str]:
    """``ids`` then the new ones of ``more``, each once."""
    return list(dict.fromkeys([*ids, *more]))
