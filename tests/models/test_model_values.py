"""Field values read from representative documents: the Rails conventions of docs/service/xml.md."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from rails_docs import assert_facts, fixture, layered, read

from spreedly_sdk.errors import ResponseParseError, UnexpectedResponseError
from spreedly_sdk.models import (
    ErrorsDocument,
    Invoice,
    Subscriber,
    SubscriptionPlan,
    Transaction,
)

UTC = timezone.utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ----------------------------------------------------------------------------- documents by era
# Each test reads our fixture for the case and, when the samples folder is present, the
# service's own document as well; the facts dicts hold each document's own values.


def load(source: tuple[str, str]) -> bytes:
    return read(source)[1]


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscriber-2009-created.xml",
    {"customer_id": "cust-0906", "screen_name": "kai", "email": None,
     "token": "8d8d739cb92e4f464ad95cb92839827fafa8fd5d", "created_at": utc(2009, 10, 5, 17, 20)},
    "subscriber-inactive-2009.xml",
    {"customer_id": "42", "screen_name": "bob", "email": "new@email.com",
     "token": "81ba778a5849f461ebc0d77e78b9221af2210c6b", "created_at": utc(2009, 10, 28, 22, 27, 38)},
))
def test_inactive_2009_subscriber(source: tuple[str, str], facts: dict[str, Any]) -> None:
    sub = Subscriber.from_xml(load(source))
    assert_facts(sub, facts)
    assert sub.active is False
    assert sub.active_until is None  # nil="true", empty
    assert sub.billing_first_name is None
    assert sub.subscription_plan_name == ""  # empty string is not nil
    assert sub.feature_level == ""
    assert sub.in_grace_period is None  # underscore spelling, empty boolean without nil
    assert sub.store_credit == Decimal("0.0") and isinstance(sub.store_credit, Decimal)
    assert sub.store_credit_currency_code == "USD"
    assert sub.eligible_for_free_trial is True
    assert sub.created_at is not None and sub.created_at.tzinfo is not None
    assert sub.created_at.utcoffset() == timedelta(0)
    assert sub.invoices is None  # element absent


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscriber-2009-comp-nil-beside-value.xml",
    {"active_until": utc(2009, 11, 10, 9, 16), "feature_level": "Gold", "grace_until": utc(2009, 11, 13, 9, 16)},
    "subscriber-after-complimentary-subscription.xml",
    {"active_until": utc(2010, 2, 21, 19, 4, 28), "feature_level": "Pro", "grace_until": utc(2013, 5, 2, 0, 7, 37)},
))
def test_nil_with_text_prefers_the_text(source: tuple[str, str], facts: dict[str, Any]) -> None:
    data = load(source)
    assert re.search(rb'<active-until[^>]*nil="true"[^>]*>\d', data)  # the document carries the quirk
    assert_facts(Subscriber.from_xml(data), facts)


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscriber-2013-active-recurring.xml", {"in_grace_period": False},
    "subscriber-active-recurring-2013.xml", {"in_grace_period": False},
) + layered(
    # <in_grace_period>false</in_grace_period>: our 2011 subscriber; the service's closed 2009 invoice
    "subscriber-2011-with-invoices.xml", {"in_grace_period": False},
    "invoice-pay-response-closed-2009.xml", {"subscriber.in_grace_period": False},
))
def test_in_grace_period_dashed_and_underscored(source: tuple[str, str], facts: dict[str, Any]) -> None:
    data = load(source)
    spelling = b"<in-grace-period" if "2013" in source[1] else b"<in_grace_period"
    assert spelling in data
    model = Invoice if source[1].startswith("invoice") else Subscriber
    assert_facts(model.from_xml(data), facts)


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscriber-2013-active-recurring.xml",
    {"customer_id": "cust-0513", "active_until": utc(2013, 5, 5, 15, 45),
     "payment_account_display": "Visa ending in 2222", "pagination_id": "4400231",
     "subscription_plan_version.id": 9201, "subscription_plan_version.subscription_plan_id": 320,
     "subscription_plan_version.amount": Decimal("35.0"), "subscription_plan_version.name": "Studio",
     "invoices.0.token": "7a16bc7a12b4e445b325a7d564a361d187169b12", "invoices.0.amount": Decimal("35.0")},
    "subscriber-active-recurring-2013.xml",
    {"customer_id": "1", "active_until": utc(2013, 2, 21, 2, 46, 58),
     "payment_account_display": "Visa ending in 0629", "pagination_id": "1116709",
     "subscription_plan_version.id": 54321, "subscription_plan_version.subscription_plan_id": 67890,
     "subscription_plan_version.amount": Decimal("100.0"), "subscription_plan_version.name": "Paid",
     "invoices.0.token": "14facf670036f6fd5870080eb627bfe3227c17d2", "invoices.0.amount": Decimal("29.0")},
))
def test_active_recurring_2013_subscriber(source: tuple[str, str], facts: dict[str, Any]) -> None:
    sub = Subscriber.from_xml(load(source))
    assert_facts(sub, facts)
    assert sub.active is True and sub.recurring is True
    assert sub.billing_city == ""
    assert sub.ready_to_renew_since is None
    version = sub.subscription_plan_version
    assert version is not None  # its string children carry type="SubscriptionPlan::Version"
    assert version.charge_later_duration_units is None
    assert version.setup_fee_description == ""
    assert version.terms == "1 month"
    assert sub.invoices is not None and len(sub.invoices) >= 1
    first = sub.invoices[0]
    assert first.closed is True
    assert first.response_message is None
    assert first.gateway_transaction_reference == "SpreedlyGateway#purchase"


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscriber-2013-after-free-trial.xml", {"customer_id": "cust-0413"},
    "subscriber-after-free-trial-2013.xml", {"customer_id": "3"},
))
def test_free_trial_2013_subscriber_with_lifetime_trial(source: tuple[str, str], facts: dict[str, Any]) -> None:
    sub = Subscriber.from_xml(load(source))
    assert_facts(sub, facts)
    assert sub.email is None
    assert sub.on_trial is True and sub.lifetime_subscription is True
    assert sub.active_until is None
    assert sub.subscription_plan_version is not None
    assert sub.subscription_plan_version.duration_quantity == 0
    assert sub.subscription_plan_version.plan_type == "free_trial"


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscriber-2010-empty-invoices.xml", {}, "subscriber-2010-with-empty-invoices.xml", {}))
def test_empty_nested_invoices_array(source: tuple[str, str], facts: dict[str, Any]) -> None:
    sub = Subscriber.from_xml(load(source))
    assert sub.invoices == []
    assert sub.recurring is None  # <recurring type="boolean" nil="true">


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscriber-2011-with-invoices.xml", {}, "subscriber-with-invoices-2011.xml", {}))
def test_invoices_with_negative_proration_lines(source: tuple[str, str], facts: dict[str, Any]) -> None:
    sub = Subscriber.from_xml(load(source))
    assert sub.invoices
    amounts = [li.amount for inv in sub.invoices for li in inv.line_items or []]
    assert all(isinstance(a, Decimal) for a in amounts)
    assert any(a is not None and a < 0 for a in amounts)
    assert any(li.description == "Credit from current subscription"
               for inv in sub.invoices for li in inv.line_items or [])


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscribers-list.xml",
    {"ids": ["001", "0042", "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c"], "first_screen_name": "first",
     "first_created_at": utc(2011, 5, 5, 10)},
    "subscribers-list-trimmed-2011.xml",
    {"ids": ["001", "2095", "88225", "aef789956af61024d82ec270039601b91e06262a"],
     "first_screen_name": "ScreenName1", "first_created_at": utc(2011, 9, 7, 16, 34, 20)},
))
def test_trimmed_list_keeps_string_customer_ids(source: tuple[str, str], facts: dict[str, Any]) -> None:
    subs = Subscriber.list_from_xml(load(source))
    assert [s.customer_id for s in subs] == facts["ids"]  # leading zeros and hex ids kept as text
    assert subs[0].screen_name == facts["first_screen_name"]
    assert subs[1].screen_name is None
    assert subs[0].created_at == facts["first_created_at"]


@pytest.mark.parametrize(("source", "facts"), layered(
    "subscribers-list-2009.xml", {}, "subscribers-list-2009.xml", {}))
def test_subscribers_list_2009(source: tuple[str, str], facts: dict[str, Any]) -> None:
    subs = Subscriber.list_from_xml(load(source))
    assert len(subs) == 3
    assert all(s.token for s in subs)
    assert all(s.invoices is None for s in subs)


@pytest.mark.parametrize(("source", "facts"),
    layered("subscribers-list-empty-nil-classes.xml", {}, "subscribers-list-empty-nil-classes.xml", {})
    + layered("subscribers-list-empty.xml", {}, "subscribers-list-empty-named-root-2011.xml", {}))
def test_empty_subscriber_lists(source: tuple[str, str], facts: dict[str, Any]) -> None:
    assert Subscriber.list_from_xml(load(source)) == []


@pytest.mark.parametrize(("source", "facts"),
    layered("plans-list-empty-nil-classes.xml", {}, "plans-list-empty-nil-classes.xml", {})
    + layered("plans-list-empty-named.xml", {}, "plans-list-empty-named-root-2011.xml", {}))
def test_empty_plan_lists(source: tuple[str, str], facts: dict[str, Any]) -> None:
    assert SubscriptionPlan.list_from_xml(load(source)) == []


@pytest.mark.parametrize(("source", "facts"),
    layered("transactions-list-empty-nil-classes.xml", {}, "transactions-list-empty-nil-classes.xml", {})
    + layered("transactions-list-empty-named.xml", {}))
def test_empty_transaction_list(source: tuple[str, str], facts: dict[str, Any]) -> None:
    assert Transaction.list_from_xml(load(source)) == []


@pytest.mark.parametrize(("source", "facts"), layered(
    "plans-list-2009.xml", {}, "plans-list-2009.xml", {}))
def test_plans_2009_include_a_free_trial_and_disabled_plans(source: tuple[str, str], facts: dict[str, Any]) -> None:
    plans = SubscriptionPlan.list_from_xml(load(source))
    assert len(plans) == 4
    assert sum(p.is_free_trial for p in plans) == 1
    assert any(p.enabled is False for p in plans)
    assert all(isinstance(p.id, int) for p in plans)
    assert all(isinstance(p.price, Decimal) for p in plans if p.price is not None)


@pytest.mark.parametrize(("source", "facts"), layered("plans-list-2010.xml", {}, "plans-list-2010.xml", {}))
def test_plans_2010_description_nil(source: tuple[str, str], facts: dict[str, Any]) -> None:
    plans = SubscriptionPlan.list_from_xml(load(source))
    assert plans and plans[0].description is None


@pytest.mark.parametrize(("source", "facts"), layered(
    "plans-list-2013-versions.xml", {"id": 310, "versions.0.id": 9101, "versions.0.subscription_plan_id": 310},
    "plans-list-with-versions-2013.xml", {"id": 12345, "versions.0.id": 24680, "versions.0.subscription_plan_id": 12345},
))
def test_plans_with_versions_2013(source: tuple[str, str], facts: dict[str, Any]) -> None:
    plans = SubscriptionPlan.list_from_xml(load(source))
    trial = plans[0]
    assert_facts(trial, facts)
    assert trial.version == 1
    assert trial.is_free_trial and trial.duration_quantity == 0
    assert trial.setup_fee_description == ""
    assert trial.setup_fee_amount == Decimal("0.0")
    assert trial.charge_later_duration_units is None
    assert trial.versions


@pytest.mark.parametrize(("source", "facts"), layered("plans-list-2011.xml", {}, "plans-list-2011.xml", {}))
def test_plans_2011_minimum_needed_for_charge(source: tuple[str, str], facts: dict[str, Any]) -> None:
    plans = SubscriptionPlan.list_from_xml(load(source))
    assert len(plans) == 5
    assert all(p.minimum_needed_for_charge is not None for p in plans)


@pytest.mark.parametrize(("source", "facts"), layered(
    # a paid renewal, third in our newest-first list; first in the service's
    "transactions-list-newest-first.xml",
    {"count": 5, "at": 2, "id": 743, "invoice_id": 9930, "amount": Decimal("35.0"), "price": "$35.00",
     "subscriber_customer_id": "cust-0311", "expires_at": utc(2013, 5, 7, 15, 45),
     "detail": ("visa", True, "team")},
    "transactions-list.xml",
    {"count": 3, "at": 0, "id": 20, "invoice_id": 64, "amount": Decimal("24.0"), "price": "$24.00",
     "subscriber_customer_id": "39053", "expires_at": utc(2009, 12, 26, 4, 6, 30),
     "detail": ("visa", False, "example")},
))
def test_transactions_list(source: tuple[str, str], facts: dict[str, Any]) -> None:
    facts = dict(facts)
    txs = Transaction.list_from_xml(load(source))
    assert len(txs) == facts.pop("count")
    tx = txs[facts.pop("at")]
    detail = facts.pop("detail")
    assert_facts(tx, facts)
    assert tx.detail is not None
    assert (tx.detail.payment_method, tx.detail.recurring, tx.detail.feature_level) == detail


@pytest.mark.parametrize(("source", "facts"), layered(
    "invoice-2009-created.xml", {}, "invoice-create-response-2009.xml", {}))
def test_invoice_create_2009(source: tuple[str, str], facts: dict[str, Any]) -> None:
    inv = Invoice.from_xml(load(source))
    assert inv.closed is False
    assert inv.token and len(inv.token) == 40
    assert inv.subscriber is not None and inv.subscriber.customer_id
    assert inv.line_items


@pytest.mark.parametrize(("source", "facts"), layered(
    "invoice-closed.xml",
    {"token": "5f4e3d2c1b0a99887766554433221100ffeeddcc", "subscriber.customer_id": "001",
     "line_items.0.notes": None, "line_items.0.amount": Decimal("9.95")},
    "invoice-pay-response-closed-2009.xml",
    {"token": "5b1f186651dd988865c6573921ec87fa4bec23b8", "subscriber.customer_id": "400",
     "line_items.0.notes": "Subsequent Time Periods are $19.00 every 1 month",
     "line_items.0.amount": Decimal("0.0")},
))
def test_invoice_pay_closed(source: tuple[str, str], facts: dict[str, Any]) -> None:
    inv = Invoice.from_xml(load(source))
    assert_facts(inv, facts)
    assert inv.closed is True
    assert inv.subscriber is not None and inv.subscriber.active is True
    assert inv.line_items is not None


@pytest.mark.parametrize(("source", "facts"),
    layered("errors-one.xml", {"count": 1}, "error-422-errors-single.xml", {"count": 1})
    + layered("errors-two.xml", {"count": 2}, "error-422-errors-multiple.xml", {"count": 2})
    + layered("errors-credit-negative-total.xml", {"count": 1})
    + layered("errors-lifetime-feature-level-blank.xml", {"count": 1},
              "error-422-lifetime-feature-level-blank.xml", {"count": 1}))
def test_errors_documents(source: tuple[str, str], facts: dict[str, Any]) -> None:
    doc = ErrorsDocument.from_xml(load(source))
    assert len(doc.errors) == facts["count"]
    assert all(e.strip() for e in doc.errors)


@pytest.mark.parametrize(("source", "facts"), layered(
    "errors-lifetime-feature-level-blank.xml", {}, "error-422-lifetime-feature-level-blank.xml", {}))
def test_lifetime_error_text(source: tuple[str, str], facts: dict[str, Any]) -> None:
    doc = ErrorsDocument.from_xml(load(source))
    assert doc.errors == ["Feature level can't be blank"]


# ----------------------------------------------------------------------------- our fixtures


def test_full_subscriber_fixture() -> None:
    sub = Subscriber.from_xml(fixture("subscriber-full.xml"))
    assert sub.customer_id == "001"
    assert sub.screen_name == "Ana & Bo"
    assert sub.email is None
    assert (sub.billing_first_name, sub.billing_last_name) == ("Zoë", "山田")
    assert sub.active_until == utc(2012, 6, 30, 12, 0, 5)  # nil="true" with text
    assert sub.grace_until is None
    assert sub.recurring is None and sub.on_gift is None
    assert sub.subscription_plan_name == "" and sub.billing_city == ""
    assert sub.billing_zip == "02134" and sub.pagination_id == "0077"
    assert sub.store_credit == Decimal("-48.99")
    assert sub.ready_to_renew_since == utc(2012, 6, 1)
    assert sub.subscription_plan_version is not None
    assert sub.subscription_plan_version.description is None
    assert sub.subscription_plan_version.amount == Decimal("14.95")
    assert sub.invoices is not None and len(sub.invoices) == 1
    lines = sub.invoices[0].line_items
    assert lines is not None
    assert [li.amount for li in lines] == [Decimal("14.95"), Decimal("-5.00")]
    assert [li.notes for li in lines] == [None, ""]
    assert lines[0].feature_level == "gold"


def test_legacy_fixture() -> None:
    sub = Subscriber.from_xml(fixture("subscriber-legacy-2009.xml"))
    assert sub.customer_id == "0042"
    assert sub.screen_name == ""
    assert sub.in_grace_period is None
    assert sub.email == "first+last@example.com"


def test_named_empty_list_fixture_with_newline() -> None:
    assert Subscriber.list_from_xml(fixture("subscribers-list-empty.xml")) == []


def test_transaction_detail_tolerates_unknown_children() -> None:
    txs = Transaction.list_from_xml(fixture("transactions-list.xml"))
    assert [t.id for t in txs] == [101, 102]
    assert txs[1].detail is not None
    assert txs[1].detail.payment_method is None
    assert txs[1].invoice_id is None and txs[1].terms == ""
    assert txs[1].subscriber_customer_id == "0042"


def test_both_spellings_of_in_grace_period() -> None:
    body = b"<subscriber><customer-id>1</customer-id><%s type='boolean'>true</%s></subscriber>"
    for tag in (b"in-grace-period", b"in_grace_period"):
        assert Subscriber.from_xml(body % (tag, tag)).in_grace_period is True


def test_datetimes_with_offsets_become_utc() -> None:
    sub = Subscriber.from_xml(b"<subscriber><customer-id>1</customer-id>"
                              b"<created-at type='datetime'>2012-01-01T10:00:00+02:00</created-at></subscriber>")
    assert sub.created_at == utc(2012, 1, 1, 8)
    assert sub.created_at is not None and sub.created_at.tzinfo == UTC


def test_wrong_root_and_bad_values_are_typed_errors() -> None:
    with pytest.raises(UnexpectedResponseError):
        Subscriber.from_xml(fixture("invoice-open.xml"))
    with pytest.raises(ResponseParseError):
        Subscriber.from_xml(b"<subscriber><customer-id>1</customer-id><active type='boolean'>maybe</active>"
                            b"</subscriber>")
    with pytest.raises(ResponseParseError):
        Subscriber.from_xml(b"<subscriber><customer-id>1</customer-id>")


def test_closed_invoice_fixture_fields() -> None:
    inv = Invoice.from_xml(fixture("invoice-closed.xml"))
    assert inv.customer_id == "001" and inv.subscriber_store_credit == "$0.00"
    assert (inv.response_message, inv.response_client_message, inv.response_customer_message) == (
        "Transaction approved", "Charged visa ending 2222", "Thank you")
    assert inv.gateway_transaction_reference == "TEST-0001"
    assert inv.line_items is not None
    assert (inv.line_items[0].metadata, inv.line_items[0].subscription_plan_version_id) == ("gold", 501)
    assert inv.subscriber is not None and inv.subscriber.active_until == utc(2012, 8, 1, 8, 1, 30)


def test_plan_fixture_fields() -> None:
    gold, old, trial = SubscriptionPlan.list_from_xml(fixture("plans-list.xml"))
    assert (gold.id, gold.price, gold.terms, gold.force_recurring) == (7, Decimal("14.95"), "1 month", True)
    assert gold.charge_later_duration_quantity is None and gold.description == "Monthly gold plan"
    assert (old.enabled, old.description, old.return_url) == (False, None, "")
    assert (old.charge_later_duration_quantity, old.charge_later_duration_units) == (7, "days")
    assert old.charge_after_first_period is True
    assert trial.versions is not None and [v.id for v in trial.versions] == [901, 902]
    v1 = trial.versions[0]
    assert (v1.description, v1.minimum_needed_for_charge, v1.setup_fee_amount) == (
        "Two weeks free", Decimal("0.5"), Decimal("1.25"))
    assert (v1.setup_fee_currency_code, v1.setup_fee_description) == ("EUR", "Welcome pack")
    assert (v1.charge_later_duration_quantity, v1.charge_later_duration_units) == (1, "months")
    assert (v1.force_recurring, v1.needs_to_be_renewed) == (False, True)
    assert v1.updated_at == utc(2011, 11, 11, 11, 11, 11)


def test_legacy_fixture_grace_and_gift() -> None:
    sub = Subscriber.from_xml(fixture("subscriber-legacy-2009.xml"))
    assert sub.grace_until == utc(2009, 4, 1) and sub.on_gift is True


def test_unknown_type_attributes_are_harmless() -> None:
    sub = Subscriber.from_xml(
        b"<subscriber><customer-id type='integer'>007</customer-id>"
        b"<store-credit type='money'>1.50</store-credit><active type='Bool::Thing'>true</active>"
        b"<screen-name type='SubscriptionPlan::Version'>x</screen-name>"
        b"<created-at type='timestamp'>2010-01-01T00:00:00Z</created-at></subscriber>")
    assert sub.customer_id == "007"  # even a type="integer" customer id keeps its zeros
    assert sub.store_credit == Decimal("1.50") and sub.active is True and sub.screen_name == "x"
    assert sub.created_at == utc(2010, 1, 1)
