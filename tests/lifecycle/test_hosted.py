"""The hosted subscribe and account pages: real forms at the URLs the SDK builds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from spreedly_sdk import Client
from spreedly_sdk.testing import APPROVING_CARD, DECLINING_CARD, Emulator
from spreedly_sdk.testing._lifecycle import set_card_on_file

from .conftest import Receiver

CARD = {"first_name": "Ada", "last_name": "Lovelace", "card_type": "visa", "verification_value": "123",
        "month": "12", "year": "2099"}


@pytest.fixture
def browser(emu: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emu.transport, base_url=Emulator.BASE_URL) as http:
        yield http


def action_of(html: str, form_id: str) -> str:
    match = re.search(rf'<form method="post" action="([^"]+)" id="{form_id}"', html)
    assert match, html
    return match.group(1).replace("&amp;", "&")


def test_signup_page_is_a_card_form_prefilled_from_the_query(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p1", emu.MONTHLY_PLAN_ID, "ada", email="ada+x@example.com", first_name="Ada")
    page = browser.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for name in ("card_number", "verification_value", "month", "year", "first_name", "last_name"):
        assert f'name="{name}"' in page.text
    assert 'value="ada+x@example.com"' in page.text and 'value="Ada"' in page.text
    assert "Monthly" in page.text and emu.subscriber("p1") is None      # looking changes nothing


def test_page_escapes_what_the_query_prefills(emu: Emulator, browser: httpx.Client) -> None:
    """The pages are built with lxml: markup in a prefilled value stays text, and characters no
    document can carry are shown as U+FFFD rather than breaking the page."""
    from lxml import html

    with emu.client() as client:
        url = client.signup_url("p1", emu.MONTHLY_PLAN_ID, "ada", first_name='"><script>x</script>',
                                last_name="a\x00b")
    page = browser.get(url)
    assert page.status_code == 200 and "<script>" not in page.text
    doc = html.fromstring(page.content)
    assert doc.get_element_by_id("first_name").get("value") == '"><script>x</script>'
    assert doc.get_element_by_id("last_name").get("value") == "a\ufffdb"
    assert doc.findall(".//script") == []


def test_paying_creates_the_subscriber_and_redirects(emu: Emulator, browser: httpx.Client,
                                                     receiver: Receiver) -> None:
    with emu.client() as client:
        url = client.signup_url("p2", emu.MONTHLY_PLAN_ID, "ada", return_url="https://app.example/done?x=1")
        answer = browser.post(url, data={**CARD, "card_number": APPROVING_CARD, "email": "ada@example.com"})
        assert answer.status_code == 303 and answer.headers["location"] == "https://app.example/done?x=1"
        sub = client.subscribers.get("p2")
        assert sub.active and sub.recurring and sub.screen_name == "ada" and sub.email == "ada@example.com"
        assert sub.billing_first_name == "Ada" and sub.payment_account_display == "Visa ending in 2222"
        assert [i.closed for i in sub.invoices] == [True]
        assert [t.detail_type for t in client.transactions.list()] == ["Subscription"]
    assert receiver.ids == [["p2"]]                     # one page submission, one notification


def test_without_return_url_the_plans_return_url_is_used(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p3", emu.YEARLY_PLAN_ID)
    answer = browser.post(url, data={**CARD, "card_number": APPROVING_CARD})
    assert answer.status_code == 303
    assert answer.headers["location"] == "https://www.example.com/return/"


def test_declined_and_invalid_cards_reshow_the_form(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p4", emu.MONTHLY_PLAN_ID)
        bad = browser.post(url, data={**CARD, "card_number": APPROVING_CARD, "month": "13", "first_name": ""})
        assert bad.status_code == 422 and "Month is not a valid month" in bad.text
        assert "First name cannot be empty" in bad.text and emu.subscriber("p4") is None
        declined = browser.post(url, data={**CARD, "card_number": DECLINING_CARD})
        assert declined.status_code == 402 and "declined" in declined.text and 'name="card_number"' in declined.text
        sub = client.subscribers.get("p4")                 # made, with an open invoice, not active
        assert not sub.active and [i.closed for i in sub.invoices] == [False]
        assert client.transactions.list() == []


def test_token_form_prefills_and_can_use_the_card_on_file(emu: Emulator, browser: httpx.Client) -> None:
    emu.add_subscriber("p5", email="old@example.com", billing_first_name="Old", card=True)
    with emu.client() as client:
        token = client.subscribers.get("p5").token
        assert token is not None
        assert browser.get(client.signup_url("p5", emu.MONTHLY_PLAN_ID, token="0" * 40)).status_code == 404
        url = client.signup_url("p5", emu.MONTHLY_PLAN_ID, token=token, return_url="https://app.example/up")
        page = browser.get(url)
        assert 'value="old@example.com"' in page.text and "Use Visa ending in 2222" in page.text
        answer = browser.post(url, data={"use_card_on_file": "1", "email": "old@example.com"})
        assert answer.status_code == 303
        assert client.subscribers.get("p5").active


def test_free_trial_page_needs_no_card(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p6", emu.FREE_TRIAL_PLAN_ID, return_url="https://app.example/t")
        assert 'name="card_number"' not in browser.get(url).text
        assert browser.post(url, data={"email": "t@example.com"}).status_code == 303
        sub = client.subscribers.get("p6")
        assert sub.active and sub.on_trial
        again = browser.post(url, data={})
        assert again.status_code == 403 and "not eligible" in again.text


def test_unknown_and_disabled_plans(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        assert browser.get(client.signup_url("p7", 999)).status_code == 404
        disabled = browser.post(client.signup_url("p7", emu.DISABLED_PLAN_ID), data=CARD)
        assert disabled.status_code == 403 and emu.subscriber("p7") is None


def test_account_page_stops_auto_renew(emu: Emulator, browser: httpx.Client, receiver: Receiver) -> None:
    emu.add_subscriber("p8", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    with emu.client() as client:
        token = client.subscribers.get("p8").token
        assert token is not None
        assert browser.get(client.account_url("f" * 40)).status_code == 404
        page = browser.get(client.account_url(token, return_url="https://app.example/account"))
        assert page.status_code == 200 and "Stop auto renew" in page.text and "Monthly" in page.text
        answer = browser.post(action_of(page.text, "stop"))
        assert answer.status_code == 303 and answer.headers["location"] == "https://app.example/account"
        sub = client.subscribers.get("p8")
        assert not sub.recurring and sub.active
        assert [t.detail_type for t in client.transactions.list()] == ["StopAutoRenew"]
        assert "Stop auto renew" not in browser.get(client.account_url(token)).text
        emu.advance(days=32)
        assert not client.subscribers.get("p8").active
    assert receiver.ids[-2:] == [["p8"], ["p8"]]        # stopping, then expiring


def test_account_page_new_card_pays_a_failed_renewal(emu: Emulator, browser: httpx.Client) -> None:
    emu.add_subscriber("p9", plan_id=emu.MONTHLY_PLAN_ID, active=True, card=True)
    set_card_on_file(emu, "p9")
    with emu.client() as client:
        emu.advance(days=31)
        sub = client.subscribers.get("p9")
        assert sub.in_grace_period and sub.token is not None
        page = browser.get(client.account_url(sub.token))
        assert "the last renewal failed" in page.text
        change_page = browser.get(client.account_url(sub.token).replace("?", "") + "/change_payment")
        assert change_page.status_code == 200 and 'id="change_payment"' in change_page.text
        assert browser.get(client.account_url(sub.token) + "/stop_auto_renew").status_code == 404
        refused = browser.post(action_of(page.text, "change_payment"), data={**CARD, "card_number": DECLINING_CARD})
        assert refused.status_code == 422 and "declined" in refused.text
        answer = browser.post(action_of(page.text, "change_payment"), data={**CARD, "card_number": APPROVING_CARD})
        assert answer.status_code == 303
        sub = client.subscribers.get("p9")
        assert sub.active and not sub.in_grace_period and sub.invoices[0].closed
        assert sub.invoices[0].amount == Decimal("19.0")
        emu.advance(days=10)
        assert client.subscribers.get("p9").active


def test_pages_over_a_socket(emu: Emulator) -> None:
    with emu.serve() as base_url, Client(emu.token, emu.site_name, base_url=base_url) as client, \
            httpx.Client(trust_env=False) as http:
        url = client.signup_url("s1", emu.MONTHLY_PLAN_ID, return_url="http://127.0.0.1:1/done")
        assert http.get(url).status_code == 200
        assert http.post(url, data={**CARD, "card_number": APPROVING_CARD}).status_code == 303
        assert client.subscribers.get("s1").active
