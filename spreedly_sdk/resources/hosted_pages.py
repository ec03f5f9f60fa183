"""``client.hosted_pages``: the addresses of the pages the service hosts for a site.

No request is sent: these are URLs to hand to a subscriber's browser, on the site's host and
never under ``/api/`` (see docs/service/hosted-pages.md). Path parts follow the one path rule
(:func:`~spreedly_sdk._transport.segment`); query values must be text that can be encoded.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from .._transport import segment
from .._transport.urls import check_encodable
from ..errors import InvalidRequestError

__all__ = ["HostedPages"]


def _query(**params: str | None) -> str:
    present = {k: v for k, v in params.items() if v is not None}
    for key, value in present.items():
        if not isinstance(value, str):
            raise InvalidRequestError(f"{key} must be a string", field=key)
        check_encodable(value, key)
    return "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in present.items()) if present else ""


class HostedPages:
    """``client.hosted_pages`` (the same for :class:`~spreedly_sdk.Client` and
    :class:`~spreedly_sdk.AsyncClient`): URLs of the pages the service hosts for a site."""

    def __init__(self, base_url: httpx.URL, site_name: str) -> None:
        self._origin = str(base_url).rstrip("/")
        self._site = site_name

    def signup_url(self, customer_id: str | int, plan_id: int, screen_name: str | None = None, *,
                   token: str | None = None, email: str | None = None, first_name: str | None = None,
                   last_name: str | None = None, return_url: str | None = None) -> str:
        """The hosted subscribe page for a plan; pass the subscriber's ``token`` to pre-fill
        saved details and the card on file, ``email``/``first_name``/``last_name`` to pre-fill
        the form, and ``return_url`` for where the page sends the subscriber afterwards."""
        parts = [self._site, "subscribers", segment(customer_id, "customer_id")]
        if token is not None:
            parts.append(segment(token, "token"))
        parts += ["subscribe", segment(plan_id, "plan_id")]
        if screen_name:
            parts.append(segment(screen_name, "screen_name"))
        query = _query(email=email, first_name=first_name, last_name=last_name, return_url=return_url)
        return f"{self._origin}/{'/'.join(parts)}{query}"

    def account_url(self, token: str, return_url: str | None = None) -> str:
        """The subscriber's self-service account page (stop auto renew, change card)."""
        query = _query(return_url=return_url)
        return f"{self._origin}/{self._site}/subscriber_accounts/{segment(token, 'token')}{query}"

    def __repr__(self) -> str:
        return f"HostedPages(site_name={self._site!r})"
