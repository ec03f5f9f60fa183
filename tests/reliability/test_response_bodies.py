"""What the service (or a proxy) answers, sync and async, on a MockTransport."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import httpx
import pytest

from spreedly_sdk import (
    AuthenticationError,
    ForbiddenError,
    InternalServerError,
    NotFoundError,
    ResponseParseError,
    UnexpectedResponseError,
    UnprocessableEntityError,
)

from .conftest import ERRORS_500, sub_xml

XML = {"content-type": "application/xml; charset=utf-8"}
NGINX_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
             b"</center>\r\n<hr><center>nginx</center>\r\n" + b"<!-- pad -->" * 300 + b"</body>\r\n</html>\r\n")


def answer(status: int, body: bytes = b"", headers: dict[str, str] | None = None):  # noqa: ANN201
    return lambda request: httpx.Response(status, content=body, headers=XML if headers is None else headers)


def get(c):  # noqa: ANN001, ANN201
    return c.subscribers.get(1)


def test_truncated_xml(make):
    body = sub_xml(1)[:-20]
    h = make(handler=answer(200, body))
    err = h.raises(ResponseParseError, get)
    assert err.status_code == 200 and err.body_snippet and err.body_snippet in body.decode()


def test_html_502_from_proxy(make):
    h = make(handler=answer(502, NGINX_502, {"content-type": "text/html"}), max_retries=2)
    err = h.raises(InternalServerError, get)
    assert err.status_code == 502 and err.errors == []
    assert len(err.body_snippet) <= 1025 and "502 Bad Gateway" in err.body_snippet
    assert len(h.requests) == 3  # retryable for GET


@pytest.mark.parametrize("ctype,body", [
    ("text/html; charset=utf-8", b"<html><body><form>Please log in</form></body></html>"),
    ("text/html", b"<!DOCTYPE html><html><body>captive portal</body></html>"),
], ids=["login-page", "captive-portal"])
def test_html_200(make, ctype, body):
    h = make(handler=answer(200, body, {"content-type": ctype}))
    err = h.raises(UnexpectedResponseError, get)
    assert err.status_code == 200 and err.content_type == "text/html"
    assert not isinstance(err, ResponseParseError)


def test_json_200(make):
    h = make(handler=answer(200, b'{"subscriber": {"customer_id": 1}}', {"content-type": "application/json"}))
    err = h.raises(UnexpectedResponseError, get)
    assert err.content_type == "application/json"


def test_policy_html_content_type_with_valid_xml_is_refused(make):
    # Pinned policy (docs/reliability.md): the content type decides. A 2xx body must be
    # labelled */xml or *+xml (or carry no content type at all) to be parsed; anything
    # else is an UnexpectedResponseError even when the bytes happen to be valid XML.
    h = make(handler=answer(200, sub_xml(1), {"content-type": "text/html"}))
    err = h.raises(UnexpectedResponseError, get)
    assert "text/html" in str(err)


@pytest.mark.parametrize("ctype", ["application/xml", "text/xml; charset=utf-8", "application/rss+xml", None])
def test_xml_content_types_accepted(make, ctype):
    h = make(handler=answer(200, sub_xml(1), {} if ctype is None else {"content-type": ctype}))
    assert h.run(get).customer_id == "1"


def test_empty_200_body(make):
    h = make(handler=answer(200, b""))
    err = h.raises(ResponseParseError, get)
    assert "empty body" in str(err) and err.status_code == 200


@pytest.mark.parametrize("status,body", [(204, b""), (200, b""), (200, b"  \n")])
def test_empty_answer_on_delete(make, status, body):
    h = make(handler=answer(status, body, {}))
    assert h.run(lambda c: c.subscribers.delete(1)) is None
    assert h.requests[0].method == "DELETE"


def test_201_with_location(make):
    headers = {**XML, "location": "https://example.test/api/v4/mysite/subscribers/1.xml"}
    h = make(handler=answer(201, sub_xml(1), headers))
    sub = h.run(lambda c: c.subscribers.create(1, screen_name="Joe"))
    assert sub.customer_id == "1" and sub.screen_name == "Joe"
    # The typed methods return models; the raw escape hatch exposes the headers.
    raw = h.run(lambda c: c.query("subscribers.xml", sub_xml(1), "post"))
    assert raw.status_code == 201 and raw.headers["location"].endswith("/subscribers/1.xml")


def test_invalid_utf8(make):
    body = sub_xml(1).replace(b"Joe", b"J\xff\xfee")
    h = make(handler=answer(200, body))
    err = h.raises(ResponseParseError, get)
    assert err.status_code == 200


def test_latin1_declared_in_document(make):
    body = ('<?xml version="1.0" encoding="ISO-8859-1"?><subscriber><customer-id>1</customer-id>'
            "<screen-name>José</screen-name></subscriber>").encode("latin-1")
    h = make(handler=answer(200, body, {"content-type": "application/xml"}))
    assert h.run(get).screen_name == "José"


def test_422_errors(make):
    body = b'<?xml version="1.0"?><errors><error>Customer has already been taken</error></errors>'
    h = make(handler=answer(422, body), max_retries=2)
    err = h.raises(UnprocessableEntityError, lambda c: c.subscribers.create(1))
    assert err.errors == ["Customer has already been taken"] and err.status_code == 422
    assert len(h.requests) == 1


@pytest.mark.parametrize("status,cls", [(401, AuthenticationError), (403, ForbiddenError), (404, NotFoundError)])
@pytest.mark.parametrize("body", [b"", b'<errors><error>Nope</error></errors>', b"Access denied"],
                         ids=["empty", "xml", "text"])
def test_auth_forbidden_not_found(make, status, cls, body):
    h = make(handler=answer(status, body), max_retries=2)
    err = h.raises(cls, get)
    assert type(err) is cls and err.status_code == status
    assert err.errors == ([] if not body else ["Nope"] if body.startswith(b"<") else ["Access denied"])
    assert len(h.requests) == 1 and h.sleeps == []


@pytest.mark.parametrize("body,actual", [
    (ERRORS_500, "errors"),
    (b"<subscription-plan><id>1</id></subscription-plan>", "subscription-plan"),
])
def test_unexpected_root(make, body, actual):
    h = make(handler=answer(200, body))
    err = h.raises(UnexpectedResponseError, get)
    assert "<subscriber>" in str(err) and f"<{actual}>" in str(err)
    assert err.status_code == 200


def test_unknown_and_reordered_elements(make):
    body = (b'<subscriber><new-thing>a</new-thing><screen-name>Joe</screen-name><extra><deep>1</deep></extra>'
            b'<active type="boolean">true</active><customer-id>42</customer-id>'
            b'<store-credit type="decimal">2.50</store-credit><zzz/></subscriber>')
    h = make(handler=answer(200, body))
    sub = h.run(get)
    assert (sub.customer_id, sub.screen_name, sub.active, sub.store_credit) == ("42", "Joe", True, Decimal("2.50"))


def test_duplicate_element_first_wins(make):
    # Pinned: a repeated element keeps the first value; the rest are ignored, never merged.
    body = (b"<subscriber><customer-id>1</customer-id><screen-name>first</screen-name>"
            b"<customer-id>999</customer-id><screen-name>second</screen-name></subscriber>")
    h = make(handler=answer(200, body))
    sub = h.run(get)
    assert sub.customer_id == "1" and sub.screen_name == "first"


def test_nil_empty_and_types(make):
    body = (b'<subscriber><customer-id>1</customer-id><email nil="true"></email><screen-name></screen-name>'
            b'<active type="boolean">false</active><on-trial type="boolean">true</on-trial>'
            b'<active-until type="datetime">2024-03-01T12:30:00Z</active-until>'
            b'<grace-until type="datetime" nil="true"></grace-until></subscriber>')
    h = make(handler=answer(200, body))
    sub = h.run(get)
    assert sub.email is None and sub.screen_name == ""
    assert sub.active is False and sub.on_trial is True
    assert sub.active_until == datetime(2024, 3, 1, 12, 30, tzinfo=timezone.utc)
    assert sub.grace_until is None


def test_wrong_field_type(make):
    body = b'<subscriber><customer-id>1</customer-id><active type="boolean">maybe</active></subscriber>'
    h = make(handler=answer(200, body))
    err = h.raises(ResponseParseError, get)
    assert "active" in str(err) and err.status_code == 200
