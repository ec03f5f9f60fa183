"""The fast writer gives exactly the bytes of the lxml tree writer and of pydantic-xml.

``model.to_xml()`` (string building) is compared with ``to_xml_reference()`` (pydantic-xml)
and with the lxml element writer ``to_element`` for every flag combination, over request
bodies with tricky text and over every response document we can read.
"""

from __future__ import annotations

import gc
import itertools
import threading
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from spreedly_sdk.errors import InvalidRequestError
from spreedly_sdk.models import (
    ComplimentarySubscription,
    ComplimentaryTimeExtension,
    Credit,
    CreditCard,
    Fee,
    InvoiceCreate,
    InvoiceSubscriber,
    LifetimeComplimentarySubscription,
    Payment,
    PaymentMethod,
    PlanReference,
    RailsModel,
    Subscriber,
    SubscriberCreate,
    SubscriberUpdate,
)
from spreedly_sdk.models._base import _tostring, gc_paused

from ._docs import EDGE_CASES, LIST_CASES, models_for, sample_files, without_extras

FLAGS = list(itertools.product([False, True], repeat=2))
TRICKY = ["", " ", "plain", "a & b", "<tag>", "x > y", "quote \" and '", "]]>", "tab\there", "two\nlines",
          "cr\rhere", "crlf\r\n", "é ü ß", "日本語", "😀 emoji", "&amp; already", "  padded  "]


def _card(**extra: object) -> CreditCard:
    return CreditCard(number="4222222222222", card_type="visa", verification_value="123", month=1, year=2030,
                      first_name="Jo", last_name="Bloggs", **extra)  # type: ignore[arg-type]


def request_bodies() -> list[RailsModel]:
    bodies: list[RailsModel] = [
        SubscriberCreate(customer_id="007", screen_name="joe", email=None),
        SubscriberCreate(customer_id=42),
        SubscriberUpdate(email="new@example.com"),
        SubscriberUpdate(new_customer_id="8", screen_name=None, billing_first_name="A", billing_last_name="B"),
        SubscriberUpdate(payment_method=PaymentMethod(credit_card=_card(zip="97201", address2=None))),
        PlanReference(id=12),
        ComplimentarySubscription(duration_quantity=2, duration_units="months", feature_level="pro"),
        ComplimentarySubscription(duration_quantity=1, duration_units="days", feature_level="pro",
                                  start_time=datetime(2024, 2, 29, 23, 59, 1, tzinfo=timezone.utc),
                                  amount=Decimal("-12.50")),
        ComplimentaryTimeExtension(duration_quantity=3, duration_units="days"),
        LifetimeComplimentarySubscription(feature_level="gold"),
        Credit(amount=Decimal("5")),
        Fee(name="Setup", group="setup", amount=Decimal("1.00"), description=None,
            allow_non_recurring_subscriber=True),
        InvoiceCreate(subscription_plan_id=3, subscriber=InvoiceSubscriber(customer_id="9", email="e@x.io")),
        Payment(account_type="credit-card", credit_card=_card(city="Portland")),
        Payment(account_type="store-credit", description="credit"),
    ]
    for text in TRICKY:
        bodies.append(SubscriberUpdate(screen_name=text, email=text))
        bodies.append(Fee(name=text or "n", group="g", amount=Decimal("1"), description=text))
    return bodies


BODIES = request_bodies()


@pytest.mark.parametrize("index", range(len(BODIES)))
@pytest.mark.parametrize(("exclude_unset", "exclude_none"), FLAGS)
def test_request_bodies(index: int, exclude_unset: bool, exclude_none: bool) -> None:
    model = BODIES[index]
    fast = model.to_xml(exclude_unset=exclude_unset, exclude_none=exclude_none)
    assert fast == model.to_xml_reference(exclude_unset=exclude_unset, exclude_none=exclude_none)
    assert fast == _tostring(model.to_element(exclude_unset=exclude_unset, exclude_none=exclude_none))


def test_only_set_fields_are_sent_down_to_nested_models() -> None:
    body = SubscriberUpdate(payment_method=PaymentMethod(credit_card=_card())).to_xml(exclude_unset=True)
    assert b"address1" not in body and b"email" not in body
    assert b"<month type=\"integer\">1</month>" in body
    cleared = SubscriberUpdate(email=None).to_xml(exclude_unset=True)
    assert cleared.endswith(b'<subscriber><email nil="true"></email></subscriber>')


def _read_documents() -> list[RailsModel]:
    from lxml import etree

    found: list[RailsModel] = []
    bodies = [p.read_bytes() for p in sample_files()] + list(EDGE_CASES.values())
    for body in bodies:
        for model in models_for(etree.fromstring(body).tag):
            try:
                found.append(without_extras(model.from_xml(body)))
            except Exception:  # noqa: BLE001 - documents of another model with the same root
                continue
    return found


READ = _read_documents()


@pytest.mark.parametrize("index", range(len(READ)))
@pytest.mark.parametrize(("exclude_unset", "exclude_none"), FLAGS)
def test_documents_read_then_written(index: int, exclude_unset: bool, exclude_none: bool) -> None:
    model = READ[index]
    fast = model.to_xml(exclude_unset=exclude_unset, exclude_none=exclude_none)
    assert fast == model.to_xml_reference(exclude_unset=exclude_unset, exclude_none=exclude_none)
    assert fast == _tostring(model.to_element(exclude_unset=exclude_unset, exclude_none=exclude_none))


@pytest.mark.parametrize("name", sorted(LIST_CASES))
def test_list_documents(name: str) -> None:
    from lxml import etree

    items = Subscriber.list_from_xml(LIST_CASES[name])
    fast = Subscriber.list_to_xml(items)
    root = etree.Element("subscribers" if items else "nil-classes")
    root.set("type", "array")
    for item in items:
        root.append(item.to_element())
    assert fast == _tostring(root)
    assert Subscriber.list_from_xml(fast) == items


@pytest.mark.parametrize("bad", ["\x00", "\x0b", "\ufffe", "ok\x1fno"])
def test_unsendable_text_is_refused_with_the_same_field(bad: str) -> None:
    model = SubscriberUpdate(payment_method=PaymentMethod(credit_card=_card(city=bad)))
    with pytest.raises(InvalidRequestError) as fast:
        model.to_xml(exclude_unset=True)
    with pytest.raises(InvalidRequestError) as tree:
        model.to_element(exclude_unset=True)
    assert str(fast.value) == str(tree.value)
    assert fast.value.field == tree.value.field == "payment_method.credit_card.city"


def test_gc_paused_restores_the_previous_state() -> None:
    was = gc.isenabled()
    try:
        gc.enable()
        with gc_paused():
            assert not gc.isenabled()
            with gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with gc_paused():
            pass
        assert not gc.isenabled()
        gc.enable()
        Subscriber.list_from_xml(LIST_CASES["generated-list-long"])
        assert gc.isenabled()
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_gc_paused_across_threads_never_leaves_it_off() -> None:
    was = gc.isenabled()
    gc.enable()
    try:
        start = threading.Barrier(4)

        def work() -> None:
            start.wait()
            for _ in range(3):
                Subscriber.list_from_xml(LIST_CASES["generated-list-long"])

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert gc.isenabled()
    finally:
        if not was:
            gc.disable()
