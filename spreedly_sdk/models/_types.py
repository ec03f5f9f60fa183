"""Field types shared by the models: UTC datetimes, customer ids, money, open enumerations."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationError, ValidatorFunctionWrapHandler, WrapValidator

__all__ = ["CustomerId", "Money", "UtcDatetime", "keep_unknown", "money_from_input"]


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        # e.g. 9999-12-31T23:00:00-05:00: the instant lies after datetime.max once in UTC
        raise ValueError(f"{value.isoformat()} is outside the range of dates Python can hold in UTC") from None


def _id_to_str(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a customer id must be a string or an integer, not a boolean")
    if isinstance(value, int):
        return str(value)
    return value


def money_from_input(value: Any) -> Any:
    """Accept ``float`` amounts by their shortest repr (``1.1`` → ``Decimal("1.1")``), never
    by their binary value; refuse booleans, NaN and infinities."""
    if isinstance(value, bool):
        raise ValueError("an amount must be a number, not a boolean")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("an amount must be a finite number")
        return Decimal(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("an amount must be a finite number")
    return value


def keep_unknown(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate against the declared ``Literal``; a string the service added later is kept as sent."""
    try:
        return handler(value)
    except ValidationError:
        if isinstance(value, str):
            return value
        raise


UtcDatetime = Annotated[datetime, AfterValidator(_to_utc)]
"""A timezone-aware datetime in UTC (naive input is taken as UTC); microseconds are kept."""

CustomerId = Annotated[str, BeforeValidator(_id_to_str)]
"""Your application's id for a subscriber: always a string (``"007"`` keeps its zeros);
integers are accepted on input and turned into their decimal text."""

Money = Annotated[Decimal, BeforeValidator(money_from_input)]
"""Amounts are exact decimals. A ``float`` given as input is taken by its shortest repr."""

OpenEnum = WrapValidator(keep_unknown)
"""Put in ``Annotated[Literal[...], OpenEnum]``: type checkers see the documented values, and
at run time a value the service adds later is kept as the string it sent (not a parse error)."""
