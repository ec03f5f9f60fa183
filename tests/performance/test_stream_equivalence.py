"""Streaming ``iter()`` yields exactly what ``list()`` returns, whatever the chunking.

The list documents are served by an ``httpx.MockTransport`` in chunks of several sizes
(down to 7 bytes, so items, tags and entities split across chunks).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from benchmarks._data import subscribers_document
from spreedly_sdk import AsyncClient, Client

from ._docs import DECL, LIST_CASES, sample_files


def _chunked(body: bytes, size: int) -> list[bytes]:
    return [body[i:i + size] for i in range(0, len(body), size)] or [b""]


class _Sync(httpx.SyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks


class _Async(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


def _handler(routes: dict[str, bytes], size: int, asynchronous: bool = False) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        body = routes[request.url.path.rsplit("/", 1)[-1]]
        chunks = _chunked(body, size)
        stream: httpx.SyncByteStream | httpx.AsyncByteStream = _Async(chunks) if asynchronous else _Sync(chunks)
        return httpx.Response(200, headers={"Content-Type": "application/xml; charset=utf-8"}, stream=stream)

    return httpx.MockTransport(handle)


def _lists() -> dict[str, dict[str, bytes]]:
    """name -> routes (subscribers.xml, subscription_plans.xml, transactions.xml)."""
    cases = {name: {"subscribers.xml": body} for name, body in LIST_CASES.items()}
    cases["unicode-and-entities"] = {"subscribers.xml": subscribers_document(3).replace(
        b"<screen-name>user-1</screen-name>", b"<screen-name>\xc3\xa9 &amp; &lt;x&gt; \xf0\x9f\x98\x80</screen-name>")}
    for path in sample_files():
        if path.name.startswith("subscribers-list"):
            cases[path.name] = {"subscribers.xml": path.read_bytes()}
        elif path.name.startswith("plans-list"):
            cases[path.name] = {"subscription_plans.xml": path.read_bytes()}
        elif path.name.startswith("transactions-list"):
            cases[path.name] = {"transactions.xml": path.read_bytes()}
    return cases


CASES = _lists()
SIZES = [7, 100, 4096, 1 << 20]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_iter_equals_list(name: str, size: int) -> None:
    routes = CASES[name]
    client = Client("t", "site", base_url="http://test.invalid",
                    http_client=httpx.Client(transport=_handler(routes, size)))
    with client:
        if "subscribers.xml" in routes:
            assert list(client.subscribers.iter()) == client.subscribers.list()
        if "subscription_plans.xml" in routes:
            assert list(client.plans.iter()) == client.plans.list()
        if "transactions.xml" in routes:
            assert list(client.transactions.iter()) == client.transactions.list()


@pytest.mark.parametrize("size", [7, 4096])
@pytest.mark.parametrize("name", sorted(CASES))
def test_async_iter_equals_list(name: str, size: int) -> None:
    routes = CASES[name]

    async def run() -> None:
        client = AsyncClient("t", "site", base_url="http://test.invalid",
                             http_client=httpx.AsyncClient(transport=_handler(routes, size, asynchronous=True)))
        async with client:
            if "subscribers.xml" in routes:
                assert [s async for s in client.subscribers.iter()] == await client.subscribers.list()
            if "subscription_plans.xml" in routes:
                assert [p async for p in client.plans.iter()] == await client.plans.list()

    asyncio.run(run())


def test_streamed_items_are_the_parsed_items() -> None:
    """Not vacuous: the generated list really yields its subscribers, in order."""
    routes = {"subscribers.xml": subscribers_document(70)}
    with Client("t", "site", base_url="http://test.invalid",
                http_client=httpx.Client(transport=_handler(routes, 333))) as client:
        ids = [s.customer_id for s in client.subscribers.iter()]
    assert ids == [str(1000 + i) for i in range(70)]


def test_nested_item_tags_are_not_items() -> None:
    """A ``<subscriber>`` inside an item (invoices carry one) is part of that item."""
    inner = (b"<subscriber><customer-id>1</customer-id><invoices type=\"array\"><invoice>"
             b"<token>t</token><closed>false</closed><amount>1.0</amount><price>$1.00</price>"
             b"<currency-code>USD</currency-code><created-at>2012-01-01T00:00:00Z</created-at>"
             b"<updated-at>2012-01-01T00:00:00Z</updated-at><line-items type=\"array\"/>"
             b"<subscriber><customer-id>inner</customer-id></subscriber></invoice></invoices></subscriber>")
    body = DECL + b'<subscribers type="array">' + inner + b"</subscribers>"
    with Client("t", "site", base_url="http://test.invalid",
                http_client=httpx.Client(transport=_handler({"subscribers.xml": body}, 5))) as client:
        items = list(client.subscribers.iter())
        assert items == client.subscribers.list()
    assert [s.customer_id for s in items] == ["1"]
    assert items[0].invoices[0].subscriber.customer_id == "inner"  # type: ignore[index,union-attr]


@pytest.mark.parametrize("body", [
    DECL + b"<errors><error>Nope</error></errors>",
    DECL + b'<subscription-plans type="array"><subscription-plan><id>1</id></subscription-plan></subscription-plans>',
    DECL + b'<subscription-plans type="array"><subscriber><customer-id>1</customer-id></subscriber></subscription-plans>',
    DECL + b"<subscriber><customer-id>1</customer-id></subscriber>",
], ids=["errors", "foreign-array-other-items", "foreign-array-our-items", "single-document"])
@pytest.mark.parametrize("size", [5, 4096])
def test_iter_and_list_refuse_the_same_documents(body: bytes, size: int) -> None:
    from spreedly_sdk.errors import UnexpectedResponseError

    with Client("t", "site", base_url="http://test.invalid",
                http_client=httpx.Client(transport=_handler({"subscribers.xml": body}, size))) as client:
        with pytest.raises(UnexpectedResponseError):
            client.subscribers.list()
        with pytest.raises(UnexpectedResponseError):
            list(client.subscribers.iter())


def test_foreign_empty_array_root_is_an_empty_list_both_ways() -> None:
    body = DECL + b'<subscription-plans type="array">\n</subscription-plans>'
    with Client("t", "site", base_url="http://test.invalid",
                http_client=httpx.Client(transport=_handler({"subscribers.xml": body}, 3))) as client:
        assert client.subscribers.list() == [] == list(client.subscribers.iter())
