"""``spreedly demo``: a guided tour of the whole API against an emulator on a loopback socket.

Each step calls the SDK over real HTTP and prints what happened. The tour checks the answers
as it goes and raises :class:`DemoError` if the emulated site does not behave as documented.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from .._client import Client
from ..errors import APIStatusError, ForbiddenError, UnprocessableEntityError
from ..models import CreditCardPayment, OnFilePayment, Subscriber
from ._choices import APPROVING_CARD, DECLINING_CARD
from ._clock import Clock
from .emulator import Emulator

__all__ = ["DemoError", "run_demo"]

Echo = Callable[[str], Any]


class DemoError(RuntimeError):
    """The emulated site answered something the tour did not expect."""


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoError(f"unexpected answer: {what}")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "never"


def _state(sub: Subscriber) -> str:
    flags = [name for name, on in (("active", sub.active), ("on trial", sub.on_trial),
                                   ("recurring", sub.recurring), ("lifetime", sub.lifetime_subscription)) if on]
    level = f", feature level {sub.feature_level!r}" if sub.feature_level else ""
    return f"{', '.join(flags) or 'inactive'}{level}, active until {_when(sub.active_until)}"


def _refused(echo: Echo, err: APIStatusError) -> None:
    echo(f"    -> refused with {err.status_code}: {'; '.join(err.errors)}")


def run_demo(echo: Echo = print, *, start: datetime | None = None) -> None:
    """Walk through the API against a fresh emulator, printing each step with ``echo``."""
    clock = Clock(start or datetime.now(timezone.utc))
    emu = Emulator("demo-test", clock=clock)
    with emu.serve() as base_url, Client(emu.token, emu.site_name, base_url=base_url, max_retries=0) as client:
        echo(f"Emulated Spreedly test site {emu.site_name!r} listening on {base_url}")
        echo(f"(API token {emu.token}; every call below is real HTTP through the SDK)\n")

        echo("1. The plan catalogue (GET subscription_plans.xml)")
        plans = client.plans.list()
        for plan in plans:
            state = "enabled" if plan.enabled else "disabled"
            echo(f"    #{plan.id} {plan.name or '':<12} {plan.plan_type or '':<10} "
                 f"${plan.amount or 0:.2f} per {plan.terms} ({state})")
        _expect(len(plans) == 4, "four plans")
        trial_id, monthly_id, yearly_id = emu.plan_id("trial"), emu.plan_id("monthly"), emu.plan_id("yearly")

        echo("\n2. Create a subscriber (POST subscribers.xml -> 201)")
        alice = client.subscribers.create("alice", screen_name="Alice", email="alice@example.com")
        echo(f"    alice: {_state(alice)}; token {alice.token}")
        _expect(alice.active is False, "a new subscriber is inactive")

        echo("\n3. Start her free trial (POST subscribers/alice/subscribe_to_free_trial.xml -> 200)")
        alice = client.subscribers.subscribe_to_free_trial("alice", trial_id)
        echo(f"    alice: {_state(alice)}")
        echo("    a second trial is refused:")
        try:
            client.subscribers.subscribe_to_free_trial("alice", trial_id)
            raise DemoError("a second trial was accepted")
        except ForbiddenError as err:
            _refused(echo, err)

        echo("\n4. Comp a subscriber, then extend the comp")
        client.subscribers.create("bob", screen_name="Bob")
        bob = client.subscribers.give_complimentary_subscription("bob", 1, "months", "gold")
        echo(f"    bob after a 1-month comp: {_state(bob)}")
        bob = client.subscribers.give_time_extension("bob", 7, "days")
        echo(f"    bob after a 7-day extension: {_state(bob)}")

        echo("\n5. Fees need an active, recurring subscriber (POST .../fees.xml)")
        try:
            client.subscribers.add_fee("bob", name="Extra seats", group="Seats", amount="5.00")
            raise DemoError("a fee on a comped subscriber was accepted")
        except UnprocessableEntityError as err:
            _refused(echo, err)

        echo("\n6. Sell a plan: open an invoice, pay it (POST invoices.xml, PUT invoices/{token}/pay.xml)")
        invoice = client.invoices.create(monthly_id, "carol", screen_name="Carol", email="carol@example.com")
        lines = ", ".join(f"{li.description} {li.price}" for li in invoice.line_items or [])
        echo(f"    invoice {invoice.token}: {invoice.price} ({lines}), closed={invoice.closed}")
        echo(f"    the test card {DECLINING_CARD} is declined:")
        try:
            client.invoices.pay(invoice.token or "", CreditCardPayment(DECLINING_CARD, "visa", "123", 12, 2099,
                                                                       "Carol", "Jones"))
            raise DemoError("the declining test card was accepted")
        except ForbiddenError as err:
            _refused(echo, err)
        paid = client.invoices.pay(invoice.token or "", CreditCardPayment(APPROVING_CARD, "visa", "123", 12, 2099,
                                                                          "Carol", "Jones"))
        _expect(bool(paid.closed) and paid.subscriber is not None, "a closed invoice with its subscriber")
        assert paid.subscriber is not None
        echo(f"    paid with {APPROVING_CARD}: closed={paid.closed}; carol: {_state(paid.subscriber)}")
        echo(f"    card on file: {paid.subscriber.payment_account_display}")
        client.subscribers.add_fee("carol", name="Extra seats", group="Seats", amount="5.00")
        echo("    a fee for carol is accepted now (billed with her next renewal)")

        echo("\n7. Upgrade carol to the yearly plan with the card on file (prorated)")
        upgrade = client.invoices.create(yearly_id, "carol")
        for li in upgrade.line_items or []:
            echo(f"    {li.description:<34} {li.price:>9}")
        upgrade = client.invoices.pay(upgrade.token or "", OnFilePayment())
        assert upgrade.subscriber is not None
        echo(f"    total {upgrade.price}; carol: {_state(upgrade.subscriber)}")

        echo("\n8. Store credit and stopping auto-renew")
        client.subscribers.add_store_credit("carol", "10.00")
        client.subscribers.stop_auto_renew("carol")
        carol = client.subscribers.get("carol")
        echo(f"    carol: store credit ${carol.store_credit}; {_state(carol)}")
        _expect(carol.recurring is False and bool(carol.active), "stopped but still active")

        echo("\n9. Transactions (GET transactions.xml)")
        transactions = client.transactions.list()
        for tx in transactions:
            echo(f"    #{tx.id} {tx.detail_type:<14} {tx.subscriber_customer_id:<6} {tx.price:>9}  {tx.terms}")
        _expect([t.detail_type for t in transactions][:3] == ["StopAutoRenew", "Subscription", "Subscription"],
                "newest first: a stop after two payments")

        echo("\n10. Hosted pages (browser URLs, not API calls)")
        echo(f"    subscribe page: {client.signup_url('dave', monthly_id, 'Dave')}")
        echo(f"    with carol's token: {client.signup_url('carol', yearly_id, token=carol.token)}")
        echo(f"    carol's account page: {client.account_url(carol.token or '')}")

        echo(f"\nDone: {len(client.subscribers.list())} subscribers, {len(emu.requests)} requests served.")
