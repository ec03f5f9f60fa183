"""``spreedly demo`` runs the tour; ``spreedly emulator`` serves until interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime, timezone

import httpx
import pytest
from click.testing import CliRunner

from spreedly_sdk import Client
from spreedly_sdk.cli import main
from spreedly_sdk.testing import APPROVING_CARD, DEFAULT_TOKEN
from spreedly_sdk.testing.demo import run_demo
from tests.conftest import default_sigint


def test_demo_command_walks_through_the_api() -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    for step in ("The plan catalogue", "Create a subscriber", "free trial", "Comp a subscriber",
                 "refused with 422", "refused with 403: Charge not completed", "Transactions",
                 "subscribe page: http://127.0.0.1:"):
        assert step in out
    assert "Done: 3 subscribers" in out


def test_run_demo_is_deterministic_with_a_start_time() -> None:
    lines: list[str] = []
    run_demo(lines.append, start=datetime(2024, 1, 31, 12, 0, tzinfo=timezone.utc))
    text = "\n".join(lines)
    assert "alice: active, on trial, feature level 'trial', active until 2024-02-14 12:00 UTC" in text
    assert "bob after a 1-month comp: active, feature level 'gold', active until 2024-02-29 12:00 UTC" in text
    assert "bob after a 7-day extension: active, feature level 'gold', active until 2024-03-07 12:00 UTC" in text


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "demo" in result.output and "emulator" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to a child differs on Windows")
def test_emulator_command_serves_until_interrupted() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # click.echo must flush by itself
    proc = subprocess.Popen([sys.executable, "-m", "spreedly_sdk.cli", "emulator", "--port", "0", "--site", "cli-test",
                             "--token", "t0ken", "--plan", "1824:free_trial", "--plan", "77:regular:Gold"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=default_sigint)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Spreedly emulator for site 'cli-test' at http://127.0.0.1:"), first
        base_url = first.rsplit(" ", 1)[1].strip()
        banner = [proc.stdout.readline() for _ in range(4)]
        assert "API token: t0ken" in "".join(banner)
        resp = httpx.get(f"{base_url}/api/v4/cli-test/subscription_plans.xml", auth=("t0ken", "X"))
        assert resp.status_code == 200 and b"<subscription-plans" in resp.content
        assert b"<id type=\"integer\">1824</id>" in resp.content and b"<name>Gold</name>" in resp.content
        assert httpx.get(f"{base_url}/api/v4/cli-test/subscribers.xml",
                         auth=(DEFAULT_TOKEN, "X")).status_code == 401
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert "Stopped after 2 requests." in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_emulator_command_refuses_bad_plan_specs() -> None:
    for spec in ("x:regular", "5:gift", "5", "1002:regular"):
        result = CliRunner().invoke(main, ["emulator", "--port", "0", "--plan", spec])
        assert result.exit_code == 2, (spec, result.output)
        assert "--plan" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to a child differs on Windows")
def test_emulator_command_starts_the_clock_at_now_and_prints_the_base_url() -> None:
    """``--now``: an old suite's cards (expiring 2014) still pay; the banner's base_url is the host root."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, "-m", "spreedly_sdk.cli", "emulator", "--port", "0", "--site", "old-test",
                             "--now", "2013-03-01T12:00:00Z"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=default_sigint)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        base_url = first.rsplit(" ", 1)[1].strip()
        banner = "".join(proc.stdout.readline() for _ in range(5))
        assert f"base_url:  {base_url} " in banner and "Clock:     started at 2013-03-01T12:00:0" in banner
        with Client(DEFAULT_TOKEN, "old-test", base_url=base_url) as client, httpx.Client() as http:
            created = client.subscribers.create("old-1")
            assert created.created_at is not None and created.created_at.year == 2013
            url = client.signup_url("old-1", 1002, return_url="http://127.0.0.1:1/done")
            card = {"credit_card[first_name]": "Ada", "credit_card[last_name]": "Lovelace", "step": "payment",
                    "credit_card[number]": APPROVING_CARD, "credit_card[card_type]": "visa",
                    "credit_card[verification_value]": "123", "credit_card[month]": "1", "credit_card[year]": "2014"}
            receipt = http.post(url, data=card)
            assert receipt.status_code == 200 and "<title>Thank you!</title>" in receipt.text
            assert client.subscribers.get("old-1").active
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 0 and "Traceback" not in err, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_emulator_command_refuses_a_bad_now() -> None:
    result = CliRunner().invoke(main, ["emulator", "--port", "0", "--now", "March 2013"])
    assert result.exit_code == 2 and "--now" in result.output
