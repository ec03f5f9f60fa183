"""The repository stands alone and its contributor conventions agree with each other: the
README's facts match the emulator, every path a guide or script names exists, CI runs
``.ci/run`` on every supported Python and builds the docs, pre-commit runs the linters CI runs,
and no file cites notes that are not in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from spreedly_sdk.testing import Emulator

REPO = Path(__file__).resolve().parents[2]
GUIDES = ["README.md", "CONTRIBUTING.md", "docs/cli.md", "tests/fixtures/README.md"]
SCRIPTS = ["scripts/install-browser.sh", ".ci/run", ".github/workflows/ci.yml", ".pre-commit-config.yaml"]


def _read(path: str) -> str:
    return (REPO / path).read_text(encoding="utf-8")


def _supported_pythons() -> list[str]:
    """The Python versions pyproject.toml's classifiers declare (read as text: tomllib is 3.11+)."""
    return re.findall(r'"Programming Language :: Python :: (3\.\d+)"', _read("pyproject.toml"))


def test_readme_describes_the_default_catalogue() -> None:
    readme = _read("README.md")
    plans = Emulator().plans
    assert len(plans) == 4 and "four plans" in readme
    for plan in plans:
        assert re.search(rf"\b{plan.id}\b", readme), plan.name
    assert "a trial, a monthly and a yearly plan" not in readme


def test_paths_named_by_guides_and_scripts_exist() -> None:
    named = re.compile(r"(?<![\w/.-])((?:tests|docs|scripts|spreedly_sdk|benchmarks|examples|\.ci|\.github)"
                       r"/[\w./-]*[\w])")
    missing = []
    for source in GUIDES + SCRIPTS:
        for path in set(named.findall(_read(source))):
            if not (REPO / path).exists():
                missing.append(f"{source}: {path}")
    assert missing == []


def test_ci_runs_the_ci_script_on_every_supported_python_and_builds_the_docs() -> None:
    workflow = yaml.safe_load(_read(".github/workflows/ci.yml"))
    jobs = workflow["jobs"]
    checks = jobs["checks"]
    assert checks["strategy"]["matrix"]["python-version"] == _supported_pythons() == ["3.10", "3.11", "3.12", "3.13"]
    step = next(s for s in checks["steps"] if s.get("run") == "bash .ci/run")
    assert step["env"]["PYTHON"] == "python${{ matrix.python-version }}"
    assert 'PY="${PYTHON:-python3}"' in _read(".ci/run")  # the script honours PYTHON
    assert any("mkdocs build --strict" in s.get("run", "") for job in jobs.values() for s in job["steps"])
    nox_pythons = re.search(r"python=\[(.*?)\]", _read("noxfile.py"))
    assert nox_pythons and re.findall(r'"([\d.]+)"', nox_pythons[1]) == _supported_pythons()


def test_pre_commit_runs_the_linters_ci_runs() -> None:
    config = yaml.safe_load(_read(".pre-commit-config.yaml"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    ci = _read(".ci/run")
    assert "ruff check ." in ci and "ruff-check" in hooks and "--fix" not in " ".join(hooks["ruff-check"]["args"])
    assert "mypy --strict spreedly_sdk" in ci and hooks["mypy-strict"]["entry"] == "mypy --strict spreedly_sdk"
    assert hooks["mypy-strict"]["language"] == "system" and hooks["mypy-strict"]["pass_filenames"] is False


def test_the_sdist_carries_the_contributor_files() -> None:
    section = _read("pyproject.toml").split("[tool.hatch.build.targets.sdist]", 1)[1]
    include = re.findall(r'"([^"]+)"', re.search(r"include = \[(.*?)\]", section, re.S)[1])  # type: ignore[index]
    for path in ["CONTRIBUTING.md", ".github", ".pre-commit-config.yaml", ".ci", "noxfile.py", "scripts"]:
        assert path in include, path

