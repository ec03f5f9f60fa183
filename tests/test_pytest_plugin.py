"""The pytest plugin in a project of its own: a user's test suite, run in a subprocess from a
temporary folder with its own (default) pytest configuration, exactly as a project that
installs the SDK would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

USER_TESTS = '''
import pytest

@pytest.mark.asyncio
async def test_async_client(spreedly_async_client, spreedly_emulator):
    await spreedly_async_client.subscribers.create("cust-0801")
    assert spreedly_emulator.subscriber("cust-0801") is not None

def test_sync_client(spreedly_client):
    assert len(spreedly_client.plans.list()) == 4
'''

REMINDER = "asyncio_default_fixture_loop_scope"


def run_user_project(tmp_path: Path, ini: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\n" + ini, encoding="utf-8")
    (tmp_path / "test_user.py").write_text(USER_TESTS, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("ini", ["", "asyncio_mode = auto\n"], ids=["strict-mode", "auto-mode"])
@pytest.mark.parametrize("warnings", [[], ["-W", "error"]], ids=["default-warnings", "warnings-as-errors"])
def test_the_fixtures_bring_no_warning_into_a_default_project(tmp_path: Path, ini: str,
                                                              warnings: list[str]) -> None:
    result = run_user_project(tmp_path, ini, *warnings)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "2 passed" in output
    assert REMINDER not in output
    assert "warning" not in output.lower()


def test_without_the_plugin_pytest_asyncio_would_warn(tmp_path: Path) -> None:
    """The check above means something: the reminder exists, and the plugin is what silences it."""
    pytest.importorskip("pytest_asyncio")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_plain.py").write_text("def test_nothing():\n    pass\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:spreedly", "-q"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    if REMINDER not in result.stdout + result.stderr:
        pytest.skip("this pytest-asyncio no longer reminds about the unset loop scope")


def test_a_project_that_sets_the_option_keeps_its_setting(tmp_path: Path) -> None:
    result = run_user_project(tmp_path, "asyncio_default_fixture_loop_scope = module\n", "-v")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "asyncio_default_fixture_loop_scope=module" in output  # pytest-asyncio's header line
