"""Typed values as text, both ways: the forms the service wrote them in (read strictly) and
how the models write them back."""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from ..errors import ResponseParseError

__all__ = ["BOOLEANS", "FORM_CHECKS", "SERVICE_FORMS", "check_form", "scalar_from_text", "scalar_to_text"]


def scalar_from_text(py_type: type, text: str | None, nil: bool) -> str | None:
    """The raw value of a scalar element of ``py_type`` for validation, ``None`` meaning "no value"."""
    if not text:
        if py_type is str and not nil:
            return ""
        return None
    if py_type is not str:
        text = text.strip()
        return text or None
    return text


def scalar_to_text(value: Any) -> str:
    """Render a scalar the way the service did."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        v = value.astimezone(timezone.utc)  # strftime("%Y") would not zero-pad years below 1000
        fraction = f".{v.microsecond:06d}" if v.microsecond else ""
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}{fraction}Z"
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def decimal_text(value: Decimal) -> str:
    """Plain notation, as the service wrote amounts (``100000``, never ``1E+5``); ValueError for
    a value whose plain form would be longer than Python prints integers (``1E+1000000``)."""
    if not value.is_finite():
        raise ValueError(f"{value} is not a number the service can read")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
    if abs(exponent) + len(value.as_tuple().digits) > (limit or 4300):
        raise ValueError("the number is too long to print")
    return format(value, "f")


SERVICE_FORMS: dict[type, tuple[re.Pattern[str], str]] = {
    int: (re.compile(r"-?[0-9]+"), "an integer"),
    Decimal: (re.compile(r"-?[0-9]+(?:\.[0-9]+)?"), "a decimal number"),
    bool: (re.compile(r"true|false"), "true or false"),
    datetime: (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
                          r"(?:Z|[+-][0-9]{2}:[0-9]{2})?"), "a datetime like 2009-01-15T12:00:00Z"),
}
"""The forms in which the service wrote each typed value (ASCII digits only: ``[0-9]``, not
``\\d``). Anything else that pydantic's lax mode would coerce (``1_000``, ``yes``, an epoch) is
refused when reading."""


BOOLEANS = {"true": True, "false": False}

FORM_CHECKS: dict[type, Any] = {
    **{py_type: pattern.fullmatch for py_type, (pattern, _form) in SERVICE_FORMS.items()},
    bool: frozenset(("true", "false")).__contains__,
}
"""Per type, a C-level test of the service's form (truthy when the text is in it): the fast
reader calls one per typed value, without a Python frame."""


def check_form(document: str, name: str, tag: str, text: str, py_type: type) -> None:
    """Refuse a typed value not written in the service's form, naming the field and its tag."""
    pattern, form = SERVICE_FORMS[py_type]
    if pattern.fullmatch(text) is None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise ResponseParseError(f"the <{document}> document does not fit the model: "
                                 f"{name} (<{tag}>): {shown!r} is not {form}")
