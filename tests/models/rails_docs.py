"""Where the test documents live, which model reads each, and document variants.

Our own fixtures (``tests/fixtures``, written from docs/service/) always run. Samples (real
documents the service sent, ``../shared/spreedly-api/samples`` next to the repository) are an
extra layer: when that folder is present they join the same tests as further parameters, and
when it is absent those parameters are simply not generated, so nothing skips.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from spreedly_sdk._xml import parse_document
from spreedly_sdk.models import (
    ErrorsDocument,
    Invoice,
    RailsModel,
    Subscriber,
    SubscriptionPlan,
    Transaction,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLES = (REPO / ".." / "shared" / "spreedly-api" / "samples").resolve()
FIXTURES = REPO / "tests" / "fixtures"

DOCUMENT_MODELS: dict[str, type[RailsModel]] = {
    "subscriber": Subscriber,
    "invoice": Invoice,
    "transaction": Transaction,
    "errors": ErrorsDocument,
}
LIST_MODELS: dict[str, type[RailsModel]] = {
    "subscribers": Subscriber,
    "subscription-plans": SubscriptionPlan,
    "transactions": Transaction,
}
# ``<nil-classes type="array"/>`` says nothing about its items: the file name does.
_PREFIX_MODELS: dict[str, type[RailsModel]] = {
    "subscribers": Subscriber,
    "plans": SubscriptionPlan,
    "transactions": Transaction,
}


def fixture(name: str) -> bytes:
    """One of our own fixtures."""
    return (FIXTURES / name).read_bytes()


def layered(fixture_name: str, fixture_facts: dict[str, Any],
            sample_name: str | None = None, sample_facts: dict[str, Any] | None = None) -> list[Any]:
    """pytest params ``(source, facts)``: our fixture always, the service's sample as well when
    the samples folder holds it. ``facts`` are the document's own values (see :func:`assert_facts`),
    so one test checks the same kind of fact on each."""
    params = [pytest.param(("fixture", fixture_name), fixture_facts, id=f"fixture:{fixture_name}")]
    if sample_name is not None and (SAMPLES / sample_name).is_file():
        params.append(pytest.param(("sample", sample_name), sample_facts or {}, id=f"sample:{sample_name}"))
    return params


def assert_facts(parsed: Any, facts: dict[str, Any]) -> None:
    """Each ``path: value`` holds of ``parsed``; a path is attribute names and list indexes
    joined by dots (``"invoices.0.token"``)."""
    for path, expected in facts.items():
        value = parsed
        for step in path.split("."):
            value = value[int(step)] if step.isdigit() else getattr(value, step)
        assert value == expected, (path, value, expected)
        assert type(value) is type(expected), (path, type(value), type(expected))


def service_sample_names() -> list[str]:
    """Every XML document in the samples folder that the service sent (not request bodies)."""
    if not SAMPLES.is_dir():
        return []
    return sorted(
        p.name for p in SAMPLES.glob("*.xml") if not p.name.startswith(("doc-request-", "request-"))
    )


def fixture_names() -> list[str]:
    return sorted(p.name for p in FIXTURES.glob("*.xml"))


def all_document_params() -> list[Any]:
    """pytest params for every fixture and, when the folder is present, every service sample."""
    params: list[Any] = [pytest.param(("fixture", n), id=f"fixture:{n}") for n in fixture_names()]
    params += [pytest.param(("sample", n), id=f"sample:{n}") for n in service_sample_names()]
    return params


def read(source: tuple[str, str]) -> tuple[str, bytes]:
    kind, name = source
    return name, (SAMPLES / name if kind == "sample" else FIXTURES / name).read_bytes()


def model_for(name: str, root: etree._Element) -> tuple[type[RailsModel], bool]:
    """The model that reads this document and whether it is a list document."""
    if root.get("type") == "array":
        model = LIST_MODELS.get(root.tag) or _PREFIX_MODELS[name.split("-")[0]]
        return model, True
    return DOCUMENT_MODELS[root.tag], False


def parse_any(name: str, data: bytes) -> Any:
    """Parse with the right model: a model instance, or a list of them."""
    model, is_list = model_for(name, parse_document(data))
    return model.list_from_xml(data) if is_list else model.from_xml(data)


def write_any(name: str, data: bytes, parsed: Any) -> bytes:
    model, is_list = model_for(name, parse_document(data))
    return model.list_to_xml(parsed) if is_list else parsed.to_xml()


# ----------------------------------------------------------------------------- variants

def _model_elements(el: etree._Element, model: type[RailsModel]) -> Iterator[tuple[etree._Element, type[RailsModel]]]:
    """Every element of the document that a model reads (the root, nested models, list items)."""
    yield el, model
    table = model.rails_fields()
    for child in el:
        spec = table.by_tag.get(child.tag)
        if spec is None or spec.model is None:
            continue
        if spec.kind == "model":
            yield from _model_elements(child, spec.model)
        elif spec.kind == "list":
            for item in child:
                yield from _model_elements(item, spec.model)


def _roots(name: str, root: etree._Element) -> list[tuple[etree._Element, type[RailsModel]]]:
    model, is_list = model_for(name, root)
    if is_list:
        return [pair for item in root for pair in _model_elements(item, model)]
    return list(_model_elements(root, model))


def _unknowns(el: etree._Element, model: type[RailsModel]) -> list[etree._Element]:
    """Unknown elements, one of which hides declared names (and a ``type`` the parser must not trust)."""
    declared = [s.tag for s in model.rails_fields().specs]
    odd = etree.Element("zz-added-later", type="Weird::Type")
    odd.text = "surprise"
    trap = etree.Element("extra-block", type="array")
    for tag in declared[:3]:
        inner = etree.SubElement(trap, tag)
        inner.text = "trap"
    nil = etree.Element("unknown-nil", nil="true")
    return [odd, trap, nil]


def with_unknowns(name: str, data: bytes, where: str) -> bytes:
    """The document with unknown elements inserted ``first``, in the ``middle`` or ``last``
    of every element a model reads, and of a list root."""
    root = parse_document(data)
    targets = _roots(name, root)
    if root.get("type") == "array":
        targets.append((root, targets[0][1] if targets else Subscriber))
    for el, model in targets:
        for extra in _unknowns(el, model):
            if where == "first":
                el.insert(0, extra)
            elif where == "middle":
                el.insert(len(el) // 2, extra)
            else:
                el.append(extra)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def reordered(name: str, data: bytes, how: str) -> bytes:
    """The document with the children of every model element ``reversed`` or ``shuffled``."""
    root = parse_document(data)
    rng = random.Random(f"{name}:{how}")
    for el, _model in _roots(name, root):
        # Elements are moved as groups of one tag, so repeated ones (``<error>``) keep
        # their relative order, which is meaningful.
        groups: dict[str, list[etree._Element]] = {}
        for child in list(el):
            groups.setdefault(child.tag, []).append(child)
            el.remove(child)
        order = list(groups)
        if how == "reversed":
            order.reverse()
        else:
            rng.shuffle(order)
        for tag in order:
            el.extend(groups[tag])
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


# ----------------------------------------------------------------------------- comparing XML

def shape(data: bytes | etree._Element, *, types: bool = True) -> Any:
    """A comparable form of a document: (tag, attributes, text, children), whitespace ignored."""
    el = parse_document(data) if isinstance(data, bytes) else data
    attrs = dict(el.attrib)
    if not types:
        attrs.pop("type", None)
    text = (el.text or "").strip() if len(el) else (el.text or "")
    return (el.tag, tuple(sorted(attrs.items())), text, tuple(shape(c, types=types) for c in el))


def copy_element(el: etree._Element) -> etree._Element:
    return copy.deepcopy(el)


def declared(parsed: Any) -> Any:
    """The declared fields only, recursively (``model_extra`` left out): what the reference
    path (pydantic-xml, which has no way to collect undeclared elements) can be compared on."""
    if isinstance(parsed, list):
        return [declared(p) for p in parsed]
    if isinstance(parsed, RailsModel):
        return (type(parsed), {name: declared(getattr(parsed, name)) for name in type(parsed).model_fields})
    return parsed


def extras_of(parsed: Any) -> list[dict[str, Any]]:
    """``model_extra`` of every model in a parsed document, outermost first."""
    found: list[dict[str, Any]] = []
    for item in parsed if isinstance(parsed, list) else [parsed]:
        if isinstance(item, RailsModel):
            found.append(dict(item.model_extra or {}))
            for name in type(item).model_fields:
                found += extras_of(getattr(item, name))
    return found
