# pyright: strict
"""User code with mistakes, checked (never run) by both checkers. Each line whose comment
names checkers in ``error[...]`` must be reported by every checker named (mypy --strict with
the project's plugin settings, pyright strict); ``test_typing.py`` fails if one passes silently."""

from __future__ import annotations

from decimal import Decimal

from spreedly_sdk import Client, Fee, Plan, Subscriber, SubscriptionPlan
from spreedly_sdk.models import ComplimentarySubscription, CreditCard, Invoice, Transaction


def mistakes(client: Client) -> None:
    Fee(name="x")  # error[mypy,pyright]: group and amount missing
    Fee(name="x", group="g", amount=Decimal(1), colour="red")  # error[mypy,pyright]: unknown keyword
    CreditCard(number="4222222222222")  # error[mypy,pyright]: card fields missing
    Subscriber(active=True)  # error[mypy,pyright]: customer_id missing
    SubscriptionPlan(name="Monthly")  # error[mypy,pyright]: id and the other required fields missing
    Invoice(closed=True)  # error[mypy,pyright]: token missing
    Transaction(amount=Decimal(1))  # error[mypy,pyright]: id missing
    Plan(id=3, name="x", colour="red")  # error[mypy,pyright]: unknown keyword (and missing fields)
    ComplimentarySubscription(duration_quantity=1, duration_units="weeks", feature_level="x")  # error[pyright]
    Fee(name="x", group="g", amount="1.5", description=3)  # error[pyright]: wrong argument type
    client.subscribers.add_fee("42", Fee(name="x", group="g", amount=Decimal(1)), name="y")  # error[mypy,pyright]
    client.subscribers.add_store_credit("42", "1.5", "x")  # error[mypy,pyright]: too many arguments
    client.subscribers.give_time_extension("42", 1, "weeks")  # error[mypy,pyright]: not a unit


def misspelt_names() -> None:
    from spreedly_sdk import Cleint  # error[mypy,pyright]: no such name  # noqa: F401
