"""The site the CLI tests talk to: a fresh emulator served on loopback, and the environment
(``SPREEDLY_TOKEN``, ``SPREEDLY_SITE``, ``SPREEDLY_BASE_URL``) a user would set for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spreedly_sdk.testing import Emulator


@pytest.fixture
def emu() -> Emulator:
    return Emulator()


@pytest.fixture
def env(emu: Emulator) -> Iterator[dict[str, str]]:
    with emu.serve() as base_url:
        yield {"SPREEDLY_TOKEN": emu.token, "SPREEDLY_SITE": emu.site_name, "SPREEDLY_BASE_URL": base_url}
