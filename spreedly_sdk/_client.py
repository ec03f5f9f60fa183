"""``Client`` and ``AsyncClient``: configuration, the resources, and pyspreedly's flat methods.

The resources (``client.subscribers``, ``client.plans``, ...) are the API. The flat methods
(``get_info``, ``set_info``, ``add_fee``, ...) keep pyspreedly's names and positional order so
old code moves over by changing an import; each is a thin alias of a resource method.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Literal, TypeVar, overload

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
from ._transport.urls import check_encodable, check_query_path
from .errors import ForbiddenError, InvalidRequestError, InvalidTypeError, NotFoundError
from .models import (
    WRITABLE_FIELDS,
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    DurationUnits,
    Fee,
    Subscriber,
    SubscriptionPlan,
)
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
from .resources._base import NOT_GIVEN, NotGiven, given
from .resources.hosted_pages import HostedPages
from .resources.subscribers import Amount

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
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout | None | NotGiven,
        max_retries: int,
        deadline: float | None,
        max_response_bytes: int,
        retry_non_idempotent: bool,
        has_http_client: bool,
    ) -> None:
        self._credentials = Credentials(token)
        self.site_name: str = check_site_name(site_name)
        """The site's short name, as in ``/api/v4/{site_name}/``."""
        self.base_url: httpx.URL = check_base_url(base_url, self.site_name)
        """The service's address (scheme, host, any proxy prefix), without ``/api/v4/...``."""
        if isinstance(timeout, NotGiven):
            resolved: httpx.Timeout | None = None if has_http_client else DEFAULT_TIMEOUT
        else:
            resolved = make_timeout(timeout)
        self._options = Options(timeout=resolved, max_retries=max_retries, deadline=deadline,
                                max_response_bytes=max_response_bytes, retry_non_idempotent=retry_non_idempotent)
        self._hosted_pages = HostedPages(self.base_url, self.site_name)
        self._bind_resources()

    def _bind_resources(self) -> None:
        raise NotImplementedError

    @property
    def hosted_pages(self) -> HostedPages:
        """:class:`~spreedly_sdk.resources.hosted_pages.HostedPages`: URLs of the hosted
        subscribe and account pages (no request is sent)."""
        return self._hosted_pages

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
        if "timeout" in changes:
            changes["timeout"] = make_timeout(changes["timeout"])
        clone._options = Options(**{**self._options.__dict__, **changes})
        clone._bind_resources()  # resources bound to the clone, so they use its options
        return clone

    def signup_url(self, customer_id: str | int, plan_id: int, screen_name: str | None = None, *,
                   token: str | None = None, email: str | None = None, first_name: str | None = None,
                   last_name: str | None = None, return_url: str | None = None) -> str:
        """Alias of :meth:`hosted_pages.signup_url()
        <spreedly_sdk.resources.hosted_pages.HostedPages.signup_url>`."""
        return self._hosted_pages.signup_url(customer_id, plan_id, screen_name, token=token, email=email,
                                             first_name=first_name, last_name=last_name, return_url=return_url)

    def account_url(self, token: str, return_url: str | None = None) -> str:
        """Alias of :meth:`hosted_pages.account_url()
        <spreedly_sdk.resources.hosted_pages.HostedPages.account_url>`."""
        return self._hosted_pages.account_url(token, return_url)

    def get_signup_url(self, subscriber_id: str | int, plan_id: int, screen_name: str | None = None,
                       token: str | None = None) -> str:
        """pyspreedly's name for :meth:`signup_url` (now on the host, not under ``/api/``)."""
        return self._hosted_pages.signup_url(subscriber_id, plan_id, screen_name, token=token)

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
        if plan.is_free_trial and plan.enabled:
            return plan.id
    raise InvalidRequestError("the site has no enabled free-trial plan; pass plan_id")


def _not_none(**kwargs: Any) -> dict[str, Any]:
    """pyspreedly's ``None`` for "not given", as keyword arguments left out."""
    return {k: v for k, v in kwargs.items() if v is not None}


def _fee_call(name: str | Fee, description: str | None | NotGiven, group: str | None, amount: Amount | None,
              allow_non_recurring_subscriber: bool | NotGiven) -> dict[str, Any]:
    """The resource's arguments for pyspreedly's ``add_fee``: a whole :class:`Fee` (the resource
    refuses one mixed with fields), or its fields (``group`` and ``amount`` are required,
    whether passed by position or by name; a ``None`` description is sent as nil)."""
    fields = {**given(description=description, allow_non_recurring_subscriber=allow_non_recurring_subscriber),
              **_not_none(group=group, amount=amount)}
    if isinstance(name, Fee):
        return dict(fee=name, **fields)
    for field in ("group", "amount"):
        if field not in fields:
            raise InvalidTypeError(f"add_fee() needs {field}", field=field)
    return dict(name=name, **fields)


def _query_args(data: object, action: object) -> tuple[str, bytes | None]:
    method = str(action).upper() if isinstance(action, str) else ""
    if method not in ("GET", "POST", "PUT", "DELETE"):
        raise InvalidRequestError("action must be 'get', 'post', 'put' or 'delete'", field="action")
    if data is not None and not isinstance(data, (str, bytes)):
        raise InvalidTypeError(f"data must be str, bytes or None, not {type(data).__name__}", field="data")
    if isinstance(data, str):
        return method, check_encodable(data, "data").encode("utf-8")
    return method, data


class Client(_BaseClient):
    """Blocking client for one Spreedly site.

    ``Client("API-TOKEN", "mysite")`` sends calls to ``{base_url}/api/v4/mysite/``. Use it as
    a context manager, or call :meth:`close`, to release its connections. One client can be
    shared by many threads.

    The API is in its resources:

    * :attr:`subscribers` (:class:`~spreedly_sdk.resources.Subscribers`): get, list, create,
      update, delete, free trials, comps, plan changes, store credit, fees;
    * :attr:`plans` (:class:`~spreedly_sdk.resources.Plans`): the site's subscription plans;
    * :attr:`invoices` (:class:`~spreedly_sdk.resources.Invoices`): create and pay invoices;
    * :attr:`transactions` (:class:`~spreedly_sdk.resources.Transactions`): the payment history;
    * :attr:`hosted_pages` (:class:`~spreedly_sdk.resources.hosted_pages.HostedPages`):
      URLs of the hosted subscribe and account pages.

    pyspreedly's flat methods (``get_plans``, ``get_info``, ``set_info``, ``create_subscriber``,
    ``get_or_create_subscriber``, ``subscribe``, ``add_fee``, ``cleanup``, ``query``, ...) are a
    compatible layer over those resources: same names, same positional order. Note that
    ``subscribe`` starts a free trial and ``cleanup`` deletes every subscriber of a test site.
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
        http_transport: httpx.BaseTransport | None = None,
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry_non_idempotent: bool = False,
    ) -> None:
        """Make a client; nothing is sent until the first call.

        Args:
            token: the site's API token (sent as the HTTP Basic user name; never shown).
            site_name: the site's short name, as in ``/api/v4/{site_name}/``.
            base_url: the service's address (default ``https://subs.pinpayments.com``), e.g. the
                emulator's ``http://127.0.0.1:8765``; a trailing ``/api/v4/{site_name}`` is dropped.
            timeout: seconds, or an ``httpx.Timeout`` per phase (default: 5 s connect, 30 s the rest;
                with an ``http_client`` and no timeout, that client's own).
            max_retries: how many times a failed call is retried when that is safe (default 2).
            http_client: your own ``httpx.Client`` (pools, proxies, hooks); you close it.
            http_transport: a transport for the SDK's own ``httpx.Client`` instead of the network (the
                emulator's ``emu.transport``, an ``httpx.MockTransport``); the client stays the SDK's.
            deadline: an upper bound in seconds on a whole call, retries and backoff included.
            max_response_bytes: the largest answer accepted, after decompression (default 10 MiB).
            retry_non_idempotent: also retry POSTs (and payments) after ambiguous failures.

        Raises:
            InvalidRequestError: a setting that cannot work (see docs/configuration.md).
        """
        super().__init__(token, site_name, base_url=base_url, timeout=timeout, max_retries=max_retries,
                         deadline=deadline, max_response_bytes=max_response_bytes,
                         retry_non_idempotent=retry_non_idempotent, has_http_client=http_client is not None)
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise InvalidTypeError("http_client must be an httpx.Client", field="http_client")
        if http_client is not None and http_transport is not None:
            raise InvalidRequestError("pass http_client or http_transport, not both: a client you pass in "
                                      "already has its transport", field="http_transport")
        self._transport = SyncTransport(http_client, http_transport=http_transport, base_url=self.base_url,
                                        site=self.site_name,
                                        credentials=self._credentials, options=self._options)

    def _bind_resources(self) -> None:
        self._subscribers = Subscribers(self)
        self._plans = Plans(self)
        self._invoices = Invoices(self)
        self._transactions = Transactions(self)

    @property
    def subscribers(self) -> Subscribers:
        """:class:`~spreedly_sdk.resources.Subscribers`: every subscriber call."""
        return self._subscribers

    @property
    def plans(self) -> Plans:
        """:class:`~spreedly_sdk.resources.Plans`: the site's subscription plans."""
        return self._plans

    @property
    def invoices(self) -> Invoices:
        """:class:`~spreedly_sdk.resources.Invoices`: create and pay invoices (the Payments API)."""
        return self._invoices

    @property
    def transactions(self) -> Transactions:
        """:class:`~spreedly_sdk.resources.Transactions`: the site's payment history."""
        return self._transactions

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
        """pyspreedly's name for :meth:`plans.list() <spreedly_sdk.resources.Plans.list>`."""
        return self._plans.list()

    def get_info(self, subscriber_id: str | int) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.get() <spreedly_sdk.resources.Subscribers.get>`."""
        return self._subscribers.get(subscriber_id)

    def set_info(self, subscriber_id: str | int | Subscriber, **kw: Any) -> Subscriber:
        """:meth:`subscribers.update() <spreedly_sdk.resources.Subscribers.update>`, then the
        subscriber as the service now has it.

        Pass a customer id and fields (``email=...``), or a :class:`Subscriber` (for example a
        fetched one with changes): only its writable fields are sent.
        """
        customer_id, fields = _set_info_fields(subscriber_id, kw)
        self._subscribers.update(customer_id, **fields)
        return self._subscribers.get(fields.get("new_customer_id", customer_id))

    def create_subscriber(self, customer_id: str | int, screen_name: str | None = None) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.create() <spreedly_sdk.resources.Subscribers.create>`."""
        return self._subscribers.create(customer_id, screen_name=screen_name)

    def get_or_create_subscriber(self, subscriber_id: str | int, screen_name: str | None = None) -> Subscriber:
        """The subscriber, created first if it does not exist."""
        try:
            return self._subscribers.get(subscriber_id)
        except NotFoundError:
            pass
        try:
            return self._subscribers.create(subscriber_id, screen_name=screen_name)
        except ForbiddenError:
            return self._subscribers.get(subscriber_id)

    def delete_subscriber(self, id: str | int) -> None:
        """pyspreedly's name for :meth:`subscribers.delete() <spreedly_sdk.resources.Subscribers.delete>`."""
        self._subscribers.delete(id)

    def cleanup(self) -> None:
        """pyspreedly's name for :meth:`subscribers.delete_all() <spreedly_sdk.resources.Subscribers.delete_all>`:
        deletes every subscriber of a test site."""
        self._subscribers.delete_all()

    def subscribe(self, subscriber_id: str | int, plan_id: int | None = None) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.subscribe_to_free_trial()
        <spreedly_sdk.resources.Subscribers.subscribe_to_free_trial>` (``plan_id`` defaults to
        the site's first enabled free-trial plan)."""
        plan = plan_id if plan_id is not None else _pick_trial_plan(self._plans.list(), None)
        return self._subscribers.subscribe_to_free_trial(subscriber_id, plan)

    def allow_free_trial(self, subscriber_id: str | int) -> Subscriber:
        """Alias of :meth:`subscribers.allow_free_trial() <spreedly_sdk.resources.Subscribers.allow_free_trial>`."""
        return self._subscribers.allow_free_trial(subscriber_id)

    def change_plan(self, subscriber_id: str | int, plan_id: int) -> None:
        """Alias of :meth:`subscribers.change_plan() <spreedly_sdk.resources.Subscribers.change_plan>`."""
        self._subscribers.change_plan(subscriber_id, plan_id)

    @overload
    def add_fee(self, subscriber_id: str | int, name: Fee, /) -> None: ...

    @overload
    def add_fee(self, subscriber_id: str | int, name: str, description: str | None, group: str,
                amount: Amount) -> None: ...

    @overload
    def add_fee(self, subscriber_id: str | int, name: str, description: str | None | NotGiven = NOT_GIVEN, *,
                group: str, amount: Amount, allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None: ...

    def add_fee(self, subscriber_id: str | int, name: str | Fee, description: str | None | NotGiven = NOT_GIVEN,
                group: str | None = None, amount: Amount | None = None, *,
                allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None:
        """:meth:`subscribers.add_fee() <spreedly_sdk.resources.Subscribers.add_fee>` in pyspreedly's
        order (``subscriber_id, name, description, group, amount``), with keywords and no
        description, or with a whole :class:`~spreedly_sdk.models.Fee`."""
        self._subscribers.add_fee(subscriber_id, **_fee_call(name, description, group, amount,
                                                                allow_non_recurring_subscriber))

    @overload
    def create_complimentary_subscription(self, subscriber_id: str | int, duration: ComplimentarySubscription,
                                          /) -> Subscriber: ...

    @overload
    def create_complimentary_subscription(self, subscriber_id: str | int, duration: int,
                                          duration_units: DurationUnits, feature_level: str,
                                          start_time: datetime | None = None,
                                          amount: Amount | None = None) -> Subscriber: ...

    def create_complimentary_subscription(self, subscriber_id: str | int,
                                          duration: int | ComplimentarySubscription,
                                          duration_units: DurationUnits | None = None,
                                          feature_level: str | None = None, start_time: datetime | None = None,
                                          amount: Amount | None = None) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.give_complimentary_subscription()
        <spreedly_sdk.resources.Subscribers.give_complimentary_subscription>` (its fields in
        pyspreedly's order, or a whole :class:`~spreedly_sdk.models.ComplimentarySubscription`)."""
        return self._subscribers.give_complimentary_subscription(
            subscriber_id, duration, **_not_none(duration_units=duration_units, feature_level=feature_level,
                                                 start_time=start_time, amount=amount))

    @overload
    def complimentary_time_extensions(self, subscriber_id: str | int, duration: ComplimentaryTimeExtension,
                                      /) -> Subscriber: ...

    @overload
    def complimentary_time_extensions(self, subscriber_id: str | int, duration: int,
                                      duration_units: DurationUnits) -> Subscriber: ...

    def complimentary_time_extensions(self, subscriber_id: str | int, duration: int | ComplimentaryTimeExtension,
                                      duration_units: DurationUnits | None = None) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.give_time_extension()
        <spreedly_sdk.resources.Subscribers.give_time_extension>` (a duration and its units, or a
        whole :class:`~spreedly_sdk.models.ComplimentaryTimeExtension`)."""
        units = _not_none(duration_units=duration_units)
        return self._subscribers.give_time_extension(subscriber_id, duration, **units)

    complimentary_time_extension = complimentary_time_extensions

    def query(self, url: str, data: str | bytes | None = None, action: QueryAction = "get") -> httpx.Response:
        """Send a raw request under the site's API root and return the answer whatever its status.

        Retries and timeouts apply; status codes are yours to check.
        """
        method, body = _query_args(data, action)
        return self._transport.send(method, check_query_path(url), body=body, options=self._options,
                                    raise_for_status=False).to_httpx()


class AsyncClient(_BaseClient):
    """Asynchronous client for one Spreedly site; the twin of :class:`Client`.

    ``AsyncClient("API-TOKEN", "mysite")`` sends calls to ``{base_url}/api/v4/mysite/``. Use
    it as an async context manager, or ``await`` :meth:`aclose`, to release its connections.
    One client can be shared by many tasks of one event loop.

    The API is in its resources:

    * :attr:`subscribers` (:class:`~spreedly_sdk.resources.AsyncSubscribers`): get, list, create,
      update, delete, free trials, comps, plan changes, store credit, fees;
    * :attr:`plans` (:class:`~spreedly_sdk.resources.AsyncPlans`): the site's subscription plans;
    * :attr:`invoices` (:class:`~spreedly_sdk.resources.AsyncInvoices`): create and pay invoices;
    * :attr:`transactions` (:class:`~spreedly_sdk.resources.AsyncTransactions`): the payment history;
    * :attr:`hosted_pages` (:class:`~spreedly_sdk.resources.hosted_pages.HostedPages`):
      URLs of the hosted subscribe and account pages.

    pyspreedly's flat methods (``get_plans``, ``get_info``, ``set_info``, ``create_subscriber``,
    ``get_or_create_subscriber``, ``subscribe``, ``add_fee``, ``cleanup``, ``query``, ...) are a
    compatible layer over those resources: same names, same positional order. Note that
    ``subscribe`` starts a free trial and ``cleanup`` deletes every subscriber of a test site.
    """

    def __init__(
        self,
        token: str,
        site_name: str,
        *,
        base_url: str | httpx.URL = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry_non_idempotent: bool = False,
    ) -> None:
        """Make a client; nothing is sent until the first call.

        Args:
            token: the site's API token (sent as the HTTP Basic user name; never shown).
            site_name: the site's short name, as in ``/api/v4/{site_name}/``.
            base_url: the service's address (default ``https://subs.pinpayments.com``), e.g. the
                emulator's ``http://127.0.0.1:8765``; a trailing ``/api/v4/{site_name}`` is dropped.
            timeout: seconds, or an ``httpx.Timeout`` per phase (default: 5 s connect, 30 s the rest;
                with an ``http_client`` and no timeout, that client's own).
            max_retries: how many times a failed call is retried when that is safe (default 2).
            http_client: your own ``httpx.AsyncClient`` (pools, proxies, hooks); you close it.
            http_transport: a transport for the SDK's own ``httpx.AsyncClient`` instead of the network (the
                emulator's ``emu.transport``, an ``httpx.MockTransport``); the client stays the SDK's.
            deadline: an upper bound in seconds on a whole call, retries and backoff included.
            max_response_bytes: the largest answer accepted, after decompression (default 10 MiB).
            retry_non_idempotent: also retry POSTs (and payments) after ambiguous failures.

        Raises:
            InvalidRequestError: a setting that cannot work (see docs/configuration.md).
        """
        super().__init__(token, site_name, base_url=base_url, timeout=timeout, max_retries=max_retries,
                         deadline=deadline, max_response_bytes=max_response_bytes,
                         retry_non_idempotent=retry_non_idempotent, has_http_client=http_client is not None)
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise InvalidTypeError("http_client must be an httpx.AsyncClient", field="http_client")
        if http_client is not None and http_transport is not None:
            raise InvalidRequestError("pass http_client or http_transport, not both: a client you pass in "
                                      "already has its transport", field="http_transport")
        self._transport = AsyncTransport(http_client, http_transport=http_transport, base_url=self.base_url,
                                         site=self.site_name,
                                         credentials=self._credentials, options=self._options)

    def _bind_resources(self) -> None:
        self._subscribers = AsyncSubscribers(self)
        self._plans = AsyncPlans(self)
        self._invoices = AsyncInvoices(self)
        self._transactions = AsyncTransactions(self)

    @property
    def subscribers(self) -> AsyncSubscribers:
        """:class:`~spreedly_sdk.resources.AsyncSubscribers`: every subscriber call."""
        return self._subscribers

    @property
    def plans(self) -> AsyncPlans:
        """:class:`~spreedly_sdk.resources.AsyncPlans`: the site's subscription plans."""
        return self._plans

    @property
    def invoices(self) -> AsyncInvoices:
        """:class:`~spreedly_sdk.resources.AsyncInvoices`: create and pay invoices (the Payments API)."""
        return self._invoices

    @property
    def transactions(self) -> AsyncTransactions:
        """:class:`~spreedly_sdk.resources.AsyncTransactions`: the site's payment history."""
        return self._transactions

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
        """pyspreedly's name for :meth:`plans.list() <spreedly_sdk.resources.Plans.list>`."""
        return await self._plans.list()

    async def get_info(self, subscriber_id: str | int) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.get() <spreedly_sdk.resources.Subscribers.get>`."""
        return await self._subscribers.get(subscriber_id)

    async def set_info(self, subscriber_id: str | int | Subscriber, **kw: Any) -> Subscriber:
        """:meth:`subscribers.update() <spreedly_sdk.resources.Subscribers.update>`, then the
        subscriber as the service now has it.

        Pass a customer id and fields (``email=...``), or a :class:`Subscriber` (for example a
        fetched one with changes): only its writable fields are sent.
        """
        customer_id, fields = _set_info_fields(subscriber_id, kw)
        await self._subscribers.update(customer_id, **fields)
        return await self._subscribers.get(fields.get("new_customer_id", customer_id))

    async def create_subscriber(self, customer_id: str | int, screen_name: str | None = None) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.create() <spreedly_sdk.resources.Subscribers.create>`."""
        return await self._subscribers.create(customer_id, screen_name=screen_name)

    async def get_or_create_subscriber(self, subscriber_id: str | int,
                                       screen_name: str | None = None) -> Subscriber:
        """The subscriber, created first if it does not exist."""
        try:
            return await self._subscribers.get(subscriber_id)
        except NotFoundError:
            pass
        try:
            return await self._subscribers.create(subscriber_id, screen_name=screen_name)
        except ForbiddenError:
            return await self._subscribers.get(subscriber_id)

    async def delete_subscriber(self, id: str | int) -> None:
        """pyspreedly's name for :meth:`subscribers.delete() <spreedly_sdk.resources.Subscribers.delete>`."""
        await self._subscribers.delete(id)

    async def cleanup(self) -> None:
        """pyspreedly's name for :meth:`subscribers.delete_all() <spreedly_sdk.resources.Subscribers.delete_all>`:
        deletes every subscriber of a test site."""
        await self._subscribers.delete_all()

    async def subscribe(self, subscriber_id: str | int, plan_id: int | None = None) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.subscribe_to_free_trial()
        <spreedly_sdk.resources.Subscribers.subscribe_to_free_trial>` (``plan_id`` defaults to
        the site's first enabled free-trial plan)."""
        plan = plan_id if plan_id is not None else _pick_trial_plan(await self._plans.list(), None)
        return await self._subscribers.subscribe_to_free_trial(subscriber_id, plan)

    async def allow_free_trial(self, subscriber_id: str | int) -> Subscriber:
        """Alias of :meth:`subscribers.allow_free_trial() <spreedly_sdk.resources.Subscribers.allow_free_trial>`."""
        return await self._subscribers.allow_free_trial(subscriber_id)

    async def change_plan(self, subscriber_id: str | int, plan_id: int) -> None:
        """Alias of :meth:`subscribers.change_plan() <spreedly_sdk.resources.Subscribers.change_plan>`."""
        await self._subscribers.change_plan(subscriber_id, plan_id)

    @overload
    async def add_fee(self, subscriber_id: str | int, name: Fee, /) -> None: ...

    @overload
    async def add_fee(self, subscriber_id: str | int, name: str, description: str | None, group: str,
                amount: Amount) -> None: ...

    @overload
    async def add_fee(self, subscriber_id: str | int, name: str, description: str | None | NotGiven = NOT_GIVEN, *,
                group: str, amount: Amount, allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None: ...

    async def add_fee(self, subscriber_id: str | int, name: str | Fee, description: str | None | NotGiven = NOT_GIVEN,
                group: str | None = None, amount: Amount | None = None, *,
                allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None:
        """:meth:`subscribers.add_fee() <spreedly_sdk.resources.Subscribers.add_fee>` in pyspreedly's
        order (``subscriber_id, name, description, group, amount``), with keywords and no
        description, or with a whole :class:`~spreedly_sdk.models.Fee`."""
        await self._subscribers.add_fee(subscriber_id, **_fee_call(name, description, group, amount,
                                                                allow_non_recurring_subscriber))

    @overload
    async def create_complimentary_subscription(self, subscriber_id: str | int, duration: ComplimentarySubscription,
                                          /) -> Subscriber: ...

    @overload
    async def create_complimentary_subscription(self, subscriber_id: str | int, duration: int,
                                          duration_units: DurationUnits, feature_level: str,
                                          start_time: datetime | None = None,
                                          amount: Amount | None = None) -> Subscriber: ...

    async def create_complimentary_subscription(self, subscriber_id: str | int,
                                          duration: int | ComplimentarySubscription,
                                          duration_units: DurationUnits | None = None,
                                          feature_level: str | None = None, start_time: datetime | None = None,
                                          amount: Amount | None = None) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.give_complimentary_subscription()
        <spreedly_sdk.resources.Subscribers.give_complimentary_subscription>` (its fields in
        pyspreedly's order, or a whole :class:`~spreedly_sdk.models.ComplimentarySubscription`)."""
        return await self._subscribers.give_complimentary_subscription(
            subscriber_id, duration, **_not_none(duration_units=duration_units, feature_level=feature_level,
                                                 start_time=start_time, amount=amount))

    @overload
    async def complimentary_time_extensions(self, subscriber_id: str | int, duration: ComplimentaryTimeExtension,
                                      /) -> Subscriber: ...

    @overload
    async def complimentary_time_extensions(self, subscriber_id: str | int, duration: int,
                                      duration_units: DurationUnits) -> Subscriber: ...

    async def complimentary_time_extensions(self, subscriber_id: str | int, duration: int | ComplimentaryTimeExtension,
                                      duration_units: DurationUnits | None = None) -> Subscriber:
        """pyspreedly's name for :meth:`subscribers.give_time_extension()
        <spreedly_sdk.resources.Subscribers.give_time_extension>` (a duration and its units, or a
        whole :class:`~spreedly_sdk.models.ComplimentaryTimeExtension`)."""
        units = _not_none(duration_units=duration_units)
        return await self._subscribers.give_time_extension(subscriber_id, duration, **units)

    complimentary_time_extension = complimentary_time_extensions

    async def query(self, url: str, data: str | bytes | None = None,
                    action: QueryAction = "get") -> httpx.Response:
        """Send a raw request under the site's API root and return the answer whatever its status.

        Retries and timeouts apply; status codes are yours to check.
        """
        method, body = _query_args(data, action)
        resp = await self._transport.send(method, check_query_path(url), body=body, options=self._options,
                                          raise_for_status=False)
        return resp.to_httpx()
