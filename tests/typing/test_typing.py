"""The public types, proven: ``usage.py`` must pass mypy --strict and pyright strict.

``usage.py`` is user code full of ``assert_type`` expectations; a change that alters what a
user's type checker sees (a return type, an attribute's type, an error attribute) fails here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
USAGE = Path(__file__).with_name("usage.py")


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_usage_passes_mypy_strict() -> None:
    pytest.importorskip("mypy")
    proc = _run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(USAGE)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _pyright(target: Path) -> list[dict[str, object]]:
    pytest.importorskip("pyright")
    if shutil.which("node") is None and shutil.which("nodejs") is None:
        pytest.skip("pyright needs Node.js, which is not installed")
    proc = _run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, "--outputjson", str(target)])
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not report: {proc.stdout[-2000:]} {proc.stderr[-2000:]}")
    diagnostics: list[dict[str, object]] = [
        d for d in report["generalDiagnostics"] if d.get("severity") in ("error", "warning")
    ]
    assert report["summary"]["filesAnalyzed"] >= 1
    return diagnostics


def _show(diagnostics: list[dict[str, object]]) -> str:
    lines = []
    for d in diagnostics:
        start = d["range"]["start"]  # type: ignore[index]
        lines.append(f"{d['file']}:{start['line'] + 1}: {d.get('rule', '')} {d['message']}")  # type: ignore[index]
    return "\n".join(lines)


def test_usage_passes_pyright_strict() -> None:
    diagnostics = _pyright(USAGE)
    assert diagnostics == [], _show(diagnostics)


def test_a_wrong_expectation_is_caught(tmp_path: Path) -> None:
    """The checkers really check: a false ``assert_type`` in the same setting fails both."""
    pytest.importorskip("mypy")
    bad = tmp_path / "bad_usage.py"
    bad.write_text(
        "# pyright: strict\n"
        "from typing_extensions import assert_type\n"
        "from spreedly_sdk import Client, Subscriber\n"
        "def f(client: Client) -> None:\n"
        "    assert_type(client.subscribers.list(), Subscriber)\n"
    )
    proc = _run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(bad)])
    assert proc.returncode != 0 and "assert-type" in proc.stdout
    diagnostics = _pyright(bad)
    assert any(d.get("rule") == "reportAssertTypeFailure" for d in diagnostics), _show(diagnostics)
