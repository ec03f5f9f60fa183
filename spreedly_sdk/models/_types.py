"""Field types shared by the models: UTC datetimes, customer ids, money."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

__all__ = ["CustomerId", "Money", "UtcDatetime"]


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _id_to_str(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a customer id must be a string or an integer, not a boolean")
    if isinstance(value, int):
        return str(value)
    return value


UtcDatetime = Annotated[datetime, AfterValidator(_to_utc)]
"""A timezone-aware datetime in UTC (naive input is taken as UTC)."""

CustomerId = Annotated[str, BeforeValidator(_id_to_str)]
"""Your application's id for a subscriber: always a string (``"007"`` keeps its zeros);
integers are accepted on input and turned into their decimal text."""

Money = Decimal
"""Amounts are exact decimals, never floats."""
