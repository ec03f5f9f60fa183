"""Transactions: see docs/service/endpoints.md, "Transactions" (50 per call; page with ``since_id``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from .._transport import Call
from ..models import Transaction
from ._base import AsyncResource, SyncResource, model_list_answer

__all__ = ["AsyncTransactions", "Transactions"]


def list_call(since_id: int | None) -> Call[list[Transaction]]:
    if since_id is not None and (isinstance(since_id, bool) or not isinstance(since_id, int) or since_id < 0):
        from ..errors import InvalidRequestError

        raise InvalidRequestError("since_id must be a non-negative integer", field="since_id")
    params = None if since_id is None else {"since_id": str(since_id)}
    return Call("GET", "transactions.xml", model_list_answer(Transaction), params=params)


def _after(page: list[Transaction], since_id: int) -> list[Transaction]:
    """Only transactions newer than ``since_id``: a page that repeats older ones (a server
    ignoring ``since_id``) then ends the walk instead of looping for ever."""
    return [t for t in page if t.id > since_id]


class Transactions(SyncResource):
    """``client.transactions``."""

    def list(self, since_id: int | None = None) -> list[Transaction]:
        """The 50 most recent transactions, or the next 50 after ``since_id``."""
        return self._run(list_call(since_id))

    def iter(self, since_id: int = 0) -> Iterator[Transaction]:
        """Every transaction after ``since_id``, oldest first, fetching pages as needed."""
        while True:
            page = _after(self.list(since_id), since_id)
            if not page:
                return
            yield from page
            since_id = max(t.id for t in page)


class AsyncTransactions(AsyncResource):
    """``async_client.transactions``."""

    async def list(self, since_id: int | None = None) -> list[Transaction]:
        """The 50 most recent transactions, or the next 50 after ``since_id``."""
        return await self._run(list_call(since_id))

    async def iter(self, since_id: int = 0) -> AsyncIterator[Transaction]:
        """Every transaction after ``since_id``, oldest first, fetching pages as needed."""
        while True:
            page = _after(await self.list(since_id), since_id)
            if not page:
                return
            for item in page:
                yield item
            since_id = max(t.id for t in page)
