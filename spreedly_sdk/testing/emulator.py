"""The :class:`Emulator`: an in-memory Spreedly site, in-process or on a loopback socket.

>>> emu = Emulator()
>>> with emu.client() as client:
...     client.subscribers.create("42").active
False

Every choice made where the record of the service is silent is listed in
:mod:`spreedly_sdk.testing._choices`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Generator, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from .._client import AsyncClient, Client
from ..models import Subscriber, SubscriptionPlan
from . import _state
from ._clock import Clock
from ._faults import Exchange, Fault, RecordedRequest, take_fault
from ._inprocess import EmulatorTransport
from ._lifecycle import apply_time
from ._notify import NotificationAttempt, Notifier
from ._render import render_subscriber
from ._routes import dispatch
from ._server import EmulatorServer
from ._state import CardOnFile, SiteState, SubscriberRecord, make_plan
from ._wire import Reply, Request

__all__ = ["DEFAULT_TOKEN", "Emulator"]

log = logging.getLogger("spreedly_sdk.testing")

DEFAULT_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # noqa: S105 - a public test token
"""The API token of an emulator made without one (40 hex characters, like the service's)."""


class Emulator:
    """A faithful in-memory Spreedly Subscriptions site.

    ``Emulator(site_name="demo-test", token=DEFAULT_TOKEN, *, test_site=True, plans=None, clock=None)``

    * ``plans``: the catalogue (default: :meth:`default plans <plan_id>` — a 14-day free trial,
      a monthly and a yearly plan, and a disabled plan).
    * ``test_site=False`` makes a production site: deletes are refused.
    * ``clock``: a :class:`Clock` (default: real time; ``Clock(datetime(...))`` starts frozen).
    * ``notify_url``: where to POST the subscribers-changed notification (:mod:`._notify`;
      attempts in :attr:`notifications`). :meth:`advance` applies renewals, failed renewals,
      grace and expiry (:mod:`._lifecycle`); the hosted pages are served as the service served
      them (:mod:`._hosted`). The API's endpoints are the table :data:`~._routes.ROUTES`.

    Talk to it in-process (:attr:`transport`, :meth:`client`, :meth:`async_client`) or over a
    loopback socket (:meth:`serve`). Seed it with :meth:`add_subscriber` / :meth:`add_plan`;
    inspect :attr:`requests`, :attr:`changed_ids` and :meth:`subscriber`; inject faults with
    :meth:`fail_next`; move time with :meth:`advance`.
    """

    BASE_URL: ClassVar[str] = "http://emulator.invalid"
    """The base URL in-process clients use (never resolved: the transport answers)."""

    FREE_TRIAL_PLAN_ID: ClassVar[int] = _state.FREE_TRIAL_PLAN_ID
    MONTHLY_PLAN_ID: ClassVar[int] = _state.MONTHLY_PLAN_ID
    YEARLY_PLAN_ID: ClassVar[int] = _state.YEARLY_PLAN_ID
    DISABLED_PLAN_ID: ClassVar[int] = _state.DISABLED_PLAN_ID

    _PLAN_KINDS: ClassVar[dict[str, int]] = {
        "free_trial": _state.FREE_TRIAL_PLAN_ID, "trial": _state.FREE_TRIAL_PLAN_ID,
        "monthly": _state.MONTHLY_PLAN_ID, "yearly": _state.YEARLY_PLAN_ID, "disabled": _state.DISABLED_PLAN_ID,
    }

    def __init__(self, site_name: str = "demo-test", token: str = DEFAULT_TOKEN, *, test_site: bool = True,
                 plans: Iterable[SubscriptionPlan] | None = None, clock: Clock | None = None,
                 notify_url: str | None = None) -> None:
        self.site_name = site_name
        self.token = token
        self.test_site = test_site
        self.clock = clock if clock is not None else Clock()
        self._initial_plans = list(plans) if plans is not None else None
        self._lock = threading.RLock()
        self.requests: list[RecordedRequest] = []
        """Every request the site performed, oldest first (``Authorization`` removed); a request whose
        answer an injected fault replaced is here only if the fault had ``processed=True``."""
        self.received: list[RecordedRequest] = []
        """Every request that arrived, faulted or not, oldest first (each with its ``fault``)."""
        self.errors: list[Exception] = []
        """Exceptions raised inside the emulator while answering (each was answered with a 500)."""
        self.changed_ids: list[str] = []
        """Customer ids of subscribers that changed, in order (the notification hook's record)."""
        self._faults: list[Fault] = []
        self.notifier = Notifier(notify_url)
        """The subscribers-changed notification (:mod:`._notify`); ``notify_url`` sets its URL."""
        self._time_applied = self.clock.now()
        self.state = self._fresh_state()
        self.transport = EmulatorTransport(self)
        """The in-process transport; works with both ``httpx.Client`` and ``httpx.AsyncClient``."""

    def _fresh_state(self) -> SiteState:
        state = SiteState(site_name=self.site_name, token=self.token, test_site=self.test_site)
        plans = self._initial_plans if self._initial_plans is not None else _state.default_plans()
        for plan in plans:
            if plan.id is None:
                raise ValueError("every plan needs an id")
            state.plans[plan.id] = plan
        return state

    # ----------------------------------------------------------------------------- state

    def reset(self) -> None:
        """Back to the initial catalogue with no subscribers, requests, changes or faults."""
        with self._lock:
            self.state = self._fresh_state()
            self.requests.clear()
            self.received.clear()
            self.errors.clear()
            self.changed_ids.clear()
            self._faults.clear()
            self.notifier.reset()
            self._time_applied = self.clock.now()

    @property
    def notifications(self) -> list[NotificationAttempt]:
        """Every notification attempt, oldest first (see :class:`._notify.Notifier`)."""
        return self.notifier.attempts

    @property
    def plans(self) -> list[SubscriptionPlan]:
        """The catalogue, in listing order."""
        with self._lock:
            return list(self.state.plans.values())

    def plan_id(self, kind: str) -> int:
        """A plan id by kind (``"free_trial"``/``"trial"``, ``"monthly"``, ``"yearly"``,
        ``"disabled"`` in the default catalogue) or by plan name (case-insensitive)."""
        with self._lock:
            wanted = self._PLAN_KINDS.get(kind)
            if wanted is not None and wanted in self.state.plans:
                return wanted
            for plan in self.state.plans.values():
                if plan.name.lower() == kind.lower():
                    return plan.id
        raise KeyError(f"no plan {kind!r}")

    def add_plan(self, name: str, *, plan_id: int | None = None, **fields: Any) -> SubscriptionPlan:
        """Add a plan to the catalogue and return it.

        ``fields``: ``amount``, ``duration_quantity``, ``duration_units`` (``days``/``months``),
        ``plan_type`` (``regular``/``free_trial``), ``enabled``, ``feature_level``,
        ``description``, ``force_recurring``, ``needs_to_be_renewed``, ``setup_fee_amount``,
        ``setup_fee_description``, ``return_url``.
        """
        with self._lock:
            new_id = plan_id if plan_id is not None else max(self.state.plans, default=1000) + 1
            if new_id in self.state.plans:
                raise ValueError(f"plan {new_id} exists")
            plan = make_plan(new_id, name, created_at=self.clock.now(), **fields)
            self.state.plans[new_id] = plan
            self.state.plans_document = None
            return plan

    def add_subscriber(self, customer_id: str | int, **fields: Any) -> Subscriber:
        """Seed a subscriber directly (no request recorded) and return it as a GET would.

        ``fields`` are attributes of :class:`~spreedly_sdk.testing._state.SubscriberRecord`:
        ``screen_name``, ``email``, ``billing_first_name``, ``billing_last_name``,
        ``active_until``, ``lifetime``, ``on_trial``, ``eligible_for_free_trial``,
        ``recurring``, ``store_credit``, ``feature_level``, ``plan_id``, ``card`` (a
        :class:`CardOnFile` or ``True`` for a test Visa), ``token``, ``created_at``... Shortcuts:
        ``active=True`` makes the subscriber active for one period of its plan (one month
        without a plan); ``plan_id`` alone also sets the plan's feature level and, for a
        recurring plan, ``recurring=True``.
        """
        cid = str(customer_id)
        with self._lock:
            if cid in self.state.subscribers:
                raise ValueError(f"subscriber {cid} exists")
            now = self.clock.now()
            active = fields.pop("active", False)
            card = fields.pop("card", None)
            if card is True:
                card = CardOnFile(card_type="visa", last_four="2222", month=12, year=now.year + 3)
            rec = SubscriberRecord(customer_id=cid, token=fields.pop("token", None) or _state.new_token(),
                                   created_at=fields.pop("created_at", now), updated_at=now,
                                   pagination_id=self.state.take_pagination_id(), card=card)
            plan = self.state.plans.get(fields["plan_id"]) if fields.get("plan_id") is not None else None
            if plan is not None:
                rec.feature_level = plan.feature_level or ""
                rec.recurring = bool(plan.needs_to_be_renewed) and not plan.is_free_trial
                rec.on_trial = plan.is_free_trial
            if "store_credit" in fields:
                fields["store_credit"] = Decimal(str(fields["store_credit"]))
            rec.change(**fields)
            if active and rec.active_until is None and not rec.lifetime:
                quantity = plan.duration_quantity if plan is not None and plan.duration_quantity else 1
                units = plan.duration_units if plan is not None and plan.duration_units else "months"
                from ._clock import add_period

                rec.active_until = add_period(now, quantity, units)
            if rec.active_until is not None and rec.grace_until is None and rec.recurring:
                rec.grace_until = rec.active_until + timedelta(days=3)
            self.state.subscribers[cid] = rec
            self._changed([cid])
            return render_subscriber(self.state, rec, now, invoices=True)

    def subscriber(self, customer_id: str | int) -> Subscriber | None:
        """The subscriber as a GET would return it, or ``None``."""
        with self._lock:
            rec = self.state.subscribers.get(str(customer_id))
            return None if rec is None else render_subscriber(self.state, rec, self.clock.now(), invoices=True)

    def subscriber_record(self, customer_id: str | int) -> SubscriberRecord:
        """The live record (mutate it under :meth:`locked` to set up unusual states)."""
        return self.state.subscribers[str(customer_id)]

    def locked(self) -> contextlib.AbstractContextManager[Any]:
        """The emulator's lock, for changing records directly while servers run."""
        return self._lock

    # ----------------------------------------------------------------------------- time

    def advance(self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0,
                weeks: float = 0) -> datetime:
        """Move the clock forward and let time-driven events happen; return the new now."""
        with self._lock:
            now = self.clock.advance(timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds,
                                               weeks=weeks))
            self._after_advance(now)
        self.notifier.deliver_due(now)
        return now

    def _after_advance(self, now: datetime) -> None:
        """Time-driven events (renewals, expiry) since the last advance (:mod:`._lifecycle`)."""
        apply_time(self.state, self._time_applied, now, self._changed)
        self._time_applied = max(self._time_applied, now)

    def _changed(self, customer_ids: Iterable[str], at: datetime | None = None) -> None:
        """Called whenever subscribers change (the "subscribers changed" notification hook)."""
        ids = list(customer_ids)
        self.changed_ids.extend(ids)
        self.notifier.enqueue(ids, at if at is not None else self.clock.now())

    # ----------------------------------------------------------------------------- faults

    def fail_next(self, count: int = 1, *, status: int | None = None, body: bytes | str = b"",
                  headers: dict[str, str] | None = None, delay: float = 0.0, drop_connection: bool = False,
                  truncate_body: bool = False, path: str | None = None, method: str | None = None,
                  processed: bool = False) -> None:
        """Make the next ``count`` matching requests misbehave.

        * ``path``/``method``: only requests whose raw path contains ``path`` (and whose method
          is ``method``) match; default: any request.
        * ``status`` (+ ``body``, ``headers``): answer with that instead of the real answer.
        * ``delay``: wait this many seconds before answering. Over the socket the client's own
          timeout fires; in-process, a delay longer than the request's read timeout raises
          :class:`httpx.ReadTimeout` after that timeout.
        * ``drop_connection``: close the connection without answering (in-process:
          :class:`httpx.RemoteProtocolError`, as httpx reports it over a socket).
        * ``truncate_body``: send the headers (full ``Content-Length``) and half the body, then
          close (in-process: the body stream raises :class:`httpx.RemoteProtocolError`).
        * ``processed``: perform the request (state changes, transactions recorded) before the
          answer is replaced or dropped — "the service did it but the answer was lost". Without
          it a replaced or dropped request changes nothing. Delay and truncation never stop
          the request from being performed.

        Faults queue: each matching request takes the first armed fault that matches.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self._faults.append(Fault(remaining=count, status=status, body=data, headers=dict(headers or {}),
                                      delay=delay, drop_connection=drop_connection, truncate_body=truncate_body,
                                      path=path, method=method, processed=processed))

    inject_fault = fail_next

    def clear_faults(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()

    def exchange(self, req: Request) -> Exchange:
        """Note an arriving request in :attr:`received` and pair it with the first matching fault;
        both transports then follow the :class:`~._faults.Exchange` it returns."""
        with self._lock:
            fault = take_fault(self._faults, req.method, req.raw_path)
            self.received.append(self._recorded(req, fault))
        return Exchange(fault, lambda met: self._perform(req, met))

    def _recorded(self, req: Request, fault: Fault | None) -> RecordedRequest:
        return RecordedRequest(method=req.method, path=req.raw_path, query=req.query,
                               headers={k: v for k, v in req.headers.items() if k.lower() != "authorization"},
                               body=req.body, site_name=self.site_name, fault=fault)

    # ----------------------------------------------------------------------------- answering

    def handle(self, req: Request) -> Reply:
        """Record and answer one request (no faults)."""
        with self._lock:
            self.received.append(self._recorded(req, None))
        return self._perform(req)

    def _perform(self, req: Request, fault: Fault | None = None) -> Reply:
        """Perform a request on the site, recording it in :attr:`requests`."""
        with self._lock:
            self.requests.append(self._recorded(req, fault))
            try:
                reply = dispatch(self.state, self.clock.now(), req, self._changed)
            except Exception as exc:  # a bug of ours: answer like a crashed Rails action, keep the trace
                log.exception("emulator error on %s %s", req.method, req.raw_path)
                self.errors.append(exc)
                reply = Reply(500, b"Internal Server Error", {"Content-Type": "text/plain; charset=utf-8"})
        self.notifier.deliver_due(self.clock.now())  # outside the lock: the receiver may call back
        return reply

    # ----------------------------------------------------------------------------- clients

    def client(self, **kwargs: Any) -> Client:
        """A :class:`~spreedly_sdk.Client` wired to :attr:`transport` (close it when done)."""
        return Client(self.token, self.site_name, base_url=self.BASE_URL, http_transport=self.transport, **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncClient:
        """An :class:`~spreedly_sdk.AsyncClient` wired to :attr:`transport` (``await .aclose()``)."""
        return AsyncClient(self.token, self.site_name, base_url=self.BASE_URL, http_transport=self.transport,
                           **kwargs)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Generator[str, None, None]:
        """Serve over HTTP on ``host:port`` (port 0: any free port) and yield the base URL.

        A thread per connection, HTTP/1.1 keep-alive, a listen backlog of 1024: a thousand
        concurrent connections are fine. The server stops when the block ends.
        """
        server = EmulatorServer((host, port), self)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                  name=f"spreedly-emulator-{server.server_address[1]}", daemon=True)
        thread.start()
        try:
            yield server.base_url
        finally:
            server.shutdown()
            server.close_connections()
            server.server_close()
            thread.join(timeout=5)

    def __repr__(self) -> str:
        return (f"Emulator(site_name={self.site_name!r}, test_site={self.test_site}, "
                f"subscribers={len(self.state.subscribers)}, plans={len(self.state.plans)})")
