"""``Client`` and ``AsyncClient``: configuration, the resources, and pyspreedly's flat methods.

The flat methods (``get_info``, ``set_info``, ...) keep pyspreedly's names and parameters so
old code moves over by changing an import; each is a thin call into a resource.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal, TypeVar

import httpx

from ._transport import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncTransport,
    Credentials,
    Options,
    SyncTransport,
    check_base_url,
    check_site_name,
    make_timeout,
)
from .errors import ForbiddenError, InvalidRequestError, NotFoundError
from .models import WRITABLE_FIELDS, DurationUnits, Subscriber, SubscriptionPlan
from .resources import (
    AsyncInvoices,
    AsyncPlans,
    AsyncSubscribers,
    AsyncTransactions,
    Invoices,
    Plans,
    Subscribers,
    Transactions,
)
from .resources._base import NOT_GIVEN, NotGiven
from .resources.hosted_pages import account_url, signup_url

__all__ = ["AsyncClient", "Client"]

_C = TypeVar("_C", bound="_BaseClient")

_SET_INFO_FIELDS = (*WRITABLE_FIELDS, "new_customer_id", "payment_method")
QueryAction = Literal["get", "post", "put", "delete"]


class _BaseClient:
    """Configuration shared by both clients (no I/O here)."""

    _options: Options

    def __init__(
        self,
        token: str,
        site_name: str,
        *,
        base_url: str | httpx.URL = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry_non_idempotent: bool = False,
        has_http_client: bool = False,
    ) -> None:
        self._credentials = Credentials(token)
        self.site_name = check_site_name(site_name)
        self.base_url = check_base_url(base_url, self.site_name)
        if isinstance(timeout, NotGiven):
            resolved: httpx.Timeout | None = None if has_http_client else DEFAULT_TIMEOUT
        else:
            resolved = make_timeout(timeout)
        self._options = Options(timeout=resolved, max_retries=max_retries, deadline=deadline,
                                max_response_bytes=max_response_bytes, retry_non_idempotent=retry_non_idempotent)

    @property
    def timeout(self) -> httpx.Timeout | None:
        """The timeout of every call (``None``: the supplied ``http_client``'s own)."""
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        """How many times a failed call may be retried when retrying is safe."""
        return self._options.max_retries

    def _derive(self: _C, **changes: Any) -> _C:
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        for key in ("subscribers", "plans", "invoices", "transactions"):  # resources bound to self
            clone.__dict__.pop(key, None)
        if "timeout" in changes:
            changes["timeout"] = make_timeout(changes["timeout"])
        clone._options = Options(**{**self._options.__dict__, **changes})
        return clone

    def signup_url(self, customer_id: str | int, plan_id: int, screen_name: str | None = None, *,
                   token: str | None = None, email: str | None = None, first_name: str | None = None,
                   last_name: str | None = None, return_url: str | None = None) -> str:
        """The hosted subscribe page for a plan (REFERENCE §4); pass the subscriber's ``token``
        to pre-fill saved details and the card on file."""
        return signup_url(self.base_url, self.site_name, customer_id, plan_id, screen_name, token=token,
                          email=email, first_name=first_name, last_name=last_name, return_url=return_url)

    def account_url(self, token: str, return_url: str | None = None) -> str:
        """The subscriber's self-service account page (stop auto renew, change card)."""
        return account_url(self.base_url, self.site_name, token, return_url)

    def get_signup_url(self, subscriber_id: str | int, plan_id: int, screen_name: str | None = None,
                       token: str | None = None) -> str:
        """pyspreedly's name for :meth:`signup_url` (now on the host, not under ``/api/``)."""
        return self.signup_url(subscriber_id, plan_id, screen_name, token=token)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(site_name={self.site_name!r}, base_url={str(self.base_url)!r})"

    def __reduce__(self) -> Any:
        raise TypeError(f"{type(self).__name__} objects cannot be pickled or copied; make a new one")


def _set_info_fields(subscriber_id: str | int | Subscriber, kw: Mapping[str, Any]) -> tuple[str | int, dict[str, Any]]:
    unknown = sorted(set(kw) - set(_SET_INFO_FIELDS))
    if unknown:
        raise InvalidRequestError(f"set_info cannot change {', '.join(unknown)}; writable: "
                                  f"{', '.join(_SET_INFO_FIELDS)}", field=unknown[0])
    if isinstance(subscriber_id, Subscriber):
        fields = {f: getattr(subscriber_id, f) for f in WRITABLE_FIELDS if f in subscriber_id.model_fields_set}
        return subscriber_id.customer_id, {**fields, **kw}
    return subscriber_id, dict(kw)


def _pick_trial_plan(plans: list[SubscriptionPlan], plan_id: int | None) -> int:
    if plan_id is not None:
        return plan_id
    for plan in plans:
        if plan.is_free_trial and plan.enabled and plan.id is not None:
            return plan.id
    raise InvalidRequestError("the site has no enabled free-trial plan; pass plan_id")


class Client(_BaseClient):
    """Blocking client for one Spreedly site.

    ``Client("API-TOKEN", "mysite")``; calls go to ``{base_url}/api/v4/{site_name}/``.
    Use it as a context manager, or call :meth:`close`, to release connections.
    """

    def __init__(
        self,
        token: str,
        site_name: str,
        *,
        base_url: str | httpx.URL = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry_non_idempotent: bool = False,
    ) -> None:
        super().__init__(token, site_name, base_url=base_url, timeout=timeout, max_retries=max_retries,
                         deadline=deadline, max_response_bytes=max_response_bytes,
                         retry_non_idempotent=retry_non_idempotent, has_http_client=http_client is not None)
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise InvalidRequestError("http_client must be an httpx.Client")
        self._transport = SyncTransport(http_client, base_url=self.base_url, site=self.site_name,
                                        credentials=self._credentials, options=self._options)

    @functools.cached_property
    def subscribers(self) -> Subscribers:
        """Subscriber calls."""
        return Subscribers(self)

    @functools.cached_property
    def plans(self) -> Plans:
        """Subscription plan calls."""
        return Plans(self)

    @functools.cached_property
    def invoices(self) -> Invoices:
        """Invoice calls (the Payments API)."""
        return Invoices(self)

    @functools.cached_property
    def transactions(self) -> Transactions:
        """Transaction calls."""
        return Transactions(self)

    def with_options(self, *, timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
                     max_retries: int | NotGiven = NOT_GIVEN, deadline: float | None | NotGiven = NOT_GIVEN,
                     max_response_bytes: int | NotGiven = NOT_GIVEN) -> Client:
        """A client sharing this one's connections, with some settings changed."""
        return self._derive(**{k: v for k, v in dict(timeout=timeout, max_retries=max_retries, deadline=deadline,
                                                     max_response_bytes=max_response_bytes).items()
                               if v is not NOT_GIVEN})

    def close(self) -> None:
        """Close the connections (a supplied ``http_client`` is left to its owner)."""
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # ------------------------------------------------------------------ pyspreedly's methods

    def get_plans(self) -> list[SubscriptionPlan]:
        """Every plan (pyspreedly name)."""
        return self.plans.list()

    def get_info(self, subscriber_id: str | int) -> Subscriber:
        """One subscriber (pyspreedly name)."""
        return self.subscribers.get(subscriber_id)

    def set_info(self, subscriber_id: str | int | Subscriber, **kw: Any) -> Subscriber:
        """Update a subscriber and return it as the service now has it.

        Pass a customer id and fields (``email=...``), or a :class:`Subscriber` (for example a
        fetched one with changes): only its writable fields are sent.
        """
        customer_id, fields = _set_info_fields(subscriber_id, kw)
        self.subscribers.update(customer_id, **fields)
        return self.subscribers.get(fields.get("new_customer_id", customer_id))

    def create_subscriber(self, customer_id: str | int, screen_name: str | None = None) -> Subscriber:
        """Create a subscriber (pyspreedly name)."""
        return self.subscribers.create(customer_id, screen_name=screen_name)

    def get_or_create_subscriber(self, subscriber_id: str | int, screen_name: str | None = None) -> Subscriber:
        """The subscriber, created first if it does not exist."""
        try:
            return self.subscribers.get(subscriber_id)
        except NotFoundError:
            pass
        try:
            return self.subscribers.create(subscriber_id, screen_name=screen_name)
        except ForbiddenError:
            return self.subscribers.get(subscriber_id)

    def delete_subscriber(self, id: str | int) -> None:
        """Delete one subscriber (test sites only; the service decides)."""
        self.subscribers.delete(id)

    def cleanup(self) -> None:
        """Delete every subscriber of a test site (the service refuses on production sites)."""
        self.subscribers.delete_all()

    def subscribe(self, subscriber_id: str | int, plan_id: int | None = None) -> Subscriber:
        """Start a free trial (``plan_id`` defaults to the site's first enabled free-trial plan)."""
        plan = plan_id if plan_id is not None else _pick_trial_plan(self.plans.list(), None)
        return self.subscribers.subscribe_to_free_trial(subscriber_id, plan)

    def allow_free_trial(self, subscriber_id: str | int) -> Subscriber:
        """Make the subscriber eligible for another free trial."""
        return self.subscribers.allow_free_trial(subscriber_id)

    def change_plan(self, subscriber_id: str | int, plan_id: int) -> None:
        """Switch plan without charge (mediapop's pyspreedly name)."""
        self.subscribers.change_plan(subscriber_id, plan_id)

    def add_fee(self, subscriber_id: str | int, name: str, description: str | None, group: str,
                amount: Decimal | int | str) -> None:
        """Add a fee to the next renewal (pyspreedly's argument order)."""
        self.subscribers.add_fee(subscriber_id, name=name, description=description, group=group, amount=amount)

    def create_complimentary_subscription(self, subscriber_id: str | int, duration: int,
                                          duration_units: DurationUnits, feature_level: str,
                                          start_time: datetime | None = None,
                                          amount: Decimal | int | str | None = None) -> Subscriber:
        """Comp an inactive subscriber (pyspreedly name)."""
        return self.subscribers.give_complimentary_subscription(
            subscriber_id, duration, duration_units, feature_level,
            start_time=NOT_GIVEN if start_time is None else start_time,
            amount=NOT_GIVEN if amount is None else Decimal(str(amount)))

    def complimentary_time_extensions(self, subscriber_id: str | int, duration: int,
                                      duration_units: DurationUnits) -> Subscriber:
        """Extend an active subscriber (pyspreedly name)."""
        return self.subscribers.give_time_extension(subscriber_id, duration, duration_units)

    complimentary_time_extension = complimentary_time_extensions

    def query(self, url: str, data: str | bytes | None = None, action: QueryAction = "get") -> httpx.Response:
        """Send a raw request under the site's API root and return the answer whatever its status.

        Retries and timeouts apply; status codes are yours to check.
        """
        method, body = _query_args(data, action)
        return self._transport.send(method, _query_path(url), body=body, options=self._options,
                                    raise_for_status=False).to_httpx()


class AsyncClient(_BaseClient):
    """Asynchronous client for one Spreedly site; the twin of :class:`Client`."""

    def __init__(
        self,
        token: str,
        site_name: str,
        *,
        base_url: str | httpx.URL = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry_non_idempotent: bool = False,
    ) -> None:
        super().__init__(token, site_name, base_url=base_url, timeout=timeout, max_retries=max_retries,
                         deadline=deadline, max_response_bytes=max_response_bytes,
                         retry_non_idempotent=retry_non_idempotent, has_http_client=http_client is not None)
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise InvalidRequestError("http_client must be an httpx.AsyncClient")
        self._transport = AsyncTransport(http_client, base_url=self.base_url, site=self.site_name,
                                         credentials=self._credentials, options=self._options)

    @functools.cached_property
    def subscribers(self) -> AsyncSubscribers:
        """Subscriber calls."""
        return AsyncSubscribers(self)

    @functools.cached_property
    def plans(self) -> AsyncPlans:
        """Subscription plan calls."""
        return AsyncPlans(self)

    @functools.cached_property
    def invoices(self) -> AsyncInvoices:
        """Invoice calls (the Payments API)."""
        return AsyncInvoices(self)

    @functools.cached_property
    def transactions(self) -> AsyncTransactions:
        """Transaction calls."""
        return AsyncTransactions(self)

    def with_options(self, *, timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
                     max_retries: int | NotGiven = NOT_GIVEN, deadline: float | None | NotGiven = NOT_GIVEN,
                     max_response_bytes: int | NotGiven = NOT_GIVEN) -> AsyncClient:
        """A client sharing this one's connections, with some settings changed."""
        return self._derive(**{k: v for k, v in dict(timeout=timeout, max_retries=max_retries, deadline=deadline,
                                                     max_response_bytes=max_response_bytes).items()
                               if v is not NOT_GIVEN})

    async def aclose(self) -> None:
        """Close the connections (a supplied ``http_client`` is left to its owner)."""
        await self._transport.close()

    close = aclose

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ pyspreedly's methods

    async def get_plans(self) -> list[SubscriptionPlan]:
        """Every plan (pyspreedly name)."""
        return await self.plans.list()

    async def get_info(self, subscriber_id: str | int) -> Subscriber:
        """One subscriber (pyspreedly name)."""
        return await self.subscribers.get(subscriber_id)

    async def set_info(self, subscriber_id: str | int | Subscriber, **kw: Any) -> Subscriber:
        """Update a subscriber and return it as the service now has it."""
        customer_id, fields = _set_info_fields(subscriber_id, kw)
        await self.subscribers.update(customer_id, **fields)
        return await self.subscribers.get(fields.get("new_customer_id", customer_id))

    async def create_subscriber(self, customer_id: str | int, screen_name: str | None = None) -> Subscriber:
        """Create a subscriber (pyspreedly name)."""
        return await self.subscribers.create(customer_id, screen_name=screen_name)

    async def get_or_create_subscriber(self, subscriber_id: str | int,
                                       screen_name: str | None = None) -> Subscriber:
        """The subscriber, created first if it does not exist."""
        try:
            return await self.subscribers.get(subscriber_id)
        except NotFoundError:
            pass
        try:
            return await self.subscribers.create(subscriber_id, screen_name=screen_name)
        except ForbiddenError:
            return await self.subscribers.get(subscriber_id)

    async def delete_subscriber(self, id: str | int) -> None:
        """Delete one subscriber (test sites only; the service decides)."""
        await self.subscribers.delete(id)

    async def cleanup(self) -> None:
        """Delete every subscriber of a test site (the service refuses on production sites)."""
        await self.subscribers.delete_all()

    async def subscribe(self, subscriber_id: str | int, plan_id: int | None = None) -> Subscriber:
        """Start a free trial (``plan_id`` defaults to the site's first enabled free-trial plan)."""
        plan = plan_id if plan_id is not None else _pick_trial_plan(await self.plans.list(), None)
        return await self.subscribers.subscribe_to_free_trial(subscriber_id, plan)

    async def allow_free_trial(self, subscriber_id: str | int) -> Subscriber:
        """Make the subscriber eligible for another free trial."""
        return await self.subscribers.allow_free_trial(subscriber_id)

    async def change_plan(self, subscriber_id: str | int, plan_id: int) -> None:
        """Switch plan without charge (mediapop's pyspreedly name)."""
        await self.subscribers.change_plan(subscriber_id, plan_id)

    async def add_fee(self, subscriber_id: str | int, name: str, description: str | None, group: str,
                      amount: Decimal | int | str) -> None:
        """Add a fee to the next renewal (pyspreedly's argument order)."""
        await self.subscribers.add_fee(subscriber_id, name=name, description=description, group=group,
                                       amount=amount)

    async def create_complimentary_subscription(self, subscriber_id: str | int, duration: int,
                                                duration_units: DurationUnits, feature_level: str,
                                                start_time: datetime | None = None,
                                                amount: Decimal | int | str | None = None) -> Subscriber:
        """Comp an inactive subscriber (pyspreedly name)."""
        return await self.subscribers.give_complimentary_subscription(
            subscriber_id, duration, duration_units, feature_level,
            start_time=NOT_GIVEN if start_time is None else start_time,
            amount=NOT_GIVEN if amount is None else Decimal(str(amount)))

    async def complimentary_time_extensions(self, subscriber_id: str | int, duration: int,
                                            duration_units: DurationUnits) -> Subscriber:
        """Extend an active subscriber (pyspreedly name)."""
        return await self.subscribers.give_time_extension(subscriber_id, duration, duration_units)

    complimentary_time_extension = complimentary_time_extensions

    async def query(self, url: str, data: str | bytes | None = None,
                    action: QueryAction = "get") -> httpx.Response:
        """Send a raw request under the site's API root and return the answer whatever its status."""
        method, body = _query_args(data, action)
        resp = await self._transport.send(method, _query_path(url), body=body, options=self._options,
                                          raise_for_status=False)
        return resp.to_httpx()


def _query_args(data: str | bytes | None, action: str) -> tuple[str, bytes | None]:
    method = str(action).upper()
    if method not in ("GET", "POST", "PUT", "DELETE"):
        raise InvalidRequestError("action must be 'get', 'post', 'put' or 'delete'", field="action")
    body = data.encode("utf-8") if isinstance(data, str) else data
    return method, body


def _query_path(url: str) -> str:
    if not isinstance(url, str) or not url or "://" in url or url.startswith("/") or ".." in url.split("/"):
        raise InvalidRequestError("url must be a path under the site's API root, e.g. 'subscribers/42.xml'",
                                  field="url")
    if any(ord(c) < 0x20 for c in url):
        raise InvalidRequestError("url must not contain control characters", field="url")
    return url
