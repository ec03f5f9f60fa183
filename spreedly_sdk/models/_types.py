"""Field types shared by the models: UTC datetimes, customer ids, money, open enumerations."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationError, ValidatorFunctionWrapHandler, WrapValidator

__all__ = ["CustomerId", "Money", "OpenEnum", "UtcDatetime", "keep_unknown"]


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is timezone.utc:  # the fast reader's usual case: already UTC
        return value
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

Money = Decimal
"""Amounts are exact decimals. A ``float`` given as input is taken by its shortest repr (pydantic's
own conversion: ``1.1`` → ``Decimal("1.1")``); booleans, NaN and infinities are refused."""

OpenEnum = WrapValidator(keep_unknown)
"""Put in ``Annotated[Literal[...], OpenEnum]``: type checkers see the documented values, and
at run time a value the service adds later is kept as the string it sent (not a parse error)."""
