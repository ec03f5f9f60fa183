"""Hypothesis strategies for every model, drawn from its declaration table: text with astral
characters and edge whitespace, leading-zero ids, big and oddly scaled decimals, datetimes
with offsets and microseconds, open enumerations with values the service may add later."""

from __future__ import annotations

import typing
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin

from hypothesis import strategies as st

from spreedly_sdk import models
from spreedly_sdk.models import RailsModel

XML_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(
        lambda c: c in "\t\n\r" or (ord(c) >= 0x20 and c not in "\ufffe\uffff")),
    max_size=12,
) | st.sampled_from(["", " ", "  lead", "trail  ", "\n", "😀𝄞", "a & b < c", "]]>"])

IDS = st.sampled_from(["0", "007", "001", "42", "a b", "x😀"]) | st.from_regex(r"\A0{0,3}[0-9]{1,12}\Z")

DECIMALS = st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [Decimal("0.10"), Decimal("-0"), Decimal("1E+5"), Decimal("123456789012345678901234567890.123456789")])

OFFSETS = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
DATETIMES = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=OFFSETS)

SCALARS: dict[type, st.SearchStrategy[Any]] = {
    str: XML_TEXT,
    int: st.integers(min_value=-(10**30), max_value=10**30),
    bool: st.booleans(),
    Decimal: DECIMALS,
    datetime: DATETIMES,
}

RESPONSE_MODELS: list[type[RailsModel]] = [
    models.Subscriber, models.Invoice, models.LineItem, models.SubscriptionPlan, models.SubscriptionPlanVersion,
    models.Transaction, models.TransactionDetail, models.ErrorsDocument,
]
REQUEST_MODELS: list[type[RailsModel]] = [
    models.SubscriberCreate, models.SubscriberUpdate, models.CreditCard, models.PaymentMethod, models.PlanReference,
    models.ComplimentarySubscription, models.ComplimentaryTimeExtension, models.LifetimeComplimentarySubscription,
    models.Credit, models.Fee, models.InvoiceSubscriber, models.InvoiceCreate, models.Payment,
]
ALL_MODELS = RESPONSE_MODELS + REQUEST_MODELS


def _literal_values(annotation: Any) -> tuple[Any, ...] | None:
    """The values of a ``Literal`` inside ``Optional``/``Annotated``, if the field is one."""
    while True:
        origin = get_origin(annotation)
        if origin is Literal:
            return get_args(annotation)
        if origin is typing.Annotated or origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0]
            continue
        return None


def _is_open(annotation: Any) -> bool:
    return "keep_unknown" in repr(annotation)


def field_values(model: type[RailsModel], name: str, depth: int) -> st.SearchStrategy[Any] | None:
    spec = model.rails_fields().by_name[name]
    info = model.model_fields[name]
    annotation = info.annotation
    if spec.kind == "scalar":
        if "customer_id" in name:
            return IDS
        literal = _literal_values(annotation)
        if literal is not None:
            known = st.sampled_from(literal)
            is_open = _is_open(annotation) or any(_is_open(m) for m in info.metadata)
            return known | XML_TEXT.filter(bool) if is_open else known
        return SCALARS[spec.py_type]
    if spec.kind == "repeated":
        return st.lists(XML_TEXT, max_size=3)
    assert spec.model is not None
    if spec.kind == "model":
        return values(spec.model, depth + 1)
    if depth >= 2:
        return st.just([])
    return st.lists(values(spec.model, depth + 1), max_size=2)


def values(model: type[RailsModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments for ``model`` (required fields always, optional ones sometimes, ``None`` too)."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        if info.exclude:
            continue
        strategy = field_values(model, name, depth)
        if strategy is None:
            continue
        if info.is_required():
            required[name] = strategy
        elif depth < 2 or model.rails_fields().by_name[name].kind == "scalar":
            optional[name] = st.none() | strategy
    return st.fixed_dictionaries(required, optional=optional)


def instances(model: type[RailsModel]) -> st.SearchStrategy[RailsModel]:
    """Valid instances (values a datetime cannot hold in UTC are drawn again)."""
    def build(raw: dict[str, Any]) -> RailsModel | None:
        try:
            return model.model_validate(raw)
        except ValueError:
            return None
    return st.builds(build, values(model)).filter(lambda m: m is not None)  # type: ignore[return-value]
