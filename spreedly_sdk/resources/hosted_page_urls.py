"""``client.hosted_pages``: the addresses of the hosted subscribe and account pages.

No request is sent: these are URLs to hand to a subscriber's browser. The URLs themselves
are built in :mod:`.hosted_pages` (see docs/hosted-pages.md).
"""

from __future__ import annotations

import httpx

from .._transport.urls import check_encodable
from .hosted_pages import account_url, signup_url

__all__ = ["HostedPages"]


def _encodable(**values: object) -> None:
    for name, value in values.items():
        if isinstance(value, str):
            check_encodable(value, name)


class HostedPages:
    """``client.hosted_pages`` (the same for :class:`~spreedly_sdk.Client` and
    :class:`~spreedly_sdk.AsyncClient`): URLs of the pages the service hosts for a site, on
    the site's host and never under ``/api/``."""

    def __init__(self, base_url: httpx.URL, site_name: str) -> None:
        self._base_url = base_url
        self._site = site_name

    def signup_url(self, customer_id: str | int, plan_id: int, screen_name: str | None = None, *,
                   token: str | None = None, email: str | None = None, first_name: str | None = None,
                   last_name: str | None = None, return_url: str | None = None) -> str:
        """The hosted subscribe page for a plan; pass the subscriber's ``token`` to pre-fill
        saved details and the card on file, ``email``/``first_name``/``last_name`` to pre-fill
        the form, and ``return_url`` for where the page sends the subscriber afterwards."""
        _encodable(screen_name=screen_name, email=email, first_name=first_name, last_name=last_name,
                   return_url=return_url)
        return signup_url(self._base_url, self._site, customer_id, plan_id, screen_name, token=token,
                          email=email, first_name=first_name, last_name=last_name, return_url=return_url)

    def account_url(self, token: str, return_url: str | None = None) -> str:
        """The subscriber's self-service account page (stop auto renew, change card)."""
        _encodable(return_url=return_url)
        return account_url(self._base_url, self._site, token, return_url)

    def __repr__(self) -> str:
        return f"HostedPages(site_name={self._site!r})"
