"""The API commands of ``spreedly`` against the emulator served on loopback.

Each test runs the real command through click's CliRunner with the connection in the
environment (``SPREEDLY_TOKEN``, ``SPREEDLY_SITE``, ``SPREEDLY_BASE_URL``), exactly as a user
would, and checks stdout, stderr and the exit code.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner, Result

from spreedly_sdk import CreditCardPayment, _cli_api
from spreedly_sdk._cli_api import EXIT_CODES, PROGRESS_EVERY
from spreedly_sdk.cli import main
from spreedly_sdk.testing import Emulator


def run(args: list[str], env: dict[str, str]) -> Result:
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def test_plans_table_and_json(emu: Emulator, env: dict[str, str]) -> None:
    result = run(["plans"], env)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["ID", "NAME", "TYPE", "PRICE"]
    assert len(lines) == 1 + len(emu.plans)
    for plan in emu.plans:
        assert any(line.startswith(str(plan.id)) and (plan.name or "") in line for line in lines[1:])

    data = json.loads(run(["plans", "--json"], env).stdout)
    assert [p["id"] for p in data] == [p.id for p in emu.plans]
    assert {p["plan_type"] for p in data} >= {"regular", "free_trial"}

    enabled = json.loads(run(["plans", "--json", "--enabled-only"], env).stdout)
    assert all(p["enabled"] for p in enabled) and len(enabled) == len([p for p in emu.plans if p.enabled])


def test_subscribers_create_get_update_list(emu: Emulator, env: dict[str, str]) -> None:
    created = run(["subscribers", "create", "42", "--email", "ada@example.com", "--screen-name", "ada",
                   "--json"], env)
    assert created.exit_code == 0, created.stderr
    assert json.loads(created.stdout)["customer_id"] == "42"
    assert emu.subscriber("42") is not None

    shown = run(["subscribers", "get", "42"], env)
    assert shown.exit_code == 0
    assert any(line.split() == ["email", "ada@example.com"] for line in shown.stdout.splitlines())
    assert any(line.split() == ["active", "no"] for line in shown.stdout.splitlines())

    updated = run(["subscribers", "update", "42", "--email", "countess@example.com", "--json"], env)
    assert updated.exit_code == 0, updated.stderr
    assert json.loads(updated.stdout)["email"] == "countess@example.com"
    sub = emu.subscriber("42")
    assert sub is not None and sub.email == "countess@example.com"

    moved = run(["subscribers", "update", "42", "--new-customer-id", "43", "--json"], env)
    assert json.loads(moved.stdout)["customer_id"] == "43"

    emu.add_subscriber("44", email="b@example.com", active=True)
    listed = run(["subscribers", "list"], env)
    assert listed.exit_code == 0
    rows = listed.stdout.splitlines()
    assert rows[0].split()[0] == "CUSTOMER_ID"
    assert sorted(r.split()[0] for r in rows[1:]) == ["43", "44"]
    assert "2 subscribers" in listed.stderr

    active = json.loads(run(["subscribers", "list", "--active-only", "--json"], env).stdout)
    assert [s["customer_id"] for s in active] == ["44"]


def test_update_without_fields_is_a_usage_error(env: dict[str, str]) -> None:
    result = run(["subscribers", "update", "42"], env)
    assert result.exit_code == 2
    assert result.stderr.startswith("spreedly: error: nothing to change")


def test_progress_when_listing_a_large_site(emu: Emulator, env: dict[str, str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    every = 40
    assert PROGRESS_EVERY >= every
    monkeypatch.setattr(_cli_api, "PROGRESS_EVERY", every)
    total = every * 2 + 7
    for i in range(total):
        emu.add_subscriber(str(i))
    result = run(["subscribers", "list", "--json", "--progress"], env)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == total
    assert f"fetched {every:,} subscribers…" in result.stderr
    assert f"fetched {every * 2:,} subscribers…" in result.stderr
    assert f"fetched {total:,} subscribers." in result.stderr

    quiet = run(["subscribers", "list", "--json", "--no-progress"], env)
    assert "fetched" not in quiet.stderr


def test_transactions(emu: Emulator, env: dict[str, str]) -> None:
    with emu.client() as client:
        plan = emu.plan_id("monthly")
        card = CreditCardPayment("4222222222222", "visa", "123", 12, date.today().year + 2, "Ada", "Lovelace")
        for customer in ("1", "2"):
            invoice = client.invoices.create(plan, customer)
            client.invoices.pay(invoice.token or "", card)
        client.subscribers.stop_auto_renew("1")
        expected = client.transactions.list()
    assert len(expected) >= 3

    data = json.loads(run(["transactions", "--json"], env).stdout)
    assert [t["id"] for t in data] == [t.id for t in expected]

    table = run(["transactions"], env)
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split()[:3] == ["ID", "CREATED_AT", "CUSTOMER_ID"]
    assert len(table.stdout.splitlines()) == 1 + len(expected)

    first = min(t.id for t in expected)
    after = json.loads(run(["transactions", "--json", "--since-id", str(first)], env).stdout)
    assert [t["id"] for t in after] == sorted(t.id for t in expected if t.id > first)
    every = json.loads(run(["transactions", "--json", "--all"], env).stdout)
    assert sorted(t["id"] for t in every) == sorted(t.id for t in expected)


def test_signup_url_needs_no_token(env: dict[str, str]) -> None:
    no_token = {k: v for k, v in env.items() if k != "SPREEDLY_TOKEN"}
    result = run(["signup-url", "42", "7", "ada", "--email", "a+b@example.com"], no_token)
    assert result.exit_code == 0, result.stderr
    url = result.stdout.strip()
    assert url == f"{env['SPREEDLY_BASE_URL']}/{env['SPREEDLY_SITE']}/subscribers/42/subscribe/7/ada?email=a%2Bb%40example.com"
    with_token = run(["signup-url", "42", "7", "--subscriber-token", "abc"], no_token)
    assert with_token.stdout.strip().endswith("/subscribers/42/abc/subscribe/7")


def test_flags_override_the_environment(emu: Emulator, env: dict[str, str]) -> None:
    # the emulator serves one site: its token is wrong for any other
    result = run(["plans", "--json", "--site", "other-site"], env)
    assert result.exit_code == 6, result.stderr
    assert result.stderr.startswith("spreedly: error: authentication failed")
    ok = run(["plans", "--json", "--site", emu.site_name, "--token", emu.token], {**env, "SPREEDLY_TOKEN": "x"})
    assert ok.exit_code == 0 and len(json.loads(ok.stdout)) == len(emu.plans)


@pytest.mark.parametrize(
    ("args", "env_change", "code", "message"),
    [
        (["subscribers", "get", "404"], {}, 4, "not found: There is no subscriber with a customer id of 404"),
        (["plans"], {"SPREEDLY_TOKEN": "wrong-token"}, 6, "authentication failed"),
        (["plans"], {"SPREEDLY_TOKEN": ""}, 3, "no API token given"),
        (["plans"], {"SPREEDLY_SITE": ""}, 3, "no site given"),
        (["plans"], {"SPREEDLY_BASE_URL": "ftp://example.com"}, 3, "base_url must be an http"),
        (["subscribers", "get", ".."], {}, 3, "customer_id"),
        (["plans", "--timeout", "2"], {"SPREEDLY_BASE_URL": "http://127.0.0.1:9"}, 7, "could not reach the service"),
    ],
)
def test_errors_are_one_line_with_distinct_exit_codes(env: dict[str, str], args: list[str],
                                                      env_change: dict[str, str], code: int, message: str) -> None:
    result = run(args, {**env, **env_change})
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("spreedly: error: ")
    assert message in result.stderr
    assert env["SPREEDLY_TOKEN"] not in result.stderr


def test_refusals_exit_5(emu: Emulator, env: dict[str, str]) -> None:
    emu.add_subscriber("42")
    result = run(["subscribers", "create", "42"], env)
    assert result.exit_code == 5
    assert result.stderr == "spreedly: error: refused (403): A subscriber with a customer-id of 42 already exists.\n"


def test_service_failures_exit_8(emu: Emulator, env: dict[str, str]) -> None:
    emu.fail_next(3, status=503, body="Service Unavailable", path="subscription_plans")
    result = run(["plans"], env)
    assert result.exit_code == 8
    assert "the service answered 503" in result.stderr


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert {"plans", "subscribers", "transactions", "signup-url", "demo", "emulator"} <= listed


def test_exit_codes_are_documented() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    for code, meaning in EXIT_CODES.items():
        assert f"| {code} | {meaning} |" in page
