"""End to end in headless Chromium: the application builds a signup URL with the SDK, a real
browser fills the emulator's hosted card form, the notification reaches the application on
loopback, and the application's SDK fetch sees the subscriber active.

Uses Debian's ``chromium`` through Playwright's Python package (never a downloaded browser);
skips with a message when either is missing (``scripts/install-browser.sh`` installs chromium).
"""

from __future__ import annotations

import hmac
import secrets
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from spreedly_sdk import Client
from spreedly_sdk.testing import APPROVING_CARD, DECLINING_CARD, Emulator
from spreedly_sdk.webhooks import fetch_changed

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WAIT_MS = 30_000  # an upper bound for page loads, not a measurement


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


class App:
    """The application under test: a notification endpoint and a return page, on 127.0.0.1."""

    def __init__(self, client: Client, secret: str) -> None:
        self.client = client
        self.secret = secret
        self.seen: list[tuple[str, bool, bool]] = []   # (customer id, active, recurring) per fetch
        self.lock = threading.Lock()
        self.url = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def reply(self, status: int, text: str, content_type: str = "text/plain") -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.startswith("/done"):
                    self.reply(200, "<!DOCTYPE html><title>Thanks</title><h1 id='thanks'>Thanks!</h1>", "text/html")
                else:
                    self.reply(404, "not found")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not hmac.compare_digest(self.path.encode(), f"/hooks/spreedly/{app.secret}".encode()):
                    self.reply(404, "not found")
                    return
                fresh = fetch_changed(app.client, body, content_type=self.headers.get("Content-Type"))
                with app.lock:
                    app.seen.extend((s.customer_id, bool(s.active), bool(s.recurring)) for s in fresh)
                self.reply(200, "ok")

        return Handler


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium found: run scripts/install-browser.sh (Debian's chromium) to enable this test")
    with sync_api.sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # any launch failure means "no usable browser here"
            pytest.skip(f"Chromium at {path} could not be launched: {exc}")
        try:
            yield instance
        finally:
            instance.close()


def test_signup_in_a_real_browser(browser: Any) -> None:
    emu = Emulator()
    secret = secrets.token_urlsafe(16)
    with emu.serve() as base_url, Client(emu.token, emu.site_name, base_url=base_url) as client:
        app = App(client, secret)
        server = ThreadingHTTPServer(("127.0.0.1", 0), app.handler())
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        app.url = f"http://127.0.0.1:{server.server_address[1]}"
        emu.notifier.url = f"{app.url}/hooks/spreedly/{secret}"
        try:
            plan = next(p for p in client.plans.list() if p.name == "Monthly")
            assert plan.id is not None
            signup = client.signup_url("browser-1", plan.id, "ada", email="ada@example.com",
                                       return_url=f"{app.url}/done")
            page = browser.new_page()
            page.set_default_timeout(WAIT_MS)
            page.goto(signup)
            page.click("#continue")                                  # the first page's form, as it is
            page.wait_for_selector("#credit_card_number")            # the payment page
            assert page.input_value("#subscriber_email") == "ada@example.com"
            for field, value in (("#credit_card_first_name", "Ada"), ("#credit_card_last_name", "Lovelace"),
                                 ("#credit_card_number", DECLINING_CARD), ("#credit_card_verification_value", "123"),
                                 ("#credit_card_month", "12"), ("#credit_card_year", "2099")):
                page.fill(field, value)
            page.click("#submit")
            page.wait_for_selector("ul.errors")                      # declined: the form again, with the reason
            assert "declined" in page.inner_text("ul.errors")
            assert not client.subscribers.get("browser-1").active

            for field, value in (("#credit_card_number", APPROVING_CARD), ("#credit_card_verification_value", "123"),
                                 ("#credit_card_month", "12"), ("#credit_card_year", "2099")):
                page.fill(field, value)
            page.click("#submit")
            page.wait_for_selector("#continue")                      # the receipt
            assert page.title() == "Thank you!"
            page.click("#continue")
            page.wait_for_url(f"{app.url}/done")                     # its Continue link: the return URL
            assert page.inner_text("#thanks") == "Thanks!"
            with app.lock:
                assert app.seen[-1] == ("browser-1", True, True)     # the webhook's own SDK fetch saw it active

            # the customer stops auto renew on the account page
            token = client.subscribers.get("browser-1").token
            assert token is not None
            page.goto(client.account_url(token, return_url=f"{app.url}/done?from=account"))
            page.click("#stop_auto_renew")
            page.wait_for_selector("#continue")
            assert page.title() == "Thank you!"
            page.click("#continue")
            page.wait_for_url(f"{app.url}/done?from=account")
            with app.lock:
                assert app.seen[-1] == ("browser-1", True, False)
            assert all(a.ok for a in emu.notifications)
            page.close()
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
