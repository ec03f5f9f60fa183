"""The hosted subscribe and account pages: real forms at the URLs the SDK builds."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from spreedly_sdk import Client
from spreedly_sdk.testing import APPROVING_CARD, DECLINING_CARD, Emulator
from spreedly_sdk.testing._lifecycle import set_card_on_file

from .conftest import Receiver

CARD = {"credit_card[first_name]": "Ada", "credit_card[last_name]": "Lovelace", "credit_card[card_type]": "visa",
        "credit_card[verification_value]": "123", "credit_card[month]": "12", "credit_card[year]": "2099"}
NUMBER = "credit_card[number]"
SERVICE_NAMES = (*CARD, NUMBER, "subscriber[email]")


@pytest.fixture
def browser(emu: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emu.transport, base_url=Emulator.BASE_URL) as http:
        yield http


def forms(page: httpx.Response) -> list[html.FormElement]:
    return list(html.fromstring(page.content).forms)


def submit(browser: httpx.Client, form: html.FormElement, **typed: str) -> httpx.Response:
    """Post a form as a browser would: its own values (hidden ones included), plus what was typed."""
    assert form.method.upper() == "POST" and form.action
    return browser.post(form.action, data={**dict(form.form_values()), **typed})


def payment_page(browser: httpx.Client, url: str) -> httpx.Response:
    """Open the page and submit its first form as it is: the payment page."""
    first = browser.get(url)
    assert first.status_code == 200
    page = submit(browser, forms(first)[0])
    assert page.status_code == 200 and forms(page)[0].get("id") == "payment"
    return page


def pay(browser: httpx.Client, url: str, **typed: str) -> httpx.Response:
    """Walk to the payment form and submit it with :data:`CARD` and what was ``typed``."""
    page = payment_page(browser, url)
    return submit(browser, forms(page)[0], **{**CARD, **typed})


def receipt_link(answer: httpx.Response) -> str:
    """The receipt: 200, titled "Thank you!", with its Continue link (no redirect)."""
    assert answer.status_code == 200 and "location" not in answer.headers, answer.text
    doc = html.fromstring(answer.content)
    assert doc.findtext(".//title") == "Thank you!"
    link = doc.get_element_by_id("continue")
    assert link.text == "Continue"
    return str(link.get("href"))


def errors_of(answer: httpx.Response) -> list[str]:
    """A failure: the payment form again, status 200, with the messages."""
    assert answer.status_code == 200 and forms(answer)[0].get("id") == "payment", answer.text
    return [li.text_content() for li in html.fromstring(answer.content).get_element_by_id("errors")]


def test_signup_page_leads_to_a_card_form_prefilled_from_the_query(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p1", emu.MONTHLY_PLAN_ID, "ada", email="ada+x@example.com", first_name="Ada")
    first = browser.get(url)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    assert "Monthly" in first.text and "credit_card[number]" not in first.text
    page = payment_page(browser, url)
    for name in SERVICE_NAMES:
        assert f'name="{name}"' in page.text
    assert 'value="ada+x@example.com"' in page.text and 'value="Ada"' in page.text
    assert "Monthly" in page.text and emu.subscriber("p1") is None      # looking changes nothing


def test_page_escapes_what_the_query_prefills(emu: Emulator, browser: httpx.Client) -> None:
    """The pages are built with lxml: markup in a prefilled value stays text, and characters no
    document can carry are shown as U+FFFD rather than breaking the page."""
    with emu.client() as client:
        url = client.signup_url("p1", emu.MONTHLY_PLAN_ID, "ada", first_name='"><script>x</script>',
                                last_name="a\x00b")
    page = payment_page(browser, url)
    assert page.status_code == 200 and "<script>" not in page.text
    doc = html.fromstring(page.content)
    assert doc.get_element_by_id("credit_card_first_name").get("value") == '"><script>x</script>'
    assert doc.get_element_by_id("credit_card_last_name").get("value") == "a\ufffdb"
    assert doc.findall(".//script") == []


def test_paying_creates_the_subscriber_and_shows_the_receipt(emu: Emulator, browser: httpx.Client,
                                                             receiver: Receiver) -> None:
    with emu.client() as client:
        url = client.signup_url("p2", emu.MONTHLY_PLAN_ID, "ada", return_url="https://app.example/done?x=1")
        answer = pay(browser, url, **{NUMBER: APPROVING_CARD, "subscriber[email]": "ada@example.com"})
        assert receipt_link(answer) == "https://app.example/done?x=1"
        sub = client.subscribers.get("p2")
        assert sub.active and sub.recurring and sub.screen_name == "ada" and sub.email == "ada@example.com"
        assert sub.billing_first_name == "Ada" and sub.payment_account_display == "Visa ending in 2222"
        assert [i.closed for i in sub.invoices] == [True]
        assert [t.detail_type for t in client.transactions.list()] == ["Subscription"]
    assert receiver.ids == [["p2"]]                     # one payment, one notification


def test_the_emulators_older_field_names_still_pay(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p2b", emu.MONTHLY_PLAN_ID)
        old = {"first_name": "Ada", "last_name": "Lovelace", "card_type": "visa", "verification_value": "123",
               "month": "12", "year": "2099", "card_number": APPROVING_CARD, "email": "old@example.com"}
        receipt_link(browser.post(url, data=old))
        sub = client.subscribers.get("p2b")
        assert sub.active and sub.email == "old@example.com"


def test_without_return_url_the_plans_return_url_is_used(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p3", emu.YEARLY_PLAN_ID)
    answer = pay(browser, url, **{NUMBER: APPROVING_CARD})
    assert receipt_link(answer) == "https://www.example.com/return/"


def test_declined_and_invalid_cards_reshow_the_form(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p4", emu.MONTHLY_PLAN_ID)
        bad = pay(browser, url, **{NUMBER: APPROVING_CARD, "credit_card[month]": "13",
                                   "credit_card[first_name]": ""})
        assert "Month is not a valid month" in errors_of(bad)
        assert "First name cannot be empty" in errors_of(bad) and emu.subscriber("p4") is None
        declined = pay(browser, url, **{NUMBER: DECLINING_CARD})
        assert any("declined" in e for e in errors_of(declined)) and f'name="{NUMBER}"' in declined.text
        again = submit(browser, forms(declined)[0], **{NUMBER: DECLINING_CARD})  # the re-shown form works too
        assert any("declined" in e for e in errors_of(again))
        sub = client.subscribers.get("p4")                 # made, with open invoices, not active
        assert not sub.active and not any(i.closed for i in sub.invoices)
        assert client.transactions.list() == []


def test_card_expiry_is_judged_by_the_emulators_clock() -> None:
    from datetime import datetime, timezone

    from spreedly_sdk.testing import Clock

    emu = Emulator(clock=Clock(datetime(2013, 3, 1, 12, tzinfo=timezone.utc)))
    with emu.client() as client, httpx.Client(transport=emu.transport, base_url=Emulator.BASE_URL) as http:
        url = client.signup_url("old-suite", emu.MONTHLY_PLAN_ID)
        receipt_link(pay(http, url, **{**CARD, NUMBER: APPROVING_CARD, "credit_card[year]": "2014"}))
        expired = pay(http, client.signup_url("older", emu.MONTHLY_PLAN_ID),
                      **{NUMBER: APPROVING_CARD, "credit_card[month]": "2", "credit_card[year]": "2013"})
        assert "Year expired" in errors_of(expired)


def test_token_form_prefills_and_can_use_the_card_on_file(emu: Emulator, browser: httpx.Client) -> None:
    emu.add_subscriber("p5", email="old@example.com", billing_first_name="Old", card=True)
    with emu.client() as client:
        token = client.subscribers.get("p5").token
        assert token is not None
        assert browser.get(client.signup_url("p5", emu.MONTHLY_PLAN_ID, token="0" * 40)).status_code == 404
        url = client.signup_url("p5", emu.MONTHLY_PLAN_ID, token=token, return_url="https://app.example/up")
        page = payment_page(browser, url)
        assert 'value="old@example.com"' in page.text and "Use Visa ending in 2222" in page.text
        answer = submit(browser, forms(page)[0], use_card_on_file="1")
        assert receipt_link(answer) == "https://app.example/up"
        assert client.subscribers.get("p5").active


def test_free_trial_page_needs_no_card(emu: Emulator, browser: httpx.Client) -> None:
    with emu.client() as client:
        url = client.signup_url("p6", emu.FREE_TRIAL_PLAN_ID, return_url="https://app.example/t")
        page = payment_page(browser, url)
        assert NUMBER not in page.text
        assert receipt_link(submit(browser, forms(page)[0], **{"subscriber[email]": "t@example.com"})) \
            == "https://app.example/t"
        sub = client.subscribers.get("p6")
        assert sub.active and sub.on_trial and sub.email == "t@example.com"
        again = submit(browser, forms(payment_page(browser, url))[0])
        assert any("not eligible" in e for e in errors_of(again))


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
        stop = next(f for f in forms(page) if f.get("id") == "stop")
        assert receipt_link(submit(browser, stop)) == "https://app.example/account"
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
        account = client.account_url(sub.token, return_url="https://app.example/back")
        assert "the last renewal failed" in browser.get(account).text
        change_url = client.account_url(sub.token) + "/change_payment"
        change_page = browser.get(change_url)
        assert change_page.status_code == 200 and forms(change_page)[0].get("id") == "change_payment"
        assert browser.get(client.account_url(sub.token) + "/stop_auto_renew").status_code == 404
        refused = pay(browser, account, **{**CARD, NUMBER: DECLINING_CARD})
        assert any("declined" in e for e in errors_of(refused))
        answer = submit(browser, forms(refused)[0], **{**CARD, NUMBER: APPROVING_CARD})
        assert receipt_link(answer) == "https://app.example/back"
        sub = client.subscribers.get("p9")
        assert sub.active and not sub.in_grace_period and sub.invoices[0].closed
        assert sub.invoices[0].amount == Decimal("19.0")
        emu.advance(days=10)
        assert client.subscribers.get("p9").active


def test_pages_over_a_socket_with_plain_form_posts(emu: Emulator) -> None:
    with emu.serve() as base_url, Client(emu.token, emu.site_name, base_url=base_url) as client, \
            httpx.Client(trust_env=False, base_url=base_url) as http:
        url = client.signup_url("s1", emu.MONTHLY_PLAN_ID, return_url="http://127.0.0.1:1/done")
        first = http.get(url)
        assert first.status_code == 200
        payment = http.post(url, data={"step": "details"})          # the first form, as it is
        assert payment.status_code == 200 and f'name="{NUMBER}"' in payment.text
        declined = http.post(url, data={**CARD, NUMBER: DECLINING_CARD, "step": "payment"})
        assert declined.status_code == 200 and "declined" in declined.text
        assert receipt_link(http.post(url, data={**CARD, NUMBER: APPROVING_CARD, "step": "payment"})) \
            == "http://127.0.0.1:1/done"
        assert client.subscribers.get("s1").active
    assert emu.errors == []


def test_nothing_a_page_is_sent_can_break_a_later_answer(emu: Emulator, browser: httpx.Client) -> None:
    """Characters no XML document can carry, in the path or the form, are refused before anything is stored."""
    with emu.client() as client:
        trial = browser.post(f"/{emu.site_name}/subscribers/%01x/subscribe/{emu.FREE_TRIAL_PLAN_ID}",
                             data={"step": "payment"})
        assert trial.status_code == 404
        screen = browser.post(f"/{emu.site_name}/subscribers/y/subscribe/{emu.MONTHLY_PLAN_ID}/%02",
                              data={**CARD, NUMBER: APPROVING_CARD, "step": "payment"})
        assert screen.status_code == 404
        url = client.signup_url("z", emu.MONTHLY_PLAN_ID)
        form = pay(browser, url, **{NUMBER: APPROVING_CARD, "subscriber[email]": "a\x00b@example.com"})
        assert errors_of(form) and emu.subscriber("z") is None
        unreadable = browser.post(url, content=b"step=payment&\xff\xfe", headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert errors_of(unreadable)
        assert client.subscribers.list() == [] and client.transactions.list() == []
    assert emu.errors == []


TEXT = st.text(max_size=12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(customer_id=TEXT.filter(bool), screen_name=TEXT, plan=st.sampled_from([1001, 1002, 1004, 9]),
       form=st.dictionaries(st.sampled_from([*SERVICE_NAMES, "step", "use_card_on_file", "email", "card_number"]),
                            st.one_of(TEXT, st.sampled_from([APPROVING_CARD, DECLINING_CARD, "12", "2099", "payment",
                                                             "details"])), max_size=10))
def test_any_path_and_form_leave_every_get_answering(customer_id: str, screen_name: str, plan: int,
                                                     form: dict[str, str]) -> None:
    emu = Emulator()
    path = f"/{emu.site_name}/subscribers/{quote(customer_id, safe='')}/subscribe/{plan}"
    if screen_name:
        path += f"/{quote(screen_name, safe='')}"
    with httpx.Client(transport=emu.transport, base_url=Emulator.BASE_URL) as http, emu.client() as client:
        assert http.get(path).status_code in (200, 403, 404)
        assert http.post(path, data=form).status_code in (200, 403, 404)
        for sub in client.subscribers.list():
            assert http.get(f"/api/v4/{emu.site_name}/subscribers/{quote(sub.customer_id, safe='')}.xml",
                            auth=(emu.token, "X")).status_code == 200
        client.transactions.list()
    assert emu.errors == []
