"""Shared test helpers: where the test documents live.

``FIXTURES`` is ``tests/fixtures``: documents we wrote from the facts on the service pages
(docs/service/), covering every quirk of the service's documents; they are always present.
Read one with :func:`fixture_bytes` (``"text/404-subscriber-not-found.txt"`` and
``"requests/credit.xml"`` name files in the sub-folders).

``SAMPLES`` is ``../shared/spreedly-api/samples`` next to the repository (read-only, not part
of the repo), an extra layer when present. Use the ``samples_dir`` fixture (or
:func:`sample_bytes`) so a test skips when the folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES: Path = REPO / "tests" / "fixtures"
SAMPLES: Path = (REPO / ".." / "shared" / "spreedly-api" / "samples").resolve()


def fixture_bytes(name: str) -> bytes:
    """One of our own fixtures, by its path under ``tests/fixtures`` (never skips)."""
    return (FIXTURES / name).read_bytes()


def sample_bytes(name: str) -> bytes:
    """One sample's bytes; skips the calling test when the samples folder is absent."""
    path = SAMPLES / name
    if not SAMPLES.is_dir():
        pytest.skip(f"samples folder absent ({SAMPLES})")
    return path.read_bytes()


@pytest.fixture
def samples_dir() -> Path:
    """The samples folder; skips the test when it is absent."""
    if not SAMPLES.is_dir():
        pytest.skip(f"samples folder absent ({SAMPLES})")
    return SAMPLES


def default_sigint() -> None:
    """``preexec_fn`` for a child that is stopped with SIGINT in a test: a suite started in the
    background inherits an ignored SIGINT, which Python would keep; give the child the default,
    as a terminal would."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
