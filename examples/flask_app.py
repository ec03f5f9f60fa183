"""Flask: an endpoint for the subscribers-changed notification.

The route carries a random secret (the notification is unsigned); the body is only a hint,
so the handler fetches every named subscriber with the SDK and stores what the API says.
Flask has no CSRF protection of its own; if you add one (Flask-WTF), exempt only this view.

    app = create_app(Client(TOKEN, SITE), SubscriberStore(), secret=os.environ["SPREEDLY_HOOK_SECRET"])
"""

from __future__ import annotations

import hmac
import logging

from flask import Flask, abort, request

from spreedly_sdk import Client, InvalidRequestError, SpreedlyError
from spreedly_sdk.webhooks import fetch_changed

from .store import SubscriberStore

log = logging.getLogger(__name__)


def create_app(client: Client, store: SubscriberStore, secret: str) -> Flask:
    """A Flask app with ``POST /hooks/spreedly/<secret>``."""
    app = Flask(__name__)

    @app.post("/hooks/spreedly/<path_secret>")
    def spreedly_changed(path_secret: str) -> tuple[str, int]:
        if not hmac.compare_digest(path_secret.encode(), secret.encode()):
            abort(404)
        try:
            changed = fetch_changed(client, request.get_data(cache=False), content_type=request.content_type)
        except InvalidRequestError as exc:
            return f"bad notification: {exc}", 400
        except SpreedlyError:
            log.exception("could not refresh subscribers; the service will retry")
            return "try again later", 503
        store.refresh(changed)
        return "ok", 200

    return app
