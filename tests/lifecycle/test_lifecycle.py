"""Subscriptions over time on the emulator's clock: trial, payment, renewals, failures, grace, expiry."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from spreedly_sdk import Client
from spreedly_sdk.models import CreditCardPayment, OnFilePayment, Transaction
from spreedly_sdk.testing import APPROVING_CARD, Clock, Emulator
from spreedly_sdk.testing._lifecycle import set_card_on_file

from .conftest import START, Receiver


def at(days: float = 0, **kw: float) -> datetime:
    return START + timedelta(days=days, **kw)


def card(number: str = APPROVING_CARD, year: int = 2099) -> CreditCardPayment:
    return CreditCardPayment(number, "visa", "123", 12, year, "Ada", "Lovelace")


def all_txs(client: Client) -> list[Transaction]:
    return list(client.transactions.iter(since_id=0))


def txs(client: Client) -> list[Transaction]:
    """The transactions of payments and renewals (not the zero records of a trial or a lifetime comp starting)."""
    return [t for t in all_txs(client)
            if t.detail.payment_method != "free_trial" and t.detail_type != "ComplimentarySubscription"]


def notified(emu: Emulator) -> list[tuple[datetime, tuple[str, ...]]]:
    return [(a.at, a.subscriber_ids) for a in emu.notifications]


def subscribe_monthly(client: Client, emu: Emulator, customer_id: str) -> None:
    invoice = client.invoices.create(emu.MONTHLY_PLAN_ID, customer_id)
    client.invoices.pay(invoice.token, card())


def test_trial_paid_renewal_failure_grace_expiry(emu: Emulator, receiver: Receiver) -> None:
    with emu.client() as client:
        client.subscribers.create("ada")
        sub = client.subscribers.subscribe_to_free_trial("ada", emu.FREE_TRIAL_PLAN_ID)
        assert sub.active and sub.on_trial and sub.active_until == at(14)
        assert notified(emu) == [(at(0), ("ada",)), (at(0), ("ada",))]

        emu.advance(days=7)                                  # mid-trial: nothing is due
        assert len(emu.notifications) == 2 and txs(client) == []
        [trial] = all_txs(client)  # a free trial records a zero transaction paid by "free_trial"
        assert trial.detail.payment_method == "free_trial" and trial.amount == 0

        subscribe_monthly(client, emu, "ada")                # trial -> paid on day 7
        sub = client.subscribers.get("ada")
        assert sub.active and not sub.on_trial and sub.recurring
        assert sub.active_until == datetime(2024, 2, 17, 9, tzinfo=timezone.utc)
        [paid] = txs(client)
        assert (paid.detail_type, paid.amount, paid.created_at) == ("Subscription", Decimal("19.0"), at(7))

        client.subscribers.add_fee("ada", name="SMS", group="Traffic Fees", amount="1.50")
        client.subscribers.add_fee("ada", name="Priority support", group="Support Fees", amount="5")
        client.subscribers.add_fee("ada", name="MMS", group="Traffic Fees", amount="2.25")
        client.subscribers.add_store_credit("ada", "3.00")
        assert notified(emu)[-4:] == [(at(7), ("ada",))] * 4

        emu.advance(days=30)                                 # Feb 16: one day before renewal
        assert len(txs(client)) == 1
        emu.advance(days=1)                                  # Feb 17 09:00: renewal
        renewal_at = datetime(2024, 2, 17, 9, tzinfo=timezone.utc)
        sub = client.subscribers.get("ada")
        assert sub.active and not sub.in_grace_period
        assert sub.active_until == datetime(2024, 3, 17, 9, tzinfo=timezone.utc)
        assert sub.grace_until == datetime(2024, 3, 20, 9, tzinfo=timezone.utc)
        assert sub.store_credit == Decimal("0.0")
        invoice = sub.invoices[0]                            # newest first
        assert invoice.closed and invoice.amount == Decimal("24.75")
        assert [(li.description, li.amount, li.notes) for li in invoice.line_items] == [
            ("Every 1 month", Decimal("19.0"), None),
            ("Traffic Fees", Decimal("3.75"), "SMS, MMS"),
            ("Support Fees", Decimal("5.0"), "Priority support"),
            ("Your store credit", Decimal("-3.0"), None),
        ]
        renewal = txs(client)[-1]
        assert (renewal.detail_type, renewal.amount, renewal.created_at) == ("Subscription", Decimal("24.75"),
                                                                             renewal_at)
        assert renewal.expires_at == sub.active_until
        assert notified(emu)[-1] == (renewal_at, ("ada",))

        set_card_on_file(emu, "ada")                         # the declining test card
        emu.advance(days=28)                                 # Mar 16
        assert notified(emu)[-1] == (renewal_at, ("ada",))
        emu.advance(days=1)                                  # Mar 17 09:00: the charge fails
        failed_at = datetime(2024, 3, 17, 9, tzinfo=timezone.utc)
        sub = client.subscribers.get("ada")
        assert sub.active and sub.in_grace_period and sub.recurring
        assert sub.active_until == failed_at
        assert sub.grace_until == failed_at + timedelta(days=3)
        assert not sub.invoices[0].closed and sub.invoices[0].amount == Decimal("19.0")
        failure = txs(client)[-1]
        assert (failure.detail_type, failure.amount, failure.created_at) == ("RenewalFailure", Decimal("19.0"),
                                                                             failed_at)
        assert notified(emu)[-1] == (failed_at, ("ada",))

        emu.advance(days=2, hours=23)                        # still in grace
        sub = client.subscribers.get("ada")
        assert sub.active and sub.in_grace_period
        emu.advance(hours=1)                                 # grace over: expired
        sub = client.subscribers.get("ada")
        assert not sub.active and not sub.in_grace_period and not sub.recurring
        assert notified(emu)[-1] == (failed_at + timedelta(days=3), ("ada",))

        count, tx_count = len(emu.notifications), len(txs(client))
        emu.advance(days=90)                                 # nothing more ever happens
        assert len(emu.notifications) == count and len(txs(client)) == tx_count
        assert not client.subscribers.get("ada").active
    assert all(a.ok for a in emu.notifications)
    assert len(receiver.bodies) == len(emu.notifications)


def test_comp_then_time_extension_then_expiry(emu: Emulator, receiver: Receiver) -> None:
    with emu.client() as client:
        client.subscribers.create("bob")
        sub = client.subscribers.give_complimentary_subscription("bob", 10, "days", "gold")
        assert sub.active and sub.active_until == at(10) and sub.feature_level == "gold" and not sub.recurring
        emu.advance(days=4)
        sub = client.subscribers.give_time_extension("bob", 5, "days")
        assert sub.active_until == at(15)
        emu.advance(days=10, hours=23)
        assert client.subscribers.get("bob").active
        before = len(emu.notifications)
        emu.advance(hours=1)
        sub = client.subscribers.get("bob")
        assert not sub.active and not sub.in_grace_period and sub.grace_until is None
        assert notified(emu)[before:] == [(at(15), ("bob",))]
        assert txs(client) == []                            # comps charge nothing
        emu.advance(days=30)
        assert len(emu.notifications) == before + 1
    assert len(receiver.bodies) == before + 1


def test_stop_auto_renew_simply_expires(emu: Emulator) -> None:
    with emu.client() as client:
        client.subscribers.create("cy")
        subscribe_monthly(client, emu, "cy")
        client.subscribers.stop_auto_renew("cy")
        assert [t.detail_type for t in txs(client)] == ["Subscription", "StopAutoRenew"]
        emu.advance(days=31)                                 # Feb 10 09:00 is the end
        sub = client.subscribers.get("cy")
        assert not sub.active and not sub.recurring and not sub.in_grace_period and sub.grace_until is None
        assert [t.detail_type for t in txs(client)] == ["Subscription", "StopAutoRenew"]
        assert notified(emu)[-1] == (datetime(2024, 2, 10, 9, tzinfo=timezone.utc), ("cy",))
        assert len(sub.invoices) == 1


def test_trial_expires_with_a_notification(emu: Emulator) -> None:
    with emu.client() as client:
        client.subscribers.create("t")
        client.subscribers.subscribe_to_free_trial("t", emu.FREE_TRIAL_PLAN_ID)
        emu.advance(days=20)
        assert not client.subscribers.get("t").active
        assert notified(emu)[-1] == (at(14), ("t",))
        assert txs(client) == []
        assert [t.created_at for t in all_txs(client)] == [at(0)]  # only the trial's start


@pytest.mark.parametrize("setup", ["expired card", "no card", "gateway card"])
def test_cards_that_fail_renewal(setup: str) -> None:
    emu = Emulator(clock=Clock(START))
    emu.add_subscriber("d", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True if setup != "no card" else None)
    if setup == "expired card":
        set_card_on_file(emu, "d", APPROVING_CARD, month=1, year=2024)   # expires before Feb
    elif setup == "gateway card":
        set_card_on_file(emu, "d", "4111111111111111")
    with emu.client() as client:
        emu.advance(days=31)
        sub = client.subscribers.get("d")
        assert sub.in_grace_period and sub.active
        assert [t.detail_type for t in txs(client)] == ["RenewalFailure"]


def test_store_credit_covering_the_renewal_needs_no_card() -> None:
    emu = Emulator(clock=Clock(START))
    emu.add_subscriber("e", plan_id=emu.MONTHLY_PLAN_ID, active=True, store_credit="50")
    set_card_on_file(emu, "e")                               # would decline
    with emu.client() as client:
        emu.advance(days=31)
        sub = client.subscribers.get("e")
        assert sub.active and not sub.in_grace_period and sub.store_credit == Decimal("31.0")
        assert [(li.description, li.amount) for li in sub.invoices[0].line_items] == [
            ("Every 1 month", Decimal("19.0")), ("Your store credit", Decimal("-19.0"))]
        [tx] = txs(client)
        assert (tx.detail_type, tx.amount) == ("Subscription", Decimal("0.0"))


def test_failed_renewal_keeps_its_fees_and_credit_until_paid(emu: Emulator) -> None:
    with emu.client() as client:
        client.subscribers.create("f")
        subscribe_monthly(client, emu, "f")
        client.subscribers.add_fee("f", name="Seats", group="Seat Fees", amount="4")
        client.subscribers.add_store_credit("f", "1")
        set_card_on_file(emu, "f")
        emu.advance(days=31)
        sub = client.subscribers.get("f")
        open_invoice = sub.invoices[0]
        assert not open_invoice.closed and open_invoice.amount == Decimal("22.0")
        assert sub.store_credit == Decimal("1.0")           # not used until paid
        set_card_on_file(emu, "f", APPROVING_CARD)
        paid = client.invoices.pay(open_invoice.token, OnFilePayment())
        assert paid.closed
        sub = client.subscribers.get("f")
        assert sub.active and not sub.in_grace_period and sub.store_credit == Decimal("0.0")
        emu.advance(days=5)                                 # past the old grace end: no expiry
        sub = client.subscribers.get("f")
        assert sub.active and sub.recurring


def test_one_long_advance_applies_each_renewal_at_its_own_instant(emu: Emulator, receiver: Receiver) -> None:
    with emu.client() as client:
        client.subscribers.create("g")
        client.subscribers.create("h")
        subscribe_monthly(client, emu, "g")
        subscribe_monthly(client, emu, "h")
        before = len(emu.notifications)
        emu.advance(days=95)
        renewals = [t for t in txs(client) if t.created_at is not None and t.created_at > START]
        assert [(t.subscriber_customer_id, t.created_at) for t in renewals] == [
            (cid, datetime(2024, month, 10, 9, tzinfo=timezone.utc)) for month in (2, 3, 4) for cid in ("g", "h")]
        assert client.subscribers.get("g").active_until == datetime(2024, 5, 10, 9, tzinfo=timezone.utc)
        # both renew at the same instant: one POST per instant, naming both
        assert notified(emu)[before:] == [(datetime(2024, m, 10, 9, tzinfo=timezone.utc), ("g", "h"))
                                          for m in (2, 3, 4)]
    assert receiver.ids[-1] == ["g", "h"]


def test_lifetime_subscribers_never_change() -> None:
    emu = Emulator(clock=Clock(START))
    emu.add_subscriber("l")
    with emu.client() as client:
        client.subscribers.give_lifetime_subscription("l", "forever")
        emu.advance(weeks=520)
        assert client.subscribers.get("l").active
        assert txs(client) == []
        assert [t.detail_type for t in all_txs(client)] == ["ComplimentarySubscription"]  # only the comp itself


def test_advance_without_arguments_applies_what_fell_due_after_clock_set() -> None:
    emu = Emulator(clock=Clock(START))
    emu.add_subscriber("s", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    emu.clock.set(at(40))
    with emu.client() as client:
        assert client.transactions.list() == []            # nothing applied yet
        emu.advance()
        [tx] = client.transactions.list()
        assert tx.detail_type == "Subscription" and tx.created_at == datetime(2024, 2, 10, 9, tzinfo=timezone.utc)


def test_next_renewal_uses_a_changed_plan_and_a_changed_customer_id(emu: Emulator) -> None:
    with emu.client() as client:
        client.subscribers.create("old-id")
        subscribe_monthly(client, emu, "old-id")
        client.subscribers.change_plan("old-id", emu.YEARLY_PLAN_ID)       # no charge now (docs/service/endpoints.md)
        client.subscribers.update("old-id", new_customer_id="new-id")
        assert [t.detail_type for t in txs(client)] == ["Subscription"]
        emu.advance(days=31)
        sub = client.subscribers.get("new-id")
        assert sub.active_until == datetime(2025, 2, 10, 9, tzinfo=timezone.utc)
        assert [(li.description, li.amount) for li in sub.invoices[0].line_items] == [
            ("Every 12 months", Decimal("190.0"))]
        renewal = txs(client)[-1]
        assert (renewal.subscriber_customer_id, renewal.amount) == ("new-id", Decimal("190.0"))
        assert notified(emu)[-1] == (datetime(2024, 2, 10, 9, tzinfo=timezone.utc), ("new-id",))


def test_a_subscriber_deleted_in_grace_is_simply_gone(emu: Emulator) -> None:
    emu.add_subscriber("gone", plan_id=emu.MONTHLY_PLAN_ID, active=True)        # no card: renewal fails
    with emu.client() as client:
        emu.advance(days=31)
        assert client.subscribers.get("gone").in_grace_period
        client.subscribers.delete("gone")
        before = len(emu.notifications)
        emu.advance(days=10)
        assert len(emu.notifications) == before
