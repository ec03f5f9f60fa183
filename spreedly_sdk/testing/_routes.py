"""Every endpoint of the emulated API in one table, :data:`ROUTES`, and :func:`dispatch`.

Paths are relative to ``/api/v4/{site}/``; the handlers live in :mod:`.handlers`, one module
per resource like :mod:`spreedly_sdk.resources`. Any other path is a hosted page
(:mod:`._hosted`) or a 404 (see docs/service/endpoints.md, "Calls that do not exist").
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import unquote

from . import _choices as C
from ._hosted import serve_hosted
from ._paths import Route, find_route, split_path
from ._state import SiteState
from ._wire import Refusal, Reply, Request, refusal_reply, text_reply
from .handlers import invoices, plans, subscribers, transactions
from .handlers._context import Ctx

__all__ = ["ROUTES", "Route", "authorised", "dispatch"]

ROUTES: tuple[Route, ...] = (
    Route("GET", "subscription_plans.xml", plans.list_plans),
    Route("GET", "subscribers.xml", subscribers.list_subscribers),
    Route("POST", "subscribers.xml", subscribers.create_subscriber),
    Route("DELETE", "subscribers.xml", subscribers.delete_all),
    Route("GET", "subscribers/{customer_id}.xml", subscribers.get_subscriber),
    Route("PUT", "subscribers/{customer_id}.xml", subscribers.update_subscriber),
    Route("DELETE", "subscribers/{customer_id}.xml", subscribers.delete_subscriber),
    Route("POST", "subscribers/{customer_id}/subscribe_to_free_trial.xml", subscribers.subscribe_to_free_trial),
    Route("POST", "subscribers/{customer_id}/allow_free_trial.xml", subscribers.allow_free_trial),
    Route("POST", "subscribers/{customer_id}/stop_auto_renew.xml", subscribers.stop_auto_renew),
    Route("PUT", "subscribers/{customer_id}/change_subscription_plan.xml", subscribers.change_plan),
    Route("POST", "subscribers/{customer_id}/complimentary_subscriptions.xml", subscribers.complimentary_subscription),
    Route("POST", "subscribers/{customer_id}/complimentary_time_extensions.xml",
          subscribers.complimentary_time_extension),
    *((Route("POST", "subscribers/{customer_id}/complimentary_time_extension.xml",
             subscribers.complimentary_time_extension),) if C.ACCEPT_SINGULAR_TIME_EXTENSION_PATH else ()),
    Route("POST", "subscribers/{customer_id}/lifetime_complimentary_subscriptions.xml",
          subscribers.lifetime_complimentary_subscription),
    Route("POST", "subscribers/{customer_id}/credits.xml", subscribers.add_credit),
    Route("POST", "subscribers/{customer_id}/fees.xml", subscribers.add_fee),
    Route("GET", "transactions.xml", transactions.list_transactions),
    Route("POST", "invoices.xml", invoices.create_invoice),
    Route("PUT", "invoices/{invoice_token}/pay.xml", invoices.pay_invoice),
)
"""The API: method and path under ``/api/v4/{site}/`` → handler (``handler(ctx, **parameters)``)."""


def authorised(req: Request, site: SiteState, site_segment: str) -> bool:
    """HTTP Basic with the site's token as the user name, on the site's own path.

    A header that is not ASCII, not Basic, or not valid base64 of UTF-8 is simply not authorised.
    """
    header = req.header("authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.isascii():
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    user = decoded.partition(":")[0]
    return user == site.token and site_segment == site.site_name


def dispatch(site: SiteState, now: datetime, req: Request, changed: Callable[[Iterable[str]], None]) -> Reply:
    """Answer one request against the site's state (call it under the emulator's lock)."""
    segments = split_path(req.raw_path)
    if len(segments) >= 3 and segments[0] == "api" and segments[1] == "v4":
        if not authorised(req, site, unquote(segments[2])):
            return text_reply(401, C.TEXT_ACCESS_DENIED, {"WWW-Authenticate": f'Basic realm="{C.AUTH_REALM}"'})
        found = find_route(ROUTES, req.method, segments[3:])
        if found is None:
            return text_reply(404, C.TEXT_NOT_FOUND)
        route, params = found
        try:
            return route.handler(Ctx(site=site, now=now, req=req, changed=changed), **params)
        except Refusal as exc:
            return refusal_reply(exc)
    hosted = serve_hosted(site, now, req, changed)
    return hosted if hosted is not None else text_reply(404, C.TEXT_NOT_FOUND)
