"""Whatever arrives, the emulator answers like the service (a 2xx, 4xx or the 401) and never
crashes: request bodies built from the writable names, read-only names, odd values and broken
XML, thrown at every endpoint of the route table."""

from __future__ import annotations

from urllib.parse import quote
from xml.sax.saxutils import escape

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spreedly_sdk.testing import Emulator
from spreedly_sdk.testing._routes import ROUTES

NAMES = ["customer-id", "customer_id", "screen-name", "email", "new-customer-id", "billing-first-name", "token",
         "invoices", "active", "id", "duration-quantity", "duration_units", "duration-units", "feature-level",
         "amount", "name", "group", "description", "subscription-plan-id", "subscriber", "credit-card", "number",
         "month", "year", "first-name", "last-name", "account-type", "payment-method", "start-time",
         "allow-non-recurring-subscriber"]
ROOTS = ["subscriber", "subscription-plan", "subscription_plan", "complimentary-subscription",
         "complimentary_time_extension", "lifetime-complimentary-subscription", "credit", "fee", "invoice", "payment"]
VALUES = st.one_of(st.sampled_from(["", " ", "1", "-1", "0", "1002", "1001", "days", "months", "weeks", "x", "2.5",
                                    "-99999999999999999999", "1e400", "NaN", "Infinity", "4222222222222",
                                    "4012888888881881", "credit-card", "on-file", "true", "12", "2099", "abc/def"]),
                   st.text(max_size=12))
PATHS = [(route.method, route.pattern.format(customer_id="{id}", invoice_token="{token}")) for route in ROUTES]
PATHS.append(("GET", "transactions.xml?since_id={id}"))


def _xml_char(c: str) -> bool:
    return c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["xml", "xml", "xml", "empty", "broken"]))
    if kind == "empty":
        return draw(st.sampled_from([b"", b"  \n"]))
    if kind == "broken":
        return draw(st.sampled_from([b"</noop>", b"<a><b></a>", b"\xff\xfe<x/>", b"<x>&bogus;</x>", b"<<<"]))

    def element(depth: int) -> str:
        name = draw(st.sampled_from(NAMES))
        if depth < 2 and draw(st.booleans()):
            inner = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3))))
        else:
            inner = escape("".join(c for c in draw(VALUES) if _xml_char(c)))
        nil = ' nil="true"' if draw(st.integers(0, 9)) == 0 else ""
        return f"<{name}{nil}>{inner}</{name}>"

    root = draw(st.sampled_from(ROOTS))
    children = "".join(element(0) for _ in range(draw(st.integers(0, 6))))
    decl = '<?xml version="1.0" encoding="UTF-8"?>\n' if draw(st.booleans()) else ""
    return f"{decl}<{root}>{children}</{root}>".encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls=st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(["1", "2", "nobody", "0"]), bodies()),
                      min_size=1, max_size=8))
def test_no_request_crashes_the_emulator(calls: list[tuple[tuple[str, str], str, bytes]]) -> None:
    emu = Emulator()
    emu.add_subscriber("1", plan_id=emu.plan_id("monthly"), active=True, card=True, store_credit="1.5")
    emu.add_subscriber("2")
    with httpx.Client(transport=emu.transport, base_url=f"{emu.BASE_URL}/api/v4/{emu.site_name}/",
                      auth=(emu.token, "X")) as client:
        token = client.post("invoices.xml", content=b"<invoice><subscription-plan-id>1002</subscription-plan-id>"
                                                    b"<subscriber><customer-id>2</customer-id></subscriber>"
                                                    b"</invoice>").text.split("<token>")[1].split("<")[0]
        for (method, path), cid, body in calls:
            resp = client.request(method, path.format(id=cid, token=token), content=body)
            assert resp.status_code in (200, 201, 400, 403, 404, 422), (method, path, body, resp.text)
            assert emu.errors == [], (method, path, body)
        for sub in emu.state.subscribers.values():
            assert sub.store_credit >= 0
        ids = [t.id for t in emu.state.transactions]
        assert ids == sorted(set(ids))
        listed = client.get("subscribers.xml")
        assert listed.status_code == 200
        for cid in emu.state.subscribers:
            assert client.get(f"subscribers/{quote(cid, safe='')}.xml").status_code == 200
