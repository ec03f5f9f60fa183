"""Django: a view for the subscribers-changed notification, in a one-file project.

The service cannot send a CSRF token, so **only this view** is ``@csrf_exempt``; the rest of
the site keeps Django's CSRF protection (``/account/`` below shows it). The path carries a
secret; the body is a hint; every named subscriber is fetched again with the SDK.

In a real project the view goes in an app's ``views.py`` and the route in ``urls.py``:
``path("hooks/spreedly/<str:secret>/", spreedly_changed)``.
"""

from __future__ import annotations

import hmac
import logging
from typing import Optional

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from spreedly_sdk import Client, InvalidRequestError, SpreedlyError
from spreedly_sdk.webhooks import fetch_changed

from .store import SubscriberStore

log = logging.getLogger(__name__)


class Config:
    """What the view needs (a real project reads it from settings and builds the client once)."""

    client: Optional[Client] = None
    store: Optional[SubscriberStore] = None
    secret: str = ""


@csrf_exempt
@require_POST
def spreedly_changed(request: HttpRequest, secret: str) -> HttpResponse:
    if not Config.secret or not hmac.compare_digest(secret.encode(), Config.secret.encode()):
        raise Http404
    assert Config.client is not None and Config.store is not None
    try:
        changed = fetch_changed(Config.client, request.body, content_type=request.content_type)
    except InvalidRequestError as exc:
        return HttpResponse(f"bad notification: {exc}", status=400, content_type="text/plain")
    except SpreedlyError:
        log.exception("could not refresh subscribers; the service will retry")
        return HttpResponse("try again later", status=503, content_type="text/plain")
    Config.store.refresh(changed)
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def account(request: HttpRequest) -> HttpResponse:
    """Any other form post: CSRF-protected as usual."""
    return HttpResponse("saved", content_type="text/plain")


urlpatterns = [
    path("hooks/spreedly/<str:secret>/", spreedly_changed),
    path("account/", account),
]


def create_app(client: Client, store: SubscriberStore, secret: str) -> object:
    """The WSGI application (configures Django for this one-file project on first use)."""
    if not settings.configured:
        settings.configure(
            DEBUG=False, ALLOWED_HOSTS=["127.0.0.1", "localhost"], ROOT_URLCONF=__name__,
            SECRET_KEY="example-only-not-secret",  # noqa: S106 - a one-file example project
            MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
            INSTALLED_APPS=[], USE_TZ=True, APPEND_SLASH=False,
        )
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    Config.client, Config.store, Config.secret = client, store, secret
    return get_wsgi_application()
