"""The README's offline example runs as written, and its two commands are the documented ones."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_offline_example_runs() -> None:
    emulator_blocks = [b for b in _blocks("python") if "Emulator()" in b]
    assert emulator_blocks, "the README lost its emulator example"
    for block in emulator_blocks:
        exec(compile(block, str(README), "exec"), {})  # noqa: S102 - our own README


def test_newcomer_commands_come_first() -> None:
    shell = _blocks("bash")
    assert "spreedly demo" in shell[0]
    assert "pytest" in shell[1]
