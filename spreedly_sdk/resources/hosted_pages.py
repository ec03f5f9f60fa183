"""URLs of the hosted pages (see docs/service/hosted-pages.md): on the API host, never under ``/api/``."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from .._transport import segment

__all__ = ["account_url", "signup_url"]


def _origin(base_url: httpx.URL) -> str:
    return str(base_url).rstrip("/")


def _query(**params: str | None) -> str:
    present = {k: v for k, v in params.items() if v is not None}
    for key, value in present.items():
        if not isinstance(value, str):
            from ..errors import InvalidRequestError

            raise InvalidRequestError(f"{key} must be a string", field=key)
    return "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in present.items()) if present else ""


def signup_url(base_url: httpx.URL, site: str, customer_id: str | int, plan_id: int,
               screen_name: str | None = None, *, token: str | None = None, email: str | None = None,
               first_name: str | None = None, last_name: str | None = None,
               return_url: str | None = None) -> str:
    """The hosted subscribe page; with ``token`` it pre-fills saved details and the card."""
    parts = [site, "subscribers", segment(customer_id, "customer_id")]
    if token is not None:
        parts.append(segment(token, "token"))
    parts += ["subscribe", segment(plan_id, "plan_id")]
    if screen_name:
        parts.append(segment(screen_name, "screen_name"))
    query = _query(email=email, first_name=first_name, last_name=last_name, return_url=return_url)
    return f"{_origin(base_url)}/{'/'.join(parts)}{query}"


def account_url(base_url: httpx.URL, site: str, token: str, return_url: str | None = None) -> str:
    """The subscriber's self-service account page."""
    return f"{_origin(base_url)}/{site}/subscriber_accounts/{segment(token, 'token')}{_query(return_url=return_url)}"
