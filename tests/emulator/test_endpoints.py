"""Every endpoint through the SDK, in-process and over the socket, sync and async."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from spreedly_sdk import CreditCardPayment, ForbiddenError, NotFoundError, OnFilePayment, UnprocessableEntityError
from spreedly_sdk.testing import APPROVING_CARD, DECLINING_CARD, Clock, Emulator
from tests.routes import NOT_SENT_BY_THE_SDK, RouteLedger

ROUTE_LEDGER = RouteLedger()

T0 = datetime(2024, 1, 31, 12, 0, 0, tzinfo=timezone.utc)


def card(number: str = APPROVING_CARD) -> CreditCardPayment:
    return CreditCardPayment(number, "visa", "123", 12, 2099, "Joe", "Bloggs")


@pytest.fixture
def spreedly_emulator() -> Emulator:
    """A frozen clock so date arithmetic is exact (overrides the plugin's fixture)."""
    return Emulator(clock=Clock(T0))


async def test_plans_list_the_catalogue(api: Any, emu: Emulator) -> None:
    plans = await api.plans.list()
    assert [p.id for p in plans] == [emu.plan_id(k) for k in ("trial", "monthly", "yearly", "disabled")]
    trial = plans[0]
    assert trial.is_free_trial and trial.enabled and trial.duration_quantity == 14 and trial.duration_units == "days"
    assert plans[1].plan_type == "regular" and plans[1].duration_units == "months" and plans[1].needs_to_be_renewed
    assert plans[3].enabled is False
    assert plans[1].versions and plans[1].versions[0].subscription_plan_id == plans[1].id
    assert (await api.plans.find(emu.plan_id("yearly"))).name == "Yearly"


async def test_create_get_list_subscribers(api: Any, emu: Emulator) -> None:
    created = await api.subscribers.create("42", screen_name="joe", email="joe@example.com")
    assert created.customer_id == "42" and created.screen_name == "joe" and created.email == "joe@example.com"
    assert created.active is False and created.eligible_for_free_trial is True
    assert created.store_credit == Decimal("0") and created.recurring is None and created.invoices is None
    assert created.created_at == T0 and len(created.token or "") == 40
    fetched = await api.subscribers.get("42")
    assert fetched.invoices == [] and fetched.token == created.token
    await api.subscribers.create("007")
    assert [s.customer_id for s in await api.subscribers.list()] == ["42", "007"]
    assert (await api.subscribers.get("007")).customer_id == "007"
    assert emu.changed_ids == ["42", "007"]


async def test_odd_customer_ids_round_trip(api: Any) -> None:
    for cid in ("a/b", "x y?z#", "ünï"):
        await api.subscribers.create(cid)
        assert (await api.subscribers.get(cid)).customer_id == cid


async def test_get_unknown_subscriber_is_404(api: Any) -> None:
    with pytest.raises(NotFoundError) as info:
        await api.subscribers.get("401")
    assert info.value.errors == ["There is no subscriber with a customer id of 401"]


async def test_duplicate_create_is_403(api: Any) -> None:
    await api.subscribers.create("8889")
    with pytest.raises(ForbiddenError) as info:
        await api.subscribers.create("8889")
    assert info.value.errors == ["A subscriber with a customer-id of 8889 already exists."]


async def test_update_and_move(api: Any, emu: Emulator) -> None:
    await api.subscribers.create("44", email="old@example.com")
    assert await api.subscribers.update("44", email="new@example.com", screen_name="Joe") is None
    s = await api.subscribers.get("44")
    assert (s.email, s.screen_name) == ("new@example.com", "Joe")
    await api.subscribers.update("44", email=None)
    assert (await api.subscribers.get("44")).email is None
    await api.subscribers.update("44", new_customer_id="589")
    with pytest.raises(NotFoundError):
        await api.subscribers.get("44")
    assert (await api.subscribers.get("589")).token == s.token
    await api.subscribers.create("590")
    with pytest.raises(ForbiddenError) as info:
        await api.subscribers.update("589", new_customer_id="590")
    assert info.value.errors == ["A subscriber with a customer-id of 590 already exists."]
    with pytest.raises(NotFoundError):
        await api.subscribers.update("nobody", email="x@example.com")


async def test_delete_one_and_all(api: Any) -> None:
    for cid in ("1", "2", "3"):
        await api.subscribers.create(cid)
    await api.subscribers.delete("2")
    with pytest.raises(NotFoundError):
        await api.subscribers.get("2")
    with pytest.raises(NotFoundError):
        await api.subscribers.delete("2")
    await api.subscribers.delete_all()
    assert await api.subscribers.list() == []


async def test_free_trial_then_allow_another(api: Any, emu: Emulator) -> None:
    await api.subscribers.create("5")
    s = await api.subscribers.subscribe_to_free_trial("5", emu.plan_id("trial"))
    assert s.active and s.on_trial and not s.eligible_for_free_trial and s.recurring is False
    assert s.active_until == T0 + timedelta(days=14)
    assert s.feature_level == "trial" and s.subscription_plan_name == "Free Trial"
    assert s.subscription_plan_version is not None
    assert s.subscription_plan_version.subscription_plan_id == emu.plan_id("trial")
    with pytest.raises(ForbiddenError) as info:
        await api.subscribers.subscribe_to_free_trial("5", emu.plan_id("trial"))
    assert info.value.errors == ["The subscriber is not eligible for a free trial"]
    s = await api.subscribers.allow_free_trial("5")
    assert s.eligible_for_free_trial is True
    s = await api.subscribers.subscribe_to_free_trial("5", emu.plan_id("trial"))
    assert s.on_trial and not s.eligible_for_free_trial
    fetched = await api.subscribers.get("5")
    assert fetched.invoices and fetched.invoices[0].closed and fetched.invoices[0].amount == 0


async def test_free_trial_refusals(api: Any, emu: Emulator) -> None:
    await api.subscribers.create("6")
    with pytest.raises(ForbiddenError) as info:
        await api.subscribers.subscribe_to_free_trial("6", emu.plan_id("monthly"))
    assert info.value.errors == ["The subscription plan must be a free trial plan."]
    with pytest.raises(NotFoundError) as nf:
        await api.subscribers.subscribe_to_free_trial("6", 9)
    assert nf.value.errors == ["There is no subscription plan with an ID of 9 for the site you're accessing"]
    with pytest.raises(NotFoundError):
        await api.subscribers.subscribe_to_free_trial("nobody", emu.plan_id("trial"))
    assert (await api.subscribers.get("6")).active is False


async def test_comp_extension_and_lifetime(api: Any) -> None:
    await api.subscribers.create("7")
    s = await api.subscribers.give_complimentary_subscription("7", 1, "months", "gold")
    assert s.active and s.feature_level == "gold" and s.recurring is False
    assert s.active_until == datetime(2024, 2, 29, 12, 0, tzinfo=timezone.utc)  # Jan 31 + 1 month (leap year)
    with pytest.raises(ForbiddenError) as info:
        await api.subscribers.give_complimentary_subscription("7", 1, "months", "gold")
    assert info.value.errors == ["Complimentary subscriptions cannot be given to active subscribers."]
    s = await api.subscribers.give_time_extension("7", 30, "days")
    assert s.active_until == datetime(2024, 3, 30, 12, 0, tzinfo=timezone.utc)
    s = await api.subscribers.give_time_extension("7", 1, "days")
    assert s.active_until == datetime(2024, 3, 31, 12, 0, tzinfo=timezone.utc)
    await api.subscribers.create("8")
    with pytest.raises(ForbiddenError) as info:
        await api.subscribers.give_time_extension("8", 1, "days")
    assert info.value.errors == ["Complimentary subscriptions cannot be given to inactive subscribers."]
    s = await api.subscribers.give_lifetime_subscription("8", "Pro")
    assert s.lifetime_subscription and s.active and s.feature_level == "Pro"


async def test_store_credit(api: Any) -> None:
    await api.subscribers.create("9")
    assert await api.subscribers.add_store_credit("9", "2.50") is None
    assert (await api.subscribers.get("9")).store_credit == Decimal("2.5")
    await api.subscribers.add_store_credit("9", "-2.00")
    assert (await api.subscribers.get("9")).store_credit == Decimal("0.5")
    with pytest.raises(UnprocessableEntityError) as info:
        await api.subscribers.add_store_credit("9", "-0.51")
    assert info.value.errors == [
        "Amount is invalid. The total store credit for a subscriber must be greater than or equal to 0."]
    assert (await api.subscribers.get("9")).store_credit == Decimal("0.5")


async def test_fees_need_an_active_recurring_subscriber(api: Any, emu: Emulator) -> None:
    await api.subscribers.create("10")
    with pytest.raises(UnprocessableEntityError):
        await api.subscribers.add_fee("10", name="Traffic", group="Traffic Fees", amount="5")
    await api.subscribers.give_complimentary_subscription("10", 5, "days", "gold")
    with pytest.raises(UnprocessableEntityError):  # active but not recurring
        await api.subscribers.add_fee("10", name="Traffic", group="Traffic Fees", amount="5")
    await api.subscribers.add_fee("10", name="Traffic", group="Traffic Fees", amount="5",
                                  allow_non_recurring_subscriber=True)
    inv = await api.invoices.create(emu.plan_id("monthly"), "11")
    await api.invoices.pay(inv.token, card())
    assert await api.subscribers.add_fee("11", name="Support", group="Support Fees", amount="7.5",
                                         description="call") is None
    assert [f.amount for f in emu.subscriber_record("11").fees] == [Decimal("7.5")]


async def test_stop_auto_renew_and_change_plan(api: Any, emu: Emulator) -> None:
    inv = await api.invoices.create(emu.plan_id("monthly"), "12")
    await api.invoices.pay(inv.token, card())
    assert (await api.subscribers.get("12")).recurring is True
    assert await api.subscribers.stop_auto_renew("12") is None
    s = await api.subscribers.get("12")
    assert s.recurring is False and s.active
    await api.subscribers.stop_auto_renew("12")  # idempotent
    assert await api.subscribers.change_plan("12", emu.plan_id("yearly")) is None
    s2 = await api.subscribers.get("12")
    assert s2.subscription_plan_name == "Yearly" and s2.active_until == s.active_until
    with pytest.raises(NotFoundError):
        await api.subscribers.stop_auto_renew("nobody")
    kinds = [t.detail_type for t in await api.transactions.list()]
    assert kinds == ["StopAutoRenew", "Subscription"]  # newest first


async def test_invoice_and_payment(api: Any, emu: Emulator) -> None:
    inv = await api.invoices.create(emu.plan_id("monthly"), "13", screen_name="joe", email="joe@example.com")
    assert inv.closed is False and inv.amount == Decimal("19") and inv.price == "$19.00"
    assert inv.subscriber is not None and inv.subscriber.customer_id == "13" and inv.subscriber.active is False
    assert [li.description for li in inv.line_items or []] == ["Every 1 month"]
    with pytest.raises(ForbiddenError):
        await api.invoices.pay(inv.token, card(DECLINING_CARD))
    assert (await api.subscribers.get("13")).active is False
    paid = await api.invoices.pay(inv.token, card())
    assert paid.closed is True and paid.subscriber is not None
    sub = paid.subscriber
    assert sub.active and sub.recurring and sub.active_until == datetime(2024, 2, 29, 12, 0, tzinfo=timezone.utc)
    assert sub.payment_account_on_file and sub.payment_account_display == "Visa ending in 2222"
    assert (sub.billing_first_name, sub.billing_last_name) == ("Joe", "Bloggs")
    with pytest.raises(ForbiddenError) as info:
        await api.invoices.pay(inv.token, card())
    assert info.value.errors == ["Unable to pay an invoice which has already been closed."]
    with pytest.raises(NotFoundError) as nf:
        await api.invoices.pay("f" * 40, card())
    assert nf.value.errors == [f'Unable to find invoice "{"f" * 40}"']
    upgrade = await api.invoices.create(emu.plan_id("yearly"), "13")
    descriptions = [li.description for li in upgrade.line_items or []]
    assert descriptions == ["Every 12 months", "Credit from current subscription"]
    paid = await api.invoices.pay(upgrade.token, OnFilePayment())
    assert paid.closed and paid.subscriber is not None and paid.subscriber.subscription_plan_name == "Yearly"
    with pytest.raises(ForbiddenError) as dis:
        await api.invoices.create(emu.plan_id("disabled"), "13")
    assert dis.value.errors == [
        "The subscription plan is temporarily unavailable for purchase. Please try again later."]


async def test_transactions_page_by_50(api: Any, emu: Emulator) -> None:
    for i in range(60):
        emu.add_subscriber(f"t{i}", plan_id=emu.plan_id("monthly"), active=True)
        await api.subscribers.stop_auto_renew(f"t{i}")
    latest = await api.transactions.list()
    assert len(latest) == 50 and latest[0].id == 60 and latest[-1].id == 11  # newest first
    first = await api.transactions.list(since_id=0)
    assert [t.id for t in first] == list(range(1, 51))
    rest = await api.transactions.list(since_id=50)
    assert [t.id for t in rest] == list(range(51, 61))
    assert await api.transactions.list(since_id=60) == []
    assert all(t.detail_type == "StopAutoRenew" for t in first)


async def _collect(iterable: Any) -> list[Any]:
    if hasattr(iterable, "__aiter__"):
        return [item async for item in iterable]
    return list(iterable)


async def test_streaming_lists(api: Any, emu: Emulator) -> None:
    """``iter()`` parses list documents as they arrive; it must see what ``list()`` sees."""
    for i in range(30):
        emu.add_subscriber(f"s{i}", plan_id=emu.plan_id("monthly"), active=True)
    target = api._target if hasattr(api, "_target") else api
    subs = await _collect(target.subscribers.iter())
    assert [s.customer_id for s in subs] == [f"s{i}" for i in range(30)]
    assert all(s.invoices is None and s.subscription_plan_name == "Monthly" for s in subs)
    plans = await _collect(target.plans.iter())
    assert [p.id for p in plans] == [p.id for p in emu.plans]
    for i in range(0, 30, 2):
        await api.subscribers.stop_auto_renew(f"s{i}")
    txs = await _collect(target.transactions.iter())
    assert [t.subscriber_customer_id for t in txs] == [f"s{i}" for i in range(0, 30, 2)]


async def test_raw_query(api: Any) -> None:
    await api.subscribers.create("q1")
    resp = await api.query("subscribers/q1.xml")
    assert resp.status_code == 200 and b"<customer-id>q1</customer-id>" in resp.content
    resp = await api.query("subscribers/nobody.xml")
    assert resp.status_code == 404 and resp.text.strip() == "There is no subscriber with a customer id of nobody"
    resp = await api.query("subscribers/q1/allow_free_trial.xml", data="", action="post")
    assert resp.status_code == 200


async def test_update_card_on_file_then_pay_on_file(api: Any, emu: Emulator) -> None:
    from spreedly_sdk import CreditCard

    await api.subscribers.create("card")
    new_card = CreditCard(number=APPROVING_CARD, card_type="master", verification_value="123", month=1, year=2099,
                          first_name="Ann", last_name="Lee", city="Paris")
    await api.subscribers.update("card", payment_method=new_card)
    s = await api.subscribers.get("card")
    assert s.payment_account_on_file and s.payment_account_display == "MasterCard ending in 2222"
    assert (s.billing_first_name, s.billing_last_name, s.billing_city) == ("Ann", "Lee", "Paris")
    inv = await api.invoices.create(emu.plan_id("monthly"), "card")
    paid = await api.invoices.pay(inv.token, OnFilePayment())
    assert paid.closed and paid.subscriber is not None and paid.subscriber.active
    declined = CreditCard(number=DECLINING_CARD, card_type="visa", verification_value="1", month=1, year=2099,
                          first_name="A", last_name="B")
    with pytest.raises(ForbiddenError):
        await api.subscribers.update("card", payment_method=declined)
    assert (await api.subscribers.get("card")).payment_account_display == "MasterCard ending in 2222"


def test_every_route_is_called_through_the_sdk_above(request: pytest.FixtureRequest) -> None:
    """Last: the tests above reached every route of ``ROUTES`` through the SDK (a new one fails
    here, named), but for the routes the SDK never sends."""
    ROUTE_LEDGER.check(request, exempt=NOT_SENT_BY_THE_SDK)
