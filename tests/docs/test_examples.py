"""Every Python example in the docs runs, against the emulator, so the docs cannot rot.

Each page's ```python blocks (including those inside content tabs) run in order in one
namespace that starts with a fresh :class:`~spreedly_sdk.testing.Emulator` as ``emulator``, a
``client`` and an ``async_client`` wired to it. A block may use top-level ``await`` (it then
runs on the page's event loop) or ``asyncio.run``.

Markers, an HTML comment on the line before the fence:

* ``<!-- no-run: why -->`` — not run (needs a real site, or is someone else's code); kept few.
* ``<!-- pytest -->`` — a test module for users: run with pytest (the plugin's fixtures) and
  it must pass.
"""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spreedly_sdk.testing import Emulator

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w+-]*)[^\n]*$")
MARKER = re.compile(r"^\s*<!--\s*(?P<kind>no-run|pytest)\b(?P<why>[^>]*)-->\s*$")
MAX_NO_RUN = 6


@dataclasses.dataclass(frozen=True)
class Block:
    page: str
    line: int  # 1-based line of the first code line
    code: str
    marker: str | None
    reason: str


def extract(page: Path) -> list[Block]:
    """The ```python blocks of a page, dedented, with the marker that precedes each."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    previous = ""
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            if lines[i].strip():
                previous = lines[i]
            i += 1
            continue
        indent, lang = match["indent"], match["lang"]
        start = i + 1
        end = start
        while end < len(lines) and lines[end].rstrip() != indent + "```":
            end += 1
        if lang == "python":
            marker = MARKER.match(previous)
            code = textwrap.dedent("\n".join(lines[start:end]))
            blocks.append(Block(page.relative_to(DOCS).as_posix(), start + 1, code,
                                marker["kind"] if marker else None, marker["why"].strip(" :") if marker else ""))
        previous = ""
        i = end + 1
    return blocks


PAGES = sorted(p for p in DOCS.rglob("*.md") if any(b.marker != "no-run" for b in extract(p)))
ALL_BLOCKS = [b for p in sorted(DOCS.rglob("*.md")) for b in extract(p)]


def _compile(block: Block) -> object:
    # pad with newlines so tracebacks point at the line in the Markdown file
    source = "\n" * (block.line - 1) + block.code
    return compile(source, str(DOCS / block.page), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)


def test_the_docs_have_examples() -> None:
    runnable = [b for b in ALL_BLOCKS if b.marker is None]
    assert len(runnable) >= 40
    assert {"index.md", "quickstart.md", "resources/subscribers.md", "migrating.md"} <= {b.page for b in runnable}


def test_few_blocks_are_skipped_and_each_says_why() -> None:
    skipped = [b for b in ALL_BLOCKS if b.marker == "no-run"]
    assert len(skipped) <= MAX_NO_RUN, [f"{b.page}:{b.line}" for b in skipped]
    assert all(b.reason for b in skipped), [f"{b.page}:{b.line}" for b in skipped if not b.reason]


def test_every_example_compiles() -> None:
    for block in ALL_BLOCKS:
        if block.marker == "no-run" and "Python 2" in block.reason:
            continue
        _compile(block)


def _run_as_pytest(block: Block, tmp_path: Path) -> None:
    """Run a test module from the docs in a separate pytest (the plugin loads by entry point)."""
    test_file = tmp_path / f"test_doc_{Path(block.page).stem}_{block.line}.py"
    test_file.write_text(block.code, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W",
                           "error::pytest.PytestUnraisableExceptionWarning", str(test_file)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
    assert proc.returncode == 0 and " passed" in summary and "failed" not in summary, (
        f"{block.page}:{block.line}\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_examples_run(page: Path, tmp_path: Path) -> None:
    emulator = Emulator()
    client = emulator.client()
    async_client = emulator.async_client()
    namespace: dict[str, object] = {"__name__": "__docs__", "emulator": emulator, "client": client,
                                    "async_client": async_client}
    loop = asyncio.new_event_loop()
    try:
        for block in extract(page):
            if block.marker == "no-run":
                continue
            if block.marker == "pytest":
                _run_as_pytest(block, tmp_path)
                continue
            code = _compile(block)
            if inspect.CO_COROUTINE & code.co_flags:  # type: ignore[attr-defined]
                loop.run_until_complete(eval(code, namespace))  # noqa: S307 - our own docs
            else:
                exec(code, namespace)  # noqa: S102 - our own docs
    finally:
        client.close()
        loop.run_until_complete(async_client.aclose())
        loop.close()
