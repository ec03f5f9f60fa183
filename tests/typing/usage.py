# pyright: strict
"""User code exercising the public API, checked (never run) by mypy --strict and pyright strict.

Each ``assert_type`` states the type a user's editor and type checker must see; a change in
the public types makes ``tests/typing/test_typing.py`` fail.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Literal

import httpx
from typing_extensions import assert_type

import spreedly_sdk
from spreedly_sdk import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    Client,
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    CreditCardPayment,
    Fee,
    ForbiddenError,
    InvalidRequestError,
    Invoice,
    LineItem,
    NotFoundError,
    OnFilePayment,
    RateLimitError,
    ResponseError,
    SpreedlyError,
    Subscriber,
    SubscriptionPlan,
    SubscriptionPlanVersion,
    Transaction,
    TransactionDetail,
    UnprocessableEntityError,
)
from spreedly_sdk.webhooks import ChangedSubscribers, afetch_changed, fetch_changed, parse_subscriber_ids


def sync_usage(client: Client) -> None:
    assert_type(client.subscribers.get("1"), Subscriber)
    assert_type(client.subscribers.get(1), Subscriber)
    assert_type(client.subscribers.list(), list[Subscriber])
    assert_type(client.subscribers.iter(), Iterator[Subscriber])
    assert_type(client.subscribers.create("1", screen_name="ada", email=None), Subscriber)
    assert_type(client.subscribers.update("1", email="a@example.com", new_customer_id="2"), None)
    assert_type(client.subscribers.delete("1"), None)
    assert_type(client.subscribers.delete_all(), None)
    assert_type(client.subscribers.subscribe_to_free_trial("1", 3), Subscriber)
    assert_type(client.subscribers.allow_free_trial("1"), Subscriber)
    assert_type(client.subscribers.stop_auto_renew("1"), None)
    assert_type(client.subscribers.change_plan("1", 3), None)
    assert_type(client.subscribers.give_complimentary_subscription("1", 1, "months", "pro"), Subscriber)
    assert_type(client.subscribers.give_time_extension("1", 7, "days"), Subscriber)
    assert_type(client.subscribers.give_lifetime_subscription("1", "pro"), Subscriber)
    assert_type(client.subscribers.add_store_credit("1", Decimal("1.50")), None)
    assert_type(client.subscribers.add_fee("1", name="n", group="g", amount="2.00"), None)

    assert_type(client.plans.list(), list[SubscriptionPlan])
    assert_type(client.plans.iter(), Iterator[SubscriptionPlan])
    assert_type(client.plans.find(3), SubscriptionPlan | None)

    invoice = client.invoices.create(3, "1", email="a@example.com")
    assert_type(invoice, Invoice)
    card = CreditCardPayment("4222222222222", "visa", "123", 12, 2030, "Ada", "Lovelace")
    assert_type(client.invoices.pay("tok", card), Invoice)
    assert_type(client.invoices.pay("tok", OnFilePayment()), Invoice)

    assert_type(client.transactions.list(), list[Transaction])
    assert_type(client.transactions.list(since_id=10), list[Transaction])
    assert_type(client.transactions.iter(), Iterator[Transaction])

    assert_type(client.signup_url("1", 3, "ada", token="t", email="a@example.com"), str)
    assert_type(client.account_url("t", return_url="https://example.com/"), str)
    assert_type(client.with_options(timeout=5.0, max_retries=0), Client)
    assert_type(client.timeout, httpx.Timeout | None)
    assert_type(client.max_retries, int)

    # pyspreedly's flat methods
    assert_type(client.get_info("1"), Subscriber)
    assert_type(client.set_info("1", email="a@example.com"), Subscriber)
    assert_type(client.set_info(client.get_info("1")), Subscriber)
    assert_type(client.create_subscriber("1", "ada"), Subscriber)
    assert_type(client.get_or_create_subscriber("1", "ada"), Subscriber)
    assert_type(client.get_plans(), list[SubscriptionPlan])
    assert_type(client.subscribe("1"), Subscriber)
    assert_type(client.allow_free_trial("1"), Subscriber)
    assert_type(client.change_plan("1", 3), None)
    assert_type(client.add_fee("1", "n", None, "g", "1.00"), None)
    assert_type(client.create_complimentary_subscription("1", 1, "months", "pro"), Subscriber)
    assert_type(client.complimentary_time_extensions("1", 1, "days"), Subscriber)
    assert_type(client.complimentary_time_extension("1", 1, "days"), Subscriber)
    assert_type(client.add_fee("1", "n", "d", "g", 2.5), None)
    assert_type(client.create_complimentary_subscription("1", 1, "months", "pro", None, 9.99), Subscriber)
    assert_type(client.create_complimentary_subscription(
        "1", ComplimentarySubscription(duration_quantity=1, duration_units="months", feature_level="pro")), Subscriber)
    assert_type(client.complimentary_time_extensions(
        "1", ComplimentaryTimeExtension(duration_quantity=1, duration_units="days")), Subscriber)
    assert_type(client.delete_subscriber("1"), None)
    assert_type(client.cleanup(), None)
    assert_type(client.get_signup_url("1", 3, "ada"), str)
    assert_type(client.query("subscribers.xml"), httpx.Response)

    assert_type(client.hosted_pages.signup_url("1", 3, "ada", email="a@example.com"), str)
    assert_type(client.hosted_pages.account_url("t"), str)

    with Client("token", "site", http_client=httpx.Client(), timeout=httpx.Timeout(5.0)) as other:
        assert_type(other, Client)
    assert_type(other.close(), None)


def webhooks(client: Client, body: bytes) -> None:
    assert_type(parse_subscriber_ids(body, "application/x-www-form-urlencoded"), list[str])
    changed = fetch_changed(client, body)
    assert_type(changed, ChangedSubscribers)
    assert_type(changed[0], Subscriber)
    assert_type(changed.missing, tuple[str, ...])


def model_fields(sub: Subscriber, plan: SubscriptionPlan, invoice: Invoice, tx: Transaction) -> None:
    assert_type(sub.customer_id, str)
    assert_type(sub.email, str | None)
    assert_type(sub.active, bool | None)
    assert_type(sub.active_until, datetime | None)
    assert_type(sub.store_credit, Decimal | None)
    assert_type(sub.invoices, list[Invoice] | None)
    assert_type(sub.subscription_plan_version, SubscriptionPlanVersion | None)
    assert_type(sub.model_copy(update={"email": "x"}), Subscriber)
    assert_type(Subscriber.from_xml(b"<subscriber/>"), Subscriber)
    assert_type(sub.to_xml(), bytes)

    assert_type(plan.id, int)
    assert_type(plan.price, Decimal)
    assert_type(plan.is_free_trial, bool)
    assert_type(plan.versions, list[SubscriptionPlanVersion] | None)

    assert_type(invoice.token, str)
    assert_type(invoice.closed, bool)
    assert_type(invoice.line_items, list[LineItem])
    assert_type(invoice.subscriber, Subscriber | None)

    assert_type(tx.id, int)
    assert_type(tx.detail, TransactionDetail)
    assert_type(tx.created_at, datetime)


def errors(client: Client) -> None:
    try:
        client.subscribers.get("1")
    except NotFoundError as err:
        assert_type(err.status_code, int)
        assert_type(err.errors, list[str])
        assert_type(err.method, str)
        assert_type(err.path, str)
        assert_type(err.body_snippet, str)
        assert_type(err.response, httpx.Response | None)
    except RateLimitError as err:
        assert_type(err.retry_after, float | None)
    except (ForbiddenError, UnprocessableEntityError) as err:
        assert_type(err.errors, list[str])
    except APIStatusError as err:
        assert_type(err.status_code, int)
    except APITimeoutError as err:
        assert_type(err.maybe_processed, bool)
        assert_type(err.phase, Literal["connect", "read", "write", "pool", "deadline"])
    except APIConnectionError as err:
        assert_type(err.maybe_processed, bool)
    except InvalidRequestError as err:
        assert_type(err.field, str | None)
        value_error: ValueError = err
        del value_error
    except ResponseError as err:
        assert_type(err.status_code, int | None)
        assert_type(err.body_snippet, str)
    except SpreedlyError as err:
        assert_type(err.message, str)


async def async_usage(async_client: AsyncClient) -> None:
    assert_type(await async_client.subscribers.get("1"), Subscriber)
    assert_type(await async_client.subscribers.list(), list[Subscriber])
    assert_type(async_client.subscribers.iter(), AsyncIterator[Subscriber])
    assert_type(await async_client.subscribers.create("1"), Subscriber)
    assert_type(await async_client.subscribers.update("1", screen_name=None), None)
    assert_type(await async_client.subscribers.give_time_extension("1", 1, "months"), Subscriber)
    assert_type(await async_client.subscribers.add_fee("1", name="n", group="g", amount=Decimal(1)), None)
    assert_type(await async_client.subscribers.delete("1"), None)
    assert_type(await async_client.subscribers.delete_all(), None)
    assert_type(await async_client.subscribers.subscribe_to_free_trial("1", 3), Subscriber)
    assert_type(await async_client.subscribers.allow_free_trial("1"), Subscriber)
    assert_type(await async_client.subscribers.stop_auto_renew("1"), None)
    assert_type(await async_client.subscribers.change_plan("1", 3), None)
    assert_type(await async_client.subscribers.give_complimentary_subscription("1", 1, "months", "pro"), Subscriber)
    assert_type(await async_client.subscribers.give_lifetime_subscription("1", "pro"), Subscriber)
    assert_type(await async_client.subscribers.add_store_credit("1", 2.5), None)
    assert_type(await async_client.plans.list(), list[SubscriptionPlan])
    assert_type(async_client.plans.iter(), AsyncIterator[SubscriptionPlan])
    assert_type(await async_client.plans.find(3), SubscriptionPlan | None)
    assert_type(await async_client.invoices.create(3, "1"), Invoice)
    assert_type(await async_client.invoices.pay("tok", OnFilePayment()), Invoice)
    assert_type(await async_client.transactions.list(), list[Transaction])
    assert_type(async_client.transactions.iter(since_id=5), AsyncIterator[Transaction])
    assert_type(await async_client.get_info("1"), Subscriber)
    assert_type(await async_client.set_info("1", email="a@example.com"), Subscriber)
    assert_type(await async_client.get_plans(), list[SubscriptionPlan])
    assert_type(async_client.with_options(max_retries=1), AsyncClient)
    assert_type(async_client.signup_url("1", 3), str)
    assert_type(async_client.account_url("t", return_url="https://example.com/"), str)
    assert_type(async_client.hosted_pages.signup_url("1", 3), str)

    # pyspreedly's flat methods, awaited
    assert_type(await async_client.create_subscriber("1", "ada"), Subscriber)
    assert_type(await async_client.get_or_create_subscriber("1"), Subscriber)
    assert_type(await async_client.subscribe("1", 3), Subscriber)
    assert_type(await async_client.allow_free_trial("1"), Subscriber)
    assert_type(await async_client.change_plan("1", 3), None)
    assert_type(await async_client.add_fee("1", "n", None, "g", 1.5), None)
    assert_type(await async_client.add_fee("1", Fee(name="n", group="g", amount=Decimal("1.5"))), None)
    assert_type(await async_client.add_fee("1", name="n", group="g", amount=1.5, allow_non_recurring_subscriber=True),
                None)
    assert_type(await async_client.create_complimentary_subscription("1", 1, "months", "pro"), Subscriber)
    assert_type(await async_client.complimentary_time_extensions("1", 1, "days"), Subscriber)
    assert_type(await async_client.complimentary_time_extension("1", 1, "days"), Subscriber)
    assert_type(await async_client.delete_subscriber("1"), None)
    assert_type(await async_client.cleanup(), None)
    assert_type(async_client.get_signup_url("1", 3, "ada"), str)
    assert_type(await async_client.query("subscribers.xml", action="get"), httpx.Response)

    ids = [s.customer_id async for s in async_client.subscribers.iter()]
    assert_type(ids, list[str])

    async with AsyncClient("token", "site", http_client=httpx.AsyncClient()) as other:
        assert_type(other, AsyncClient)
    assert_type(await afetch_changed(async_client, ["1", "2"], concurrency=4), ChangedSubscribers)
    assert_type(await other.close(), None)
    await async_client.aclose()


assert_type(spreedly_sdk.__version__, str)


def request_models_and_precise_types(client: Client, plan: SubscriptionPlan, tx: Transaction) -> None:
    """Both forms of every method that sends a request model; floats as amounts; Plan; enums."""
    from spreedly_sdk import Fee, Plan
    from spreedly_sdk.models import (
        ComplimentarySubscription,
        ComplimentaryTimeExtension,
        Credit,
        LifetimeComplimentarySubscription,
        PlanReference,
        SubscriberCreate,
        SubscriberUpdate,
    )

    assert_type(Plan, type[SubscriptionPlan])
    assert_type(client.subscribers.add_fee("42", Fee(name="n", group="g", amount=Decimal("1.5"))), None)
    assert_type(client.subscribers.add_fee("42", name="n", group="g", amount=1.5), None)
    assert_type(client.subscribers.add_store_credit("42", 2.25), None)
    assert_type(client.subscribers.add_store_credit("42", Credit(amount=Decimal(2))), None)
    comp = ComplimentarySubscription(duration_quantity=1, duration_units="months", feature_level="pro")
    assert_type(client.subscribers.give_complimentary_subscription("42", comp), Subscriber)
    assert_type(client.subscribers.give_complimentary_subscription("42", 1, "days", "pro", amount=9.99), Subscriber)
    extension = ComplimentaryTimeExtension(duration_quantity=2, duration_units="days")
    assert_type(client.subscribers.give_time_extension("42", extension), Subscriber)
    lifetime = LifetimeComplimentarySubscription(feature_level="pro")
    assert_type(client.subscribers.give_lifetime_subscription("42", lifetime), Subscriber)
    assert_type(client.subscribers.subscribe_to_free_trial("42", PlanReference(id=3)), Subscriber)
    assert_type(client.subscribers.change_plan("42", PlanReference(id=3)), None)
    assert_type(client.subscribers.create(SubscriberCreate(customer_id="42")), Subscriber)
    assert_type(client.subscribers.update("42", SubscriberUpdate(email="a@example.com")), None)
    assert_type(client.subscribers.update(client.subscribers.get("42")), None)

    assert_type(plan.duration_units, Literal["days", "months"])
    assert_type(plan.plan_type, Literal["regular", "free_trial", "metered", "gift"])
    assert_type(tx.detail_type, Literal["Subscription", "RenewalFailure", "StopAutoRenew"])
