"""Card details: checked like the service's test gateway, judged by the emulator's clock."""

from __future__ import annotations

from collections.abc import Mapping

from .. import _choices as C
from .._state import CardOnFile, SubscriberRecord
from .._wire import Fields, Refusal
from ._context import Ctx, blank, parse_int

__all__ = ["BILLING_FIELDS", "card_from", "charge_card", "store_card"]

BILLING_FIELDS: Mapping[str, str] = {
    "address1": "billing_address1", "city": "billing_city", "state": "billing_state", "zip": "billing_zip",
    "country": "billing_country", "phone_number": "billing_phone_number",
}
"""Card fields (names of :class:`~spreedly_sdk.models.CreditCard`) kept as the subscriber's billing details."""


def card_from(ctx: Ctx, card: Fields) -> tuple[CardOnFile, str, dict[str, str]]:
    """Check a ``<credit-card>``: the card, its digits and the billing names/address, or a 422."""
    number = "".join(ch for ch in (card.text("number") or "") if ch.isdigit())
    month = parse_int(card.text("month"))
    year = parse_int(card.text("year"))
    first = card.text("first_name")
    last = card.text("last_name")
    errors: list[str] = []
    if len(number) < 12:
        errors.append(C.TEXT_NUMBER_INVALID)
    if month is None or not 1 <= month <= 12:
        errors.append(C.TEXT_MONTH_INVALID)
    if year is None or not 1000 <= year <= C.LATEST_YEAR:
        errors.append(C.TEXT_YEAR_INVALID)
    elif month is not None and 1 <= month <= 12 and (year, month) < (ctx.now.year, ctx.now.month):
        errors.append(C.TEXT_YEAR_EXPIRED)
    if blank(first):
        errors.append(C.TEXT_FIRST_NAME_BLANK)
    if blank(last):
        errors.append(C.TEXT_LAST_NAME_BLANK)
    if errors:
        raise Refusal(422, errors=errors)
    assert month is not None and year is not None and first is not None and last is not None
    card_type = (card.text("card_type") or "").strip() or "visa"
    names = {"billing_first_name": first, "billing_last_name": last}
    for field, attr in BILLING_FIELDS.items():
        value = card.text(field)
        if value is not None:
            names[attr] = value
    return CardOnFile(card_type=card_type.replace("-", "_"), last_four=number[-4:], month=month, year=year), \
        number, names


def charge_card(ctx: Ctx, card: Fields) -> tuple[CardOnFile, dict[str, str]]:
    """Check a card and "authorise" it with the test gateway's rules."""
    on_file, number, names = card_from(ctx, card)
    if number == C.GATEWAY_UNAVAILABLE_CARD:
        raise Refusal(403, C.TEXT_GATEWAY_UNAVAILABLE)
    if number != C.APPROVING_CARD:
        raise Refusal(403, C.TEXT_CARD_DECLINED)
    return on_file, names


def store_card(rec: SubscriberRecord, card: CardOnFile, names: Mapping[str, str]) -> None:
    rec.card = card
    for attr, value in names.items():
        setattr(rec, attr, value)
