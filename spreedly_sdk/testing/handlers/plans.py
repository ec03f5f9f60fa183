"""The plan catalogue endpoint."""

from __future__ import annotations

from ...models import SubscriptionPlan
from .._wire import Reply, list_document, xml_reply
from ._context import Ctx

__all__ = ["list_plans"]


def list_plans(ctx: Ctx) -> Reply:
    if ctx.site.plans_document is None:
        ctx.site.plans_document = list_document(SubscriptionPlan, list(ctx.site.plans.values()))
    return xml_reply(200, ctx.site.plans_document)
