"""The transaction list: newest first, or with ``since_id`` the later ones oldest first."""

from __future__ import annotations

from urllib.parse import parse_qs

from ...models import Transaction
from .. import _choices as C
from .._render import render_transaction
from .._wire import Reply, list_document, xml_reply
from ._context import Ctx, parse_int

__all__ = ["list_transactions"]


def list_transactions(ctx: Ctx) -> Reply:
    since_values = parse_qs(ctx.req.query).get("since_id")
    txs = ctx.site.transactions
    if since_values:
        since = parse_int(since_values[0]) or 0
        page = [tx for tx in txs if tx.id > since][: C.PAGE_SIZE]
    else:
        page = txs[::-1][: C.PAGE_SIZE]
    return xml_reply(200, list_document(Transaction, [render_transaction(tx) for tx in page]))
