"""Undeclared elements: how a response model keeps them in ``model_extra`` and writes them back.

A leaf is kept as its text (``None`` when nil, ``""`` when empty), an element with children as
a dict of the same form, a repeated element as a list. Attributes are not kept.
"""

from __future__ import annotations

import typing
from typing import Any

from lxml import etree

from .._xml import check_xml_text
from ..errors import InvalidRequestError
from ._values import scalar_to_text

__all__ = ["add_extra", "extra_value", "write_extra"]


def extra_value(el: etree._Element) -> Any:
    """An undeclared element as kept in ``model_extra``: its text, or a dict of its children."""
    if not len(el):
        return None if el.get("nil") == "true" and not el.text else (el.text or "")
    out: dict[str, Any] = {}
    for child in el:
        if isinstance(child.tag, str):
            add_extra(out, child.tag, extra_value(child))
    return out


def add_extra(extras: dict[str, Any], tag: str, value: Any) -> None:
    """Add one element read (values read are text, None or dicts: a list means "repeated")."""
    if tag not in extras:
        extras[tag] = value
    elif isinstance(extras[tag], list):
        extras[tag].append(value)
    else:
        extras[tag] = [extras[tag], value]


def write_extra(parent: etree._Element, tag: str, value: Any, field: str) -> None:
    """Write one ``model_extra`` entry in the form it was read."""
    if isinstance(value, list):
        for i, item in enumerate(typing.cast("list[object]", value)):
            write_extra(parent, tag, item, f"{field}[{i}]")
        return
    try:
        el = etree.SubElement(parent, tag)
    except ValueError:
        raise InvalidRequestError(f"{field}: {tag!r} is not an XML element name", field=field) from None
    if value is None:
        el.set("nil", "true")
    elif isinstance(value, dict):
        for key, item in typing.cast("dict[str, Any]", value).items():
            write_extra(el, key, item, f"{field}.{key}")
    else:
        text = value if isinstance(value, str) else scalar_to_text(value)
        check_xml_text(text, field)
        el.text = text
