"""Subscribers: REFERENCE §3.2-§3.15 and §3.19, every call in one place.

Each endpoint is written once, as a function returning a :class:`Call` (path, body, how to
read the answer); :class:`Subscribers` and :class:`AsyncSubscribers` are twins whose methods
only run those calls.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from .._transport import Call
from ..models import (
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    Credit,
    CreditCard,
    DurationUnits,
    Fee,
    LifetimeComplimentarySubscription,
    PaymentMethod,
    PlanReference,
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
    segment,
    xml_body,
)

__all__ = ["AsyncSubscribers", "Subscribers"]

LIST_PATH = "subscribers.xml"


def _one(customer_id: str | int, suffix: str = "") -> str:
    """``subscribers/{id}.xml`` or ``subscribers/{id}/{suffix}.xml``."""
    seg = segment(customer_id, "customer_id")
    return f"subscribers/{seg}/{suffix}.xml" if suffix else f"subscribers/{seg}.xml"


# ----------------------------------------------------------------------------- the endpoints


def list_call() -> Call[list[Subscriber]]:
    return Call("GET", LIST_PATH, model_list_answer(Subscriber))


def get_call(customer_id: str | int) -> Call[Subscriber]:
    return Call("GET", _one(customer_id), model_answer(Subscriber))


def create_call(customer_id: str | int, **fields: Any) -> Call[Subscriber]:
    body = xml_body(build(SubscriberCreate, customer_id=customer_id, **given(**fields)))
    return Call("POST", LIST_PATH, model_answer(Subscriber), body=body)


def update_call(customer_id: str | int, fields: dict[str, Any]) -> Call[None]:
    path = _one(customer_id)
    card = fields.pop("payment_method", NOT_GIVEN)
    if isinstance(card, CreditCard):
        fields["payment_method"] = PaymentMethod(credit_card=card)
    elif card is not NOT_GIVEN:
        fields["payment_method"] = card
    update = build(SubscriberUpdate, **given(**fields))
    if not update.model_fields_set:
        from ..errors import InvalidRequestError

        raise InvalidRequestError("an update needs at least one field to change")
    return Call("PUT", path, ignore_body, body=xml_body(update))


def delete_call(customer_id: str | int) -> Call[None]:
    return Call("DELETE", _one(customer_id), ignore_body)


def delete_all_call() -> Call[None]:
    return Call("DELETE", LIST_PATH, ignore_body)


def free_trial_call(customer_id: str | int, plan_id: int) -> Call[Subscriber]:
    path = _one(customer_id, "subscribe_to_free_trial")
    return Call("POST", path, model_answer(Subscriber), body=xml_body(build(PlanReference, id=plan_id)))


def allow_free_trial_call(customer_id: str | int) -> Call[Subscriber]:
    return Call("POST", _one(customer_id, "allow_free_trial"), model_answer(Subscriber))


def stop_auto_renew_call(customer_id: str | int) -> Call[None]:
    return Call("POST", _one(customer_id, "stop_auto_renew"), ignore_body)


def change_plan_call(customer_id: str | int, plan_id: int) -> Call[None]:
    path = _one(customer_id, "change_subscription_plan")
    return Call("PUT", path, ignore_body, body=xml_body(build(PlanReference, id=plan_id)))


def comp_call(customer_id: str | int, **fields: Any) -> Call[Subscriber]:
    path = _one(customer_id, "complimentary_subscriptions")
    body = xml_body(build(ComplimentarySubscription, **given(**fields)))
    return Call("POST", path, model_answer(Subscriber), body=body)


def time_extension_call(customer_id: str | int, **fields: Any) -> Call[Subscriber]:
    path = _one(customer_id, "complimentary_time_extensions")
    body = xml_body(build(ComplimentaryTimeExtension, **fields))
    return Call("POST", path, model_answer(Subscriber), body=body)


def lifetime_call(customer_id: str | int, feature_level: str) -> Call[Subscriber]:
    path = _one(customer_id, "lifetime_complimentary_subscriptions")
    body = xml_body(build(LifetimeComplimentarySubscription, feature_level=feature_level))
    return Call("POST", path, model_answer(Subscriber), body=body)


def credit_call(customer_id: str | int, amount: Decimal | int | str) -> Call[None]:
    path = _one(customer_id, "credits")
    return Call("POST", path, ignore_body, body=xml_body(build(Credit, amount=amount)))


def fee_call(customer_id: str | int, **fields: Any) -> Call[None]:
    path = _one(customer_id, "fees")
    return Call("POST", path, ignore_body, body=xml_body(build(Fee, **given(**fields))))


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

    def create(self, customer_id: str | int, *, screen_name: str | None | NotGiven = NOT_GIVEN,
               email: str | None | NotGiven = NOT_GIVEN, billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN) -> Subscriber:
        """Create a subscriber (inactive until paid, comped or on trial).

        :class:`ForbiddenError` if the customer id is taken (create is not idempotent).
        """
        return self._run(create_call(customer_id, screen_name=screen_name, email=email,
                                     billing_first_name=billing_first_name, billing_last_name=billing_last_name))

    def update(self, customer_id: str | int, *, new_customer_id: str | int | NotGiven = NOT_GIVEN,
               screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN,
               billing_first_name: str | None | NotGiven = NOT_GIVEN,
               billing_last_name: str | None | NotGiven = NOT_GIVEN,
               payment_method: CreditCard | NotGiven = NOT_GIVEN) -> None:
        """Change the fields given (``None`` clears one); ``new_customer_id`` moves the subscriber."""
        self._run(update_call(customer_id, dict(
            new_customer_id=new_customer_id, screen_name=screen_name, email=email,
            billing_first_name=billing_first_name, billing_last_name=billing_last_name,
            payment_method=payment_method)))

    def delete(self, customer_id: str | int) -> None:
        """Delete one subscriber (test sites only; the service refuses on production sites)."""
        self._run(delete_call(customer_id))

    def delete_all(self) -> None:
        """Delete every subscriber (test sites only; the service refuses on production sites)."""
        self._run(delete_all_call())

    def subscribe_to_free_trial(self, customer_id: str | int, plan_id: int) -> Subscriber:
        """Start a free trial on a free-trial plan (once, until :meth:`allow_free_trial`)."""
        return self._run(free_trial_call(customer_id, plan_id))

    def allow_free_trial(self, customer_id: str | int) -> Subscriber:
        """Make the subscriber eligible for another free trial."""
        return self._run(allow_free_trial_call(customer_id))

    def stop_auto_renew(self, customer_id: str | int) -> None:
        """Stop renewals; the subscriber stays active until ``active_until``."""
        self._run(stop_auto_renew_call(customer_id))

    def change_plan(self, customer_id: str | int, plan_id: int) -> None:
        """Switch plan now, with no charge and no proration; the next renewal uses it."""
        self._run(change_plan_call(customer_id, plan_id))

    def give_complimentary_subscription(self, customer_id: str | int, duration_quantity: int,
                                        duration_units: DurationUnits, feature_level: str, *,
                                        start_time: datetime | None | NotGiven = NOT_GIVEN,
                                        amount: Decimal | None | NotGiven = NOT_GIVEN) -> Subscriber:
        """Comp an inactive subscriber for a duration (:class:`ForbiddenError` if active)."""
        return self._run(comp_call(customer_id, duration_quantity=duration_quantity,
                                   duration_units=duration_units, feature_level=feature_level,
                                   start_time=start_time, amount=amount))

    def give_time_extension(self, customer_id: str | int, duration_quantity: int,
                            duration_units: DurationUnits) -> Subscriber:
        """Extend an active subscriber's ``active_until`` (:class:`ForbiddenError` if inactive)."""
        return self._run(time_extension_call(customer_id, duration_quantity=duration_quantity,
                                             duration_units=duration_units))

    def give_lifetime_subscription(self, customer_id: str | int, feature_level: str) -> Subscriber:
        """Give a lifetime complimentary subscription."""
        return self._run(lifetime_call(customer_id, feature_level))

    def add_store_credit(self, customer_id: str | int, amount: Decimal | int | str) -> None:
        """Add (or, negative, take away) store credit; the balance may not go below zero."""
        self._run(credit_call(customer_id, amount))

    def add_fee(self, customer_id: str | int, *, name: str, group: str, amount: Decimal | int | str,
                description: str | None | NotGiven = NOT_GIVEN,
                allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None:
        """Add a one-off fee to the next renewal invoice (active, recurring subscribers only)."""
        self._run(fee_call(customer_id, name=name, group=group, amount=amount, description=description,
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

    async def create(self, customer_id: str | int, *, screen_name: str | None | NotGiven = NOT_GIVEN,
                     email: str | None | NotGiven = NOT_GIVEN,
                     billing_first_name: str | None | NotGiven = NOT_GIVEN,
                     billing_last_name: str | None | NotGiven = NOT_GIVEN) -> Subscriber:
        """Create a subscriber (inactive until paid, comped or on trial)."""
        return await self._run(create_call(customer_id, screen_name=screen_name, email=email,
                                           billing_first_name=billing_first_name,
                                           billing_last_name=billing_last_name))

    async def update(self, customer_id: str | int, *, new_customer_id: str | int | NotGiven = NOT_GIVEN,
                     screen_name: str | None | NotGiven = NOT_GIVEN, email: str | None | NotGiven = NOT_GIVEN,
                     billing_first_name: str | None | NotGiven = NOT_GIVEN,
                     billing_last_name: str | None | NotGiven = NOT_GIVEN,
                     payment_method: CreditCard | NotGiven = NOT_GIVEN) -> None:
        """Change the fields given (``None`` clears one); ``new_customer_id`` moves the subscriber."""
        await self._run(update_call(customer_id, dict(
            new_customer_id=new_customer_id, screen_name=screen_name, email=email,
            billing_first_name=billing_first_name, billing_last_name=billing_last_name,
            payment_method=payment_method)))

    async def delete(self, customer_id: str | int) -> None:
        """Delete one subscriber (test sites only)."""
        await self._run(delete_call(customer_id))

    async def delete_all(self) -> None:
        """Delete every subscriber (test sites only)."""
        await self._run(delete_all_call())

    async def subscribe_to_free_trial(self, customer_id: str | int, plan_id: int) -> Subscriber:
        """Start a free trial on a free-trial plan."""
        return await self._run(free_trial_call(customer_id, plan_id))

    async def allow_free_trial(self, customer_id: str | int) -> Subscriber:
        """Make the subscriber eligible for another free trial."""
        return await self._run(allow_free_trial_call(customer_id))

    async def stop_auto_renew(self, customer_id: str | int) -> None:
        """Stop renewals; the subscriber stays active until ``active_until``."""
        await self._run(stop_auto_renew_call(customer_id))

    async def change_plan(self, customer_id: str | int, plan_id: int) -> None:
        """Switch plan now, with no charge and no proration."""
        await self._run(change_plan_call(customer_id, plan_id))

    async def give_complimentary_subscription(self, customer_id: str | int, duration_quantity: int,
                                              duration_units: DurationUnits, feature_level: str, *,
                                              start_time: datetime | None | NotGiven = NOT_GIVEN,
                                              amount: Decimal | None | NotGiven = NOT_GIVEN) -> Subscriber:
        """Comp an inactive subscriber for a duration."""
        return await self._run(comp_call(customer_id, duration_quantity=duration_quantity,
                                         duration_units=duration_units, feature_level=feature_level,
                                         start_time=start_time, amount=amount))

    async def give_time_extension(self, customer_id: str | int, duration_quantity: int,
                                  duration_units: DurationUnits) -> Subscriber:
        """Extend an active subscriber's ``active_until``."""
        return await self._run(time_extension_call(customer_id, duration_quantity=duration_quantity,
                                                   duration_units=duration_units))

    async def give_lifetime_subscription(self, customer_id: str | int, feature_level: str) -> Subscriber:
        """Give a lifetime complimentary subscription."""
        return await self._run(lifetime_call(customer_id, feature_level))

    async def add_store_credit(self, customer_id: str | int, amount: Decimal | int | str) -> None:
        """Add (or, negative, take away) store credit."""
        await self._run(credit_call(customer_id, amount))

    async def add_fee(self, customer_id: str | int, *, name: str, group: str, amount: Decimal | int | str,
                      description: str | None | NotGiven = NOT_GIVEN,
                      allow_non_recurring_subscriber: bool | NotGiven = NOT_GIVEN) -> None:
        """Add a one-off fee to the next renewal invoice."""
        await self._run(fee_call(customer_id, name=name, group=group, amount=amount, description=description,
                                 allow_non_recurring_subscriber=allow_non_recurring_subscriber))
