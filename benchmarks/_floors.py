"""The floors the SDK is measured against, written plainly so anyone can check them.

* :func:`lxml_typed_dicts` - the parsing floor: ``lxml.etree.fromstring`` and one pass per
  element converting each value by its ``type=`` attribute to ``int``, ``Decimal``, ``bool``
  or ``datetime`` (``nil="true"`` → ``None``). No validation, no models.
* :func:`etree_dicts` - the algorithm of the old pyspreedly client (the stdlib ElementTree,
  recursion into dicts, ``strptime`` for datetimes); a reference line, not a target.
* :func:`lxml_update_body` - an update body built with lxml directly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from lxml import etree

__all__ = ["etree_dicts", "lxml_typed_dicts", "lxml_update_body"]

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
                          remove_pis=True, collect_ids=False)


def _typed(el: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in el:
        tag = child.tag
        kind = child.get("type")
        if kind == "array":
            out[tag] = [_typed(item) for item in child]
        elif len(child):
            out[tag] = _typed(child)
        elif child.get("nil") == "true" and not child.text:
            out[tag] = None
        else:
            text = child.text or ""
            if kind == "integer":
                out[tag] = int(text)
            elif kind == "decimal":
                out[tag] = Decimal(text)
            elif kind == "boolean":
                out[tag] = text == "true"
            elif kind == "datetime":
                out[tag] = datetime.fromisoformat(text.replace("Z", "+00:00"))
            else:
                out[tag] = text
    return out


def lxml_typed_dicts(data: bytes) -> list[dict[str, Any]] | dict[str, Any]:
    """The floor: a list document becomes a list of typed dicts, any other a typed dict."""
    root = etree.fromstring(data, _PARSER)
    if root.get("type") == "array":
        return [_typed(item) for item in root]
    return _typed(root)


def _et_value(el: ET.Element) -> Any:
    kind = el.attrib.get("type")
    if kind == "array":
        return [_et_value(item) for item in el]
    if len(el):
        return {child.tag: _et_value(child) for child in el}
    if el.attrib.get("nil") == "true":
        return None
    text = el.text or ""
    if kind == "integer":
        return int(text)
    if kind == "decimal":
        return Decimal(text)
    if kind == "boolean":
        return text == "true"
    if kind == "datetime":
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return text


def etree_dicts(data: bytes) -> Any:
    """pyspreedly's way: ElementTree, then a recursive walk into dicts."""
    return _et_value(ET.fromstring(data))


def lxml_update_body(email: str, screen_name: str, first: str, last: str) -> bytes:
    """A ``SubscriberUpdate`` body built with lxml directly (the serialization floor)."""
    root = etree.Element("subscriber")
    etree.SubElement(root, "screen-name").text = screen_name
    etree.SubElement(root, "email").text = email
    etree.SubElement(root, "billing-first-name").text = first
    etree.SubElement(root, "billing-last-name").text = last
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8")
