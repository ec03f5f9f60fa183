"""The three framework examples, each served on a loopback port, receive the emulator's
notifications and refresh their copy of the subscribers with the SDK."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from examples.store import Access, SubscriberStore
from spreedly_sdk.testing import Clock, Emulator

from .conftest import START

FRAMEWORKS = ["flask", "starlette", "django"]


@contextlib.contextmanager
def wsgi_server(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextlib.contextmanager
def asgi_server(app: Any) -> Iterator[str]:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(1000):                 # wait (up to ~10 s) until uvicorn listens
        if server.started:
            started.set()
            break
        started.wait(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


@contextlib.contextmanager
def running(framework: str, emu: Emulator, store: SubscriberStore, secret: str) -> Iterator[str]:
    """Serve the framework's example; yield its notification URL."""
    if framework == "starlette":
        from examples import starlette_app

        async_client = emu.async_client(max_retries=0)
        try:
            with asgi_server(starlette_app.create_app(async_client, store, secret)) as base:
                yield f"{base}/hooks/spreedly/{secret}"
        finally:
            asyncio.run(async_client.aclose())
        return
    with emu.client(max_retries=0) as client:
        if framework == "flask":
            from examples import flask_app

            with wsgi_server(flask_app.create_app(client, store, secret)) as base:
                yield f"{base}/hooks/spreedly/{secret}"
        else:
            from examples import django_app

            with wsgi_server(django_app.create_app(client, store, secret)) as base:
                yield f"{base}/hooks/spreedly/{secret}/"


@pytest.fixture(params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest) -> str:
    pytest.importorskip(request.param)
    if request.param == "starlette":
        pytest.importorskip("uvicorn")
    return str(request.param)


def test_example_keeps_its_copy_fresh(framework: str) -> None:
    emu = Emulator(clock=Clock(START))
    store = SubscriberStore()
    secret = secrets.token_urlsafe(16)
    with running(framework, emu, store, secret) as hook_url:
        emu.notifier.url = hook_url
        with emu.client() as client:
            client.subscribers.create("42")
            assert store.get("42") == Access(active=False, feature_level="", active_until=None)
            client.subscribers.give_complimentary_subscription("42", 1, "months", "gold")
            copy = store.get("42")
            assert copy is not None and copy.active and copy.feature_level == "gold"
            emu.advance(days=32)                              # expiry, notified on the emulator's clock
            copy = store.get("42")
            assert copy is not None and not copy.active

            # the app cannot reach the API: it answers 503 and the service retries a minute later
            emu.fail_next(1, status=500, path="/subscribers/43.xml", method="GET")
            client.subscribers.create("43")
            assert "43" not in store and emu.notifications[-1].status == 503
            emu.advance(minutes=1)
            assert "43" in store and emu.notifications[-1].ok

            client.subscribers.delete("42")                   # a subscriber the service no longer has
            assert "42" not in store
        assert [a.status for a in emu.notifications] == [200, 200, 200, 503, 200, 200]

        with httpx.Client(trust_env=False) as http:
            wrong = hook_url.replace(secret, "guessed")
            assert http.post(wrong, data={"subscriber_ids": "43"}).status_code == 404
            assert http.post(hook_url, content=b"nonsense=1",
                             headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 400
            assert http.post(hook_url, json={"subscriber_ids": "43"}).status_code == 400
            refreshes = store.refreshes
            assert http.post(hook_url, data={"subscriber_ids": "43, 43,,"}).status_code == 200
            assert store.refreshes == refreshes + 1
            if framework == "django":                         # CSRF still guards the rest of the site
                assert http.post(hook_url.split("/hooks/")[0] + "/account/", data={"x": "1"}).status_code == 403


def test_store_refresh_reads_what_the_api_said() -> None:
    emu = Emulator(clock=Clock(START))
    emu.add_subscriber("1", plan_id=emu.MONTHLY_PLAN_ID, active=True)
    store = SubscriberStore()
    from spreedly_sdk.webhooks import fetch_changed

    with emu.client() as client:
        store.refresh(fetch_changed(client, ["1", "2"]))
    sub = emu.subscriber("1")
    assert sub is not None
    assert store.get("1") == Access(active=True, feature_level="pro", active_until=sub.active_until)
    assert store.get("2") is None
