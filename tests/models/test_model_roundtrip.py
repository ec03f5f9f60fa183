"""Every service sample and every fixture: parsed, written, parsed again; robust to unknown
elements and to any order; nothing in them is silently dropped; fast path equals reference."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from rails_docs import (
    all_document_params,
    declared,
    extras_of,
    model_for,
    parse_any,
    read,
    reordered,
    with_unknowns,
    write_any,
)

from spreedly_sdk._xml import parse_document
from spreedly_sdk.models import RailsModel
from tests.performance._docs import without_extras

DOCS = all_document_params()


@pytest.mark.parametrize("source", DOCS)
def test_parse_write_parse_is_equal(source: tuple[str, str]) -> None:
    name, data = read(source)
    first = parse_any(name, data)
    written = write_any(name, data, first)
    again = parse_any(name, written)
    assert again == first
    # writing is stable: a second write gives the same bytes
    assert write_any(name, data, again) == written


@pytest.mark.parametrize("source", DOCS)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_unknown_elements_change_nothing(source: tuple[str, str], where: str) -> None:
    name, data = read(source)
    variant = with_unknowns(name, data, where)
    assert variant.count(b"zz-added-later") >= 1
    expected = parse_any(name, data)
    got = parse_any(name, variant)
    assert declared(got) == declared(expected)
    # nothing lost: each model that read unknown elements keeps them in model_extra, by tag
    kept = [e for e in extras_of(got) if e]
    assert bool(kept) == bool(extras_of(got)) and all(e["zz-added-later"] == "surprise" and e["unknown-nil"] is None
                        and isinstance(e["extra-block"], dict) for e in kept)
    # ... and writes them back: parse(write(parsed)) keeps them too
    assert parse_any(name, write_any(name, variant, got)) == got
    model, is_list = model_for(name, parse_document(variant))
    if not is_list:  # pydantic-xml's own path too (its default search mode drops fields here)
        assert declared(model.from_xml_reference(variant)) == declared(expected)


@pytest.mark.parametrize("source", DOCS)
@pytest.mark.parametrize("how", ["reversed", "shuffled"])
def test_reordered_documents_parse_the_same(source: tuple[str, str], how: str) -> None:
    name, data = read(source)
    variant = reordered(name, data, how)
    expected = parse_any(name, data)
    assert parse_any(name, variant) == expected
    model, is_list = model_for(name, parse_document(variant))
    if not is_list:
        assert model.from_xml_reference(variant) == expected


def _undeclared(el: etree._Element, model: type[RailsModel], where: str) -> list[str]:
    missing = []
    table = model.rails_fields()
    for child in el:
        spec = table.by_tag.get(child.tag)
        if spec is None:
            missing.append(f"{where}/{child.tag}")
        elif spec.kind == "model" and spec.model is not None:
            missing += _undeclared(child, spec.model, f"{where}/{child.tag}")
        elif spec.kind == "list" and spec.model is not None:
            for item in child:
                missing += _undeclared(item, spec.model, f"{where}/{child.tag}/{item.tag}")
    return missing


@pytest.mark.parametrize("source", DOCS)
def test_every_element_of_every_document_is_declared(source: tuple[str, str]) -> None:
    """No field the service sent is lost: every element maps to a declared field (except the
    kind-specific children of a transaction's ``detail``, which are tolerated)."""
    name, data = read(source)
    root = parse_document(data)
    model, is_list = model_for(name, root)
    items = list(root) if is_list else [root]
    missing = [m for item in items for m in _undeclared(item, model, item.tag) if "/detail/" not in m]
    assert missing == []


def _values(parsed: Any) -> Any:
    return [p.model_dump() for p in parsed] if isinstance(parsed, list) else parsed.model_dump()


@pytest.mark.parametrize("source", DOCS)
def test_fast_path_matches_pydantic_xml_reference(source: tuple[str, str]) -> None:
    name, data = read(source)
    model, is_list = model_for(name, parse_document(data))
    if is_list:
        root = parse_document(data)
        for item in root:
            doc = etree.tostring(item)
            fast = model.from_xml(doc)
            assert declared(model.from_xml_reference(doc)) == declared(fast)
            assert declared(model.from_xml(fast.to_xml_reference())) == declared(fast)
            assert shape(fast.to_xml_reference()) == shape(without_extras(fast).to_xml())
        return
    fast = model.from_xml(data)
    assert declared(model.from_xml_reference(data)) == declared(fast)
    assert shape(fast.to_xml_reference()) == shape(without_extras(fast).to_xml())


def shape(data: bytes) -> Any:
    from rails_docs import shape as _shape

    return _shape(data)


def test_every_declared_field_is_read_from_some_fixture() -> None:
    """Our fixtures give every field of every response model a value, so a broken field
    declaration shows up even where the samples folder is absent."""
    from rails_docs import FIXTURES, fixture_names

    from spreedly_sdk.models import (
        ErrorsDocument,
        Invoice,
        LineItem,
        Subscriber,
        SubscriptionPlan,
        SubscriptionPlanVersion,
        Transaction,
        TransactionDetail,
    )

    seen: dict[type, set[str]] = {}

    def walk(m: RailsModel) -> None:
        for name in type(m).model_fields:
            value = getattr(m, name)
            if value is not None:
                seen.setdefault(type(m), set()).add(name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, RailsModel):
                    walk(item)

    for name in fixture_names():
        parsed = parse_any(name, (FIXTURES / name).read_bytes())
        for m in parsed if isinstance(parsed, list) else [parsed]:
            walk(m)
    for cls in (Subscriber, SubscriptionPlan, SubscriptionPlanVersion, Invoice, LineItem, Transaction,
                TransactionDetail, ErrorsDocument):
        assert set(cls.model_fields) - seen.get(cls, set()) == set(), cls.__name__

