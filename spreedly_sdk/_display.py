"""How amounts are shown to people (the ``spreedly`` command and the demo): ``19.00``, never ``19.0``."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["money"]

CENTS = Decimal("0.01")


def money(amount: Decimal) -> str:
    """The amount with two decimals (``19.0`` -> ``19.00``), or with all of its own when it has
    more (``0.125`` stays ``0.125``): shown money is never rounded."""
    if not amount.is_finite():
        return str(amount)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{amount:f}"
    return f"{amount.quantize(CENTS):f}"
