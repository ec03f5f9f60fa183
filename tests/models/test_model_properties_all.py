"""Properties over every model (response and request), with generated values: astral text,
edge whitespace, leading-zero ids, big decimals, datetimes with offsets and microseconds.

* round trip: a model equals itself after ``from_xml(m.to_xml())`` and after
  ``model_validate(m.model_dump())``;
* one codec: the fast reader and pydantic-xml's reference path agree on every generated
  document, also with elements repeated (first wins) and reordered.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from model_strategies import ALL_MODELS, instances
from rails_docs import declared

from spreedly_sdk.models import RailsModel

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(data=st.data())
def test_every_model_round_trips(model: type[RailsModel], data: st.DataObject) -> None:
    m = data.draw(instances(model))
    assert model.from_xml(m.to_xml()) == m
    assert model.model_validate(m.model_dump()) == m
    assert model.from_xml(m.to_xml(exclude_unset=True)) == model.from_xml(m.to_xml(exclude_unset=True))


def _tamper(document: bytes, rnd: random.Random) -> bytes:
    """Repeat some elements (the copy after the original, with other content) and shuffle."""
    root = etree.fromstring(document)
    for el in list(root.iter()):
        parent = el.getparent()
        if parent is None or rnd.random() > 0.3:
            continue
        copy = etree.fromstring(etree.tostring(el))
        if copy.text:
            copy.text = copy.text[::-1] + "9"
        parent.insert(parent.index(el) + 1, copy)
    for el in list(root.iter()):
        if el.get("type") != "array":
            children = list(el)
            rnd.shuffle(children)
            # elements of one name keep their order (the first stays first); names move around
            first: dict[str, int] = {}
            for i, child in enumerate(children):
                first.setdefault(child.tag, i)
            el[:] = sorted(children, key=lambda c: first[c.tag])
    return etree.tostring(root)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_fast_and_reference_readers_agree(model: type[RailsModel], data: st.DataObject, seed: int) -> None:
    m = data.draw(instances(model))
    for document in (m.to_xml(), _tamper(m.to_xml(), random.Random(seed))):
        fast = _outcome(model, document, reference=False)
        ref = _outcome(model, document, reference=True)
        assert fast == ref


def _outcome(model: type[RailsModel], document: bytes, *, reference: bool) -> object:
    from pydantic import ValidationError

    from spreedly_sdk.errors import ResponseParseError

    try:
        read = model.from_xml_reference(document) if reference else model.from_xml(document)
    except (ResponseParseError, ValidationError, ValueError):
        return "refused"
    return declared(read)
