"""Nothing lost: an element a model does not declare is kept in ``model_extra`` under its tag (a
leaf as its text, nil as None, an element with children as a dict of the same form, a
repeated one as a list), through ``from_xml``, ``list()`` and ``iter()`` alike; written back by
``to_xml``; never sent in a request body."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from spreedly_sdk import Client
from spreedly_sdk.models import (
    Invoice,
    RailsModel,
    Subscriber,
    SubscriberCreate,
    SubscriptionPlan,
    Transaction,
)

DOC = b"""<subscriber>
  <customer-id>7</customer-id>
  <email>e@example.com</email>
  <new-flag type="boolean">true</new-flag>
  <loyalty><tier>gold</tier><since type="datetime">2020-01-01T00:00:00Z</since><tag>a</tag><tag>b</tag></loyalty>
  <alias>one</alias>
  <alias>two</alias>
  <gone nil="true"/>
  <blank></blank>
  <invoices type="array"><invoice><token>t</token><closed>false</closed><amount>1.0</amount>
    <price>$1</price><currency-code>USD</currency-code><created-at>2012-01-01T00:00:00Z</created-at>
    <updated-at>2012-01-01T00:00:00Z</updated-at><line-items type="array"/><coupon>X1</coupon></invoice></invoices>
</subscriber>"""

EXPECTED = {
    "new-flag": "true",
    "loyalty": {"tier": "gold", "since": "2020-01-01T00:00:00Z", "tag": ["a", "b"]},
    "alias": ["one", "two"],
    "gone": None,
    "blank": "",
}


def test_undeclared_elements_are_kept_by_tag() -> None:
    sub = Subscriber.from_xml(DOC)
    assert sub.model_extra == EXPECTED
    assert sub.invoices is not None and sub.invoices[0].model_extra == {"coupon": "X1"}
    assert getattr(sub, "alias") == ["one", "two"]  # noqa: B009 - reachable as attributes too


def test_extras_are_written_back_and_read_again_the_same() -> None:
    sub = Subscriber.from_xml(DOC)
    again = Subscriber.from_xml(sub.to_xml())
    assert again == sub and again.model_extra == EXPECTED
    assert Subscriber.model_validate(sub.model_dump()) == sub


def _serve(body: bytes, chunk: int) -> Client:
    def handle(request: httpx.Request) -> httpx.Response:
        parts = [body[i:i + chunk] for i in range(0, len(body), chunk)]
        return httpx.Response(200, headers={"Content-Type": "application/xml"}, stream=httpx.ByteStream(b"".join(parts)))

    return Client("t", "site", base_url="http://test.invalid", http_client=httpx.Client(
        transport=httpx.MockTransport(handle)))


@pytest.mark.parametrize("chunk", [3, 64, 100_000])
def test_list_and_iter_keep_the_same_extras(chunk: int) -> None:
    body = b'<subscribers type="array">' + DOC + b"<between>x</between>" + DOC.replace(b">7<", b">8<") + b"</subscribers>"
    with _serve(body, chunk) as client:
        listed = client.subscribers.list()
        streamed = list(client.subscribers.iter())
    assert listed == streamed
    assert [s.model_extra for s in listed] == [EXPECTED, EXPECTED]


def test_a_fetched_subscriber_sent_back_never_carries_its_extras() -> None:
    sent: list[bytes] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, headers={"Content-Type": "application/xml"}, content=DOC)

    with Client("t", "site", base_url="http://test.invalid", http_client=httpx.Client(
            transport=httpx.MockTransport(handle))) as client:
        client.set_info(client.get_info("7"))
    put = [body for body in sent if body]
    assert len(put) == 1
    assert [el.tag for el in etree.fromstring(put[0])] == ["email"]


def test_request_models_have_no_extras() -> None:
    """Request models forbid undeclared fields: read from a document, unknown elements are skipped
    (the emulator reads request bodies with them); constructed, they are refused."""
    create = SubscriberCreate.from_xml(b"<subscriber><customer-id>1</customer-id><token>x</token></subscriber>")
    assert create.model_extra is None or create.model_extra == {}
    assert b"token" not in create.to_xml()
    with pytest.raises(ValueError, match="token"):
        SubscriberCreate(customer_id="1", token="x")  # type: ignore[call-arg]


# --------------------------------------------------------------------------- properties

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(" \t\n"),
                max_size=10)
_LEAF = st.none() | _TEXT


def _tags(model: type[RailsModel]) -> st.SearchStrategy[str]:
    taken = set(model.rails_fields().by_tag) | set(model.model_fields)
    return st.from_regex(r"\Azz-[a-z][a-z0-9-]{0,8}\Z").filter(lambda t: t not in taken)


_INNER = st.dictionaries(st.from_regex(r"\A[a-z][a-z0-9-]{0,6}\Z"), _LEAF, min_size=1, max_size=3)
_VALUE = _LEAF | _INNER | st.lists(_LEAF | _INNER, min_size=2, max_size=3)


def _append(parent: etree._Element, tag: str, value: Any) -> None:
    """Write an extra the way a service would (independently of the SDK's writer)."""
    if isinstance(value, list):
        for item in value:
            _append(parent, tag, item)
        return
    el = etree.SubElement(parent, tag)
    if value is None:
        el.set("nil", "true")
    elif isinstance(value, dict):
        for key, item in value.items():
            _append(el, key, item)
    else:
        el.text = value


BASES = {
    Subscriber: b"<subscriber><customer-id>0042</customer-id></subscriber>",
    Invoice: (b"<invoice><token>t</token><closed>false</closed><amount>1.0</amount><price>$1</price>"
              b"<currency-code>USD</currency-code><created-at>2012-01-01T00:00:00Z</created-at>"
              b"<updated-at>2012-01-01T00:00:00Z</updated-at><line-items type=\"array\"/></invoice>"),
    SubscriptionPlan: (b"<subscription-plan><id>1</id><name>n</name><terms>1 month</terms><price>1.0</price>"
                       b"<amount>1.0</amount><currency-code>USD</currency-code><duration-quantity>1</duration-quantity>"
                       b"<duration-units>months</duration-units><enabled>true</enabled><feature-level>f</feature-level>"
                       b"<force-recurring>false</force-recurring><needs-to-be-renewed>true</needs-to-be-renewed>"
                       b"<plan-type>regular</plan-type><return-url></return-url></subscription-plan>"),
    Transaction: (b"<transaction><id>5</id><amount>1.0</amount><price>$1</price><currency-code>USD</currency-code>"
                  b"<description>d</description><detail-type>Subscription</detail-type><terms>1 month</terms>"
                  b"<subscriber-customer-id>7</subscriber-customer-id><created-at>2012-01-01T00:00:00Z</created-at>"
                  b"<updated-at>2012-01-01T00:00:00Z</updated-at><detail><payment-method>visa</payment-method></detail>"
                  b"</transaction>"),
}


@pytest.mark.parametrize("model", list(BASES), ids=lambda m: m.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_undeclared_content_is_kept_and_written_back(model: type[RailsModel], data: st.DataObject) -> None:
    extras = data.draw(st.dictionaries(_tags(model), _VALUE, max_size=4))
    root = etree.fromstring(BASES[model])
    for tag, value in extras.items():
        _append(root, tag, value)
    parsed = model.from_xml(etree.tostring(root))
    assert (parsed.model_extra or {}) == {t: _read_back(v) for t, v in extras.items()}
    assert model.from_xml(parsed.to_xml()) == parsed
    assert model.model_validate(parsed.model_dump()) == parsed


def _read_back(value: Any) -> Any:
    """What reading gives for a written value: an empty leaf reads as ""."""
    if isinstance(value, list):
        return [_read_back(v) for v in value]
    if isinstance(value, dict):
        return {k: _read_back(v) for k, v in value.items()}
    return value
