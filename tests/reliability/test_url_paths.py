"""Every id is one encoded segment inside ``/api/v4/{site}/``."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from spreedly_sdk import AsyncClient, Client, InvalidRequestError

from . import faultserver as fs
from .conftest import TOKEN, sub_xml

OK = {"content-type": "application/xml"}
PREFIX = "/api/v4/mysite/"


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=sub_xml(1), headers=OK)


def raw_path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii")


def get(value):  # noqa: ANN001, ANN201
    return lambda c: c.subscribers.get(value)


def fee(value):  # noqa: ANN001, ANN201
    return lambda c: c.subscribers.add_fee(value, name="n", description=None, group="g", amount=Decimal(1))


@pytest.mark.parametrize("value,encoded", [
    ("../../othersite/subscribers/1", "..%2F..%2Fothersite%2Fsubscribers%2F1"),
    ("../x", "..%2Fx"),
    ("a/b", "a%2Fb"),
])
def test_traversal_stays_one_segment(make, value, encoded):
    h = make(handler=ok)
    h.run(get(value))
    h.run(fee(value))
    assert [raw_path(r) for r in h.requests] == [f"{PREFIX}subscribers/{encoded}.xml",
                                                 f"{PREFIX}subscribers/{encoded}/fees.xml"]


BAD = ["..", ".", "%2e%2e", "%2E.", ".%2e", "%2e", "%252e%252e", "", " ", " 1", "1 ", "\t1",
       "1\r\nX-Evil: 1", "1\x00", "1\x7f", "\n"]


@pytest.mark.parametrize("value", BAD, ids=[repr(v) for v in BAD])
@pytest.mark.parametrize("call", [get, fee], ids=["get", "fees"])
def test_refused_before_sending(make, value, call):
    h = make(handler=ok)
    err = h.raises(InvalidRequestError, call(value))
    assert err.field == "customer_id"
    assert h.requests == []


@pytest.mark.parametrize("value,encoded", [
    ("1?x=1", "1%3Fx%3D1"), ("1#x", "1%23x"), ("1;x=1", "1%3Bx%3D1"), ("1%2F2", "1%252F2"),
    ("1\\..\\2", "1%5C..%5C2"), ("a b", "a%20b"), ("1+1", "1%2B1"), ("~_-.", "~_-."),
])
def test_reserved_characters_encoded(make, value, encoded):
    h = make(handler=ok)
    h.run(get(value))
    url = h.requests[0].url
    assert raw_path(h.requests[0]) == f"{PREFIX}subscribers/{encoded}.xml"
    assert url.query == b"" and url.fragment == ""


@pytest.mark.parametrize("value", [None, True, False, 1.5, object(), b"1", [1], Decimal(1)],
                         ids=["None", "True", "False", "float", "object", "bytes", "list", "Decimal"])
def test_wrong_types_refused(make, value):
    h = make(handler=ok)
    err = h.raises(InvalidRequestError, get(value))
    assert isinstance(err, TypeError) and isinstance(err, ValueError)
    assert h.requests == []


@pytest.mark.parametrize("value,text", [(42, "42"), (0, "0"), (10**20, "100000000000000000000"), (-3, "-3")])
def test_int_ids_decimal(make, value, text):
    h = make(handler=ok)
    h.run(get(value))
    assert raw_path(h.requests[0]) == f"{PREFIX}subscribers/{text}.xml"


@pytest.mark.parametrize("value,encoded", [("é", "%C3%A9"), ("日本", "%E6%97%A5%E6%9C%AC"), ("💥", "%F0%9F%92%A5")])
def test_unicode_ids(make, value, encoded):
    h = make(handler=ok)
    h.run(get(value))
    assert raw_path(h.requests[0]) == f"{PREFIX}subscribers/{encoded}.xml"


@pytest.mark.parametrize("value,encoded", [
    ("../../othersite/subscribers/1", "..%2F..%2Fothersite%2Fsubscribers%2F1"),
    ("1?x=1", "1%3Fx%3D1"), ("1#x", "1%23x"), ("1%2F2", "1%252F2"), ("1\\..\\2", "1%5C..%5C2"),
])
def test_wire_request_line(make, server, value, encoded):
    srv = server(default=fs.respond(200, sub_xml(1), keep_alive=True))
    h = make(base_url=srv.url)
    h.run(get(value))
    h.run(fee(value))
    assert [r.line for r in srv.requests] == [
        f"GET {PREFIX}subscribers/{encoded}.xml HTTP/1.1",
        f"POST {PREFIX}subscribers/{encoded}/fees.xml HTTP/1.1",
    ]


@pytest.mark.parametrize("site", ["mysite/../x", "", " ", "a/b", "my site", "..", ".", "%2e%2e", "a?b", "a#b",
                                  "\u00e9", None, 5, True])
@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_site_name_checked_at_construction(cls, site):
    with pytest.raises(InvalidRequestError):
        cls(TOKEN, site)


def test_delete_subscriber_path(make):
    h = make(handler=lambda r: httpx.Response(200))
    h.run(lambda c: c.delete_subscriber("a/../b"))
    h.run(lambda c: c.subscribers.delete(7))
    assert [(r.method, raw_path(r)) for r in h.requests] == [
        ("DELETE", f"{PREFIX}subscribers/a%2F..%2Fb.xml"), ("DELETE", f"{PREFIX}subscribers/7.xml")]
    h.raises(InvalidRequestError, lambda c: c.delete_subscriber(".."))
    assert len(h.requests) == 2


# ---------------------------------------------------------------------- the site name and the body property


@pytest.fixture(scope="module")
def recorder():
    """One sync client on a MockTransport for the property tests (rebuilding per example is slow)."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(200, content=sub_xml(1), headers=OK)

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        client = Client(TOKEN, "mysite", base_url="https://example.test", http_client=http)
        yield client, sent


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.one_of(st.text(), st.text(alphabet=".%2eE/\\?#; \x00\r\n"), st.integers()),
       st.sampled_from(["", "fees", "stop_auto_renew"]))
def test_property_any_id_stays_in_one_segment(recorder, value, suffix):
    client, sent = recorder
    sent.clear()
    try:
        if suffix == "fees":
            client.subscribers.add_fee(value, name="n", description=None, group="g", amount=Decimal(1))
        elif suffix:
            client.subscribers.stop_auto_renew(value)
        else:
            client.subscribers.get(value)
    except InvalidRequestError:
        assert sent == []
        return
    assert len(sent) == 1
    url = sent[0].url
    path = raw_path(sent[0])
    assert url.query == b"" and url.fragment == "" and url.host == "example.test"
    assert path.startswith(PREFIX + "subscribers/")
    rest = path[len(PREFIX + "subscribers/"):]
    tail = f"/{suffix}.xml" if suffix else ".xml"
    assert rest.endswith(tail)
    seg = rest[: -len(tail)]
    assert "/" not in seg and "?" not in seg and "#" not in seg
    assert unquote(seg) == str(value)
    assert unquote(seg).strip() not in ("", ".", "..")


@SETTINGS
@given(st.text(), st.text())
def test_property_any_field_string_round_trips_or_is_refused(recorder, screen_name, email):
    client, sent = recorder
    sent.clear()
    try:
        client.subscribers.update("42", screen_name=screen_name, email=email)
    except InvalidRequestError as exc:
        assert sent == []
        assert exc.field in ("screen_name", "email")
        return
    assert len(sent) == 1
    root = etree.fromstring(sent[0].content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    assert [child.tag for child in root] == ["screen-name", "email"]
    assert (root.findtext("screen-name") or "") == screen_name
    assert (root.findtext("email") or "") == email
    assert raw_path(sent[0]) == f"{PREFIX}subscribers/42.xml"
