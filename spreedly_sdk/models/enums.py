"""The enumerations of the service's documents, as ``Literal`` types.

Type checkers see the documented values. Response models read them with :data:`OpenEnum`:
a value the service adds later is kept as the string it sent rather than failing the whole
document (the way openai-python and stripe-python treat their enumerations), so code that
matches on them should keep a fallback branch. Request models accept the documented values
only, except where noted. See docs/models.md, "Enumerations".
"""

from __future__ import annotations

from typing import Annotated, Literal

from ._types import OpenEnum

__all__ = [
    "CardType",
    "DurationUnits",
    "PaymentAccountType",
    "PlanType",
    "TransactionDetailType",
]

DurationUnits = Literal["days", "months"]
"""Unit of a plan's period, a deferral or a complimentary subscription."""

PlanType = Literal["regular", "free_trial", "metered", "gift"]
"""Kind of plan: ``regular`` and ``free_trial`` in every document; ``metered`` and ``gift`` are
named by client libraries of the time (see docs/service/documents.md)."""

TransactionDetailType = Literal["Subscription", "RenewalFailure", "StopAutoRenew"]
"""Kind of transaction; the service's documentation lists these and says "etc."."""

CardType = Literal["visa", "master", "discover", "american_express"]
"""Card brands the service accepts in a ``<credit-card>``."""

PaymentAccountType = Literal["credit-card", "on-file", "store-credit", "general-credit"]
"""How an invoice is paid (``store-credit`` and ``general-credit`` are Pin-era values)."""

OpenDurationUnits = Annotated[DurationUnits, OpenEnum]
OpenPlanType = Annotated[PlanType, OpenEnum]
OpenTransactionDetailType = Annotated[TransactionDetailType, OpenEnum]
OpenCardType = Annotated[CardType, OpenEnum]
OpenPaymentAccountType = Annotated[PaymentAccountType, OpenEnum]
