"""Property: any model value the service could hold survives write -> parse unchanged.

Values are drawn per field from the declaration table (strings with any character XML 1.0
can carry, exact decimals, UTC datetimes at the service's one-second precision, ``None``
and empty strings), nested models and lists included.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spreedly_sdk.models import (
    Invoice,
    RailsModel,
    Subscriber,
    SubscriptionPlan,
    Transaction,
)

XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff",
                           min_codepoint=0x09).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20),
    max_size=12,
)
SCALARS: dict[type, st.SearchStrategy[Any]] = {
    str: XML_TEXT,
    int: st.integers(min_value=-(2**40), max_value=2**40),
    bool: st.booleans(),
    Decimal: st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6),
    datetime: st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
    .map(lambda d: d.replace(microsecond=0, tzinfo=timezone.utc)),
}


def values(model: type[RailsModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for spec in model.rails_fields().specs:
        required = model.model_fields[spec.name].is_required()
        if spec.kind == "scalar":
            strategy = SCALARS[spec.py_type]
        elif spec.kind == "repeated":
            strategy = st.lists(XML_TEXT, max_size=3)
        elif spec.model is None:
            continue
        elif depth >= 2:
            if not model.model_fields[spec.name].is_required():
                continue
            strategy = st.just([]) if spec.kind == "list" else values(spec.model, depth + 1)
        elif spec.kind == "model":
            strategy = values(spec.model, depth + 1)
        else:
            strategy = st.lists(values(spec.model, depth + 1), max_size=2)
        if spec.name == "customer_id" or spec.name == "subscriber_customer_id":
            strategy = XML_TEXT.filter(bool)
        fields[spec.name] = strategy if required else st.none() | strategy
    must = {n: s for n, s in fields.items() if model.model_fields[n].is_required()}
    return st.fixed_dictionaries(must, optional={n: s for n, s in fields.items() if n not in must})

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(values(Subscriber))
def test_subscriber_round_trips(raw: dict[str, Any]) -> None:
    sub = Subscriber.model_validate(raw)
    assert Subscriber.from_xml(sub.to_xml()) == sub


@SETTINGS
@given(values(Invoice))
def test_invoice_round_trips(raw: dict[str, Any]) -> None:
    inv = Invoice.model_validate(raw)
    assert Invoice.from_xml(inv.to_xml()) == inv


@SETTINGS
@given(st.lists(values(SubscriptionPlan), max_size=3))
def test_plan_list_round_trips(raws: list[dict[str, Any]]) -> None:
    plans = [SubscriptionPlan.model_validate(r) for r in raws]
    assert SubscriptionPlan.list_from_xml(SubscriptionPlan.list_to_xml(plans)) == plans


@SETTINGS
@given(st.lists(values(Transaction), max_size=3))
def test_transaction_list_round_trips(raws: list[dict[str, Any]]) -> None:
    txs = [Transaction.model_validate(r) for r in raws]
    assert Transaction.list_from_xml(Transaction.list_to_xml(txs)) == txs
