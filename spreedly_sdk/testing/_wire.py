"""What the emulator's handlers take and give: requests, replies, refusals and documents.

Both transports (the in-process httpx transport and the socket server) turn what they receive
into a :class:`Request`; the routes (:mod:`._routes`) answer with a :class:`Reply`. Request
bodies are read here with the SDK's own request models (:func:`read_fields`), and answers are
written here the way the service wrote them (:func:`xml_reply`: indented, two spaces a level).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Optional

from lxml import etree

from .._xml import parse_document
from ..errors import ResponseParseError, XmlSecurityError
from ..models import ErrorsDocument, RailsModel
from . import _choices as C

__all__ = [
    "Fields",
    "Refusal",
    "Reply",
    "Request",
    "check_well_formed",
    "document",
    "fields_of",
    "list_document",
    "read_fields",
    "refusal_reply",
    "text_reply",
    "xml_reply",
]

Element = etree._Element


@dataclasses.dataclass(frozen=True)
class Request:
    """One HTTP request, as either transport hands it over."""

    method: str
    raw_path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    origin: str

    def header(self, name: str) -> Optional[str]:
        name = name.lower()
        for key, value in self.headers.items():
            if key.lower() == name:
                return value
        return None


@dataclasses.dataclass
class Reply:
    """The answer: status, headers (without Content-Length) and body."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict[str, str])


class Refusal(Exception):
    """Raised by a handler to answer with an error status: plain ``text`` or an ``<errors>`` list."""

    def __init__(self, status: int, text: str | None = None, *, errors: list[str] | None = None) -> None:
        super().__init__(text or "; ".join(errors or []))
        self.status = status
        self.text = text
        self.errors = errors

    @property
    def messages(self) -> list[str]:
        """The texts to show a person (the ``<error>`` items, or the one text)."""
        return list(self.errors) if self.errors is not None else [self.text or ""]


# ----------------------------------------------------------------------------- writing


def document(root: Element) -> bytes:
    """A whole XML document as the service wrote it: the declaration, then the tree indented
    two spaces a level with one element a line (Rails' ``to_xml``), ending in a newline."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def list_document(model: type[RailsModel], items: list[Any]) -> bytes:
    """A list document (``<subscribers type="array">``, or ``<nil-classes type="array">`` when empty),
    built from the model's own writer."""
    return document(etree.fromstring(model.list_to_xml(items)))


def text_reply(status: int, text: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, text.encode("utf-8"), {"Content-Type": C.TEXT_CONTENT_TYPE, **(headers or {})})


def xml_reply(status: int, model_or_body: RailsModel | bytes, headers: dict[str, str] | None = None) -> Reply:
    """An XML answer: a model (written by its own writer, then indented) or a finished document."""
    body = model_or_body if isinstance(model_or_body, bytes) else document(model_or_body.to_element())
    return Reply(status, body, {"Content-Type": C.XML_CONTENT_TYPE, **(headers or {})})


def refusal_reply(exc: Refusal) -> Reply:
    if exc.errors is not None:
        return xml_reply(exc.status, ErrorsDocument(errors=exc.errors))
    return text_reply(exc.status, exc.text or "")


# ----------------------------------------------------------------------------- reading


@dataclasses.dataclass(frozen=True)
class Fields:
    """A request document as its request model reads it.

    ``values`` holds the texts by field name, exactly as sent (whitespace included): ``""`` for
    an empty element, ``None`` for one sent ``nil="true"``, a list for a repeated element and
    the nested values for a nested model; ``unknown`` the element names the model has no field
    for, underscored; ``nested`` the fields of nested models (``payment_method`` → its
    ``credit_card``). An absent or foreign-rooted body gives empty fields.
    """

    values: Mapping[str, Any] = dataclasses.field(default_factory=dict[str, Any])
    unknown: tuple[str, ...] = ()
    nested: Mapping[str, Fields] = dataclasses.field(default_factory=dict[str, "Fields"])

    def __contains__(self, name: str) -> bool:
        return name in self.values

    @property
    def empty(self) -> bool:
        """Nothing at all was sent (no known and no unknown element)."""
        return not self.values and not self.unknown

    def text(self, name: str) -> Optional[str]:
        """A field's text (``None`` when absent or nil)."""
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def part(self, name: str) -> Fields:
        """A nested model's fields (empty when it was not sent)."""
        return self.nested.get(name) or Fields()


def _normalised(body: bytes) -> Element | None:
    if not body.strip():
        return None
    try:
        root = parse_document(body.strip())
    except (ResponseParseError, XmlSecurityError):
        raise Refusal(C.MALFORMED_STATUS, C.TEXT_MALFORMED_BODY) from None
    for el in root.iter():
        if isinstance(el.tag, str):  # dashed or underscored names, the root's too
            el.tag = el.tag.strip().replace("_", "-")
    return root


def fields_of(model: type[RailsModel], root: Element | None, *, top_level: bool = True) -> Fields:
    """Read an element with ``model``'s own field table (the SDK's one XML reader).

    The table decides which element is which field (the first of a name wins, as in the SDK's
    reader), but nothing is converted or judged here: the handlers check each value the way the
    service does, so a form the SDK would never read in an answer (``1E+26``) still gets the
    service's own reply.
    """
    if root is None or (top_level and root.tag != model.xml_tag()):
        return Fields()
    table = model.rails_fields().by_tag
    values: dict[str, Any] = {}
    unknown: dict[str, None] = {}
    parts: dict[str, Fields] = {}
    for child in root:
        if not isinstance(child.tag, str):
            continue
        spec = table.get(child.tag)
        if spec is None:
            unknown[child.tag.replace("-", "_")] = None
        elif spec.kind == "repeated":
            values.setdefault(spec.name, []).append(child.text or "")
        elif spec.name in values:
            continue
        elif spec.kind == "model" and spec.model is not None:
            parts[spec.name] = part = fields_of(spec.model, child, top_level=False)
            values[spec.name] = part.values if len(child) or child.get("nil") != "true" else None
        elif spec.kind == "list" and spec.model is not None:
            values[spec.name] = [fields_of(spec.model, item, top_level=False).values
                                 for item in child if item.tag == spec.item_tag]
        else:
            values[spec.name] = child.text or (None if child.get("nil") == "true" else "")
    return Fields(values, tuple(unknown), parts)


def read_fields(body: bytes, model: type[RailsModel]) -> Fields:
    """The request body read with ``model`` (a body with another root reads as empty).

    Malformed XML or a DOCTYPE is refused with :data:`~._choices.MALFORMED_STATUS`.
    """
    return fields_of(model, _normalised(body))


def check_well_formed(body: bytes) -> None:
    """Refuse a malformed body where the content is otherwise ignored."""
    _normalised(body)
