"""The public types, proven: ``usage.py`` must pass mypy --strict and pyright strict, and the
package itself must be clean under pyright strict (the ``[tool.pyright]`` settings).

``usage.py`` is user code full of ``assert_type`` expectations; a change that alters what a
user's type checker sees (a return type, an attribute's type, an error attribute) fails here.
A canary file with a false expectation must fail both checkers, so a checker that silently
stopped checking cannot pass the suite. Each checker runs once for the whole module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
USAGE = Path(__file__).with_name("usage.py")
NEGATIVE = Path(__file__).with_name("negative.py")
PACKAGE = ROOT / "spreedly_sdk"
CANARY = (
    "# pyright: strict\n"
    "from typing_extensions import assert_type\n"
    "from spreedly_sdk import Client, Subscriber\n"
    "def f(client: Client) -> None:\n"
    "    assert_type(client.subscribers.list(), Subscriber)\n"
)


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("typing") / "canary_check.py"
    path.write_text(CANARY)
    return path


@pytest.fixture(scope="module")
def mypy_output(canary: Path) -> str:
    pytest.importorskip("mypy")
    # no cache: mypy 2.x answers an unchanged module from its cache with the path of an earlier run
    proc = _run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-absolute-path",
                 "--cache-dir", os.devnull, str(USAGE), str(NEGATIVE), str(canary)])
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def pyright_diagnostics(canary: Path) -> list[dict[str, Any]]:
    pytest.importorskip("pyright")
    if shutil.which("node") is None and shutil.which("nodejs") is None:
        pytest.skip("pyright needs Node.js, which is not installed")
    proc = _run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, "--outputjson",
                 str(PACKAGE), str(USAGE), str(NEGATIVE), str(canary)])
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not report: {proc.stdout[-2000:]} {proc.stderr[-2000:]}")
    assert report["summary"]["filesAnalyzed"] >= 20
    return [d for d in report["generalDiagnostics"] if d.get("severity") in ("error", "warning")]


def _in(diagnostics: list[dict[str, Any]], path: Path) -> list[dict[str, Any]]:
    return [d for d in diagnostics if Path(d["file"]).resolve() == path.resolve()]


def _show(diagnostics: list[dict[str, Any]]) -> str:
    return "\n".join(f"{d['file']}:{d['range']['start']['line'] + 1}: {d.get('rule', '')} {d['message']}"
                     for d in diagnostics)


def test_usage_passes_mypy_strict(mypy_output: str) -> None:
    problems = [line for line in mypy_output.splitlines() if f"/{USAGE.name}:" in line or line.startswith(f"{USAGE.name}:")]
    assert problems == []


def test_usage_passes_pyright_strict(pyright_diagnostics: list[dict[str, Any]]) -> None:
    assert _in(pyright_diagnostics, USAGE) == [], _show(_in(pyright_diagnostics, USAGE))


def test_package_passes_pyright_strict(pyright_diagnostics: list[dict[str, Any]]) -> None:
    inside = [d for d in pyright_diagnostics if PACKAGE in Path(d["file"]).resolve().parents]
    assert inside == [], _show(inside)


def test_a_wrong_expectation_is_caught(mypy_output: str, pyright_diagnostics: list[dict[str, Any]],
                                       canary: Path) -> None:
    assert any(f"{canary.name}:5:" in line and "[assert-type]" in line for line in mypy_output.splitlines()), \
        repr(mypy_output)
    assert any(d.get("rule") == "reportAssertTypeFailure" for d in _in(pyright_diagnostics, canary)), \
        _show(pyright_diagnostics)


_MARK = re.compile(r"#\s*error\[([a-z,]+)\]")


def _expected_errors() -> dict[int, set[str]]:
    """Line number -> the checkers that must report an error there (``# error[mypy,pyright]``)."""
    marks: dict[int, set[str]] = {}
    for number, line in enumerate(NEGATIVE.read_text().splitlines(), start=1):
        found = _MARK.search(line)
        if found:
            marks[number] = set(found.group(1).split(","))
    return marks


def _mypy_error_lines(mypy_output: str, path: Path) -> set[int]:
    lines: set[int] = set()
    for line in mypy_output.splitlines():
        head, _, rest = line.partition(f"{path.name}:")
        if rest and ": error:" in rest and (head == "" or head.endswith("/")):
            lines.add(int(rest.split(":", 1)[0]))
    return lines


def test_negative_cases_fail_under_mypy(mypy_output: str) -> None:
    """Missing required arguments, unknown keywords, misused overloads and misspelt names are
    reported by mypy --strict with pydantic's plugin (pydantic-xml's own plugin would hide the
    missing arguments); and nothing unmarked is reported."""
    expected = {n for n, who in _expected_errors().items() if "mypy" in who}
    assert len(expected) >= 12
    reported = _mypy_error_lines(mypy_output, NEGATIVE)
    assert expected - reported == set(), mypy_output
    assert reported - set(_expected_errors()) == set(), mypy_output


def test_negative_cases_fail_under_pyright(pyright_diagnostics: list[dict[str, Any]]) -> None:
    expected = {n for n, who in _expected_errors().items() if "pyright" in who}
    assert len(expected) >= 14
    found = _in(pyright_diagnostics, NEGATIVE)
    reported = {d["range"]["start"]["line"] + 1 for d in found if d.get("severity") == "error"}
    assert expected - reported == set(), _show(found)
    assert reported - set(_expected_errors()) == set(), _show(found)
