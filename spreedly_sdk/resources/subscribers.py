"""Subscribers: every subscriber call in one place (see docs/service/endpoints.md).

Each endpoint is written once, as a function returning a :class:`Call` (path, body, how to
read the answer); :class:`Subscribers` and :class:`AsyncSubscribers` are twins whose methods
only run those calls. Every method that sends a request model takes either keyword arguments
or an instance of that model (typed with overloads, so both forms check).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, Union, overload

from .._transport import Call, segment
from ..errors import InvalidRequestError
from ..models import (
    WRITABLE_FIELDS,
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    Credit,
    CreditCard,
    DurationUnits,
    Fee,
    LifetimeComplimentarySubscription,
    PaymentMethod,
    PlanReference,
    RailsModel,
    Subscriber,
    SubscriberCreate,
    SubscriberUpdate,
)
from ._base import (
    NOT_GIVEN,
    AsyncResource,
    NotGiven,
    SyncResource,
    build,
    given,
    ignore_body,
    model_answer,
    model_list_answer,
    xml_body,
)

__all__ = ["Amount", "AsyncSubscribers", "Subscribers"]

LIST_PATH = "subscribers.xml"

Amount = Union[Decimal, int, float, str]
"""An amount as input: a ``float`` is taken by its shortest repr (``1.1`` → ``Decimal("1.1")``)."""

R = TypeVar("R", bound=RailsModel)


def _one(customer_id: str | int, suffix: str = "") -> str:
    """``subscribers/{id}.xml`` or ``subscribers/{id}/{suffix}.xml``."""
    seg = segment(customer_id, "customer_id")
    return f"subscribers/{seg}/{suffix}.xml" if suffix else f"subscribers/{seg}.xml"


def _request(model: type[R], instance: R | None, fields: dict[str, Any]) -> R:
    """The request model to send: the instance given, or one built from the keyword arguments.

    Giving both is refused (one of them would be silently ignored).
    """
    passed = given(**fields)
    if instance is None:
        return build(model, **passed)
    if not isinstance(instance, model):
        raise InvalidRequestError(f"expected a {model.__name__}, got {type(instance).__name__}")
    if passed:
        raise InvalidRequestError(f"pass either a {model.__name__} or keyword arguments, not both "
                                  f"(got {', '.join(sorted(passed))} too)", field=sorted(passed)[0])
    return instance


# ----------------------------------------------------------------------------- the endpoints


def list_call() -> Call[list[Subscriber]]:
    return Call("GET", LIST_PATH, model_list_answer(Subscriber))


def get_call(customer_id: str | int) -> Call[Subscriber]:
    return Call("GET", _one(customer_id), model_answer(Subscriber))


def create_call(customer_id: str | int | SubscriberCreate, **fields: Any) -> Call[Subscriber]:
    if isinstance(customer_id, SubscriberCreate):
        create = _request(SubscriberCreate, customer_id, fields)
    else:
        create = _request(SubscriberCreate, None, {**fields, "customer_id": customer_id})
    # The same rule as every path that will name this subscriber: an id no path can carry is
    # refused now, not at the first get.
    segment(create.customer_id, "customer_id")
    return Call("POST", LIST_PATH, model_answer(Subscriber), body=xml_body(create))


def update_from_subscriber(subscriber: Subscriber) -> SubscriberUpdate:
    """The update a (fetched, maybe edited) subscriber stands for: its writable fields that are
    set, nothing else (the token, the invoices and the state flags stay behind).

    A fetched subscriber has set every field its document carried, nil ones included (sent
    back as nil: they stay empty); a field the document did not carry is never sent, so a
    subscriber taken from a shorter list document cannot clear the others.
    """
    fields = {f: getattr(subscriber, f) for f in WRITABLE_FIELDS if f in subscriber.model_fields_set}
    return build(SubscriberUpdate, **fields)


def update_call(customer_id: str | int | Subscriber, update: SubscriberUpdate | None,
                fields: dict[str, Any]) -> Call[None]:
    if isinstance(customer_id, Subscriber):
        subscriber = customer_id
        customer_id = subscriber.customer_id
        update = _request(SubscriberUpdate, update_from_subscriber(subscriber), fields)
    else:
        card = fields.pop("payment_method", NOT_GIVEN)
        if isinstance(card, CreditCard):
            fields["payment_method"] = PaymentMethod(credit_card=card)
        elif card is not NOT_GIVEN:
            fields["payment_method"] = card
        update = _request(SubscriberUpdate, update, fields)
    path = _one(customer_id)
    if not update.model_fields_set:
        # the service answers an empty <subscriber/> with a 422
        raise InvalidRequestError("an update needs at least one field to change")
    return Call("PUT", path, ignore_body, body=xml_body(update))


def delete_call(customer_id: str | int) -> Call[None]:
    return Call("DELETE", _one(customer_id), ignore_body)


def delete_all_call() -> Call[None]:
    return Call("DELETE", LIST_PATH, ignore_body)


def _plan_reference(plan: int | PlanReference) -> PlanReference:
    return plan if isinstance(plan, PlanReference) else build(PlanReference, id=plan)


def free_trial_call(customer_id: str | int, plan: int | PlanReference) -> Call[Subscriber]:
    path = _one(customer_id, "subscribe_to_free_trial")
    return Call("POST", path, model_answer(Subscriber), body=xml_body(_plan_reference(plan)))


def allow_free_trial_call(customer_id: str | int) -> Call[Subscriber]:
    return Call("POST", _one(customer_id, "allow_free_trial"), model_answer(Subscriber))


def stop_auto_renew_call(customer_id: str | int) -> Call[None]:
    return Call("POST", _one(customer_id, "stop_auto_renew"), ignore_body)


def change_plan_call(customer_id: str | int, plan: int | PlanReference) -> Call[None]:
    path = _one(customer_id, "change_subscription_plan")
    return Call("PUT", path, ignore_body, body=xml_body(_plan_reference(plan)))


def comp_call(customer_id: str | int, comp: ComplimentarySubscription | None, **fields: Any) -> Call[Subscriber]:
    path = _one(customer_id, "complimentary_subscriptions")
    body = xml_body(_request(ComplimentarySubscription, comp, fields))
    return Call("POST", path, model_answer(Subscriber), body=body)


def time_extension_call(customer_id: str | int, extension: ComplimentaryTimeExtension | None,
                        **fields: Any) -> Call[Subscriber]:
    path = _one(customer_id, "complimentary_time_extensions")
    body = xml_body(_request(ComplimentaryTimeExtension, extension, fields))
    return Call("POST", path, model_answer(Subscriber), body=body)


def lifetime_call(customer_id: str | int, feature_level: str | LifetimeComplimentarySubscription) -> Call[Subscriber]:
    path = _one(customer_id, "lifetime_complimentary_subscriptions")
    if isinstance(feature_level, LifetimeComplimentarySubscription):
        lifetime = feature_level
    else:
        lifetime = build(LifetimeComplimentarySubscription, feature_level=feature_level)
    return Call("POST", path, model_answer(Subscriber), body=xml_body(lifetime))


def credit_call(customer_id: str | int, amount: Amount | Credit) -> Call[None]:
    path = _one(customer_id, "credits")
    credit = amount if isinstance(amount, Credit) else build(Credit, amount=amount)
    return Call("POST", path, ignore_body, body=xml_body(credit))


def fee_call(customer_id: str | int, fee: Fee | None, **fields: Any) -> Call[None]:
    path = _one(customer_id, "fees")
    return Call("POST", path, ignore_body, body=xml_body(_request(Fee, fee, fields)))


def _split(model: type[R], first: object) -> tuple[R | None, object]:
    """``(instance, NOT_GIVEN)`` when the first argument is the request model, else ``(None, it)``."""
    if isinstance(first, model):
        return first, NOT_GIVEN
    return None, first


# ----------------------------------------------------------------------------- the twins


class Subscribers(SyncResource):
    """``client.subscribers``: every subscriber call (blocking)."""

    def list(self) -> list[Subscriber]:
        """All subscribers of the site (one document, no paging). See also :meth:`iter`."""
        return self._run(list_call())

    def iter(self) -> Iterator[Subscriber]:
        """All subscribers, parsed one at a time as the list document arrives (flat memory)."""
        return self._stream(Subscriber, LIST_PATH)

    def get(self, customer_id: str | int) -> Subscriber:
        """One subscriber, with its invoices. :class:`NotFoundError` if there is none."""
        return self._run(get_call(customer_id))

    @overload
    def create(self, customer_id: SubscriberCreate, /) -> Subscriber: ...
    @overload
    def create(self, customer_id: str | int, *, screen_name: str | None | NotGiven = NOT_GIVEN,
               email: str | None | NotGiven = NOT_GIVEN, billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN) -> Subscriber: ...
    def create(self, customer_id: str | int | SubscriberCreate, *,
               screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN,
               billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN) -> Subscriber:
        """Create a subscriber (inactive until paid, comped or on trial).

        Args:
            customer_id: your application's id for the subscriber (a string; ``7`` becomes
                ``"7"``), or a whole :class:`SubscriberCreate`. An id that no API path could
                carry (empty, padded, a dot segment, control characters) is refused with
                :class:`InvalidRequestError` before anything is sent.
            screen_name: name shown in the admin UI.
            email: contact email.
            billing_first_name: first name for billing.
            billing_last_name: last name for billing.

        :class:`ForbiddenError` if the customer id is taken (create is not idempotent).
        """
        return self._run(create_call(customer_id, screen_name=screen_name, email=email,
                                     billing_first_name=billing_first_name, billing_last_name=billing_last_name))

    @overload
    def update(self, customer_id: Subscriber, /) -> None: ...
    @overload
    def update(self, customer_id: str | int, update: SubscriberUpdate, /) -> None: ...
    @overload
    def update(self, customer_id: str | int, *, new_customer_id: str | int | NotGiven = NOT_GIVEN,
               screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN,
               billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN,
               payment_method: CreditCard | NotGiven = NOT_GIVEN) -> None: ...
    def update(self, customer_id: str | int | Subscriber, update: SubscriberUpdate | None = None, *,
               new_customer_id: str | int | NotGiven = NOT_GIVEN,
               screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN,
               billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN,
               payment_method: CreditCard | NotGiven = NOT_GIVEN) -> None:
        """Change the fields given (``None`` clears one); ``new_customer_id`` moves the subscriber.

        Args:
            customer_id: the subscriber to change, or a :class:`Subscriber` (for example a fetched
                one with edits): then only its writable fields that are set are sent (a fetched
                one has set those its document carried, nil ones as nil), never its token,
                invoices or state flags.
            update: a whole :class:`SubscriberUpdate` instead of the keyword arguments.
            new_customer_id: move the subscriber to this customer id.
            screen_name: name shown in the admin UI.
            email: contact email.
            billing_first_name: first name for billing.
            billing_last_name: last name for billing.
            payment_method: a new card on file (a :class:`CreditCard`).

        Nothing to change (no field given) is an :class:`InvalidRequestError`, before sending:
        the service refuses an empty update.
        """
        self._run(update_call(customer_id, update, dict(
            new_customer_id=new_customer_id, screen_name=screen_name, email=email,
            billing_first_name=billing_first_name, billing_last_name=billing_last_name,
            payment_method=payment_method)))

    def delete(self, customer_id: str | int) -> None:
        """Delete one subscriber (test sites only; the service refuses on production sites)."""
        self._run(delete_call(customer_id))

    def delete_all(self) -> None:
        """Delete every subscriber (test sites only; the service refuses on production sites)."""
        self._run(delete_all_call())

    def subscribe_to_free_trial(self, customer_id: str | int, plan_id: int | PlanReference) -> Subscriber:
        """Start a free trial on a free-trial plan (once, until :meth:`allow_free_trial`).

        Args:
            customer_id: the subscriber.
            plan_id: the free-trial plan's id, or a :class:`PlanReference`.
        """
        return self._run(free_trial_call(customer_id, plan_id))

    def allow_free_trial(self, customer_id: str | int) -> Subscriber:
        """Make the subscriber eligible for another free trial."""
        return self._run(allow_free_trial_call(customer_id))

    def stop_auto_renew(self, customer_id: str | int) -> None:
        """Stop renewals; the subscriber stays active until ``active_until``."""
        self._run(stop_auto_renew_call(customer_id))

    def change_plan(self, customer_id: str | int, plan_id: int | PlanReference) -> None:
        """Switch plan now, with no charge and no proration; the next renewal uses it.

        Args:
            customer_id: the subscriber.
            plan_id: the new plan's id, or a :class:`PlanReference`.
        """
        self._run(change_plan_call(customer_id, plan_id))

    @overload
    def give_complimentary_subscription(self, customer_id: str | int, duration_quantity: ComplimentarySubscription,
                                        /) -> Subscriber: ...
    @overload
    def give_complimentary_subscription(self, customer_id: str | int, duration_quantity: int,
                                        duration_units: DurationUnits, feature_level: str, *,
                                        start_time: datetime | None | NotGiven = NOT_GIVEN,
                                        amount: Amount | None | NotGiven = NOT_GIVEN) -> Subscriber: ...
    def give_complimentary_subscription(self, customer_id: str | int,
                                        duration_quantity: int | ComplimentarySubscription,
                                        duration_units: DurationUnits | NotGiven = NOT_GIVEN,
                                        feature_level: str | NotGiven = NOT_GIVEN, *,
                                        start_time: datetime | None | NotGiven = NOT_GIVEN,
                                        amount: Amount | None | NotGiven = NOT_GIVEN) -> Subscriber:
        """Comp an inactive subscriber for a duration (:class:`ForbiddenError` if active).

        Args:
            customer_id: the subscriber.
            duration_quantity: how many units, or a whole :class:`ComplimentarySubscription`.
            duration_units: ``"days"`` or ``"months"``.
            feature_level: the feature level to grant.
            start_time: when the comp starts (default: now).
            amount: the comp's value, for your records (a ``float`` is taken by its shortest repr).
        """
        comp, quantity = _split(ComplimentarySubscription, duration_quantity)
        return self._run(comp_call(customer_id, comp, duration_quantity=quantity,
                                   duration_units=duration_units, feature_level=feature_level,
                                   start_time=start_time, amount=amount))

    @overload
    def give_time_extension(self, customer_id: str | int, duration_quantity: ComplimentaryTimeExtension,
                            /) -> Subscriber: ...
    @overload
    def give_time_extension(self, customer_id: str | int, duration_quantity: int,
                            duration_units: DurationUnits) -> Subscriber: ...
    def give_time_extension(self, customer_id: str | int, duration_quantity: int | ComplimentaryTimeExtension,
                            duration_units: DurationUnits | NotGiven = NOT_GIVEN) -> Subscriber:
        """Extend an active subscriber's ``active_until`` (:class:`ForbiddenError` if inactive).

        Args:
            customer_id: the subscriber.
            duration_quantity: how many units, or a whole :class:`ComplimentaryTimeExtension`.
            duration_units: ``"days"`` or ``"months"``.
        """
        extension, quantity = _split(ComplimentaryTimeExtension, duration_quantity)
        return self._run(time_extension_call(customer_id, extension, duration_quantity=quantity,
                                             duration_units=duration_units))

    def give_lifetime_subscription(self, customer_id: str | int,
                                   feature_level: str | LifetimeComplimentarySubscription) -> Subscriber:
        """Give a lifetime complimentary subscription.

        Args:
            customer_id: the subscriber.
            feature_level: the feature level to grant, or a :class:`LifetimeComplimentarySubscription`.
        """
        return self._run(lifetime_call(customer_id, feature_level))

    def add_store_credit(self, customer_id: str | int, amount: Amount | Credit) -> None:
        """Add (or, negative, take away) store credit; the balance may not go below zero.

        Args:
            customer_id: the subscriber.
            amount: the credit (``Decimal``, ``int``, ``str``, or ``float`` taken by its shortest
                repr: ``1.1`` sends ``1.1``), or a :class:`Credit`.
        """
        self._run(credit_call(customer_id, amount))

    @overload
    def add_fee(self, customer_id: str | int, fee: Fee, /) -> None: ...
    @overload
    def add_fee(self, customer_id: str | int, *, name: str, group: str, amount: Amount,
                description: str | None | NotGiven = NOT_GIVEN,
                allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None: ...
    def add_fee(self, customer_id: str | int, fee: Fee | None = None, *, name: str | NotGiven = NOT_GIVEN,
                group: str | NotGiven = NOT_GIVEN, amount: Amount | NotGiven = NOT_GIVEN,
                description: str | None | NotGiven = NOT_GIVEN,
                allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None:
        """Add a one-off fee to the next renewal invoice (active, recurring subscribers only).

        Args:
            customer_id: the subscriber.
            fee: a whole :class:`Fee` instead of the keyword arguments.
            name: name of the fee.
            group: fees of one group become one line item.
            amount: the fee (``Decimal``, ``int``, ``str``, or ``float`` taken by its shortest repr).
            description: description of the fee.
            allow_non_recurring_subscriber: Pin-era flag to charge non-recurring subscribers.
        """
        self._run(fee_call(customer_id, fee, name=name, group=group, amount=amount, description=description,
                           allow_non_recurring_subscriber=allow_non_recurring_subscriber))


class AsyncSubscribers(AsyncResource):
    """``async_client.subscribers``: every subscriber call (asynchronous)."""

    async def list(self) -> list[Subscriber]:
        """All subscribers of the site (one document, no paging). See also :meth:`iter`."""
        return await self._run(list_call())

    def iter(self) -> AsyncIterator[Subscriber]:
        """All subscribers, parsed one at a time as the list document arrives (flat memory)."""
        return self._stream(Subscriber, LIST_PATH)

    async def get(self, customer_id: str | int) -> Subscriber:
        """One subscriber, with its invoices. :class:`NotFoundError` if there is none."""
        return await self._run(get_call(customer_id))

    @overload
    async def create(self, customer_id: SubscriberCreate, /) -> Subscriber: ...
    @overload
    async def create(self, customer_id: str | int, *, screen_name: str | None | NotGiven = NOT_GIVEN,
               email: str | None | NotGiven = NOT_GIVEN, billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN) -> Subscriber: ...
    async def create(self, customer_id: str | int | SubscriberCreate, *,
               screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN,
               billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN) -> Subscriber:
        """Create a subscriber (inactive until paid, comped or on trial).

        See :meth:`Subscribers.create` for the arguments.
        """
        return await self._run(create_call(customer_id, screen_name=screen_name, email=email,
                                     billing_first_name=billing_first_name, billing_last_name=billing_last_name))

    @overload
    async def update(self, customer_id: Subscriber, /) -> None: ...
    @overload
    async def update(self, customer_id: str | int, update: SubscriberUpdate, /) -> None: ...
    @overload
    async def update(self, customer_id: str | int, *, new_customer_id: str | int | NotGiven = NOT_GIVEN,
               screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN,
               billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN,
               payment_method: CreditCard | NotGiven = NOT_GIVEN) -> None: ...
    async def update(self, customer_id: str | int | Subscriber, update: SubscriberUpdate | None = None, *,
               new_customer_id: str | int | NotGiven = NOT_GIVEN,
               screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN,
               billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN,
               payment_method: CreditCard | NotGiven = NOT_GIVEN) -> None:
        """Change the fields given (``None`` clears one); ``new_customer_id`` moves the subscriber.

        See :meth:`Subscribers.update` for the arguments.
        """
        await self._run(update_call(customer_id, update, dict(
            new_customer_id=new_customer_id, screen_name=screen_name, email=email,
            billing_first_name=billing_first_name, billing_last_name=billing_last_name,
            payment_method=payment_method)))

    async def delete(self, customer_id: str | int) -> None:
        """Delete one subscriber (test sites only; the service refuses on production sites)."""
        await self._run(delete_call(customer_id))

    async def delete_all(self) -> None:
        """Delete every subscriber (test sites only; the service refuses on production sites)."""
        await self._run(delete_all_call())

    async def subscribe_to_free_trial(self, customer_id: str | int, plan_id: int | PlanReference) -> Subscriber:
        """Start a free trial on a free-trial plan (once, until :meth:`allow_free_trial`).

        See :meth:`Subscribers.subscribe_to_free_trial` for the arguments.
        """
        return await self._run(free_trial_call(customer_id, plan_id))

    async def allow_free_trial(self, customer_id: str | int) -> Subscriber:
        """Make the subscriber eligible for another free trial."""
        return await self._run(allow_free_trial_call(customer_id))

    async def stop_auto_renew(self, customer_id: str | int) -> None:
        """Stop renewals; the subscriber stays active until ``active_until``."""
        await self._run(stop_auto_renew_call(customer_id))

    async def change_plan(self, customer_id: str | int, plan_id: int | PlanReference) -> None:
        """Switch plan now, with no charge and no proration; the next renewal uses it.

        See :meth:`Subscribers.change_plan` for the arguments.
        """
        await self._run(change_plan_call(customer_id, plan_id))

    @overload
    async def give_complimentary_subscription(self, customer_id: str | int,
                                              duration_quantity: ComplimentarySubscription, /) -> Subscriber: ...
    @overload
    async def give_complimentary_subscription(self, customer_id: str | int, duration_quantity: int,
                                        duration_units: DurationUnits, feature_level: str, *,
                                        start_time: datetime | None | NotGiven = NOT_GIVEN,
                                        amount: Amount | None | NotGiven = NOT_GIVEN) -> Subscriber: ...
    async def give_complimentary_subscription(self, customer_id: str | int,
                                        duration_quantity: int | ComplimentarySubscription,
                                        duration_units: DurationUnits | NotGiven = NOT_GIVEN,
                                        feature_level: str | NotGiven = NOT_GIVEN, *,
                                        start_time: datetime | None | NotGiven = NOT_GIVEN,
                                        amount: Amount | None | NotGiven = NOT_GIVEN) -> Subscriber:
        """Comp an inactive subscriber for a duration (:class:`ForbiddenError` if active).

        See :meth:`Subscribers.give_complimentary_subscription` for the arguments.
        """
        comp, quantity = _split(ComplimentarySubscription, duration_quantity)
        return await self._run(comp_call(customer_id, comp, duration_quantity=quantity,
                                   duration_units=duration_units, feature_level=feature_level,
                                   start_time=start_time, amount=amount))

    @overload
    async def give_time_extension(self, customer_id: str | int, duration_quantity: ComplimentaryTimeExtension,
                            /) -> Subscriber: ...
    @overload
    async def give_time_extension(self, customer_id: str | int, duration_quantity: int,
                            duration_units: DurationUnits) -> Subscriber: ...
    async def give_time_extension(self, customer_id: str | int, duration_quantity: int | ComplimentaryTimeExtension,
                            duration_units: DurationUnits | NotGiven = NOT_GIVEN) -> Subscriber:
        """Extend an active subscriber's ``active_until`` (:class:`ForbiddenError` if inactive).

        See :meth:`Subscribers.give_time_extension` for the arguments.
        """
        extension, quantity = _split(ComplimentaryTimeExtension, duration_quantity)
        return await self._run(time_extension_call(customer_id, extension, duration_quantity=quantity,
                                             duration_units=duration_units))

    async def give_lifetime_subscription(self, customer_id: str | int,
                                   feature_level: str | LifetimeComplimentarySubscription) -> Subscriber:
        """Give a lifetime complimentary subscription.

        See :meth:`Subscribers.give_lifetime_subscription` for the arguments.
        """
        return await self._run(lifetime_call(customer_id, feature_level))

    async def add_store_credit(self, customer_id: str | int, amount: Amount | Credit) -> None:
        """Add (or, negative, take away) store credit; the balance may not go below zero.

        See :meth:`Subscribers.add_store_credit` for the arguments.
        """
        await self._run(credit_call(customer_id, amount))

    @overload
    async def add_fee(self, customer_id: str | int, fee: Fee, /) -> None: ...
    @overload
    async def add_fee(self, customer_id: str | int, *, name: str, group: str, amount: Amount,
                description: str | None | NotGiven = NOT_GIVEN,
                allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None: ...
    async def add_fee(self, customer_id: str | int, fee: Fee | None = None, *, name: str | NotGiven = NOT_GIVEN,
                group: str | NotGiven = NOT_GIVEN, amount: Amount | NotGiven = NOT_GIVEN,
                description: str | None | NotGiven = NOT_GIVEN,
                allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None:
        """Add a one-off fee to the next renewal invoice (active, recurring subscribers only).

        See :meth:`Subscribers.add_fee` for the arguments.
        """
        await self._run(fee_call(customer_id, fee, name=name, group=group, amount=amount, description=description,
                           allow_non_recurring_subscriber=allow_non_recurring_subscriber))
