"""Subscription plans: see docs/service/endpoints.md, "Plans" (there is no single-plan GET; plans
are read from the list)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from .._transport import Call
from ..models import SubscriptionPlan
from ._base import AsyncResource, SyncResource, model_list_answer

__all__ = ["AsyncPlans", "Plans"]

LIST_PATH = "subscription_plans.xml"


def list_call() -> Call[list[SubscriptionPlan]]:
    return Call("GET", LIST_PATH, model_list_answer(SubscriptionPlan))


def _find(plans: list[SubscriptionPlan], plan_id: int) -> SubscriptionPlan | None:
    return next((p for p in plans if p.id == plan_id), None)


class Plans(SyncResource):
    """``client.plans``."""

    def list(self) -> list[SubscriptionPlan]:
        """Every plan of the site, disabled ones included (filter on ``enabled``)."""
        return self._run(list_call())

    def iter(self) -> Iterator[SubscriptionPlan]:
        """Plans parsed one at a time as the list arrives."""
        return self._stream(SubscriptionPlan, LIST_PATH)

    def find(self, plan_id: int) -> SubscriptionPlan | None:
        """The plan with this id, or ``None`` (fetches the list: the API has no single-plan GET)."""
        return _find(self.list(), plan_id)


class AsyncPlans(AsyncResource):
    """``async_client.plans``."""

    async def list(self) -> list[SubscriptionPlan]:
        """Every plan of the site, disabled ones included (filter on ``enabled``)."""
        return await self._run(list_call())

    def iter(self) -> AsyncIterator[SubscriptionPlan]:
        """Plans parsed one at a time as the list arrives."""
        return self._stream(SubscriptionPlan, LIST_PATH)

    async def find(self, plan_id: int) -> SubscriptionPlan | None:
        """The plan with this id, or ``None``."""
        return _find(await self.list(), plan_id)
