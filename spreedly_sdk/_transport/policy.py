"""The retry and deadline rules of docs/reliability.md, stated once, as small state objects.

No I/O here: the send loops report what each attempt gave (a failure without an answer, or
an error status) and :class:`RetryPolicy` answers with the delay before the next attempt, or
``None`` to stop. The clock and the jitter are parameters, so the whole table can be tested
without a socket or a sleep.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable

import httpx

from .settings import Options

__all__ = ["IDEMPOTENT_METHODS", "RETRYABLE_STATUSES", "Deadline", "RetryPolicy", "backoff_delay"]

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
DEADLINE_SLACK = 0.02
"""A transport failure this close to the deadline is reported as the deadline passing: the
per-request timeouts were clamped to it."""

Clock = Callable[[], float]


def backoff_delay(retries_taken: int, retry_after: float | None = None,
                  jitter: Callable[[], float] | None = None) -> float:
    """Delay before retry number ``retries_taken + 1``: ``Retry-After`` when sensible,
    else ``min(0.5 * 2**n, 8)`` shrunk by up to a quarter at random."""
    if retry_after is not None:
        return retry_after
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** max(0, min(retries_taken, 32)), MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * (jitter or random.random)())


class Deadline:
    """The end of one call's time, if it has one (``deadline=`` seconds from its start)."""

    __slots__ = ("clock", "end")

    def __init__(self, seconds: float | None, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self.end = None if seconds is None else clock() + seconds

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - self.clock()

    def expired(self, slack: float = 0.0) -> bool:
        left = self.remaining()
        return left is not None and left <= slack

    def clamp(self, timeout: httpx.Timeout | None) -> httpx.Timeout | None:
        """``timeout`` with every phase cut to the time left."""
        left = self.remaining()
        if left is None or timeout is None:
            return timeout
        left = max(left, 0.001)

        def cap(v: float | None) -> float:
            return left if v is None else min(v, left)

        return httpx.Timeout(connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write),
                             pool=cap(timeout.pool))


@dataclasses.dataclass
class RetryPolicy:
    """The state of one call's retries: what was tried, what may have landed, the time left.

    The deciding question is whether the service may already have acted on the request:

    * a failure with no answer is retried when the request certainly never left
      (``maybe_processed=False``), or when the call is idempotent (GET, PUT, DELETE, unless the
      endpoint says otherwise) or ``retry_non_idempotent`` is set; TLS failures never are;
    * 429 is always retried (the service refused the request); 408 and 5xx only when the
      call is idempotent or ``retry_non_idempotent`` is set; other statuses never;
    * at most ``max_retries`` retries, with :func:`backoff_delay` between them, and none whose
      delay would not end before the deadline.
    """

    method: str
    idempotent: bool
    max_retries: int
    retry_non_idempotent: bool
    deadline: Deadline
    jitter: Callable[[], float] | None = None
    """A number in ``[0, 1)`` (``None``: :func:`random.random`)."""
    retries_taken: int = 0
    reached: bool = False
    """Whether an attempt so far may have reached the service (for a deadline error's
    ``maybe_processed``)."""
    reason: str = ""
    """Why the last retry was granted, for the log line."""

    @classmethod
    def start(cls, method: str, options: Options, idempotent: bool | None = None,
              clock: Clock = time.monotonic, jitter: Callable[[], float] | None = None) -> RetryPolicy:
        """The policy for one call of ``method`` (``idempotent=None``: decided by the method)."""
        return cls(method=method, idempotent=method in IDEMPOTENT_METHODS if idempotent is None else idempotent,
                   max_retries=options.max_retries, retry_non_idempotent=options.retry_non_idempotent,
                   deadline=Deadline(options.deadline, clock), jitter=jitter)

    @property
    def attempt(self) -> int:
        """The number of the attempt under way, from 1."""
        return self.retries_taken + 1

    def out_of_time(self) -> bool:
        """Whether the call's deadline has passed (checked before each attempt)."""
        return self.deadline.expired()

    def failure_is_deadline(self) -> bool:
        """Whether a failure just seen is really the deadline passing."""
        return self.deadline.expired(DEADLINE_SLACK)

    def after_failure(self, *, maybe_processed: bool, tls: bool, kind: str) -> float | None:
        """After an attempt that got no answer: the delay before the next one, or ``None``."""
        self.reached = self.reached or maybe_processed
        allowed = not tls and (not maybe_processed or self.idempotent or self.retry_non_idempotent)
        return self._next(allowed, None, kind)

    def after_status(self, status: int, retry_after: float | None = None) -> float | None:
        """After an error status: the delay before the next attempt, or ``None``."""
        self.reached = self.reached or status != 429
        allowed = status in RETRYABLE_STATUSES and (
            self.idempotent or status == 429 or self.retry_non_idempotent)
        return self._next(allowed, retry_after, f"status {status}")

    def _next(self, allowed: bool, retry_after: float | None, reason: str) -> float | None:
        if not allowed or self.retries_taken >= self.max_retries:
            return None
        delay = backoff_delay(self.retries_taken, retry_after, self.jitter)
        left = self.deadline.remaining()
        if left is not None and delay >= left:
            return None  # the real failure now rather than a timeout later
        self.retries_taken += 1
        self.reason = reason
        return delay
