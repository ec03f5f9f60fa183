"""What the ``spreedly`` command prints: amounts, counts, empty listings, the options each
command offers and its help, run through click's CliRunner against the emulator on loopback."""

from __future__ import annotations

import json
import re
from datetime import date

import click
import pytest
from click.testing import CliRunner, Result

from spreedly_sdk import CreditCardPayment
from spreedly_sdk.cli import main
from spreedly_sdk.testing import Emulator

AMOUNT = re.compile(r"\$?-?\d+\.\d+")


def run(args: list[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False, terminal_width=80)


def column(table: str, name: str) -> list[str]:
    """The cells of one column of a printed table (found by the header's position)."""
    header, *rows = table.splitlines()
    start = header.index(name.upper())
    rest = header[start:].split()
    end = header.index(rest[1], start) if len(rest) > 1 else None
    return [row[start:end].strip() for row in rows]


def _pay(emu: Emulator, customer_id: str) -> None:
    card = CreditCardPayment("4222222222222", "visa", "123", 12, date.today().year + 2, "Ada", "Lovelace")
    with emu.client() as client:
        invoice = client.invoices.create(emu.plan_id("monthly"), customer_id)
        client.invoices.pay(invoice.token or "", card)


# ----------------------------------------------------------------------------- money


def test_plan_prices_have_two_decimals(emu: Emulator, env: dict[str, str]) -> None:
    result = run(["plans"], env)
    assert result.exit_code == 0, result.stderr
    prices = dict(zip(column(result.stdout, "id"), column(result.stdout, "price"), strict=True))
    assert prices[str(emu.plan_id("trial"))] == "0.00"
    assert prices[str(emu.plan_id("monthly"))] == "19.00"
    assert prices[str(emu.plan_id("yearly"))] == "190.00"
    assert all(re.fullmatch(r"\d+\.\d{2}", p) for p in prices.values())

    data = json.loads(run(["plans", "--json"], env).stdout)
    monthly = next(p for p in data if p["id"] == emu.plan_id("monthly"))
    assert (monthly["price"], monthly["amount"]) == ("19.00", "19.00")
    assert all(p["price"].count(".") == 1 and len(p["price"].split(".")[1]) == 2 for p in data)


def test_transaction_and_subscriber_amounts_have_two_decimals(emu: Emulator, env: dict[str, str]) -> None:
    _pay(emu, "cust-ada")
    with emu.client() as client:
        client.subscribers.add_store_credit("cust-ada", "2.5")
    table = run(["transactions"], env)
    assert column(table.stdout, "amount") == ["19.00"]
    data = json.loads(run(["transactions", "--json"], env).stdout)
    assert [t["amount"] for t in data] == ["19.00"]

    shown = run(["subscribers", "get", "cust-ada"], env).stdout.splitlines()
    assert any(line.split() == ["store_credit", "2.50"] for line in shown)
    assert json.loads(run(["subscribers", "get", "cust-ada", "--json"], env).stdout)["store_credit"] == "2.50"


def test_the_demo_shows_every_amount_with_two_decimals() -> None:
    result = run(["demo"])
    assert result.exit_code == 0, result.output
    assert "store credit $10.00" in result.output
    dollars = re.findall(r"\$-?\d+(?:\.\d+)?", result.output)
    assert dollars and all(re.fullmatch(r"\$-?\d+\.\d{2}", d) for d in dollars), dollars


# ----------------------------------------------------------------------------- counts and empty listings


@pytest.mark.parametrize(("args", "noun"), [
    (["transactions"], "transactions"),
    (["subscribers", "list"], "subscribers"),
    (["subscribers", "list", "--active-only"], "subscribers"),
    (["transactions", "--since-id", "5"], "transactions"),
    (["transactions", "--all"], "transactions"),
])
def test_an_empty_listing_says_zero(env: dict[str, str], args: list[str], noun: str) -> None:
    result = run(args, env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # no bare header
    assert result.stderr == f"0 {noun}\n"


def test_every_listing_counts_its_rows_on_stderr(emu: Emulator, env: dict[str, str]) -> None:
    assert run(["plans"], env).stderr == f"{len(emu.plans)} plans\n"
    enabled = [p for p in emu.plans if p.enabled]
    assert run(["plans", "--enabled-only"], env).stderr == f"{len(enabled)} plans\n"
    _pay(emu, "cust-ada")
    assert run(["transactions"], env).stderr == "1 transaction\n"
    assert run(["subscribers", "list"], env).stderr == "1 subscriber\n"
    # JSON output is the data alone
    assert run(["transactions", "--json"], env).stderr == ""


# ----------------------------------------------------------------------------- options


def _options(args: list[str]) -> set[str]:
    result = run([*args, "--help"])
    assert result.exit_code == 0
    return set(re.findall(r"^\s+(--[a-z-]+)", result.stdout, re.M))


REQUEST_OPTIONS = {"--token", "--site", "--base-url", "--timeout", "--json"}


@pytest.mark.parametrize("args", [["plans"], ["transactions"], ["subscribers", "list"], ["subscribers", "get"],
                                  ["subscribers", "create"], ["subscribers", "update"]])
def test_commands_that_call_the_api_offer_the_connection_options(args: list[str]) -> None:
    assert REQUEST_OPTIONS <= _options(args)


def test_signup_url_offers_only_what_it_uses(env: dict[str, str]) -> None:
    offered = _options(["signup-url"])
    assert offered.isdisjoint({"--token", "--timeout", "--json"})
    assert {"--site", "--base-url", "--subscriber-token", "--email", "--return-url"} <= offered
    refused = run(["signup-url", "cust-ada", "1002", "--json"], env)
    assert refused.exit_code == 2 and "No such option '--json'" in refused.stderr


# ----------------------------------------------------------------------------- help


def _summaries(args: list[str]) -> dict[str, str]:
    """The Commands section of a group's --help at 80 columns: name -> summary (wrapped lines joined)."""
    text = run([*args, "--help"]).stdout.split("Commands:\n", 1)[1]
    summaries: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("  ") and not line.startswith("   "):
            name, _, summary = line.strip().partition(" ")
            summaries[name] = summary.strip()
        else:
            summaries[name] += " " + line.strip()
    return summaries


def _group(args: list[str]) -> click.Group:
    group: click.Command = main
    for arg in args:
        assert isinstance(group, click.Group)
        group = group.commands[arg]
    assert isinstance(group, click.Group)
    return group


@pytest.mark.parametrize("args", [[], ["subscribers"]])
def test_help_summaries_are_whole(args: list[str]) -> None:
    group = _group(args)
    summaries = _summaries(args)
    assert set(summaries) == set(group.commands)
    for name, command in group.commands.items():
        first_sentence = (command.help or "").split("\n\n")[0].replace("\n", " ")
        first_sentence = first_sentence.split(". ")[0].rstrip(".") + "."
        assert summaries[name] == first_sentence, name
        assert not summaries[name].endswith("...")
