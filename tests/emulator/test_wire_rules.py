"""Exact status codes, headers and error texts on the wire, in-process and over the socket."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from lxml import etree

from spreedly_sdk.testing import APPROVING_CARD, DECLINING_CARD, GATEWAY_UNAVAILABLE_CARD, Emulator
from tests.conftest import SAMPLES, sample_bytes
from tests.routes import RouteLedger

ROUTE_LEDGER = RouteLedger()


def errors_of(resp: httpx.Response) -> list[str]:
    root = etree.fromstring(resp.content)
    assert root.tag == "errors"
    return [e.text or "" for e in root]


def text_of(resp: httpx.Response) -> str:
    assert resp.headers["content-type"].startswith("text/plain")
    return resp.text.strip()


def card_xml(number: str = APPROVING_CARD, month: str = "12", year: str = "2099", root: str = "payment") -> bytes:
    return (f"<{root}><account-type>credit-card</account-type><credit-card><number>{number}</number>"
            f"<card-type>visa</card-type><verification-value>123</verification-value><month>{month}</month>"
            f"<year>{year}</year><first-name>Joe</first-name><last-name>Bloggs</last-name></credit-card>"
            f"</{root}>").encode()


def create(raw: httpx.Client, cid: str) -> httpx.Response:
    return raw.post("subscribers.xml", content=f"<subscriber><customer-id>{cid}</customer-id></subscriber>".encode())


def invoice(raw: httpx.Client, emu: Emulator, cid: str, kind: str = "monthly") -> str:
    body = (f"<invoice><subscription-plan-id>{emu.plan_id(kind)}</subscription-plan-id>"
            f"<subscriber><customer-id>{cid}</customer-id></subscriber></invoice>").encode()
    resp = raw.post("invoices.xml", content=body)
    assert resp.status_code == 201, resp.text
    token = etree.fromstring(resp.content).findtext("token")
    assert token
    return token


def sample_text(name: str) -> str:
    return sample_bytes(name).decode().strip()


# ----------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("auth", [None, ("wrong", "X"), ("", "")])
def test_bad_or_missing_token_is_401(raw: httpx.Client, auth: Any) -> None:
    request = raw.build_request("GET", "subscribers.xml")
    if auth is not None:
        request.headers["authorization"] = httpx.BasicAuth(*auth)._auth_header
    resp = raw.send(request, auth=None)
    assert resp.status_code == 401
    assert resp.text == "HTTP Basic: Access denied.\n"
    assert resp.headers["www-authenticate"] == 'Basic realm="Web Password"'
    if SAMPLES.is_dir():
        assert resp.text.strip() == sample_text("error-401-access-denied.txt")


def test_password_is_ignored_and_other_sites_are_denied(raw: httpx.Client, emu: Emulator) -> None:
    assert raw.get("subscribers.xml", auth=(emu.token, "")).status_code == 200
    assert raw.get(f"{raw.base_url}".replace(emu.site_name, "other-site") + "subscribers.xml").status_code == 401


# ----------------------------------------------------------------------------- subscribers


def test_create_answers_201_with_location(raw: httpx.Client) -> None:
    resp = create(raw, "a b")
    assert resp.status_code == 201
    assert resp.headers["content-type"] == "application/xml; charset=utf-8"
    assert resp.headers["location"].endswith("/api/v4/demo-test/subscribers/a%20b.xml")
    assert httpx.URL(resp.headers["location"]).host == raw.base_url.host


def test_duplicate_create(raw: httpx.Client) -> None:
    create(raw, "8889")
    resp = create(raw, "8889")
    assert (resp.status_code, text_of(resp)) == (403, "A subscriber with a customer-id of 8889 already exists.")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-403-create-duplicate-customer-id.txt")


def test_create_without_customer_id_or_without_subscriber(raw: httpx.Client) -> None:
    resp = raw.post("subscribers.xml", content=b"<subscriber><email>a@b.c</email></subscriber>")
    assert (resp.status_code, errors_of(resp)) == (422, ["Customer ID can't be blank"])
    for body in (b"", b"<customer><customer-id>1</customer-id></customer>"):
        resp = raw.post("subscribers.xml", content=body)
        assert (resp.status_code, text_of(resp)) == (422, "undefined method `delete' for nil:NilClass")


def test_read_only_attributes_are_refused(raw: httpx.Client, emu: Emulator) -> None:
    resp = raw.post("subscribers.xml", content=b"<subscriber><customer-id>1</customer-id><token>x</token>"
                                                b"<active>true</active></subscriber>")
    assert (resp.status_code, text_of(resp)) == (
        403, "This API call does not allow adjusting the following attributes [ token, active ].")
    assert emu.subscriber("1") is None
    create(raw, "1")
    resp = raw.put("subscribers/1.xml", content=b'<subscriber><email>x@y.z</email><invoices type="array"/>'
                                                b"</subscriber>")
    assert (resp.status_code, text_of(resp)) == (
        403, "This API call does not allow adjusting the following attributes [ invoices ].")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-403-update-read-only-attribute.txt")
    sub = emu.subscriber("1")
    assert sub is not None and sub.email is None


def test_update_rules(raw: httpx.Client, emu: Emulator) -> None:
    resp = raw.put("subscribers/401.xml", content=b"<subscriber><email>x@y.z</email></subscriber>")
    assert (resp.status_code, text_of(resp)) == (404, "There is no subscriber with a customer id of 401")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-404-subscriber-not-found.txt")
    create(raw, "44")
    for body in (b"", b"<subscriber></subscriber>", b"<subscriber><customer-id>44</customer-id></subscriber>"):
        resp = raw.put("subscribers/44.xml", content=body)
        assert (resp.status_code, text_of(resp)) == (422, "You must specify subscriber parameters")
    resp = raw.put("subscribers/44.xml", content=b"<subscriber><new-customer-id>589</new-customer-id></subscriber>")
    assert resp.status_code == 200
    assert raw.get("subscribers/44.xml").status_code == 404
    assert raw.get("subscribers/589.xml").status_code == 200
    create(raw, "590")
    resp = raw.put("subscribers/589.xml", content=b"<subscriber><new-customer-id>590</new-customer-id></subscriber>")
    assert resp.status_code == 403
    assert sorted(emu.state.subscribers) == ["589", "590"]


def test_update_payment_method_stores_the_card(raw: httpx.Client, emu: Emulator) -> None:
    create(raw, "1")
    body = card_xml(root="subscriber").replace(b"<account-type>credit-card</account-type>", b"")
    body = body.replace(b"<credit-card>", b"<payment-method><credit-card>").replace(
        b"</credit-card>", b"</credit-card></payment-method>")
    assert raw.put("subscribers/1.xml", content=body).status_code == 200
    sub = emu.subscriber("1")
    assert sub is not None and sub.payment_account_on_file and sub.payment_account_display == "Visa ending in 2222"
    declined = body.replace(APPROVING_CARD.encode(), DECLINING_CARD.encode())
    assert raw.put("subscribers/1.xml", content=declined).status_code == 403


def test_deletes_only_on_test_sites() -> None:
    emu = Emulator("prod", test_site=False)
    emu.add_subscriber("1")
    emu.add_subscriber("2")
    with httpx.Client(transport=emu.transport, base_url=f"{emu.BASE_URL}/api/v4/prod/",
                      auth=(emu.token, "X")) as raw:
        for path in ("subscribers/1.xml", "subscribers.xml"):
            resp = raw.delete(path)
            assert (resp.status_code, text_of(resp)) == (403, "Subscribers can only be deleted on a test site.")
    assert sorted(emu.state.subscribers) == ["1", "2"]


def test_delete_answers(raw: httpx.Client) -> None:
    create(raw, "1")
    assert raw.delete("subscribers/1.xml").status_code == 200
    assert raw.delete("subscribers/1.xml").status_code == 404
    assert raw.delete("subscribers.xml").status_code == 200


# ----------------------------------------------------------------------------- trials, comps, credit, fees


def test_free_trial_statuses_and_texts(raw: httpx.Client, emu: Emulator) -> None:
    create(raw, "1")
    trial = f"<subscription-plan><id>{emu.plan_id('trial')}</id></subscription-plan>".encode()
    for body in (b"", b"<subscription-plan></subscription-plan>", b"<subscription-plan><id/></subscription-plan>"):
        resp = raw.post("subscribers/1/subscribe_to_free_trial.xml", content=body)
        assert (resp.status_code, text_of(resp)) == (422, "You must specify the subscription plan id")
    resp = raw.post("subscribers/1/subscribe_to_free_trial.xml", content=b"<subscription-plan><id>9</id>"
                                                                         b"</subscription-plan>")
    assert (resp.status_code, text_of(resp)) == (
        404, "There is no subscription plan with an ID of 9 for the site you're accessing")
    monthly = f"<subscription-plan><id>{emu.plan_id('monthly')}</id></subscription-plan>".encode()
    resp = raw.post("subscribers/1/subscribe_to_free_trial.xml", content=monthly)
    assert (resp.status_code, text_of(resp)) == (403, "The subscription plan must be a free trial plan.")
    resp = raw.post("subscribers/1/subscribe_to_free_trial.xml", content=trial)
    assert resp.status_code == 200
    assert resp.headers["location"].endswith("/api/v4/demo-test/subscribers/1.xml")
    resp = raw.post("subscribers/1/subscribe_to_free_trial.xml", content=trial)
    assert (resp.status_code, text_of(resp)) == (403, "The subscriber is not eligible for a free trial")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-403-free-trial-not-eligible.txt")
    assert raw.post("subscribers/1/allow_free_trial.xml").status_code == 200


def test_disabled_trial_plan_and_comped_subscriber_are_refused(emu: Emulator) -> None:
    emu.add_plan("Old trial", plan_id=77, plan_type="free_trial", duration_quantity=7, duration_units="days",
                 enabled=False)
    emu.add_subscriber("c", lifetime=True, comped=True, feature_level="gold")
    emu.add_subscriber("n")
    with emu.client() as client:
        from spreedly_sdk import ForbiddenError

        with pytest.raises(ForbiddenError) as info:
            client.subscribers.subscribe_to_free_trial("n", 77)
        assert info.value.errors == [
            "The subscription plan is temporarily unavailable for purchase. Please try again later."]
        with pytest.raises(ForbiddenError) as info:
            client.subscribers.subscribe_to_free_trial("c", emu.plan_id("trial"))
        assert info.value.errors == ["The subscriber is not eligible for a free trial"]


def test_zero_length_trial_is_a_lifetime_trial(emu: Emulator) -> None:
    emu.add_plan("Forever free", plan_id=78, plan_type="free_trial", duration_quantity=0, duration_units="days")
    emu.add_subscriber("z")
    with emu.client() as client:
        sub = client.subscribers.subscribe_to_free_trial("z", 78)
    assert sub.lifetime_subscription and sub.active_until is None and sub.active and sub.on_trial


def test_comp_statuses_and_texts(raw: httpx.Client) -> None:
    create(raw, "1")
    resp = raw.post("subscribers/1/complimentary_subscriptions.xml",
                    content=b"<complimentary-subscription><duration-units>weeks</duration-units>"
                            b"<feature-level>x</feature-level></complimentary-subscription>")
    assert resp.status_code == 422
    assert errors_of(resp) == ["Duration units must be either 'days' or 'months'", "Duration quantity can't be blank",
                               "Duration quantity is not a number"]
    if SAMPLES.is_dir():
        assert "\n".join(errors_of(resp)) == sample_text("error-422-comp-validation.txt")
    resp = raw.post("subscribers/1/complimentary_subscriptions.xml",
                    content=b"<complimentary-subscription><duration-quantity>x</duration-quantity>"
                            b"<duration-units>days</duration-units></complimentary-subscription>")
    assert errors_of(resp) == ["Duration quantity is not a number", "Feature level can't be blank"]
    resp = raw.post("subscribers/1/complimentary_time_extensions.xml",
                    content=b"<complimentary-time-extension><duration-quantity>1</duration-quantity>"
                            b"<duration-units>days</duration-units></complimentary-time-extension>")
    assert (resp.status_code, text_of(resp)) == (403, "Complimentary subscriptions cannot be given to inactive "
                                                      "subscribers.")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-403-comp-time-extension-subscriber-inactive.txt")
    comp = (b"<complimentary-subscription><duration-quantity>1</duration-quantity><duration-units>months"
            b"</duration-units><feature-level>gold</feature-level></complimentary-subscription>")
    resp = raw.post("subscribers/1/complimentary_subscriptions.xml", content=comp)
    assert resp.status_code == 201 and resp.headers["location"].endswith("/subscribers/1.xml")
    resp = raw.post("subscribers/1/complimentary_subscriptions.xml", content=comp)
    assert (resp.status_code, text_of(resp)) == (403, "Complimentary subscriptions cannot be given to active "
                                                      "subscribers.")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-403-comp-subscription-subscriber-active.txt")
    resp = raw.post("subscribers/1/complimentary_time_extensions.xml",
                    content=b"<complimentary-time-extension><duration-quantity>1</duration-quantity>"
                            b"<duration-units>days</duration-units></complimentary-time-extension>")
    assert resp.status_code == 201 and "location" in resp.headers
    resp = raw.post("subscribers/1/lifetime_complimentary_subscriptions.xml",
                    content=b"<lifetime-complimentary-subscription><feature-level>Pro</feature-level>"
                            b"</lifetime-complimentary-subscription>")
    assert resp.status_code == 201 and "location" in resp.headers
    assert raw.post("subscribers/404/complimentary_subscriptions.xml", content=comp).status_code == 404


def test_credit_and_fee_statuses(raw: httpx.Client, emu: Emulator) -> None:
    create(raw, "1")
    resp = raw.post("subscribers/1/credits.xml", content=b"<credit><amount>2.34</amount></credit>")
    assert (resp.status_code, resp.content) == (201, b"")
    resp = raw.post("subscribers/1/credits.xml", content=b"<credit><amount>-3</amount></credit>")
    assert resp.status_code == 422
    assert errors_of(resp) == [
        "Amount is invalid. The total store credit for a subscriber must be greater than or equal to 0."]
    if SAMPLES.is_dir():
        sample = etree.fromstring(sample_bytes("error-422-credit-negative-total.xml"))
        assert errors_of(resp) == [e.text for e in sample]
    assert errors_of(raw.post("subscribers/1/credits.xml", content=b"<credit/>")) == ["Amount is not a number"]
    fee = b"<fee><name>Traffic</name><group>Traffic Fees</group><amount>5</amount></fee>"
    resp = raw.post("subscribers/1/fees.xml", content=fee)
    assert (resp.status_code, text_of(resp)) == (422, "Fees can only be added to active subscribers.")
    resp = raw.post("subscribers/1/fees.xml", content=b"<fee><name>Traffic</name></fee>")
    assert errors_of(resp) == ["Group can't be blank", "Amount can't be blank"]
    emu.add_subscriber("r", plan_id=emu.plan_id("monthly"), active=True)
    resp = raw.post("subscribers/r/fees.xml", content=fee)
    assert (resp.status_code, resp.content) == (201, b"")
    assert raw.post("subscribers/404/fees.xml", content=fee).status_code == 404


def test_allow_trial_stop_renew_and_change_plan_answers(raw: httpx.Client, emu: Emulator) -> None:
    emu.add_subscriber("1", plan_id=emu.plan_id("monthly"), active=True)
    for body in (b"", b"  ", b"<subscriber><customer-id>1</customer-id></subscriber>"):
        resp = raw.post("subscribers/1/allow_free_trial.xml", content=body)
        assert resp.status_code == 200 and etree.fromstring(resp.content).findtext("eligible-for-free-trial") == "true"
    resp = raw.post("subscribers/1/stop_auto_renew.xml")
    assert resp.status_code == 200 and etree.fromstring(resp.content).findtext("recurring") == "false"
    resp = raw.put("subscribers/1/change_subscription_plan.xml",
                   content=f"<subscription_plan><id>{emu.plan_id('yearly')}</id></subscription_plan>".encode())
    assert (resp.status_code, text_of(resp)) == (200, "Subscription plan successfully changed.")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("change-subscription-plan-response.txt")
    resp = raw.put("subscribers/1/change_subscription_plan.xml", content=b"<subscription-plan><id>9</id>"
                                                                           b"</subscription-plan>")
    assert resp.status_code == 404
    assert raw.put("subscribers/2/change_subscription_plan.xml", content=b"").status_code == 404


# ----------------------------------------------------------------------------- invoices


def test_invoice_creation_rules(raw: httpx.Client, emu: Emulator) -> None:
    for body in (b"", b"<invoice><subscription-plan-id>1002</subscription-plan-id></invoice>",
                 b"<invoice><subscriber><customer-id>1</customer-id></subscriber></invoice>"):
        resp = raw.post("invoices.xml", content=body)
        assert (resp.status_code, text_of(resp)) == (
            422, "You must specify both the subscription plan id and subscriber information.")
    def inv(plan: object) -> httpx.Response:
        return raw.post("invoices.xml", content=f"<invoice><subscription-plan-id>{plan}</subscription-plan-id>"
                        "<subscriber><customer-id>n1</customer-id><screen-name>joe</screen-name></subscriber>"
                        "</invoice>".encode())
    resp = inv(9)
    assert (resp.status_code, text_of(resp)) == (
        404, "There is no subscription plan with an ID of 9 for the site you're accessing")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-404-plan-not-found.txt")
    resp = inv(emu.plan_id("disabled"))
    assert (resp.status_code, text_of(resp)) == (
        403, "The subscription plan is temporarily unavailable for purchase. Please try again later.")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-403-invoice-plan-disabled.txt")
    assert inv(emu.plan_id("trial")).status_code == 403
    assert emu.subscriber("n1") is None
    resp = inv(emu.plan_id("monthly"))
    assert resp.status_code == 201
    created = emu.subscriber("n1")
    assert created is not None and created.screen_name == "joe" and created.active is False


def test_payment_rules(raw: httpx.Client, emu: Emulator) -> None:
    token = invoice(raw, emu, "1")
    resp = raw.put(f"invoices/{token}/pay.xml", content=b"<payment></payment>")
    assert (resp.status_code, text_of(resp)) == (422, "You must specify credit card parameters for the payment.")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-422-pay-invoice-no-card.txt")
    resp = raw.put(f"invoices/{token}/pay.xml", content=card_xml(month="13", year="2001"))
    assert resp.status_code == 422 and errors_of(resp) == ["Month is not a valid month"]
    resp = raw.put(f"invoices/{token}/pay.xml", content=card_xml(year="2001"))
    assert resp.status_code == 422 and errors_of(resp) == ["Year expired"]
    resp = raw.put(f"invoices/{token}/pay.xml", content=b"<payment><account-type>on-file</account-type></payment>")
    assert (resp.status_code, text_of(resp)) == (422, "The subscriber has no payment method on file.")
    resp = raw.put(f"invoices/{token}/pay.xml", content=card_xml(DECLINING_CARD))
    assert (resp.status_code, text_of(resp)) == (403, "Charge not completed: The credit card was declined.")
    resp = raw.put(f"invoices/{token}/pay.xml", content=card_xml(GATEWAY_UNAVAILABLE_CARD))
    assert resp.status_code == 403
    sub = emu.subscriber("1")
    assert sub is not None and not sub.active and not sub.payment_account_on_file
    no_type = card_xml().replace(b"<account-type>credit-card</account-type>", b"")
    resp = raw.put(f"invoices/{token}/pay.xml", content=no_type)  # account-type defaults to credit-card
    assert resp.status_code == 200
    assert etree.fromstring(resp.content).findtext("closed") == "true"
    resp = raw.put(f"invoices/{token}/pay.xml", content=card_xml())
    assert (resp.status_code, text_of(resp)) == (403, "Unable to pay an invoice which has already been closed.")
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-403-pay-invoice-already-closed.txt")
    resp = raw.put("invoices/5b1af186651dd988865c6573921ec87fa4bec23b8/pay.xml", content=card_xml())
    assert (resp.status_code, text_of(resp)) == (
        404, 'Unable to find invoice "5b1af186651dd988865c6573921ec87fa4bec23b8"')
    if SAMPLES.is_dir():
        assert text_of(resp) == sample_text("error-404-pay-invoice-not-found.txt")
    second = invoice(raw, emu, "1", "yearly")
    resp = raw.put(f"invoices/{second}/pay.xml", content=b"<payment><account-type>on-file</account-type></payment>")
    assert resp.status_code == 200


def test_store_credit_and_proration_lines(raw: httpx.Client, emu: Emulator) -> None:
    emu.add_subscriber("1", store_credit="5.00")
    token = invoice(raw, emu, "1")
    inv = etree.fromstring(raw.put(f"invoices/{token}/pay.xml", content=card_xml()).content)
    lines = [(li.findtext("description"), li.findtext("amount")) for li in inv.iter("line-item")]
    assert lines == [("Every 1 month", "19.0"), ("Your store credit", "-5.0")]
    assert inv.findtext("amount") == "14.0" and inv.findtext("price") == "$14.00"
    assert inv.findtext("subscriber/store-credit") == "0.0"


# ----------------------------------------------------------------------------- lenient reading


@pytest.mark.parametrize("body", [
    b"<subscriber><customer-id>u1</customer-id><screen-name>joe</screen-name></subscriber>",
    b"<subscriber><customer_id>u1</customer_id><screen_name>joe</screen_name></subscriber>",
    b'<?xml version="1.0" encoding="UTF-8"?>\n<subscriber>\n  <customer-id>u1</customer-id>\n'
    b"  <screen-name>joe</screen-name>\n</subscriber>\n",
    b"\n\n   <subscriber><customer-id>u1</customer-id><screen-name>joe</screen-name></subscriber>   \n",
])
def test_request_bodies_are_read_leniently(raw: httpx.Client, emu: Emulator, body: bytes) -> None:
    assert raw.post("subscribers.xml", content=body).status_code == 201
    sub = emu.subscriber("u1")
    assert sub is not None and sub.screen_name == "joe"


def test_values_are_kept_exactly_as_sent(raw: httpx.Client, emu: Emulator) -> None:
    body = b"<subscriber><customer-id> u1 </customer-id><screen-name>  joe\t</screen-name></subscriber>"
    answer = raw.post("subscribers.xml", content=body)
    assert answer.status_code == 201 and answer.headers["location"].endswith("/subscribers/%20u1%20.xml")
    sub = emu.subscriber(" u1 ")
    assert emu.subscriber("u1") is None and sub is not None and sub.screen_name == "  joe\t"
    assert raw.get("subscribers/%20u1%20.xml").status_code == 200
    assert raw.post("subscribers.xml", content=b"<subscriber><customer-id>  </customer-id></subscriber>"
                    ).status_code == 422  # blank (only whitespace) is still blank


def test_underscored_roots_are_accepted(raw: httpx.Client, emu: Emulator) -> None:
    create(raw, "1")
    body = f"<subscription_plan><id>{emu.plan_id('trial')}</id></subscription_plan>".encode()
    assert raw.post("subscribers/1/subscribe_to_free_trial.xml", content=body).status_code == 200
    create(raw, "2")
    resp = raw.post("subscribers/2/complimentary_subscriptions.xml",
                    content=b"<complimentary_subscription><duration_quantity>3</duration_quantity>"
                            b"<duration_units>days</duration_units><feature_level>x</feature_level>"
                            b"</complimentary_subscription>")
    assert resp.status_code == 201


@pytest.mark.parametrize("body", [b"</noop>", b"<subscriber><customer-id>1</subscriber>", b"not xml",
                                  b'<!DOCTYPE x [<!ENTITY a "b">]><subscriber/>'])
def test_malformed_bodies_are_refused_and_change_nothing(raw: httpx.Client, emu: Emulator, body: bytes) -> None:
    create(raw, "1")
    before = emu.subscriber("1")
    for method, path in (("POST", "subscribers/1/allow_free_trial.xml"), ("PUT", "subscribers/1.xml"),
                         ("POST", "subscribers.xml"), ("POST", "subscribers/1/stop_auto_renew.xml")):
        resp = raw.request(method, path, content=body)
        assert (resp.status_code, text_of(resp)) == (400, "The request body is not well-formed XML.")
    assert emu.subscriber("1") == before
    assert len(emu.state.subscribers) == 1


def test_unknown_paths_are_404(raw: httpx.Client) -> None:
    for method, path in (("GET", "nothing.xml"), ("POST", "subscription_plans.xml"), ("GET", "subscribers"),
                         ("POST", "subscribers/1/clear_lifetime_subscription.xml")):
        assert raw.request(method, path).status_code == 404


def test_remaining_error_texts(raw: httpx.Client, emu: Emulator) -> None:
    emu.add_subscriber("comped", active=True)
    fee = b"<fee><name>n</name><group>g</group><amount>1</amount></fee>"
    resp = raw.post("subscribers/comped/fees.xml", content=fee)
    assert (resp.status_code, text_of(resp)) == (422, "Fees can only be added to recurring subscribers.")
    resp = raw.post("subscribers/comped/fees.xml", content=b"<fee><amount>x</amount></fee>")
    assert errors_of(resp) == ["Name can't be blank", "Group can't be blank", "Amount is not a number"]
    resp = raw.post("subscribers/comped/complimentary_time_extensions.xml",
                    content=b"<complimentary-time-extension><duration-quantity>0</duration-quantity>"
                            b"<duration-units>days</duration-units></complimentary-time-extension>")
    assert errors_of(resp) == ["Duration quantity must be greater than 0"]
    token = invoice(raw, emu, "buyer")
    resp = raw.put(f"invoices/{token}/pay.xml",
                   content=b"<payment><credit-card><number>42</number><month>1</month><year>x</year>"
                           b"<first-name> </first-name></credit-card></payment>")
    assert errors_of(resp) == ["Number is not a valid credit card number", "Year is not a valid year",
                               "First name cannot be empty", "Last name cannot be empty"]
    resp = raw.put(f"invoices/{token}/pay.xml", content=card_xml(GATEWAY_UNAVAILABLE_CARD))
    assert (resp.status_code, text_of(resp)) == (403, "Charge not completed: The payment gateway is unavailable.")
    resp = raw.put(f"invoices/{token}/pay.xml", content=card_xml("4111111111111112"))
    assert (resp.status_code, text_of(resp)) == (403, "Charge not completed: The credit card was declined.")
    resp = raw.put(f"invoices/{token}/pay.xml", content=b"<payment><account-type>store-credit</account-type>"
                                                         b"</payment>")
    assert (resp.status_code, text_of(resp)) == (422, "You must specify credit card parameters for the payment.")
    resp = raw.post("invoices.xml", content=f"<invoice><subscription-plan-id>{emu.plan_id('trial')}"
                                            "</subscription-plan-id><subscriber><customer-id>t</customer-id>"
                                            "</subscriber></invoice>".encode())
    assert (resp.status_code, text_of(resp)) == (
        403, "Free trial plans cannot be purchased; subscribe to the free trial instead.")
    resp = raw.post("invoices.xml", content=f"<invoice><subscription-plan-id>{emu.plan_id('monthly')}"
                                            "</subscription-plan-id><subscriber><customer-id>t</customer-id>"
                                            "<token>x</token></subscriber></invoice>".encode())
    assert (resp.status_code, text_of(resp)) == (
        403, "This API call does not allow adjusting the following attributes [ token ].")
    resp = raw.put("subscribers/comped.xml", content=b"<subscriber><new-customer-id> </new-customer-id></subscriber>")
    assert (resp.status_code, errors_of(resp)) == (422, ["Customer ID can't be blank"])
    resp = raw.put("subscribers/comped.xml", content=b"<subscriber><payment-method/></subscriber>")
    assert (resp.status_code, text_of(resp)) == (422, "You must specify credit card parameters for the payment.")


def test_singular_time_extension_path_is_an_alias(raw: httpx.Client, emu: Emulator) -> None:
    emu.add_subscriber("1", active=True)
    before = emu.subscriber("1")
    assert before is not None and before.active_until is not None
    resp = raw.post("subscribers/1/complimentary_time_extension.xml",
                    content=b"<complimentary-time-extension><duration-quantity>2</duration-quantity>"
                            b"<duration-units>days</duration-units></complimentary-time-extension>")
    assert resp.status_code == 201
    after = emu.subscriber("1")
    assert after is not None and after.active_until is not None
    assert (after.active_until - before.active_until).days == 2


# ----------------------------------------------------------------------------- the two lists


def test_plan_and_transaction_lists_answer_200_xml(raw: httpx.Client, emu: Emulator) -> None:
    plans = raw.get("subscription_plans.xml")
    assert (plans.status_code, plans.headers["content-type"]) == (200, "application/xml; charset=utf-8")
    root = etree.fromstring(plans.content)
    assert (root.tag, root.get("type")) == ("subscription-plans", "array")
    assert [int(p.findtext("id") or 0) for p in root] == [p.id for p in emu.plans]
    empty = b'<?xml version="1.0" encoding="UTF-8"?>\n<nil-classes type="array"/>\n'
    for path in ("transactions.xml", "transactions.xml?since_id=0", "transactions.xml?since_id=x"):
        resp = raw.get(path)
        assert (resp.status_code, resp.headers["content-type"], resp.content) == (
            200, "application/xml; charset=utf-8", empty), path
    create(raw, "1")
    assert raw.post("subscribers/1/subscribe_to_free_trial.xml",
                    content=f"<subscription-plan><id>{emu.plan_id('trial')}</id></subscription-plan>".encode()
                    ).status_code == 200
    listed = etree.fromstring(raw.get("transactions.xml").content)
    assert (listed.tag, listed.get("type"), [t.findtext("subscriber-customer-id") for t in listed]) == (
        "transactions", "array", ["1"])


def test_every_route_has_its_wire_rules_above(request: pytest.FixtureRequest) -> None:
    """Last: the tests above sent a request to every route of ``ROUTES`` (a new one fails here, named)."""
    ROUTE_LEDGER.check(request)
