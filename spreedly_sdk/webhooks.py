"""Receiving the "subscribers changed" notification (see docs/service/notification.md).

The service POSTs one form field, ``subscriber_ids`` (your customer ids joined with ``,``), to
the URL configured for the site. The request is **not signed** and carries no subscriber data:
treat it as a hint to re-fetch, never as data, and serve it on a path with a secret in it.

>>> parse_subscriber_ids(b"subscriber_ids=42%2C+7%2C%2C42")
['42', '7']

:func:`fetch_changed` / :func:`afetch_changed` then fetch each subscriber with the API. An id
the service no longer knows (deleted meanwhile, or never yours) is not an error: it is left out
of the result, listed in :attr:`ChangedSubscribers.missing` and logged at WARNING on the
``spreedly_sdk.webhooks`` logger, so the endpoint can still answer 200. Any other API error
(authentication, outage) is raised, so the endpoint answers non-200 and the service retries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Optional, Union, cast
from urllib.parse import parse_qsl

from .errors import InvalidRequestError, InvalidTypeError, NotFoundError
from .models import Subscriber

if TYPE_CHECKING:
    from ._client import AsyncClient, Client

__all__ = [
    "FIELD",
    "MAX_BODY_BYTES",
    "MAX_IDS",
    "ChangedSubscribers",
    "afetch_changed",
    "fetch_changed",
    "parse_subscriber_ids",
]

logger = logging.getLogger("spreedly_sdk.webhooks")

FIELD = "subscriber_ids"
"""The form field the service sends."""
MAX_BODY_BYTES = 64 * 1024
"""Bodies larger than this are refused (the service sent a short list of ids)."""
MAX_IDS = 1000
"""At most this many distinct ids per notification."""
MAX_ID_LENGTH = 255
"""The longest customer id accepted."""
MAX_FIELDS = 20
"""At most this many form fields in the body."""
FORM_TYPE = "application/x-www-form-urlencoded"

Body = Union[bytes, bytearray, memoryview, str]


def _body_bytes(body: object) -> bytes:
    """The raw bytes of a body given as bytes-like or text; text that cannot be encoded
    (a lone surrogate) is refused like any other undecodable body."""
    if isinstance(body, str):
        try:
            return body.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidRequestError("notification body is not UTF-8 text (it holds a lone surrogate)",
                                      field="body") from None
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(cast(bytes, body))  # any buffer; the cast only spares checkers memoryview[Unknown]
    raise InvalidTypeError(f"notification body must be bytes or str, not {type(body).__name__}", field="body")


def parse_subscriber_ids(body: Body, content_type: Optional[str] = None) -> list[str]:
    """The customer ids of a notification body, in order, each once.

    ``body`` is the raw request body; ``content_type`` its ``Content-Type`` header, when you
    have it (anything but ``application/x-www-form-urlencoded`` is refused). Spaces around ids,
    repeated ids, empty items and repeated ``subscriber_ids`` fields are tolerated; an empty
    list is a valid answer. Raises :class:`~spreedly_sdk.InvalidRequestError` for a body that
    is too large, not UTF-8, not a form, without the field, with too many ids, or with an id
    that is too long or holds control characters.
    """
    if content_type is not None:
        if not isinstance(content_type, str):
            raise InvalidTypeError("content_type must be a string or None", field="content_type")
        media = content_type.split(";", 1)[0].strip().lower()
        if media and media != FORM_TYPE:
            raise InvalidRequestError(f"notification body must be {FORM_TYPE}, not {media!r}", field="content_type")
    raw = _body_bytes(body)
    if len(raw) > MAX_BODY_BYTES:
        raise InvalidRequestError(f"notification body is larger than {MAX_BODY_BYTES} bytes", field="body")
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS,
                          errors="strict")
    except UnicodeDecodeError:
        raise InvalidRequestError("notification body is not UTF-8", field="body") from None
    except ValueError as exc:
        raise InvalidRequestError(f"notification body is not a form: {exc}", field="body") from None
    values = [value for key, value in pairs if key.strip() == FIELD]
    if not values:
        raise InvalidRequestError(f"notification body has no {FIELD} field", field=FIELD)
    ids: dict[str, None] = {}
    for value in values:
        for item in value.split(","):
            customer_id = item.strip()
            if not customer_id:
                continue
            if len(customer_id) > MAX_ID_LENGTH:
                raise InvalidRequestError(f"a customer id is longer than {MAX_ID_LENGTH} characters", field=FIELD)
            if any(ord(ch) < 32 or ord(ch) == 127 for ch in customer_id):
                raise InvalidRequestError("a customer id holds control characters", field=FIELD)
            ids[customer_id] = None
            if len(ids) > MAX_IDS:
                raise InvalidRequestError(f"more than {MAX_IDS} customer ids in one notification", field=FIELD)
    return list(ids)


class ChangedSubscribers(list[Subscriber]):
    """The subscribers fetched after a notification, in the notification's order.

    A plain ``list[Subscriber]`` plus :attr:`ids` (every id the notification named) and
    :attr:`missing` (ids the API answered 404 for).
    """

    def __init__(self, subscribers: Sequence[Subscriber] = (), *, ids: Sequence[str] = (),
                 missing: Sequence[str] = ()) -> None:
        super().__init__(subscribers)
        self.ids: tuple[str, ...] = tuple(ids)
        self.missing: tuple[str, ...] = tuple(missing)

    def __repr__(self) -> str:
        return f"ChangedSubscribers({[s.customer_id for s in self]!r}, missing={list(self.missing)!r})"


def _ids(body: Union[Body, Sequence[str]], content_type: Optional[str]) -> list[str]:
    if isinstance(body, (bytes, bytearray, memoryview, str)):
        return parse_subscriber_ids(cast(Body, body), content_type)
    return list(dict.fromkeys(str(i).strip() for i in body if str(i).strip()))


def _result(ids: list[str], found: list[Optional[Subscriber]]) -> ChangedSubscribers:
    missing = [cid for cid, sub in zip(ids, found, strict=True) if sub is None]
    for cid in missing:
        logger.warning("subscribers-changed notification named unknown customer id %r", cid)
    return ChangedSubscribers([s for s in found if s is not None], ids=ids, missing=missing)


def fetch_changed(client: Client, body: Union[Body, Sequence[str]], *,
                  content_type: Optional[str] = None) -> ChangedSubscribers:
    """Parse a notification body (or take a list of ids) and GET each subscriber, in order.

    Unknown ids land in ``.missing`` (logged); other API errors are raised.
    """
    ids = _ids(body, content_type)
    found: list[Optional[Subscriber]] = []
    for customer_id in ids:
        try:
            found.append(client.subscribers.get(customer_id))
        except NotFoundError:
            found.append(None)
    return _result(ids, found)


async def afetch_changed(client: AsyncClient, body: Union[Body, Sequence[str]], *, concurrency: int = 8,
                         content_type: Optional[str] = None) -> ChangedSubscribers:
    """:func:`fetch_changed` for :class:`~spreedly_sdk.AsyncClient`: at most ``concurrency``
    GETs in flight at once; the result keeps the notification's order.

    If a GET fails with anything but 404, the others are allowed to finish and the first
    such error is raised.
    """
    if concurrency < 1:
        raise InvalidRequestError("concurrency must be at least 1", field="concurrency")
    ids = _ids(body, content_type)
    gate = asyncio.Semaphore(concurrency)

    async def one(customer_id: str) -> Optional[Subscriber]:
        async with gate:
            try:
                return await client.subscribers.get(customer_id)
            except NotFoundError:
                return None

    outcomes = await asyncio.gather(*(one(cid) for cid in ids), return_exceptions=True)
    found: list[Optional[Subscriber]] = []
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
        found.append(outcome)
    return _result(ids, found)
