"""``iter()`` and ``list()`` agree on every document lxml reads: UTF-8, UTF-16 and UTF-32 of
either byte order, with and without a byte order mark, in chunks of any size; and memory stays
flat however much undeclared content lies between the items."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spreedly_sdk._xml import ItemStream
from spreedly_sdk.models import Subscriber

ITEMS = "".join(f"<subscriber><customer-id>{i:03d}</customer-id><screen-name>Zoë 😀 {i}</screen-name></subscriber>"
                for i in range(3))
DOC = '<?xml version="1.0" encoding="{}"?>\n<subscribers type="array"><zz-head>x</zz-head>{}text<zz-tail/></subscribers>'

ENCODINGS = {
    "utf-8": ("UTF-8", b""), "utf-8-bom": ("UTF-8", codecs.BOM_UTF8),
    "utf-16-le": ("UTF-16", b""), "utf-16-be": ("UTF-16", b""),
    "utf-16-le-bom": ("UTF-16", codecs.BOM_UTF16_LE), "utf-16-be-bom": ("UTF-16", codecs.BOM_UTF16_BE),
    "utf-32-le": ("UTF-32", b""), "utf-32-be": ("UTF-32", b""),
    "utf-32-le-bom": ("UTF-32", codecs.BOM_UTF32_LE), "utf-32-be-bom": ("UTF-32", codecs.BOM_UTF32_BE),
    "latin-1": ("ISO-8859-1", b""),
}


def _document(name: str) -> bytes:
    declared, bom = ENCODINGS[name]
    codec = name.removesuffix("-bom")
    items = ITEMS.replace("😀", "") if codec == "latin-1" else ITEMS
    return bom + DOC.format(declared, items).encode(codec)


def _streamed(data: bytes, size: int) -> list[Subscriber]:
    stream = ItemStream("subscriber", "subscribers", max_item_bytes=1 << 20)
    items = []
    for start in range(0, len(data), size):
        items += stream.feed(data[start:start + size])
    items += stream.close()
    return [Subscriber.validate_raw(Subscriber.element_to_dict(item)) for item in items]


@pytest.mark.parametrize("name", sorted(ENCODINGS))
@settings(max_examples=15, deadline=None)
@given(size=st.integers(min_value=1, max_value=400))
def test_iter_and_list_agree_on_every_encoding(name: str, size: int) -> None:
    data = _document(name)
    listed = Subscriber.list_from_xml(data)
    assert [s.customer_id for s in listed] == ["000", "001", "002"]
    assert _streamed(data, size) == listed


def test_memory_stays_flat_however_much_lies_between_items() -> None:
    """Undeclared elements and text between items are dropped as each item arrives: the tree
    held by the stream never grows past one item and what follows it."""
    stream = ItemStream("subscriber", "subscribers", max_item_bytes=64 * 1024)
    stream.feed(b'<subscribers type="array">')
    junk = b"<zz-between><deep>" + b"x" * 2000 + b"</deep></zz-between>text between "
    item = b"<subscriber><customer-id>1</customer-id></subscriber>"
    held = []
    for _ in range(2000):
        stream.feed(junk * 5)
        assert len(stream.feed(item)) == 1
        root = stream._root  # the tree the stream holds (inspected, not used)
        assert root is not None
        held.append(len(root) + len(root.text or ""))
    stream.feed(b"</subscribers>")
    stream.close()
    assert max(held) <= 1  # nothing accumulates: at most what came after the last item


def test_the_per_item_cap_still_bounds_what_lies_between_items() -> None:
    from spreedly_sdk.errors import ResponseTooLargeError

    stream = ItemStream("subscriber", "subscribers", max_item_bytes=10_000)
    stream.feed(b'<subscribers type="array">')
    with pytest.raises(ResponseTooLargeError):
        for _ in range(100):
            stream.feed(b"<zz-between>" + b"x" * 500 + b"</zz-between>")
