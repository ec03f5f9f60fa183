"""Every subscriber round-trips: ``set_info(get_info(x))`` over every subscriber document we have
(fixtures, and the service samples when present) through an ``httpx.MockTransport``. The PUT
carries writable fields only (those the document carried, nil ones as nil) and the answer is
the subscriber as fetched again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from rails_docs import FIXTURES, SAMPLES, fixture_names, service_sample_names

from spreedly_sdk import Client
from spreedly_sdk.errors import InvalidRequestError
from spreedly_sdk.models import WRITABLE_FIELDS, Subscriber

WRITABLE_TAGS = {f.replace("_", "-") for f in WRITABLE_FIELDS}


def _subscriber_documents() -> Iterator[tuple[str, bytes]]:
    """Every ``<subscriber>`` element with a customer id, single or in a list, as its own document."""
    sources = [("fixture", FIXTURES / n) for n in fixture_names()]
    sources += [("sample", SAMPLES / n) for n in service_sample_names() if "request" not in n]
    for kind, path in sources:
        root = etree.fromstring(path.read_bytes())
        for i, el in enumerate(root.iter("subscriber")):  # single, in a list, inside an invoice
            if el.find("customer-id") is not None:
                yield f"{kind}:{path.name}#{i}", etree.tostring(el)


DOCS = dict(_subscriber_documents())


class _Service:
    """Answers GET with the document and records the PUT bodies."""

    def __init__(self, document: bytes) -> None:
        self.document = document
        self.puts: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            self.puts.append(request.content)
            return httpx.Response(200, content=b"")
        return httpx.Response(200, headers={"Content-Type": "application/xml"}, content=self.document)


def _client(service: _Service) -> Client:
    return Client("token", "site", base_url="http://test.invalid", max_retries=0,
                  http_client=httpx.Client(transport=httpx.MockTransport(service)))


def _put_body_children(body: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(body)
    assert root.tag == "subscriber"
    return {child.tag: child for child in root}


@pytest.mark.parametrize("name", sorted(DOCS))
def test_set_info_of_get_info_sends_writable_fields_only(name: str) -> None:
    service = _Service(DOCS[name])
    with _client(service) as client:
        fetched = client.get_info(Subscriber.from_xml(DOCS[name]).customer_id)
        again = client.set_info(fetched)
    assert again == fetched
    assert len(service.puts) == 1
    sent = _put_body_children(service.puts[0])
    assert set(sent) <= WRITABLE_TAGS
    source = {child.tag for child in etree.fromstring(DOCS[name])}
    # exactly the writable fields the document carried: nothing it did not carry is cleared
    assert set(sent) == WRITABLE_TAGS & source
    for tag, el in sent.items():
        value = getattr(fetched, tag.replace("-", "_"))
        assert (el.get("nil") == "true") == (value is None)
        assert value is None or (el.text or "") == value


def test_an_all_nil_subscriber_round_trips_by_sending_nil() -> None:
    """The issue's case: a subscriber just created, every writable field nil."""
    doc = (b"<subscriber><customer-id>9</customer-id><screen-name nil=\"true\"/><email nil=\"true\"/>"
           b"<billing-first-name nil=\"true\"/><billing-last-name nil=\"true\"/>"
           b"<token>t</token><active type=\"boolean\">false</active></subscriber>")
    service = _Service(doc)
    with _client(service) as client:
        assert client.set_info(client.get_info("9")).customer_id == "9"
        client.subscribers.update(client.subscribers.get("9"))
    for body in service.puts:
        sent = _put_body_children(body)
        assert set(sent) == WRITABLE_TAGS
        assert all(el.get("nil") == "true" for el in sent.values())


def test_a_subscriber_with_nothing_writable_set_is_refused_before_sending() -> None:
    service = _Service(b"")
    with _client(service) as client, pytest.raises(InvalidRequestError, match="at least one field"):
        client.subscribers.update(Subscriber(customer_id="9", active=True))
    assert service.puts == []


def test_an_edited_subscriber_sends_its_edits() -> None:
    doc = b"<subscriber><customer-id>9</customer-id><email>old@example.com</email><token>t</token></subscriber>"
    service = _Service(doc)
    with _client(service) as client:
        sub = client.get_info("9")
        sub.email = "new@example.com"
        sub.screen_name = None  # clearing a field the document did not carry is an edit too
        client.subscribers.update(sub)
    sent = _put_body_children(service.puts[0])
    assert sent["email"].text == "new@example.com"
    assert sent["screen-name"].get("nil") == "true"
    assert set(sent) == {"email", "screen-name"}


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
_VALUE = st.none() | _TEXT | st.sampled_from(["", " ", "  padded ", "007", "😀𝄞"])


@settings(max_examples=60, deadline=None)
@given(values=st.fixed_dictionaries({}, optional={f: _VALUE for f in WRITABLE_FIELDS}),
       customer_id=st.sampled_from(["9", "007", "a b", "x😀"]),
       others=st.fixed_dictionaries({}, optional={"token": _TEXT, "active": st.booleans(),
                                                  "on_trial": st.booleans()}))
def test_any_fetched_subscriber_sends_back_its_writable_fields_only(
        values: dict[str, Any], customer_id: str, others: dict[str, Any]) -> None:
    document = Subscriber(customer_id=customer_id, **values, **others).to_xml(exclude_unset=True)
    service = _Service(document)
    with _client(service) as client:
        fetched = client.subscribers.get(customer_id)
        if not set(values):
            with pytest.raises(InvalidRequestError):
                client.set_info(fetched)
            return
        assert client.set_info(fetched) == fetched
    sent = _put_body_children(service.puts[0])
    assert set(sent) == {f.replace("_", "-") for f in values}
    for field, value in values.items():
        el = sent[field.replace("_", "-")]
        assert (None if el.get("nil") == "true" else el.text or "") == value
