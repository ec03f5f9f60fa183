"""The one hardened XML parser: bytes in, elements out.

Every document the SDK reads goes through :func:`parse_document` (whole documents) or
:class:`ItemStream` (list documents, one item at a time). Both use a parser built here with
entity resolution, DTD loading and network access switched off, and both refuse any
DOCTYPE, which the service never sends. The parser is passed explicitly, so a default
parser that another library installed in the thread (``etree.set_default_parser``) is
never used.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Iterator

from lxml import etree

from .errors import (
    InvalidRequestError,
    ResponseParseError,
    ResponseTooLargeError,
    UnexpectedResponseError,
    XmlSecurityError,
    snippet,
)

__all__ = ["ItemStream", "check_xml_text", "displayable_xml_text", "new_parser", "parse_document", "text_to_bytes"]

_ILLEGAL_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot carry (the complement of its Char production), as a cheap positive class."""


def new_parser() -> etree.XMLParser:
    """A fresh parser that resolves nothing, loads nothing and keeps depth limits."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


_local = threading.local()


def _thread_parser() -> etree.XMLParser:
    """This thread's parser, made once: a fresh parser per document costs ~10% of a small parse."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = new_parser()
    return parser


def parse_document(data: bytes) -> etree._Element:
    """Parse a whole document from bytes and return its root element.

    Raises :class:`XmlSecurityError` for a DOCTYPE and :class:`ResponseParseError` for
    anything that is not well-formed (including an empty body).
    """
    if not data.strip():
        raise ResponseParseError("empty body where an XML document was expected")
    try:
        root = etree.fromstring(data, parser=_thread_parser())
    except etree.XMLSyntaxError as exc:
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
            raise XmlSecurityError(
                "the response carries a DOCTYPE, which the service never sends", body_snippet=snippet(data)
            ) from None
        raise ResponseParseError(f"the response is not well-formed XML: {exc}", body_snippet=snippet(data)) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ResponseParseError(f"the response could not be parsed: {exc}", body_snippet=snippet(data)) from None
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise XmlSecurityError("the response carries a DOCTYPE, which the service never sends",
                               body_snippet=snippet(data))
    return root


_DECLARATION_START = re.compile(r"\A\ufeff?\s*<\?xml\s[^>]*?\?>")


def text_to_bytes(text: str) -> bytes:
    """A document given as ``str``, as UTF-8 bytes that parse to the same text.

    The text is already decoded, so its XML declaration's ``encoding=`` (say ISO-8859-1) no
    longer describes it: the declaration is dropped, so the parser reads the UTF-8 bytes as
    UTF-8 (keeping it would turn every non-ASCII character into mojibake). Text that cannot
    be encoded (a lone surrogate) is a :class:`ResponseParseError`.
    """
    text = _DECLARATION_START.sub("", text, count=1)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ResponseParseError(f"the document text cannot be read as XML: {exc.reason} at {exc.start}") from None


def displayable_xml_text(value: str) -> str:
    """``value`` with each character XML 1.0 cannot carry replaced by U+FFFD (for display only)."""
    return _ILLEGAL_XML_CHARS.sub("\ufffd", value)


def check_xml_text(value: str, field: str) -> None:
    """Refuse a string XML 1.0 cannot carry, naming the field and the code point."""
    bad = _ILLEGAL_XML_CHARS.search(value)
    if bad is not None:
        code = ord(bad.group())
        raise InvalidRequestError(
            f"{field}: character U+{code:04X} cannot be sent in an XML document", field=field
        )


_ROOT_START = re.compile(r"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<([^\s/>!?]+)([^>]*)>", re.S)
_ARRAY_ATTR = re.compile(r"""\btype\s*=\s*["']array["']""")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOMLESS = ((b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"), (b"<\0", "utf-16-le"), (b"\0<", "utf-16-be"))


def head_text(head: bytes) -> str:
    """The first bytes of a document as text, in the encoding its first bytes show (a byte
    order mark, or the ``<`` of the XML declaration in UTF-16/32 of either byte order), as
    the parser itself detects it; otherwise as ASCII-compatible text. Only for looking at
    the start of a document (its root tag, a DOCTYPE), never for reading values."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, "replace")
    for start, encoding in _BOMLESS:
        if head.startswith(start):
            return head.decode(encoding, "replace")
    return head.decode("utf-8", "replace")


class ItemStream:
    """Incremental reader of a list document (``<subscribers type="array">`` and the like).

    Feed it bytes as they arrive with :meth:`feed`; each call returns the completed
    top-level items (children of the root whose tag is ``item_tag``), already detached
    from the tree so memory stays flat however long the list is. ``max_item_bytes`` bounds
    each item rather than the whole body: a large site's full list is legitimately huge.
    """

    def __init__(self, item_tag: str, list_tag: str | None, *, max_item_bytes: int) -> None:
        self._item_tag = item_tag
        self._list_tag = list_tag
        self._max_item_bytes = max_item_bytes
        # Only the end of each item is reported (the tag filter runs inside lxml): a Python
        # step per element of a 100,000-item list would cost a third of the whole parse.
        self._parser = etree.XMLPullParser(
            events=("end",),
            tag=item_tag,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )
        self._root: etree._Element | None = None
        self._root_seen = False
        self._bytes_since_item = 0
        self._head = b""
        self._fed = 0
        self.root_tag: str | None = None

    def _to_parser(self, data: bytes) -> None:
        """Feed lxml, holding back the first four bytes until they are all here: libxml2's push
        parser detects the encoding from them, and reads UTF-32 only without its byte order
        mark (the whole-document parser takes either), so that mark is dropped."""
        held = self._fed  # bytes received before this chunk (fewer than four: held back)
        self._fed += len(data)
        if held >= 4:
            self._parser.feed(data)
            return
        if self._fed < 4:
            return
        first = self._head[:held] + data
        if first.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            first = first[4:]
        self._parser.feed(first)

    def feed(self, data: bytes) -> list[etree._Element]:
        """Feed a chunk; return the items completed by it."""
        if len(self._head) < 4096:
            self._head += data[: 4096 - len(self._head)]
            text = head_text(self._head)
            if "<!DOCTYPE" in text or "<!ENTITY" in text:
                raise XmlSecurityError("the response carries a DOCTYPE, which the service never sends",
                                       body_snippet=snippet(self._head))
        if self._root is None and not self._root_seen:
            self._early_root_check()
        self._bytes_since_item += len(data)
        try:
            self._to_parser(data)
            items = list(self._drain())
        except etree.XMLSyntaxError as exc:
            raise ResponseParseError(f"the response is not well-formed XML: {exc}",
                                     body_snippet=snippet(self._head)) from None
        if items:
            self._bytes_since_item = 0
        elif self._bytes_since_item > self._max_item_bytes:
            raise ResponseTooLargeError(
                f"one list item exceeded {self._max_item_bytes} bytes", body_snippet=snippet(self._head)
            )
        return items

    def close(self) -> list[etree._Element]:
        """Finish the document; return any last items."""
        if not self._head.strip():
            raise ResponseParseError("empty body where an XML document was expected")
        try:
            if self._fed < 4:
                self._parser.feed(self._head)
            root = self._parser.close()
            items = list(self._drain())
        except etree.XMLSyntaxError as exc:
            raise ResponseParseError(f"the response is not well-formed XML: {exc}",
                                     body_snippet=snippet(self._head)) from None
        if self._root is None:
            self._check_root(root, with_items=False)
        return items

    def _early_root_check(self) -> None:
        """Refuse another document as soon as its root start tag has arrived (items only
        report their ends, so the root is otherwise seen at the first item or at the end)."""
        found = _ROOT_START.match(head_text(self._head))
        if found is None:
            return
        self._root_seen = True
        tag = found.group(1)
        if tag not in (self._list_tag, "nil-classes") and not _ARRAY_ATTR.search(found.group(2)):
            self.root_tag = tag
            raise UnexpectedResponseError(f"expected a <{self._list_tag}> list, got <{tag}>",
                                          body_snippet=snippet(self._head))

    def _check_root(self, root: etree._Element, *, with_items: bool) -> None:
        self._root = root
        self.root_tag = root.tag if isinstance(root.tag, str) else None
        if self.root_tag in (self._list_tag, "nil-classes"):
            return
        if root.get("type") != "array":
            raise UnexpectedResponseError(f"expected a <{self._list_tag}> list, got <{self.root_tag}>",
                                          body_snippet=snippet(self._head))
        if with_items or len(root):
            # a foreign ``type="array"`` root is only accepted empty (see docs/service/xml.md, "Arrays")
            raise UnexpectedResponseError(
                f"expected a <{self._list_tag}> list, got <{self.root_tag}> with items",
                body_snippet=snippet(self._head))

    def _drain(self) -> Iterator[etree._Element]:
        for _event, element in self._parser.read_events():
            assert isinstance(element, etree._Element)
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # the root itself, or an item tag nested inside an item
            if self._root is None:
                self._check_root(parent, with_items=True)
            yield element
            # Drop the item and whatever came before it (undeclared elements between items,
            # text): nothing before the latest item is read again, so memory stays flat however
            # much of it there is; the per-item cap bounds what is pending between two items.
            for earlier in list(element.itersiblings(preceding=True)):
                parent.remove(earlier)
            parent.remove(element)
            parent.text = None
