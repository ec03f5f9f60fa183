"""One codec on pydantic-xml's public API: nothing imported from ``pydantic_xml.element``, no
writes to pydantic-xml's private attributes; ``from_xml``/``to_xml`` take only what they honour;
a repeated element and an element under two spellings are read the same on both paths."""

from __future__ import annotations

import ast
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from spreedly_sdk.errors import ResponseParseError
from spreedly_sdk.models import Fee, Subscriber, SubscriberUpdate

PACKAGE = Path(__file__).resolve().parents[2] / "spreedly_sdk"


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text())) for path in sorted(PACKAGE.rglob("*.py"))]


def test_nothing_is_imported_from_pydantic_xml_internals() -> None:
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pydantic_xml.element"):
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Import) and any(a.name.startswith("pydantic_xml.element") for a in node.names):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_no_private_pydantic_xml_attribute_is_written() -> None:
    """No assignment to ``__xml_*__`` attributes or into their dictionaries."""
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
            for target in targets:
                while isinstance(target, ast.Subscript):
                    target = target.value
                if isinstance(target, ast.Attribute) and target.attr.startswith("__xml_"):
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_from_xml_and_to_xml_refuse_keywords_they_would_ignore() -> None:
    doc = b"<subscriber><customer-id>1</customer-id></subscriber>"
    with pytest.raises(TypeError):
        Subscriber.from_xml(doc, context={"x": 1})  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Subscriber.from_xml(doc, empty_as_string=True)  # type: ignore[call-arg]
    sub = Subscriber.from_xml(doc)
    with pytest.raises(TypeError):
        sub.to_xml(exclude_unsett=True)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        sub.to_xml(skip_empty=True)  # type: ignore[call-arg]
    assert b"screen-name" not in SubscriberUpdate(email="a@b.c").to_xml(exclude_unset=True)


@pytest.mark.parametrize(("doc", "expected"), [
    (b"<in-grace-period>true</in-grace-period><in_grace_period>false</in_grace_period>", True),
    (b"<in_grace_period>true</in_grace_period><in-grace-period>false</in-grace-period>", True),
    (b"<in_grace_period>false</in_grace_period><in-grace-period>true</in-grace-period>", False),
    (b'<in-grace-period nil="true"/><in_grace_period>true</in_grace_period>', None),
])
def test_both_spellings_first_in_the_document_wins_on_both_paths(doc: bytes, expected: bool | None) -> None:
    body = b"<subscriber><customer-id>1</customer-id>" + doc + b"</subscriber>"
    assert Subscriber.from_xml(body).in_grace_period is expected
    assert Subscriber.from_xml_reference(body).in_grace_period is expected


def test_repeated_elements_first_wins_on_both_paths() -> None:
    body = (b"<subscriber><email>first@x.io</email><customer-id>1</customer-id><screen-name>a</screen-name>"
            b"<email>second@x.io</email><customer-id>2</customer-id><email>third@x.io</email></subscriber>")
    for read in (Subscriber.from_xml, Subscriber.from_xml_reference):
        sub = read(body)
        assert (sub.email, sub.customer_id, sub.screen_name) == ("first@x.io", "1", "a")
    fee = (b"<fee><name>n</name><group>g</group><amount>1</amount>"
           b"<allow_non_recurring_subscriber>true</allow_non_recurring_subscriber>"
           b"<allow-non-recurring-subscriber>false</allow-non-recurring-subscriber></fee>")
    assert Fee.from_xml(fee).allow_non_recurring_subscriber is True
    assert Fee.from_xml_reference(fee).allow_non_recurring_subscriber is True


_SHAPE_CHARS = "0123456789-:TZ.+, W\u0660\u0966\uff12"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 19), st.sampled_from(_SHAPE_CHARS)), max_size=5))
def test_datetimes_of_the_usual_shape_read_alike_on_both_paths(edits: list[tuple[int, str]]) -> None:
    """The fast reader hands the service's usual datetime form to the model already converted;
    whatever text has that outline (right or wrong digits, commas, other scripts), a datetime it
    reads is the one the reference reader reads, and what the reference refuses it refuses too
    (it is the stricter one: the service's forms only), naming the field."""
    chars = list("2009-01-15T12:00:00Z")
    for index, char in edits:
        chars[index] = char
    text = "".join(chars)
    doc = f"<subscriber><customer-id>1</customer-id><created-at>{text}</created-at></subscriber>".encode()
    results: list[object] = []
    try:
        results.append(Subscriber.from_xml(doc).created_at)
    except ResponseParseError as exc:
        assert "created_at" in str(exc)
        results.append("refused")
    try:  # the reference path reports a form error as ours, a bad date as pydantic's
        results.append(Subscriber.from_xml_reference(doc).created_at)
    except ResponseParseError as exc:
        assert "created_at" in str(exc)
        results.append("refused")
    except ValidationError as exc:
        assert exc.errors()[0]["loc"][0] == "created_at"
        results.append("refused")
    fast, reference = results
    if isinstance(fast, datetime):  # what the fast reader takes, the reference reads the same
        assert fast == reference and fast.tzinfo is timezone.utc and reference.tzinfo is timezone.utc, text  # type: ignore[union-attr]
    if reference == "refused":  # the fast reader is never the laxer one
        assert fast == "refused", text
