"""pyspreedly's own test scenario, through the seed-named methods, against ``emu.serve()``.

The steps follow pyspreedly's live-site suite (create, get plans, cleanup, subscribe to a
trial, allow another trial, fees, comps, get-or-create, delete, signup URLs); only the host
differs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spreedly_sdk import (
    AsyncClient,
    Client,
    ForbiddenError,
    NotFoundError,
    Subscriber,
    UnprocessableEntityError,
)
from spreedly_sdk.testing import Emulator


@pytest.fixture
def live(spreedly_emulator: Emulator) -> Iterator[tuple[Emulator, Client]]:
    with spreedly_emulator.serve() as base_url, Client(spreedly_emulator.token, spreedly_emulator.site_name,
                                                       base_url=base_url) as client:
        client.cleanup()
        yield spreedly_emulator, client
        client.cleanup()


def test_get_plans(live: tuple[Emulator, Client]) -> None:
    emu, client = live
    plans = client.get_plans()
    assert {p.id for p in plans} == {p.id for p in emu.plans}
    for plan in plans:
        assert plan.name and plan.terms and plan.duration_units in ("days", "months")
        assert plan.plan_type in ("regular", "free_trial")


def test_create_and_delete_subscriber(live: tuple[Emulator, Client]) -> None:
    _, client = live
    sub = client.create_subscriber(1, "test")
    assert isinstance(sub, Subscriber) and sub.customer_id == "1" and sub.screen_name == "test"
    assert sub.active is False and sub.eligible_for_free_trial is True
    client.delete_subscriber(1)
    with pytest.raises(NotFoundError):
        client.get_info(1)


def test_cleanup_removes_everyone(live: tuple[Emulator, Client]) -> None:
    _, client = live
    for i in range(3):
        client.create_subscriber(i, f"user{i}")
    client.cleanup()
    assert client.subscribers.list() == []


def test_subscribe_to_trial_and_allow_another(live: tuple[Emulator, Client]) -> None:
    emu, client = live
    client.create_subscriber(1, "test")
    sub = client.subscribe(1)  # picks the site's enabled free-trial plan
    assert sub.on_trial and sub.active and sub.feature_level == "trial"
    with pytest.raises(ForbiddenError):
        client.subscribe(1, emu.plan_id("trial"))
    sub = client.allow_free_trial(1)
    assert sub.eligible_for_free_trial is True
    assert client.get_info(1).eligible_for_free_trial is True


def test_fees(live: tuple[Emulator, Client]) -> None:
    emu, client = live
    client.create_subscriber(1, "test")
    with pytest.raises(UnprocessableEntityError):  # a fresh subscriber is neither active nor recurring
        client.add_fee(1, "Daily Bandwidth Charge", "313 MB used", "Traffic Fees", "2.34")
    emu.add_subscriber(2, plan_id=emu.plan_id("monthly"), active=True)
    client.add_fee(2, "Daily Bandwidth Charge", "313 MB used", "Traffic Fees", "2.34")
    assert [f.group for f in emu.subscriber_record(2).fees] == ["Traffic Fees"]


def test_comps_and_time_extensions(live: tuple[Emulator, Client]) -> None:
    _, client = live
    client.create_subscriber(1, "test")
    sub = client.create_complimentary_subscription(1, 2, "months", "Pro")
    assert sub.active and sub.feature_level == "Pro"
    until = sub.active_until
    assert until is not None
    with pytest.raises(ForbiddenError):
        client.create_complimentary_subscription(1, 2, "months", "Pro")
    sub = client.complimentary_time_extension(1, 1, "days")
    assert sub.active_until is not None and (sub.active_until - until).days == 1
    client.create_subscriber(2, "other")
    with pytest.raises(ForbiddenError):
        client.complimentary_time_extensions(2, 1, "days")


def test_get_or_create_and_set_info(live: tuple[Emulator, Client]) -> None:
    _, client = live
    created = client.get_or_create_subscriber(5, "five")
    again = client.get_or_create_subscriber(5, "ignored")
    assert created.token == again.token and again.screen_name == "five"
    updated = client.set_info(5, email="five@example.com")
    assert updated.email == "five@example.com"
    moved = client.set_info(updated, new_customer_id="55")
    assert moved.customer_id == "55" and moved.email == "five@example.com"


def test_change_plan(live: tuple[Emulator, Client]) -> None:
    emu, client = live
    emu.add_subscriber(1, plan_id=emu.plan_id("monthly"), active=True)
    client.change_plan(1, emu.plan_id("yearly"))
    assert client.get_info(1).subscription_plan_name == "Yearly"


def test_signup_urls(live: tuple[Emulator, Client]) -> None:
    emu, client = live
    url = client.get_signup_url(1, emu.plan_id("monthly"), "joe")
    assert url == f"{client.base_url}".rstrip("/") + f"/{emu.site_name}/subscribers/1/subscribe/1002/joe"
    assert "/api/" not in url
    sub = client.create_subscriber(1, "joe")
    tokened = client.get_signup_url(1, emu.plan_id("monthly"), token=sub.token)
    assert f"/subscribers/1/{sub.token}/subscribe/1002" in tokened
    import httpx

    assert httpx.get(url).status_code == 200  # the emulator serves a stand-in hosted page
    assert httpx.get(client.account_url(sub.token or "")).status_code == 200


async def test_the_scenario_async(spreedly_emulator: Emulator) -> None:
    emu = spreedly_emulator
    with emu.serve() as base_url:
        async with AsyncClient(emu.token, emu.site_name, base_url=base_url) as client:
            await client.cleanup()
            await client.create_subscriber(1, "test")
            assert (await client.subscribe(1)).on_trial
            assert (await client.allow_free_trial(1)).eligible_for_free_trial
            got = await client.get_or_create_subscriber(2, "two")
            assert got.customer_id == "2"
            await client.delete_subscriber(2)
            await client.cleanup()
            assert await client.subscribers.list() == []
