"""Documents for the equivalence tests: samples, fixtures, and edge cases we generate here.

The edge cases start from a generated 2013-style subscriber (the benchmark's generator) and
change it with lxml: unknown elements first, in the middle and last (also inside nested
models), children reversed, ``nil="true"`` carrying text, empty versus nil strings, the old
``in_grace_period`` spelling, repeated elements (the first wins, even when it is nil), padded
numbers, empty and nil nested models, and the empty-list forms.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from benchmarks._data import subscriber_document, subscribers_document
from spreedly_sdk import models
from spreedly_sdk.models import RailsModel
from tests.conftest import REPO, SAMPLES

DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'

def _readable(model: type[RailsModel]) -> bool:
    try:
        model.rails_fields()
    except TypeError:  # a write-only body with a plain pydantic field (OnFilePayment)
        return False
    return True


MODELS: list[type[RailsModel]] = [
    obj for obj in vars(models).values()
    if isinstance(obj, type) and issubclass(obj, RailsModel) and obj is not RailsModel and obj.__xml_tag__
    and _readable(obj)
]


def models_for(tag: str) -> list[type[RailsModel]]:
    """Every model whose document root is ``tag``."""
    return [m for m in MODELS if m.__xml_tag__ == tag]


def list_models_for(tag: str) -> list[type[RailsModel]]:
    """Every model whose list root is ``tag``."""
    return [m for m in MODELS if m.__rails_list_tag__ == tag]


def sample_files() -> list[Path]:
    """Our fixtures (responses and request bodies), then the service's sample documents when the
    samples folder is present."""
    fixtures = REPO / "tests" / "fixtures"
    found = sorted(fixtures.glob("*.xml")) + sorted((fixtures / "requests").glob("*.xml"))
    return found + (sorted(SAMPLES.glob("*.xml")) if SAMPLES.is_dir() else [])


def read_by_a_model(path: Path) -> bool:
    """Whether a model reads this document. The ones no model reads are request bodies other
    clients sent with an underscored root (``<subscription_plan>``, ``<complimentary_subscription>``):
    the SDK never receives such a body (it writes dashed roots and the service answers with dashed
    ones), so neither of its two readers compared here meets it; the emulator reads them through
    its wire reader instead (tests/emulator/test_wire_rules.py, tests/test_fixtures.py)."""
    root = etree.fromstring(path.read_bytes())
    return bool(models_for(root.tag)) or root.get("type") == "array" or root.tag == "nil-classes"


def _edit(change: Callable[[etree._Element], None], doc: bytes | None = None) -> bytes:
    root = etree.fromstring(doc or subscriber_document(7))
    change(root)
    return DECL + etree.tostring(root)


def _unknown_everywhere(root: etree._Element) -> None:
    for el in [root, *root.iter("invoice", "line-item")]:
        el.insert(0, etree.fromstring('<zz-first type="integer">1</zz-first>'))
        el.insert(len(el) // 2, etree.fromstring("<zz-middle><deep>x</deep></zz-middle>"))
        el.append(etree.fromstring('<zz-last type="brand-new" nil="true"/>'))


def _reverse(root: etree._Element) -> None:
    for el in [root, *root.iter("invoice", "line-item")]:
        children = list(el)
        for child in children:
            el.remove(child)
        for child in reversed(children):
            el.append(child)


def _set(tag: str, text: str | None, **attrs: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        el = root.find(tag)
        if el is None:
            el = etree.SubElement(root, tag)
        el.text = text
        el.attrib.clear()
        el.attrib.update(attrs)
    return change


def _prepend(xml: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        root.insert(0, etree.fromstring(xml))
    return change


def _rename(old: str, new: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        el = root.find(old)
        assert el is not None
        el.tag = new
    return change


def _drop(tag: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        for el in root.findall(tag):
            root.remove(el)
    return change


EDGE_CASES: dict[str, bytes] = {
    "generated": subscriber_document(7),
    "generated-unpaid": subscriber_document(3),
    "unknown-first-middle-last": _edit(_unknown_everywhere),
    "reordered": _edit(_reverse),
    "nil-with-text": _edit(_set("email", "kept@example.com", nil="true")),
    "nil-with-text-typed": _edit(_set("active", "true", type="boolean", nil="true")),
    "empty-string": _edit(_set("email", "")),
    "empty-string-typed": _edit(_set("screen-name", "", type="string")),
    "nil-string": _edit(_set("email", None, nil="true")),
    "nil-typed": _edit(_set("store-credit", None, type="decimal", nil="true")),
    "empty-typed-not-nil": _edit(_set("store-credit", "", type="decimal")),
    "padded-number": _edit(_set("store-credit", "\n   12.50  \n", type="decimal")),
    "padded-string-kept": _edit(_set("screen-name", "  spaced  ")),
    "unknown-type-attribute": _edit(_set("store-credit", "3.0", type="money")),
    "in_grace_period-spelling": _edit(_rename("in-grace-period", "in_grace_period")),
    "duplicate-first-wins": _edit(_prepend("<email>first@example.com</email>")),
    "duplicate-nil-first-wins": _edit(_prepend('<email nil="true"></email>')),
    "duplicate-typed-nil-first": _edit(_prepend('<active type="boolean" nil="true"></active>')),
    "nested-nil": _edit(_prepend('<subscription-plan-version nil="true"></subscription-plan-version>')),
    "nested-empty": _edit(_prepend("<subscription-plan-version></subscription-plan-version>")),
    "nested-nil-with-children": _edit(_prepend(
        '<subscription-plan-version nil="true"><id type="integer">5</id></subscription-plan-version>')),
    "invoices-empty": _edit(lambda r: (_drop("invoices")(r), _prepend('<invoices type="array"/>')(r))),
    "invoices-absent": _edit(_drop("invoices")),
    "invoices-with-stranger": _edit(lambda r: r.find("invoices").insert(0, etree.fromstring("<note>x</note>"))),
    "entities-and-cdata": _edit(_set("screen-name", "a & b < c > d \"e\" 'f' ]]> é 😀")),
    "carriage-return": DECL + subscriber_document(7)[len(DECL):].replace(
        b"<screen-name>user-7</screen-name>", b"<screen-name>two&#13;\nlines</screen-name>"),
}

LIST_CASES: dict[str, bytes] = {
    "generated-list": subscribers_document(5),
    "generated-list-long": subscribers_document(80),  # long enough to pause the collector
    "nil-classes": DECL + b'<nil-classes type="array"/>',
    "named-empty": DECL + b'<subscribers type="array"></subscribers>',
    "list-with-stranger": subscribers_document(2).replace(b"</subscribers>", b"<note>x</note></subscribers>"),
}


def without_extras(model: RailsModel) -> RailsModel:
    """The model rebuilt from its declared fields only, keeping which were set.

    Undeclared elements (``model_extra``) are the fast path's alone: pydantic-xml has no
    extension point that collects them, so the reference path is compared on the rest.
    """
    return type(model).model_validate(_declared_dict(model))


def _declared_dict(value: Any) -> Any:
    if isinstance(value, list):
        return [_declared_dict(v) for v in value]
    if isinstance(value, RailsModel):
        names = value.model_fields_set & set(type(value).model_fields)
        return {n: _declared_dict(getattr(value, n)) for n in names}
    return value
