"""The documentation site builds strictly and renders in a real browser.

The site is built once into a temporary folder with ``mkdocs build --strict`` (a broken link,
a missing page or a docstring mkdocstrings cannot render fails the build). The browser check
serves that folder on 127.0.0.1 and opens pages in headless Chromium (``--dump-dom``, so the
page's JavaScript has run), then asserts on the rendered text. Without a browser it skips;
``scripts/install-browser.sh`` installs Debian's ``chromium``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs")
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return out


def test_build_is_strict_and_complete(site: Path) -> None:
    for page in ("index.html", "quickstart/index.html", "migrating/index.html", "reference/clients/index.html",
                 "reference/models/index.html", "changelog/index.html", "resources/subscribers/index.html"):
        assert (site / page).is_file(), page
    models = (site / "reference/models/index.html").read_text()
    # field descriptions reach the API reference (docs/_griffe/rails_fields.py)
    assert "Your application&#39;s id (a string)." in models or "Your application's id (a string)." in models
    assert "End of the current period (UTC)." in models
    for page in (site / "reference").rglob("index.html"):  # Sphinx roles were turned into code
        assert ":class:`" not in page.read_text() and ":meth:`" not in page.read_text(), page
    subscribers = (site / "resources/subscribers/index.html").read_text()
    assert 'class="tabbed-set tabbed-alternate"' in subscribers


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium found: run scripts/install-browser.sh (Debian's chromium) to enable the browser check")


def _render(url: str, tmp_path: Path) -> str:
    browser = _browser()
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_home_page_renders(served: str, tmp_path: Path) -> None:
    dom = _render(served + "/", tmp_path)
    assert "spreedly-sdk" in dom
    assert "A typed Python client for the" in dom
    assert "Migrating from pyspreedly" in dom          # the navigation is there
    # Material's JavaScript ran: it adds copy buttons to code blocks, absent from the static HTML
    assert 'data-md-type="copy"' in dom


def test_api_reference_renders(served: str, tmp_path: Path) -> None:
    dom = _render(served + "/reference/clients/", tmp_path)
    assert "Blocking client for one Spreedly site." in dom
    assert "set_info" in dom and "with_options" in dom
    assert "doc-signature" in dom
    assert 'data-md-type="copy"' in dom
