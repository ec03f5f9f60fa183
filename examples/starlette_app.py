"""Starlette (the base of FastAPI): an async endpoint for the subscribers-changed notification.

Same rules as the Flask example: a secret in the path, the body as a hint only, every named
subscriber fetched again (here concurrently, at most 8 at a time, with :func:`afetch_changed`).
In FastAPI the handler is the same function on an ``APIRouter``.
"""

from __future__ import annotations

import hmac
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from spreedly_sdk import AsyncClient, InvalidRequestError, SpreedlyError
from spreedly_sdk.webhooks import afetch_changed

from .store import SubscriberStore

log = logging.getLogger(__name__)


def create_app(client: AsyncClient, store: SubscriberStore, secret: str) -> Starlette:
    """A Starlette app with ``POST /hooks/spreedly/{secret}``."""

    async def spreedly_changed(request: Request) -> PlainTextResponse:
        if not hmac.compare_digest(str(request.path_params["secret"]).encode(), secret.encode()):
            return PlainTextResponse("not found", status_code=404)
        body = await request.body()
        try:
            changed = await afetch_changed(client, body, content_type=request.headers.get("content-type"))
        except InvalidRequestError as exc:
            return PlainTextResponse(f"bad notification: {exc}", status_code=400)
        except SpreedlyError:
            log.exception("could not refresh subscribers; the service will retry")
            return PlainTextResponse("try again later", status_code=503)
        store.refresh(changed)
        return PlainTextResponse("ok")

    return Starlette(routes=[Route("/hooks/spreedly/{secret}", spreedly_changed, methods=["POST"])])
