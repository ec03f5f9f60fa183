"""The reference codec: pydantic-xml's own reader and writer, applied to the same field table as
the fast codec through pydantic-xml's public extension points (each field declared by
``rails_field`` carries an ``XmlFieldValidator`` and an ``XmlFieldSerializer`` pointing here).

It exists to prove the fast codec: tests read and write every document both ways and require
the same models and bytes. pydantic-xml calls these for every field, with the parent element.
"""

from __future__ import annotations

import contextvars
import threading
import typing
from typing import TYPE_CHECKING, Any

from .._xml import check_xml_text
from ._values import SERVICE_FORMS, check_form, scalar_from_text, scalar_to_text

if TYPE_CHECKING:
    from ._base import FieldSpec, RailsModel

__all__ = ["REFERENCE_FLAGS", "UNORDERED", "reference_read", "reference_state", "reference_write"]

UNORDERED: Any = "unordered"
"""pydantic-xml's ``SearchMode.UNORDERED`` by value (a ``str`` enum it compares by value; the enum
class itself is not among pydantic-xml's public names)."""


def reference_read(cls: type[RailsModel], element: Any, field_name: str) -> Any:
    """Read one field through pydantic-xml's element reader.

    Children are looked at in document order on a snapshot taken at the element's first field,
    and the element itself is left untouched until its last field: pydantic-xml's unordered
    search reorders the children it has not consumed yet, so after a pop "the first" would no
    longer be the first in the document. The last field then consumes every declared child (for
    models that forbid extras, pydantic-xml refuses what is left: the undeclared ones).
    """
    orders: dict[int, tuple[Any, ...]] = reference_state.__dict__.setdefault("orders", {})
    children = orders.get(id(element))
    if children is None or field_name == next(iter(cls.model_fields)):
        # one snapshot per element, taken at its first field while the order is untouched
        children = orders[id(element)] = element.create_snapshot().pop_elements()
    try:
        return _read_field(cls, cls.rails_fields().by_name[field_name], children)
    finally:
        if field_name == next(reversed(cls.model_fields)):
            del orders[id(element)]
            for tag in cls.rails_fields().by_tag:
                while element.pop_element(tag, UNORDERED, remove=True) is not None:
                    pass  # remove=True consumes its text, attributes and children too


reference_state = threading.local()
"""Per thread: the children of each element being read by the reference path, in document
order (keyed by the element's id while it is read; emptied when the outermost read ends)."""


def _read_field(cls: type[RailsModel], spec: FieldSpec, children: tuple[Any, ...]) -> Any:
    if spec.kind == "repeated":
        return [child.pop_text() or "" for child in children if child.tag == spec.tag]
    sub = next((child for child in children if child.tag in spec.tags), None)  # the first wins
    if sub is None:
        return None
    nil = sub.get_attrib("nil") == "true"
    if spec.kind == "scalar":
        value = scalar_from_text(spec.py_type, sub.pop_text(), nil)
        if value and spec.py_type in SERVICE_FORMS:
            check_form(cls.xml_tag(), spec.name, sub.tag, value, spec.py_type)
        return value
    assert spec.model is not None
    serializer = spec.model.xml_serializer()
    if spec.kind == "model":
        if nil and not sub.create_snapshot().pop_elements():
            return None  # nil and no children (text, tail and attributes do not count)
        return serializer.deserialize(sub, context=None, sourcemap={}, loc=(), empty_as_string=False)
    items: list[Any] = []
    for child in sub.pop_elements():
        if child.tag == spec.item_tag:
            items.append(serializer.deserialize(child, context=None, sourcemap={}, loc=(), empty_as_string=False))
    return items


REFERENCE_FLAGS: contextvars.ContextVar[tuple[bool, bool]] = contextvars.ContextVar(
    "spreedly_reference_flags", default=(False, False))
"""``(exclude_unset, exclude_none)`` of the running ``to_xml_reference`` (pydantic-xml does not
pass them to field serializers, nor down to nested models)."""


def reference_write(model: RailsModel, element: Any, value: Any, field_name: str) -> None:
    spec = type(model).rails_fields().by_name[field_name]
    exclude_unset, exclude_none = REFERENCE_FLAGS.get()
    if value is None and exclude_none:
        return
    if spec.kind == "repeated":
        for item in typing.cast("list[str]", value):
            check_xml_text(item, field_name)
            child = element.make_element(spec.tag, nsmap=None)
            child.set_text(item)
            element.append_element(child)
        return
    if value is None and not spec.nil:
        return
    sub = element.make_element(spec.tag, nsmap=None)
    element.append_element(sub)
    if spec.kind == "list":
        sub.set_attribute("type", "array")
        for item in value or ():
            assert spec.item_tag is not None
            child = sub.make_element(spec.item_tag, nsmap=None)
            if spec.item_xml_type:
                child.set_attribute("type", spec.item_xml_type)
            item_serializer = typing.cast("RailsModel", item).xml_serializer()
            item_serializer.serialize(child, item, {}, skip_empty=False, exclude_none=exclude_none,
                                      exclude_unset=exclude_unset)
            sub.append_element(child)
        return
    if spec.kind == "model":
        if value is None:
            sub.set_attribute("nil", "true")
            return
        serializer = typing.cast("RailsModel", value).xml_serializer()
        serializer.serialize(sub, value, {}, skip_empty=False, exclude_none=exclude_none, exclude_unset=exclude_unset)
        return
    if spec.xml_type:
        sub.set_attribute("type", spec.xml_type)
    if value is None:
        sub.set_attribute("nil", "true")
        sub.set_text("")
        return
    text = scalar_to_text(value)
    if isinstance(value, str):
        check_xml_text(text, field_name)
    sub.set_text(text)
