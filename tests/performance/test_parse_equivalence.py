"""The fast reader gives exactly the results of pydantic-xml's reference path.

For every fixture, sample (when the folder is present) and generated edge case: ``Model.from_xml(b)`` equals
``Model.from_xml_reference(b)`` field for field, including which fields count as set, or
both refuse the document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pydantic import BaseModel, ValidationError

from spreedly_sdk.errors import SpreedlyError
from spreedly_sdk.models import RailsModel, Subscriber

from ._docs import (
    EDGE_CASES,
    LIST_CASES,
    list_models_for,
    models_for,
    read_by_a_model,
    sample_files,
    without_extras,
)


def assert_same(fast: Any, ref: Any, where: str = "") -> None:
    """Equal values, equal types, and the same ``model_fields_set`` all the way down."""
    assert type(fast) is type(ref), where
    if isinstance(fast, BaseModel):
        declared = set(type(fast).model_fields)
        # pydantic-xml leaves a field whose element is present but nil unset; the fast reader
        # counts it as set (the document carried it). Otherwise the same fields are set.
        extra_set = (fast.model_fields_set - ref.model_fields_set) & declared
        assert ref.model_fields_set & declared <= fast.model_fields_set, where
        assert all(getattr(fast, name) is None for name in extra_set), where
        for name in type(fast).model_fields:
            assert_same(getattr(fast, name), getattr(ref, name), f"{where}.{name}")
    elif isinstance(fast, list):
        assert len(fast) == len(ref), where
        for i, (a, b) in enumerate(zip(fast, ref)):
            assert_same(a, b, f"{where}[{i}]")
    else:
        assert fast == ref, where
        if hasattr(fast, "tzinfo"):
            assert fast.utcoffset() == ref.utcoffset(), where
    if not isinstance(fast, (BaseModel, list)):
        assert fast == ref, where
    # Undeclared elements are the fast reader's alone (pydantic-xml has no extension point that
    # collects them): the reference's model_extra stays empty; the fast one's is checked in
    # tests/models/test_model_extras.py.


def _outcome(fn: Any) -> tuple[str, Any]:
    try:
        return "ok", fn()
    except (SpreedlyError, ValidationError) as exc:
        return "refused", type(exc).__name__


def check_document(body: bytes) -> int:
    """Compare both readers for every model of the document's root; return how many compared."""
    root = etree.fromstring(body)
    compared = 0
    for model in models_for(root.tag):
        fast = _outcome(lambda m=model: m.from_xml(body))
        ref = _outcome(lambda m=model: m.from_xml_reference(body))
        if model.model_config.get("extra") == "forbid" and ref[0] == "refused" and fast[0] == "ok":
            # Request models forbid extra fields: pydantic-xml then refuses unknown elements,
            # while the fast reader skips them everywhere (the documented forgiving rule).
            compared += 1
            continue
        assert fast[0] == ref[0], (model.__name__, fast, ref)
        if fast[0] == "ok":
            assert_same(fast[1], ref[1], model.__name__)
        compared += 1
    if root.get("type") == "array" or root.tag == "nil-classes":
        for model in list_models_for(root.tag) or ([Subscriber] if root.tag == "nil-classes" else []):
            fast_items = model.list_from_xml(body)
            ref_items = [model.from_xml_tree(item) for item in root if item.tag == model.__xml_tag__]
            assert_same(fast_items, ref_items, f"list of {model.__name__}")
            compared += 1
    return compared


DOCUMENTS = sample_files()
FILES = [p for p in DOCUMENTS if read_by_a_model(p)]
UNREAD = [p for p in DOCUMENTS if not read_by_a_model(p)]


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_samples_and_fixtures(path: Path) -> None:
    assert check_document(path.read_bytes()) >= 1


def test_documents_left_out_are_underscored_request_bodies() -> None:
    """Guard: the parametrization above leaves out only request bodies with an underscored root
    (see ``read_by_a_model``), never a response document, and covers every fixture and sample."""
    for path in UNREAD:
        root = etree.fromstring(path.read_bytes())
        assert "_" in root.tag and models_for(root.tag.replace("_", "-")), path.name
        assert path.parent.name == "requests" or path.name.startswith("request-"), path.name
    names = {p.name for p in FILES}
    assert {"subscriber-2013-on-trial-with-invoice.xml", "subscribers-list-2009.xml", "fee.xml"} <= names
    from tests.conftest import SAMPLES

    if SAMPLES.is_dir():  # the service's own documents, an extra layer when present
        assert {"subscriber-on-trial-with-invoices-2013.xml", "doc-request-fee.xml"} <= names


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases(name: str) -> None:
    assert check_document(EDGE_CASES[name]) >= 1


@pytest.mark.parametrize("name", sorted(LIST_CASES))
def test_list_cases(name: str) -> None:
    assert check_document(LIST_CASES[name]) >= 1


def test_edge_cases_mean_what_they_say() -> None:
    """The rules themselves (so both paths cannot agree on a wrong answer unnoticed)."""
    from spreedly_sdk.errors import ResponseParseError

    partial = ("nested-nil-with-children", "nested-empty")  # a plan version lacking its required fields
    read = {name: Subscriber.from_xml(body) for name, body in EDGE_CASES.items() if name not in partial}
    for name in partial:
        with pytest.raises(ResponseParseError, match=r"subscription_plan_version\.\w+: Field required"):
            Subscriber.from_xml(EDGE_CASES[name])
    assert read["nil-with-text"].email == "kept@example.com"
    assert read["nil-with-text-typed"].active is True
    assert read["empty-string"].email == ""
    assert read["nil-string"].email is None
    assert "email" in read["nil-string"].model_fields_set  # carried (as nil): sent back as nil by set_info
    assert read["empty-typed-not-nil"].store_credit is None
    assert str(read["padded-number"].store_credit) == "12.50"
    assert read["padded-string-kept"].screen_name == "  spaced  "
    assert read["in_grace_period-spelling"].in_grace_period is False
    assert read["duplicate-first-wins"].email == "first@example.com"
    assert read["duplicate-nil-first-wins"].email is None
    assert read["duplicate-typed-nil-first"].active is None
    assert read["nested-nil"].subscription_plan_version is None
    assert read["invoices-empty"].invoices == []
    assert read["invoices-absent"].invoices is None
    assert read["entities-and-cdata"].screen_name == "a & b < c > d \"e\" 'f' ]]> é 😀"
    assert read["carriage-return"].screen_name == "two\r\nlines"
    assert read["reordered"] == read["generated"]
    unknown = read["unknown-first-middle-last"]
    assert without_extras(unknown).model_dump() == read["generated"].model_dump()
    assert unknown.model_extra
    invoice = read["generated"].invoices[0]  # type: ignore[index]
    assert invoice.line_items[0].description == "Every 1 month"  # type: ignore[index]


def test_element_to_dict_is_reused_per_class() -> None:
    """The per-class tag table is built once and reflects the declaration."""
    reader = Subscriber._reader()
    assert Subscriber._reader() is reader
    assert {"in-grace-period", "in_grace_period", "customer-id", "invoices"} <= set(reader)
    assert set(Subscriber.model_fields) == {entry[1] for entry in reader.values()}


def test_models_cover_every_model() -> None:
    from ._docs import MODELS

    assert Subscriber in MODELS
    assert all(issubclass(m, RailsModel) for m in MODELS)
