"""The retry policy as a state object, over its whole table, without a socket or a sleep.

Method × what happened × attempt number × time left before the deadline → the delay before
the next attempt, or stop. The loops that drive it are tested at the wire in test_retries.py
and test_transport_faults.py; here the rules of docs/reliability.md are checked one by one.
"""

from __future__ import annotations

import itertools

import httpx
import pytest

from spreedly_sdk._transport.policy import Deadline, RetryPolicy, backoff_delay
from spreedly_sdk._transport.settings import Options

METHODS = ["GET", "PUT", "DELETE", "POST", "PAY"]  # PAY: a PUT declared not idempotent (paying an invoice)
FAILURES = {
    # name: (maybe_processed, tls, status)
    "refused": (False, False, None),
    "pool-timeout": (False, False, None),
    "reset": (True, False, None),
    "read-timeout": (True, False, None),
    "tls": (True, True, None),
    "tls-on-connect": (False, True, None),
    **{str(s): (None, None, s) for s in (400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502, 503, 504)},
}
IDEMPOTENT = {"GET", "PUT", "DELETE"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def expected_retry(method: str, failure: str, *, opt_in: bool = False) -> bool:
    """The table of docs/reliability.md, written out independently of the code."""
    maybe_processed, tls, status = FAILURES[failure]
    idempotent = method in IDEMPOTENT or opt_in
    if status is None:
        return not tls and (not maybe_processed or idempotent)
    if status == 429:
        return True
    return status in (408, 500, 502, 503, 504) and idempotent


def make_policy(method: str, *, max_retries: int = 2, deadline: float | None = None, opt_in: bool = False,
                clock: Clock | None = None) -> RetryPolicy:
    options = Options(max_retries=max_retries, deadline=deadline, retry_non_idempotent=opt_in)
    http_method, idempotent = ("PUT", False) if method == "PAY" else (method, None)
    return RetryPolicy.start(http_method, options, idempotent, clock=clock or Clock(), jitter=lambda: 0.0)


def report(policy: RetryPolicy, failure: str, retry_after: float | None = None) -> float | None:
    maybe_processed, tls, status = FAILURES[failure]
    if status is None:
        return policy.after_failure(maybe_processed=bool(maybe_processed), tls=bool(tls), kind=failure)
    return policy.after_status(status, retry_after)


@pytest.mark.parametrize("opt_in", [False, True], ids=["default", "retry_non_idempotent"])
@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("method", METHODS)
def test_every_method_and_failure_over_every_attempt(method: str, failure: str, opt_in: bool) -> None:
    """Retried failures are retried exactly ``max_retries`` times with the backoff delays;
    the others stop at once."""
    for max_retries in (0, 1, 2, 4):
        policy = make_policy(method, max_retries=max_retries, opt_in=opt_in)
        delays = []
        for _ in range(max_retries + 2):
            delay = report(policy, failure)
            if delay is None:
                break
            delays.append(delay)
        if expected_retry(method, failure, opt_in=opt_in):
            assert delays == [backoff_delay(n, jitter=lambda: 0.0) for n in range(max_retries)]
            assert policy.retries_taken == max_retries and policy.attempt == max_retries + 1
        else:
            assert delays == [] and policy.retries_taken == 0


@pytest.mark.parametrize("method", METHODS)
def test_mixed_failures_share_one_retry_budget(method: str) -> None:
    policy = make_policy(method, max_retries=3)
    outcomes = [report(policy, f) for f in ("refused", "429", "refused", "429")]
    assert [d is not None for d in outcomes] == [True, True, True, False]
    assert policy.reason == "refused"  # why the last granted retry was granted


@pytest.mark.parametrize(("failure", "reached"), [("refused", False), ("pool-timeout", False), ("429", False),
                                                  ("reset", True), ("503", True), ("404", True)])
def test_reached_says_whether_the_service_may_have_acted(failure: str, reached: bool) -> None:
    policy = make_policy("GET")
    report(policy, failure)
    assert policy.reached is reached
    report(policy, "refused")  # a later unsent attempt does not undo an earlier maybe-processed one
    assert policy.reached is reached


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("left", [0.1, 0.5, 0.75, 1.0, 1.5, 30.0])
def test_no_retry_whose_backoff_outlasts_the_deadline(method: str, left: float) -> None:
    clock = Clock()
    policy = make_policy(method, deadline=left, clock=clock)
    delay = report(policy, "refused")  # retried for every method: nothing was sent
    if backoff_delay(0, jitter=lambda: 0.0) >= left:
        assert delay is None
    else:
        assert delay == 0.5
        clock.now += delay
        second = report(policy, "refused")
        assert (second is None) == (1.0 >= left - 0.5)


def test_the_deadline_runs_on_the_clock() -> None:
    clock = Clock()
    policy = make_policy("GET", deadline=2.0, clock=clock)
    assert not policy.out_of_time() and policy.deadline.remaining() == 2.0
    clock.now += 1.99
    assert not policy.out_of_time() and policy.failure_is_deadline()  # within the slack: reported as the deadline
    clock.now += 0.01
    assert policy.out_of_time()
    assert make_policy("GET", clock=clock).deadline.remaining() is None


@pytest.mark.parametrize(("retry_after", "expected"), [(None, 0.5), (3.0, 3.0), (60.0, 60.0)])
def test_retry_after_replaces_the_backoff(retry_after: float | None, expected: float) -> None:
    assert make_policy("GET").after_status(503, retry_after) == expected
    assert make_policy("POST").after_status(429, retry_after) == expected


def test_retry_after_beyond_the_deadline_stops() -> None:
    assert make_policy("GET", deadline=5.0).after_status(429, 10.0) is None


@pytest.mark.parametrize(("seconds", "timeout", "clamped"), [
    (None, httpx.Timeout(30.0, connect=5.0), httpx.Timeout(30.0, connect=5.0)),
    (2.0, httpx.Timeout(30.0, connect=5.0), httpx.Timeout(2.0)),
    (10.0, httpx.Timeout(30.0, connect=5.0), httpx.Timeout(10.0, connect=5.0)),
    (2.0, None, None),
])
def test_deadline_clamps_every_timeout_phase(seconds: float | None, timeout: httpx.Timeout | None,
                                             clamped: httpx.Timeout | None) -> None:
    assert Deadline(seconds, Clock()).clamp(timeout) == clamped


def test_idempotency_by_method_unless_the_call_says_otherwise() -> None:
    options = Options()
    assert [RetryPolicy.start(m, options).idempotent for m in ("GET", "HEAD", "PUT", "DELETE", "POST")] == [
        True, True, True, True, False]
    assert RetryPolicy.start("PUT", options, idempotent=False).idempotent is False
    assert RetryPolicy.start("POST", options, idempotent=True).idempotent is True


def test_backoff_grows_and_caps() -> None:
    for n, jitter in itertools.product(range(40), (0.0, 0.5, 0.999)):
        delay = backoff_delay(n, jitter=lambda j=jitter: j)  # type: ignore[misc]
        base = min(0.5 * 2 ** n, 8.0)
        assert 0.75 * base <= delay <= base
