"""Values at the edges: what Python cannot hold is a typed error (ResponseParseError when read,
InvalidRequestError when given), microseconds round-trip, ``str`` documents are read as given
whatever their declaration says, and responses are read in the service's own forms only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spreedly_sdk import Client
from spreedly_sdk.errors import InvalidRequestError, ResponseParseError
from spreedly_sdk.models import ComplimentarySubscription, Credit, Subscriber, SubscriptionPlan, Transaction

BASE = "<subscriber><customer-id>7</customer-id>{}</subscriber>"


def _get(body: bytes) -> Subscriber:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/xml"}, content=body)

    with Client("t", "s", base_url="http://test.invalid", max_retries=0,
                http_client=httpx.Client(transport=httpx.MockTransport(handle))) as client:
        return client.subscribers.get("7")


@pytest.mark.parametrize("stamp", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00"])
def test_a_datetime_out_of_range_in_utc_is_a_parse_error_naming_the_field(stamp: str) -> None:
    body = BASE.format(f'<active-until type="datetime">{stamp}</active-until>').encode()
    with pytest.raises(ResponseParseError, match="active_until"):
        _get(body)
    with pytest.raises(ResponseParseError, match="active_until"):
        Subscriber.from_xml(body)


def test_the_same_datetime_given_as_input_is_an_invalid_request() -> None:
    edge = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    sent: list[bytes] = []
    with Client("t", "s", base_url="http://test.invalid", http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: sent.append(r.content) or httpx.Response(201)))) as client:
        with pytest.raises(InvalidRequestError, match="start_time"):
            client.subscribers.give_complimentary_subscription("7", 1, "days", "pro", start_time=edge)
    assert sent == []


def test_microseconds_round_trip() -> None:
    stamp = datetime(2012, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=2, minutes=30)))
    sub = Subscriber(customer_id="1", created_at=stamp)
    assert b"<created-at type=\"datetime\">2012-01-02T00:34:05.678901Z</created-at>" in sub.to_xml()
    assert Subscriber.from_xml(sub.to_xml()) == sub
    assert Subscriber.from_xml(sub.to_xml()).created_at == stamp


@pytest.mark.parametrize("encoding", ["ISO-8859-1", "windows-1252", "UTF-16", "ASCII", "utf-8", "Shift_JIS"])
def test_a_str_document_is_read_as_given_whatever_its_declaration(encoding: str) -> None:
    text = f'<?xml version="1.0" encoding="{encoding}"?>\n' + BASE.format("<screen-name>Zoë 😀 Ω</screen-name>")
    assert Subscriber.from_xml(text).screen_name == "Zoë 😀 Ω"
    assert Subscriber.from_xml("\ufeff" + text).screen_name == "Zoë 😀 Ω"


def test_bytes_still_follow_their_declaration() -> None:
    doc = ('<?xml version="1.0" encoding="ISO-8859-1"?>' + BASE.format("<screen-name>Zoë</screen-name>"))
    assert Subscriber.from_xml(doc.encode("latin-1")).screen_name == "Zoë"


def test_a_str_with_a_lone_surrogate_is_a_parse_error() -> None:
    with pytest.raises(ResponseParseError):
        Subscriber.from_xml(BASE.format("<screen-name>a\ud800</screen-name>"))


@pytest.mark.parametrize("bad", ["a\ud800b", "\x00", "x\x1by", "\ufffe", "\udfff"])
def test_text_xml_cannot_carry_is_an_invalid_request_naming_the_field(bad: str) -> None:
    sent: list[bytes] = []
    with Client("t", "s", base_url="http://test.invalid", http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: sent.append(r.content) or httpx.Response(200)))) as client:
        with pytest.raises(InvalidRequestError) as caught:
            client.subscribers.update("7", email=bad)
        assert caught.value.field == "email"
        with pytest.raises(InvalidRequestError) as caught:
            client.subscribers.add_fee("7", name="n", group=bad, amount=1)
        assert caught.value.field == "group"
    assert sent == []


def test_numbers_too_long_to_print_are_an_invalid_request_naming_the_field() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        Credit(amount=Decimal("1E+100000")).to_xml()
    assert caught.value.field == "amount"
    with pytest.raises(InvalidRequestError) as caught:
        ComplimentarySubscription(duration_quantity=10**5000, duration_units="days", feature_level="x").to_xml()
    assert caught.value.field == "duration_quantity"


@pytest.mark.parametrize(("tag", "value", "field"), [
    ("store-credit", "1_000", "store_credit"),
    ("store-credit", "١٢", "store_credit"),  # Arabic-Indic digits
    ("store-credit", "1e3", "store_credit"),
    ("store-credit", "NaN", "store_credit"),
    ("store-credit", "+5", "store_credit"),
    ("active", "yes", "active"),
    ("active", "1", "active"),
    ("active", "True", "active"),
    ("on-trial", "on", "on_trial"),
    ("active-until", "1234567890", "active_until"),
    ("active-until", "2012-01-01", "active_until"),
    ("active-until", "2012-01-01 10:00:00", "active_until"),
    ("active-until", "2012-01-01T10:00:00.1234567Z", "active_until"),
    ("active-until", "٢٠١٢-٠١-٠١T١٠:٠٠:٠٠Z", "active_until"),  # the usual shape, Arabic-Indic digits
    ("active-until", "2012-01-01T10:00:0xZ", "active_until"),
    ("active-until", "2012-01-01t10:00:00Z", "active_until"),
    ("active-until", "2012-01-01T10:00:00z", "active_until"),
    ("active-until", "2012-01-01T10:00:00+0500", "active_until"),
    ("pagination-id", "x", None),  # a string field: anything goes
])
def test_values_outside_the_services_forms_are_refused_naming_the_field(tag: str, value: str,
                                                                        field: str | None) -> None:
    body = BASE.format(f"<{tag}>{value}</{tag}>").encode()
    if field is None:
        Subscriber.from_xml(body)
        return
    for read in (Subscriber.from_xml, Subscriber.from_xml_reference):
        with pytest.raises(ResponseParseError, match=field):
            read(body)
    with pytest.raises(ResponseParseError, match=field):
        _get(body)


def test_integers_too_are_read_in_the_services_form_only() -> None:
    doc = (b"<transactions type=\"array\"><transaction><id>1_0</id></transaction></transactions>")
    with pytest.raises(ResponseParseError, match="id"):
        Transaction.list_from_xml(doc)
    with pytest.raises(ResponseParseError, match="duration_quantity"):
        SubscriptionPlan.list_from_xml(b"<subscription-plans type=\"array\"><subscription-plan><id>1</id>"
                                       b"<duration-quantity>\xd9\xa1</duration-quantity></subscription-plan>"
                                       b"</subscription-plans>")


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                    timezones=st.integers(-1439, 1439).map(lambda m: timezone(timedelta(minutes=m)))))
def test_any_datetime_a_model_holds_survives_writing_and_reading(stamp: datetime) -> None:
    try:
        sub = Subscriber(customer_id="1", active_until=stamp)
    except ValueError:
        return  # outside the range in UTC: refused at construction (tested above)
    assert Subscriber.from_xml(sub.to_xml()) == sub
    assert Subscriber.model_validate(sub.model_dump()) == sub
    assert Subscriber.model_validate_json(sub.model_dump_json()) == sub
