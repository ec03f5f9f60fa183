"""No input breaks the emulator: malformed HTTP is answered 400/413 and closed, odd credentials are a
401, and numbers beyond what it computes with are a 422 that leaves the site as it was, so every
GET still answers afterwards. Over a real socket where the wire is the point."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from spreedly_sdk.testing import Emulator

BODY = b"<subscriber><customer-id>r1</customer-id></subscriber>"


def exchange(base_url: str, payload: bytes) -> bytes:
    """Send raw bytes, read until the server closes the connection (a 5 s guard, never reached when it does)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(payload)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


@pytest.fixture
def served(emu: Emulator) -> Iterator[str]:
    with emu.serve() as base_url:
        yield base_url


def _request(emu: Emulator, headers: str, body: bytes = b"") -> bytes:
    auth = base64.b64encode(f"{emu.token}:X".encode()).decode()
    return (f"POST /api/v4/{emu.site_name}/subscribers.xml HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n"
            f"{headers}\r\n").encode() + body


@pytest.mark.parametrize(("headers", "body", "status"), [
    ("Content-Length: abc\r\n", BODY, b"400"),
    ("Content-Length: -5\r\n", BODY, b"400"),
    ("Content-Length: 1.5\r\n", BODY, b"400"),
    ("Content-Length: 12\r\nContent-Length: 13\r\n", BODY, b"400"),
    (f"Content-Length: {10 ** 15}\r\n", BODY, b"413"),
    ("Content-Length: 99999999999999999999999999999\r\n", BODY, b"413"),
    ("Transfer-Encoding: chunked\r\n", b"zz\r\n" + BODY + b"\r\n0\r\n\r\n", b"400"),
    ("Transfer-Encoding: chunked\r\n", b"-1\r\n" + BODY + b"\r\n0\r\n\r\n", b"400"),
    ("Transfer-Encoding: chunked\r\n", b"ffffffffffff\r\n" + BODY, b"400"),
    ("Transfer-Encoding: chunked\r\n", b"100001\r\n" + BODY, b"413"),  # one byte over the cap
])
def test_malformed_http_is_answered_and_closed(emu: Emulator, served: str, capfd: pytest.CaptureFixture[str],
                                               headers: str, body: bytes, status: bytes) -> None:
    answer = exchange(served, _request(emu, headers, body))  # returns only once the server closed
    assert answer.startswith(b"HTTP/1.1 " + status), answer
    assert b"connection: close" in answer.lower()
    assert emu.errors == [] and emu.subscriber("r1") is None and emu.requests == []
    assert capfd.readouterr().err == ""
    with httpx.Client(base_url=served, auth=(emu.token, "X")) as client:  # and the server still serves
        assert client.get(f"/api/v4/{emu.site_name}/subscribers.xml").status_code == 200


def test_a_body_shorter_than_announced_is_not_performed(emu: Emulator, served: str) -> None:
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(_request(emu, "Content-Length: 500\r\n", BODY))
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(100) == b""
    assert emu.errors == [] and emu.subscriber("r1") is None


@pytest.mark.parametrize("authorization", [
    "Basic w6nDqQ==\u00e9".encode("latin-1"),            # non-ASCII bytes in the header
    "Basic ĉu".encode(),                                  # UTF-8 bytes
    b"Basic !!!notbase64!!!",
    b"Basic " + base64.b64encode(b"\xff\xfe:x"),          # not UTF-8 once decoded
    b"Bearer abc",
    b"Basic",
    b"",
])
def test_odd_authorization_is_a_401(emu: Emulator, served: str, authorization: bytes) -> None:
    payload = (f"GET /api/v4/{emu.site_name}/subscribers.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
               ).encode() + b"Authorization: " + authorization + b"\r\n\r\n"
    answer = exchange(served, payload)
    assert answer.startswith(b"HTTP/1.1 401"), answer
    assert emu.errors == []


# ----------------------------------------------------------------------------- numbers beyond the site's reach


def _errors(resp: httpx.Response) -> list[str]:
    assert resp.status_code == 422, resp.text
    return [e.text or "" for e in etree.fromstring(resp.content)]


def _snapshot(raw: httpx.Client) -> list[bytes]:
    return [raw.get(path).content for path in ("subscribers.xml", "transactions.xml", "subscribers/42.xml")]


def test_huge_store_credit_is_refused_and_the_site_unchanged(raw: httpx.Client, emu: Emulator) -> None:
    emu.add_subscriber("42")
    before = _snapshot(raw)
    for amount in (str(10 ** 28), "1E+26", "9" * 5000, "1e999999999", "-1e999999999", "0." + "1" * 40, "1e-400"):
        resp = raw.post("subscribers/42/credits.xml", content=f"<credit><amount>{amount}</amount></credit>")
        assert _errors(resp) in (["Amount is too large"], ["Amount has too many decimal places"]), amount
    assert _snapshot(raw) == before  # refusals leave every document as it was, timestamps included
    assert raw.post("subscribers/42/credits.xml", content=b"<credit><amount>999999999999</amount></credit>"
                    ).status_code == 201
    assert _errors(raw.post("subscribers/42/credits.xml", content=b"<credit><amount>1</amount></credit>")) \
        == ["Amount is too large"]  # the total is held to the same limit
    assert raw.get("subscribers/42.xml").status_code == 200
    raw.post("subscribers/42/credits.xml", content=b"<credit><amount>-999999999999</amount></credit>")
    # back to the first balance (updated-at moved on with the two accepted credits)
    credit = etree.fromstring(raw.get("subscribers/42.xml").content).findtext("store-credit")
    assert credit == etree.fromstring(before[2]).findtext("store-credit")
    assert emu.errors == []


def test_huge_fee_is_refused_so_renewals_and_listings_still_work(raw: httpx.Client, emu: Emulator) -> None:
    emu.add_subscriber("42", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    before = _snapshot(raw)
    fee = b"<fee><name>x</name><group>g</group><amount>1E+26</amount></fee>"
    assert _errors(raw.post("subscribers/42/fees.xml", content=fee)) == ["Amount is too large"]
    assert _snapshot(raw) == before
    emu.advance(days=40)  # a renewal
    assert raw.get("transactions.xml").status_code == 200 and raw.get("subscribers/42.xml").status_code == 200
    assert emu.errors == []


@pytest.mark.parametrize(("path", "body"), [
    ("complimentary_time_extensions.xml", "<complimentary-time-extension><duration-quantity>100000"
     "</duration-quantity><duration-units>months</duration-units></complimentary-time-extension>"),
    ("complimentary_time_extensions.xml", "<complimentary-time-extension><duration-quantity>99999999"
     "</duration-quantity><duration-units>days</duration-units></complimentary-time-extension>"),
    ("complimentary_time_extensions.xml", f"<complimentary-time-extension><duration-quantity>{'9' * 5000}"
     "</duration-quantity><duration-units>days</duration-units></complimentary-time-extension>"),
])
def test_huge_durations_are_refused(raw: httpx.Client, emu: Emulator, path: str, body: str) -> None:
    emu.add_subscriber("42", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    before = _snapshot(raw)
    errors = _errors(raw.post(f"subscribers/42/{path}", content=body))
    assert errors in (["Duration quantity is too large"], ["Duration quantity is not a number"])
    assert _snapshot(raw) == before and emu.errors == []


def test_repeated_extensions_stop_at_the_latest_year(raw: httpx.Client, emu: Emulator) -> None:
    emu.add_subscriber("42", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    body = ("<complimentary-time-extension><duration-quantity>1200</duration-quantity>"
            "<duration-units>months</duration-units></complimentary-time-extension>")
    statuses = {raw.post("subscribers/42/complimentary_time_extensions.xml", content=body).status_code
                for _ in range(80)}
    assert statuses == {201, 422}
    emu.advance(days=3650)
    assert raw.get("subscribers/42.xml").status_code == 200 and emu.errors == []


# ----------------------------------------------------------------------------- any value, then every GET

AMOUNTS = st.one_of(st.decimals(allow_nan=False, allow_infinity=False).map(str), st.integers().map(str),
                    st.sampled_from(["1E+26", "1e-400", "-0", "12.345678901234567890123456789", "NaN", " 5 "]),
                    st.integers(0, 4).map(lambda e: "1" + "0" * 10 ** e), st.integers(0, 4).map(lambda e: f"1e{10 ** e}"))
QUANTITIES = st.one_of(st.integers(-5, 10 ** 6).map(str), st.integers().map(str), st.sampled_from(["", " 3 ", "x"]))
TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)


def _xml(root: str, **fields: str) -> bytes:
    el = etree.Element(root)
    for name, value in fields.items():
        etree.SubElement(el, name.replace("_", "-")).text = value
    return etree.tostring(el)


CALLS = st.one_of(
    st.builds(lambda a: ("POST", "credits.xml", _xml("credit", amount=a)), AMOUNTS),
    st.builds(lambda a, n, g: ("POST", "fees.xml", _xml("fee", name=n, group=g, amount=a)), AMOUNTS, TEXTS, TEXTS),
    st.builds(lambda q, u: ("POST", "complimentary_time_extensions.xml", _xml(
        "complimentary-time-extension", duration_quantity=q, duration_units=u)), QUANTITIES,
        st.sampled_from(["days", "months"])),
    st.builds(lambda q, u, f: ("POST", "complimentary_subscriptions.xml", _xml(
        "complimentary-subscription", duration_quantity=q, duration_units=u, feature_level=f)), QUANTITIES,
        st.sampled_from(["days", "months"]), TEXTS),
    st.builds(lambda s, e: ("PUT", "", _xml("subscriber", screen_name=s, email=e)), TEXTS, TEXTS),
    st.builds(lambda c: ("POST", "subscribers.xml", _xml("subscriber", customer_id=c)), TEXTS),
    st.builds(lambda f: ("POST", "lifetime_complimentary_subscriptions.xml", _xml(
        "lifetime-complimentary-subscription", feature_level=f)), TEXTS),
    st.just(("POST", "stop_auto_renew.xml", b"")),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls=st.lists(CALLS, min_size=1, max_size=6), days=st.integers(0, 800))
def test_after_any_values_every_get_still_answers(calls: list[tuple[str, str, bytes]], days: int) -> None:
    emu = Emulator()
    emu.add_subscriber("42", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    with httpx.Client(transport=emu.transport, base_url=f"{emu.BASE_URL}/api/v4/{emu.site_name}/",
                      auth=(emu.token, "X")) as client:
        for method, action, body in calls:
            path = action if action == "subscribers.xml" else \
                "subscribers/42.xml" if not action else f"subscribers/42/{action}"
            before = {cid: emu.subscriber(cid) for cid in emu.state.subscribers}
            resp = client.request(method, path, content=body)
            assert resp.status_code in (200, 201, 403, 404, 422), (path, body, resp.text)
            if resp.status_code == 422:  # refused: the site is as it was
                assert {cid: emu.subscriber(cid) for cid in emu.state.subscribers} == before
        emu.advance(days=days)
        for path in ("subscribers.xml", "transactions.xml", "transactions.xml?since_id=0", "subscription_plans.xml",
                     *(f"subscribers/{quote(cid, safe='')}.xml" for cid in emu.state.subscribers)):
            assert client.get(path).status_code == 200, path
    assert emu.errors == []
    assert all(Decimal(0) <= rec.store_credit for rec in emu.state.subscribers.values())
