"""Precise types at run time: required fields (a response missing one is a ResponseParseError
naming it), open enumerations (a value the service adds later is kept as sent), ``Plan``, and
the package's names as they are."""

from __future__ import annotations

import pytest
from lxml import etree
from rails_docs import FIXTURES

import spreedly_sdk
import spreedly_sdk.models
from spreedly_sdk.errors import ResponseParseError
from spreedly_sdk.models import (
    ComplimentarySubscription,
    Invoice,
    LineItem,
    RailsModel,
    Subscriber,
    SubscriptionPlan,
    SubscriptionPlanVersion,
    Transaction,
)

REQUIRED = {
    Subscriber: {"customer_id"},
    SubscriptionPlan: {"id", "name", "terms", "price", "amount", "currency_code", "duration_quantity",
                       "duration_units", "enabled", "feature_level", "force_recurring", "needs_to_be_renewed",
                       "plan_type", "return_url"},
    SubscriptionPlanVersion: {"id", "subscription_plan_id", "version", "name", "duration_quantity", "duration_units"},
    Invoice: {"token", "closed", "amount", "price", "currency_code", "created_at", "updated_at", "line_items"},
    LineItem: {"amount", "currency_code", "description", "price"},
    Transaction: {"id", "amount", "price", "currency_code", "description", "detail_type", "terms",
                  "subscriber_customer_id", "created_at", "updated_at", "detail"},
}


@pytest.mark.parametrize("model", list(REQUIRED), ids=lambda m: m.__name__)
def test_the_required_fields_are_the_documented_ones(model: type[RailsModel]) -> None:
    assert {n for n, f in model.model_fields.items() if f.is_required()} == REQUIRED[model]


SOURCES = {
    Subscriber: ("subscriber-full.xml", "subscriber"),
    SubscriptionPlan: ("plans-list.xml", "subscription-plan"),
    Invoice: ("invoice-open.xml", "invoice"),
    Transaction: ("transactions-list.xml", "transaction"),
}


@pytest.mark.parametrize("model", list(SOURCES), ids=lambda m: m.__name__)
def test_a_response_missing_a_required_field_names_it(model: type[RailsModel]) -> None:
    name, tag = SOURCES[model]
    root = etree.fromstring((FIXTURES / name).read_bytes())
    item = root if root.tag == tag else root.find(tag)
    assert item is not None
    for field in sorted(REQUIRED[model]):
        copy = etree.fromstring(etree.tostring(item))
        spec = model.rails_fields().by_name[field]
        for child in [c for c in copy if c.tag in spec.tags]:
            copy.remove(child)
        with pytest.raises(ResponseParseError, match=rf"\b{field}: Field required"):
            model.from_xml(etree.tostring(copy))
        if spec.kind == "list":
            continue  # a nil array element reads as an empty list
        with pytest.raises(ResponseParseError, match=rf"\b{field}\b"):
            nil = etree.fromstring(etree.tostring(copy))
            etree.SubElement(nil, spec.tag, nil="true")
            model.from_xml(etree.tostring(nil))


def test_enumerations_keep_values_the_service_adds_later() -> None:
    doc = (FIXTURES / "plans-list.xml").read_bytes()
    doc = doc.replace(b"<plan-type>regular</plan-type>", b"<plan-type>metered_v2</plan-type>", 1)
    doc = doc.replace(b"<duration-units>months</duration-units>", b"<duration-units>weeks</duration-units>", 1)
    plans = SubscriptionPlan.list_from_xml(doc)
    assert "metered_v2" in {p.plan_type for p in plans}
    assert "weeks" in {p.duration_units for p in plans}
    assert all(SubscriptionPlan.from_xml(p.to_xml()) == p for p in plans)


def test_request_enumerations_accept_the_documented_values_only() -> None:
    with pytest.raises(ValueError, match="duration_units"):
        ComplimentarySubscription(duration_quantity=1, duration_units="weeks", feature_level="x")  # type: ignore[arg-type]


def test_plan_is_the_design_cards_name_for_subscription_plan() -> None:
    from spreedly_sdk import Plan
    from spreedly_sdk.models import Plan as ModelsPlan

    assert Plan is ModelsPlan is SubscriptionPlan
    assert "Plan" in spreedly_sdk.__all__ and "Plan" in spreedly_sdk.models.__all__


def test_the_package_names_are_real_and_a_misspelt_one_is_an_error() -> None:
    assert "Client" in dir(spreedly_sdk) and "Plan" in dir(spreedly_sdk)
    with pytest.raises(ImportError):
        from spreedly_sdk import Cleint  # type: ignore[attr-defined]  # noqa: F401
    for name in spreedly_sdk.__all__:
        assert getattr(spreedly_sdk, name) is not None


@pytest.mark.parametrize(("model", "document", "field"), [
    ("SubscriberCreate", b"<subscriber><email>a@b.c</email></subscriber>", "customer_id"),
    ("Fee", b"<fee><name>n</name><amount>1</amount></fee>", "group"),
    ("ComplimentarySubscription", b"<complimentary-subscription><duration-quantity>1</duration-quantity>"
                                  b"<feature-level>x</feature-level></complimentary-subscription>", "duration_units"),
    ("InvoiceCreate", b"<invoice><subscription-plan-id>3</subscription-plan-id></invoice>", "subscriber"),
])
def test_a_request_document_missing_a_required_field_names_it(model: str, document: bytes, field: str) -> None:
    """Request models read request bodies too (the emulator does): a missing field is the SDK's
    typed ResponseParseError naming it, not a bare validation error."""
    cls = getattr(spreedly_sdk.models, model)
    with pytest.raises(ResponseParseError, match=rf"\b{field}: Field required"):
        cls.from_xml(document)
