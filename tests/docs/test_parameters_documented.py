"""Every parameter a user can pass is documented on the page they would read for it: the clients'
constructors on the configuration page, the emulator's on the testing page, each resource
method's on its resource page, and every option of every ``spreedly`` command on the CLI page."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from spreedly_sdk import AsyncClient, Client
from spreedly_sdk.cli import main
from spreedly_sdk.resources import Invoices, Plans, Subscribers, Transactions
from spreedly_sdk.testing import Emulator

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _parameters(function: Any) -> list[str]:
    return [p for p in inspect.signature(function).parameters if p not in ("self", "cls")]


def _undocumented(names: list[str], page: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return [name for name in names if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]


@pytest.mark.parametrize(("owner", "page"), [(Client, "configuration.md"), (AsyncClient, "configuration.md"),
                                             (Emulator, "testing.md")], ids=["Client", "AsyncClient", "Emulator"])
def test_constructor_parameters(owner: type, page: str) -> None:
    assert _undocumented(_parameters(owner.__init__), page) == []


@pytest.mark.parametrize("resource", [Subscribers, Plans, Invoices, Transactions], ids=lambda r: r.__name__)
def test_resource_method_parameters(resource: type) -> None:
    page = f"resources/{resource.__name__.lower()}.md"
    missing = [f"{name}({parameter})" for name, method in vars(resource).items()
               if callable(method) and not name.startswith("_")
               for parameter in _undocumented(_parameters(method), page)]
    assert missing == []


def _commands(group: click.Group, path: str = "spreedly") -> Iterator[tuple[str, click.Command]]:
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


def test_every_cli_option() -> None:
    missing = [f"{path} {option}" for path, command in _commands(main) for param in command.params
               for option in param.opts + param.secondary_opts
               if option.startswith("--") and option != "--help"
               and _undocumented([option], "cli.md")]
    assert missing == []
