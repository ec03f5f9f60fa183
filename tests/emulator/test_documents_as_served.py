"""Documents and transactions as the service served them.

Every XML answer is laid out like Rails' ``to_xml``: the declaration, then one element a line,
indented two spaces a level, ending in a newline (a suite written against a live test site parsed
it line by line). Transactions: a free trial and a lifetime comp each record one, deleting the
test subscribers removes theirs, the list is newest first, and ``since_id`` gives the later ones
oldest first, at most 50.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from spreedly_sdk.testing import APPROVING_CARD, Emulator
from tests.conftest import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
CARD = (f"<payment><account-type>credit-card</account-type><credit-card><number>{APPROVING_CARD}</number>"
        "<card-type>visa</card-type><verification-value>123</verification-value><month>12</month>"
        "<year>2099</year><first-name>Joe</first-name><last-name>Bloggs</last-name></credit-card></payment>")


def layout(body: bytes) -> list[tuple[int, str]]:
    """``(indent, tag)`` for every line of a document after its declaration (``/tag`` for a closing
    line, ``tag/`` for an element that opens and closes on its line); fails on any other line form."""
    assert body.startswith(DECLARATION) and body.endswith(b">\n"), body[:80]
    out = []
    for line in body[len(DECLARATION):].decode().rstrip("\n").split("\n"):
        match = re.fullmatch(r"( *)<(/?)([\w-]+)[^<>]*?(/?)>((?:[^<]*</\3>)?)", line.rstrip())
        assert match, line
        closed = bool(match.group(4) or match.group(5))
        out.append((len(match.group(1)), match.group(2) + match.group(3) + ("/" if closed else "")))
    return out


def assert_as_served(body: bytes) -> None:
    """One element a line, two spaces a level, and no text but in leaf elements."""
    tree = etree.fromstring(body)
    assert all(not (el.text or "").strip() for el in tree.iter() if len(el))
    depth = 0
    for indent, tag in layout(body):
        depth -= tag.startswith("/")
        assert indent == 2 * depth, (indent, tag)
        depth += not tag.startswith("/") and not tag.endswith("/")
    assert depth == 0


@pytest.fixture
def raw(emu: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emu.transport, base_url=f"{emu.BASE_URL}/api/v4/{emu.site_name}/",
                      auth=(emu.token, "X")) as client:
        yield client


def test_every_xml_answer_is_indented_like_the_service(raw: httpx.Client, emu: Emulator) -> None:
    answers = [raw.get("subscribers.xml"), raw.get("transactions.xml"), raw.get("subscription_plans.xml"),
               raw.post("subscribers.xml", content=b"<subscriber><customer-id>7</customer-id></subscriber>")]
    invoice = raw.post("invoices.xml", content=b"<invoice><subscription-plan-id>1002</subscription-plan-id>"
                                               b"<subscriber><customer-id>7</customer-id></subscriber></invoice>")
    token = etree.fromstring(invoice.content).findtext("token")
    answers += [invoice, raw.put(f"invoices/{token}/pay.xml", content=CARD.encode()), raw.get("subscribers/7.xml"),
                raw.get("subscribers.xml"), raw.get("transactions.xml"),
                raw.post("subscribers/7/lifetime_complimentary_subscriptions.xml",
                         content=b"<lifetime-complimentary-subscription/>")]
    for answer in answers:
        assert answer.headers["content-type"].startswith("application/xml"), answer.text
        assert_as_served(answer.content)
    body = raw.get("subscribers/7.xml").content
    assert b"\n  <customer-id>7</customer-id>\n" in body and b"\n      <line-items type=\"array\">\n" in body
    assert raw.get("transactions.xml?since_id=99").content == DECLARATION + b'<nil-classes type="array"/>\n'


def test_errors_are_laid_out_like_our_fixture(raw: httpx.Client) -> None:
    raw.post("subscribers.xml", content=b"<subscriber><customer-id>1</customer-id></subscriber>")
    answer = raw.post("subscribers/1/complimentary_subscriptions.xml",
                      content=b"<complimentary-subscription><duration-units>weeks</duration-units>"
                              b"<feature-level>x</feature-level></complimentary-subscription>")
    assert answer.status_code == 422
    ours, fixture = layout(answer.content), layout((FIXTURES / "errors-two.xml").read_bytes())
    assert ours == fixture[:1] + [(2, "error/")] * 3 + fixture[-1:]  # the fixture's layout, with three errors


def test_a_created_subscriber_is_laid_out_line_for_line_like_the_2013_answer(raw: httpx.Client) -> None:
    answer = raw.post("subscribers.xml", content=b"<subscriber><customer-id>3</customer-id></subscriber>")
    references = [FIXTURES / "subscriber-2013-created.xml"]  # ours, laid out like the service's answer
    if SAMPLES.is_dir():  # and the service's own answer, when the samples are present
        references.append(SAMPLES / "subscriber-create-response-2013.xml")
    for reference in references:
        assert sorted(layout(answer.content)) == sorted(layout(reference.read_bytes()))  # every line, at its depth


# ----------------------------------------------------------------------------- transactions


def test_the_live_suites_transaction_scenario(emu: Emulator) -> None:
    """Delete every test subscriber, give one a lifetime comp and two others free trials: three
    transactions, newest first, the first paid by ``free_trial``; ``since_id`` of the second
    gives only the last subscriber's."""
    with emu.client() as client:
        for cid in ("old-1", "old-2"):
            emu.add_subscriber(cid)
        inv = client.invoices.create(emu.MONTHLY_PLAN_ID, "old-1")
        raw_pay = httpx.Client(transport=emu.transport, base_url=f"{emu.BASE_URL}/api/v4/{emu.site_name}/",
                               auth=(emu.token, "X"))
        assert raw_pay.put(f"invoices/{inv.token}/pay.xml", content=CARD.encode()).status_code == 200
        raw_pay.close()
        assert len(client.transactions.list()) == 1
        client.subscribers.delete_all()
        assert client.transactions.list() == []               # their transactions went with them

        for cid in ("comp", "trial-1", "trial-2"):
            client.subscribers.create(cid)
        client.subscribers.give_lifetime_subscription("comp", "gold")
        client.subscribers.subscribe_to_free_trial("trial-1", emu.FREE_TRIAL_PLAN_ID)
        client.subscribers.subscribe_to_free_trial("trial-2", emu.FREE_TRIAL_PLAN_ID)
        listed = client.transactions.list()
        assert [t.subscriber_customer_id for t in listed] == ["trial-2", "trial-1", "comp"]
        assert listed[0].detail.payment_method == "free_trial" and listed[0].amount == 0
        assert [t.id for t in listed] == sorted((t.id for t in listed), reverse=True)
        later = client.transactions.list(since_id=listed[1].id)
        assert [t.subscriber_customer_id for t in later] == ["trial-2"]


def test_deleting_one_subscriber_removes_only_theirs(emu: Emulator) -> None:
    with emu.client() as client:
        for cid in ("a", "b"):
            client.subscribers.create(cid)
            client.subscribers.subscribe_to_free_trial(cid, emu.FREE_TRIAL_PLAN_ID)
        client.subscribers.delete("a")
        assert [t.subscriber_customer_id for t in client.transactions.list()] == ["b"]


def test_since_id_is_oldest_first_and_at_most_50(emu: Emulator) -> None:
    with emu.client() as client:
        for i in range(55):
            client.subscribers.create(f"t{i}")
            client.subscribers.subscribe_to_free_trial(f"t{i}", emu.FREE_TRIAL_PLAN_ID)
        newest = client.transactions.list()
        assert len(newest) == 50 and newest[0].subscriber_customer_id == "t54"
        page = client.transactions.list(since_id=3)
        assert [t.id for t in page] == sorted(t.id for t in page) and len(page) == 50
        assert all(t.id > 3 for t in page) and page[0].id == 4


def test_renamed_subscribers_keep_their_transactions(emu: Emulator) -> None:
    with emu.client() as client:
        client.subscribers.create("before")
        client.subscribers.subscribe_to_free_trial("before", emu.FREE_TRIAL_PLAN_ID)
        client.subscribers.update("before", new_customer_id="after")
        assert [t.subscriber_customer_id for t in client.transactions.list()] == ["after"]
        client.subscribers.delete("after")
        assert client.transactions.list() == []
