"""Writing: the service's conventions, customer ids, and request bodies that carry only
writable fields and only those set (see docs/service/xml.md and docs/service/endpoints.md)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pydantic import ValidationError
from rails_docs import FIXTURES, SAMPLES, fixture, shape

from spreedly_sdk._xml import parse_document
from spreedly_sdk.errors import InvalidRequestError
from spreedly_sdk.models import (
    WRITABLE_FIELDS,
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    Credit,
    CreditCardPayment,
    Fee,
    InvoiceCreate,
    InvoiceSubscriber,
    LifetimeComplimentarySubscription,
    OnFilePayment,
    Payment,
    PlanReference,
    RailsModel,
    Subscriber,
    SubscriberCreate,
    SubscriberUpdate,
    SubscriptionPlan,
    Transaction,
)

EXPECTED_TYPES = {int: "integer", Decimal: "decimal", bool: "boolean", datetime: "datetime"}


def _children(data: bytes) -> dict[str, etree._Element]:
    return {c.tag: c for c in parse_document(data)}


def test_written_subscriber_follows_rails_conventions() -> None:
    sub = Subscriber.from_xml(fixture("subscriber-full.xml"))
    out = sub.to_xml()
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = parse_document(out)
    tags = [el.tag for el in root.iter()]
    assert not [t for t in tags if "_" in t], "every written name is dashed"
    els = _children(out)
    assert els["customer-id"].text == "001" and "type" not in els["customer-id"].attrib
    assert els["active"].get("type") == "boolean" and els["active"].text == "true"
    assert els["store-credit"].get("type") == "decimal" and els["store-credit"].text == "-48.99"
    assert els["created-at"].get("type") == "datetime" and els["created-at"].text == "2012-01-02T03:04:05Z"
    assert els["email"].get("nil") == "true" and not els["email"].text
    assert els["recurring"].get("nil") == "true" and els["recurring"].get("type") == "boolean"
    assert els["subscription-plan-name"].text in ("", None) and els["subscription-plan-name"].get("nil") is None
    assert els["in-grace-period"].text == "false"
    assert els["invoices"].get("type") == "array"
    assert [c.tag for c in els["invoices"]] == ["invoice"]
    lines = els["invoices"][0].find("line-items")
    assert lines is not None and lines.get("type") == "array" and len(lines) == 2
    version = els["subscription-plan-version"]
    assert version.find("id").get("type") == "integer"  # type: ignore[union-attr]


@pytest.mark.parametrize("model", [Subscriber, SubscriptionPlan, Transaction])
def test_type_attribute_for_every_typed_field(model: type[RailsModel]) -> None:
    """Every declared int/Decimal/bool/datetime field is written with its Rails type."""
    for spec in model.rails_fields().specs:
        if spec.kind == "scalar" and spec.py_type in EXPECTED_TYPES:
            assert spec.xml_type == EXPECTED_TYPES[spec.py_type], spec.name


def test_underscored_input_is_written_dashed() -> None:
    sub = Subscriber.from_xml(fixture("subscriber-legacy-2009.xml"))
    out = sub.to_xml()
    assert b"in_grace_period" not in out
    assert b'<in-grace-period type="boolean" nil="true"' in out


def test_datetimes_written_in_utc_with_their_microseconds() -> None:
    cest = timezone(timedelta(hours=2))
    sub = Subscriber(customer_id="1", active=False, created_at=datetime(2012, 1, 1, 10, 0, 0, 987654, tzinfo=cest),
                     updated_at=datetime(2012, 1, 1, 10, 0, 0))
    els = _children(sub.to_xml())
    assert els["created-at"].text == "2012-01-01T08:00:00.987654Z"  # kept: the model round-trips
    assert els["updated-at"].text == "2012-01-01T10:00:00Z"  # naive taken as UTC
    assert sub.updated_at is not None and sub.updated_at.tzinfo is not None


def test_datetimes_keep_four_digit_years() -> None:
    sub = Subscriber(customer_id="1", active=False, created_at=datetime(999, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    assert _children(sub.to_xml())["created-at"].text == "0999-01-02T03:04:05Z"
    assert Subscriber.from_xml(sub.to_xml()) == sub


def test_escaping_round_trips() -> None:
    sub = Subscriber(customer_id="a&b", active=False, screen_name="<Tom & \"Jerry\">", email="x@y")
    back = Subscriber.from_xml(sub.to_xml())
    assert back.screen_name == "<Tom & \"Jerry\">" and back.customer_id == "a&b"


def test_unwritable_characters_are_refused() -> None:
    with pytest.raises(InvalidRequestError):
        Subscriber(customer_id="1", active=False, screen_name="bad\x00char").to_xml()


@pytest.mark.parametrize(("given", "expected"), [(7, "7"), ("007", "007"), ("001", "001"), (0, "0")])
def test_customer_id_accepts_ints_and_keeps_strings(given: Any, expected: str) -> None:
    assert Subscriber(customer_id=given, active=False).customer_id == expected
    assert SubscriberCreate(customer_id=given).customer_id == expected
    assert InvoiceSubscriber(customer_id=given).customer_id == expected
    assert _children(SubscriberCreate(customer_id=given).to_xml(exclude_unset=True))["customer-id"].text == expected


def test_customer_id_refuses_booleans() -> None:
    with pytest.raises(ValidationError):
        SubscriberCreate(customer_id=True)


def test_list_documents_written_like_the_service() -> None:
    subs = Subscriber.list_from_xml(fixture("subscribers-list.xml"))
    out = parse_document(Subscriber.list_to_xml(subs))
    assert out.tag == "subscribers" and out.get("type") == "array" and len(out) == 3
    empty = parse_document(Subscriber.list_to_xml([]))
    assert (empty.tag, empty.get("type"), len(empty)) == ("nil-classes", "array", 0)
    plans = parse_document(SubscriptionPlan.list_to_xml(SubscriptionPlan.list_from_xml(fixture("plans-list.xml"))))
    assert plans.tag == "subscription-plans"
    versions = plans[2].find("versions")
    assert versions is not None and [v.get("type") for v in versions] == ["SubscriptionPlan::Version"] * 2


# ----------------------------------------------------------------------------- request bodies

READ_ONLY = set(Subscriber.model_fields) - set(WRITABLE_FIELDS) - {"customer_id"}


def test_read_only_subscriber_fields_cannot_be_in_an_update() -> None:
    assert {"token", "invoices", "active", "feature_level", "store_credit"} <= READ_ONLY
    assert not READ_ONLY & set(SubscriberUpdate.model_fields)
    assert not READ_ONLY & set(SubscriberCreate.model_fields)
    with pytest.raises(ValidationError):
        SubscriberUpdate(token="abc")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        SubscriberCreate(customer_id="1", invoices=[])  # type: ignore[call-arg]


def test_only_set_fields_are_sent() -> None:
    body = SubscriberUpdate(email="e@x.org").to_xml(exclude_unset=True)
    assert shape(body) == ("subscriber", (), "", (("email", (), "e@x.org", ()),))
    cleared = SubscriberUpdate(screen_name=None).to_xml(exclude_unset=True)
    assert shape(cleared) == ("subscriber", (), "", (("screen-name", (("nil", "true"),), "", ()),))
    assert shape(SubscriberCreate(customer_id=5).to_xml(exclude_unset=True)) == (
        "subscriber", (), "", (("customer-id", (), "5", ()),))


def test_writable_fields_of_a_fetched_subscriber_fit_an_update() -> None:
    sub = Subscriber.from_xml(fixture("subscriber-full.xml"))
    update = SubscriberUpdate(**{f: getattr(sub, f) for f in WRITABLE_FIELDS})
    tags = {el.tag for el in parse_document(update.to_xml(exclude_unset=True))}
    assert tags == {"screen-name", "email", "billing-first-name", "billing-last-name"}


def _request_cases() -> list[Any]:
    """Our request fixtures (always), and the documented requests of the samples folder when it
    is present, each with the request model that should write it."""
    card = CreditCardPayment("4222222222222", "visa", "123", 4, 2030, "Grace", "Hopper")
    ours = [
        ("create-subscriber.xml", SubscriberCreate(
            customer_id="cust-0701", screen_name="ada", email="ada@example.com",
            billing_first_name="Ada", billing_last_name="Lovelace")),
        ("update-subscriber.xml", SubscriberUpdate(screen_name="countess", email="ada@lovelace.example")),
        ("update-new-customer-id.xml", SubscriberUpdate(new_customer_id="cust-0702")),
        ("complimentary-subscription.xml",
         ComplimentarySubscription(duration_quantity=3, duration_units="months", feature_level="pro")),
        ("complimentary-time-extension.xml", ComplimentaryTimeExtension(duration_quantity=1, duration_units="days")),
        ("lifetime-complimentary-subscription.xml", LifetimeComplimentarySubscription(feature_level="patron")),
        ("subscribe-to-free-trial.xml", PlanReference(id=1001)),
        ("credit.xml", Credit(amount=Decimal("2.50"))),
        ("fee.xml", Fee(name="Extra seats", description="Two seats in March", group="Seat fees",
                        amount=Decimal("12.00"))),
        ("create-invoice.xml", InvoiceCreate(
            subscription_plan_id=1002,
            subscriber=InvoiceSubscriber(customer_id="cust-0703", screen_name="hopper", email="hopper@example.com"))),
        ("pay-invoice-credit-card.xml", card.to_payment()),
        ("pay-invoice-on-file.xml", OnFilePayment().to_payment()),
        ("pay-invoice-store-credit.xml", Payment(account_type="store-credit")),
        ("pay-invoice-general-credit.xml",
         Payment(account_type="general-credit", description="Goodwill credit after an outage")),
    ]
    params = [pytest.param(FIXTURES / "requests" / name, model, id=f"fixture:{name}") for name, model in ours]
    documented_card = CreditCardPayment("4222222222222", "visa", "234", 1, 2011, "Joe", "Bob")
    theirs = [
        ("doc-request-create-subscriber.xml", SubscriberCreate(customer_id=8889, screen_name="freddy")),
        ("doc-request-update-subscriber.xml", SubscriberUpdate(email="joe2@example.com", screen_name="joe the man")),
        ("doc-request-update-subscriber-new-customer-id.xml", SubscriberUpdate(new_customer_id=589)),
        ("doc-request-complimentary-subscription.xml",
         ComplimentarySubscription(duration_quantity=2, duration_units="months", feature_level="Pro")),
        ("doc-request-complimentary-time-extension.xml",
         ComplimentaryTimeExtension(duration_quantity=2, duration_units="months")),
        ("doc-request-lifetime-complimentary-subscription.xml", LifetimeComplimentarySubscription(feature_level="Pro")),
        ("doc-request-subscribe-to-free-trial.xml", PlanReference(id=2)),
        ("doc-request-store-credit.xml", Credit(amount=Decimal("2.34"))),
        ("doc-request-fee.xml", Fee(name="Daily Bandwidth Charge", description="313 MB used", group="Traffic Fees",
                                    amount=Decimal("2.34"))),
        ("doc-request-create-invoice.xml", InvoiceCreate(
            subscription_plan_id=3,
            subscriber=InvoiceSubscriber(customer_id=44, screen_name="joe", email="joe@example.com"))),
        ("doc-request-pay-invoice-credit-card.xml", documented_card.to_payment()),
        ("request-pay-invoice-on-file.xml", OnFilePayment().to_payment()),
        ("request-pay-invoice-store-credit.xml", Payment(account_type="store-credit")),
        ("request-pay-invoice-general-credit.xml", Payment(account_type="general-credit", description="DESCRIPTION")),
    ]
    params += [pytest.param(SAMPLES / name, model, id=f"sample:{name}")
               for name, model in theirs if (SAMPLES / name).is_file()]
    return params


@pytest.mark.parametrize(("path", "model"), _request_cases())
def test_request_bodies_match_the_documented_ones(path: Path, model: RailsModel) -> None:
    """Our bodies carry the same elements, in the same nesting and with the same text, as the
    request fixtures (and the documented requests when present), plus the ``type=`` attributes
    Rails reads."""
    documented = path.read_bytes()
    ours = model.to_xml(exclude_unset=True)
    assert _sorted(shape(ours, types=False)) == _sorted(shape(documented, types=False))
    # and the documented body reads back into the same request model
    assert type(model).from_xml(documented).model_dump(exclude_unset=True) == model.model_dump(exclude_unset=True)


def _sorted(node: Any) -> Any:
    tag, attrs, text, children = node
    return (tag, attrs, text, tuple(sorted(_sorted(c) for c in children)))


def test_credit_card_payment_keeps_the_number_out_of_repr() -> None:
    card = CreditCardPayment("4222222222222", "visa", "234", 1, 2030, "Joe", "Bob", city="Paris")
    assert "4222222222222" not in repr(card) and "2222" in repr(card)
    body = card.to_payment().to_xml(exclude_unset=True)
    els = {el.tag: el.text for el in parse_document(body).iter()}
    assert els["account-type"] == "credit-card" and els["city"] == "Paris"
    assert "address1" not in els
    with pytest.raises(ValidationError):
        CreditCardPayment("4222222222222", "visa")  # the rest is required


def _compare_written(orig: etree._Element, out: etree._Element, model: type[RailsModel], where: str) -> list[str]:
    """Differences between a sample element and our rendering of it, beyond the known ones
    (dashes for underscores, text winning over ``nil``, the plan-version ``type`` we always write)."""
    problems: list[str] = []
    written = {}
    for child in out:
        written.setdefault(child.tag, child)
    table = model.rails_fields()
    for child in orig:
        spec = table.by_tag.get(child.tag)
        if spec is None:
            continue
        mine = written.get(spec.tag)
        here = f"{where}/{child.tag}"
        if spec.kind == "repeated":
            theirs = [(c.text or "") for c in orig if c.tag == spec.tag]
            ours = [(c.text or "") for c in out if c.tag == spec.tag]
            if theirs != ours:
                problems.append(f"{here}: {theirs!r} written as {ours!r}")
            continue
        if mine is None:
            problems.append(f"{here}: not written")
            continue
        if spec.kind == "model" and spec.model is not None:
            if len(child):
                problems += _compare_written(child, mine, spec.model, here)
            continue
        if spec.kind == "list" and spec.model is not None:
            items = [c for c in child if c.tag == spec.item_tag]
            if len(items) != len(mine):
                problems.append(f"{here}: {len(items)} items, wrote {len(mine)}")
            for i, (a, b) in enumerate(zip(items, mine)):
                problems += _compare_written(a, b, spec.model, f"{here}[{i}]")
            continue
        text = (child.text or "").strip()
        if child.get("type") not in (None, "SubscriptionPlan::Version") and child.get("type") != mine.get("type"):
            problems.append(f"{here}: type {child.get('type')!r} written as {mine.get('type')!r}")
        nil = child.get("nil") == "true" and not text
        if nil != (mine.get("nil") == "true") and not (not text and spec.py_type is bool):
            problems.append(f"{here}: nil {nil} written as {mine.get('nil')}")
        if not nil and text != (mine.text or "").strip():
            problems.append(f"{here}: text {text!r} written as {mine.text!r}")
    return problems


def test_written_documents_look_like_the_services() -> None:
    """Rendering a parsed sample gives back, element for element, its types, nils and texts:
    what the emulator renders with these models looks like what the service sent."""
    from rails_docs import fixture_names, model_for, service_sample_names

    paths = [SAMPLES / n for n in service_sample_names()] + [FIXTURES / n for n in fixture_names()]
    problems: list[str] = []
    for path in paths:
        name, data = path.name, path.read_bytes()
        root = parse_document(data)
        model, is_list = model_for(name, root)
        pairs = ([(item, model.from_xml(etree.tostring(item)).to_xml()) for item in root if item.tag == model.xml_tag()]
                 if is_list else [(root, model.from_xml(data).to_xml())])
        for orig, out in pairs:
            problems += _compare_written(orig, parse_document(out), model, name)
    assert problems == []


def test_credit_card_billing_address_elements() -> None:
    card = CreditCardPayment("4222222222222", "visa", "234", 12, 2031, "Joe", "Bob", address1="1 Main St",
                             address2="Apt 2", city="Paris", state="IDF", zip="75001", country="FR",
                             phone_number="+33 1 23 45 67 89")
    els = {el.tag: el.text for el in parse_document(card.to_payment().to_xml(exclude_unset=True)).iter()}
    assert {k: els[k] for k in ("address1", "address2", "city", "state", "zip", "country", "phone-number")} == {
        "address1": "1 Main St", "address2": "Apt 2", "city": "Paris", "state": "IDF", "zip": "75001",
        "country": "FR", "phone-number": "+33 1 23 45 67 89"}
    assert (els["month"], els["year"], els["card-type"], els["verification-value"]) == ("12", "2031", "visa", "234")
