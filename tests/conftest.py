"""Shared test helpers: where the real service's sample documents live.

``SAMPLES`` is ``../shared/spreedly-api/samples`` next to the repository (read-only, not part
of the repo). Use the ``samples_dir`` fixture (or :func:`sample_bytes`) so a test skips when
the folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES: Path = (REPO / ".." / "shared" / "spreedly-api" / "samples").resolve()


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
