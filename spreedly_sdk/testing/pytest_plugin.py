"""pytest plugin (entry point ``pytest11``): a fresh emulator and clients for each test.

Fixtures:

* ``spreedly_emulator`` — a new :class:`~spreedly_sdk.testing.Emulator` (default catalogue).
* ``spreedly_client`` — a :class:`~spreedly_sdk.Client` wired to it in-process, closed after.
* ``spreedly_async_client`` — an :class:`~spreedly_sdk.AsyncClient` wired to it, closed after
  (needs pytest-asyncio; without it the fixture is a plain one and is not closed).

pytest-asyncio (0.24 and later) warns at start-up, in every project that has not set
``asyncio_default_fixture_loop_scope``, that the default loop scope of async fixtures will
change. The async fixture here is function-scoped and runs on the test's own loop whatever
that setting says, so installing the SDK must not bring that warning into your test runs:
the plugin silences that one message when the option is unset, and changes no setting. Set
the option in your own configuration to choose the loop scope of *your* async fixtures (and
see pytest-asyncio's reminder again).
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # loaded by the first fixture that needs them: the plugin loads with every pytest run
    from .._client import AsyncClient, Client
    from .emulator import Emulator

__all__ = ["pytest_configure", "spreedly_async_client", "spreedly_client", "spreedly_emulator"]

LOOP_SCOPE_OPTION = "asyncio_default_fixture_loop_scope"
LOOP_SCOPE_UNSET_MESSAGE = f'The configuration option "{LOOP_SCOPE_OPTION}" is unset'


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Silence pytest-asyncio's "loop scope is unset" reminder when the project left it unset.

    Runs before pytest-asyncio's own ``pytest_configure`` (which emits the warning) and inside
    the warnings context pytest keeps open for the configuration phase, so the filter covers
    exactly that phase. Nothing is configured on the project's behalf.
    """
    try:
        unset = not config.getini(LOOP_SCOPE_OPTION)
    except ValueError:  # pytest-asyncio absent, or a version without the option: nothing to silence
        return
    if unset:
        warnings.filterwarnings("ignore", message=LOOP_SCOPE_UNSET_MESSAGE, category=pytest.PytestDeprecationWarning)


@pytest.fixture
def spreedly_emulator() -> Emulator:
    """A fresh emulated test site."""
    from .emulator import Emulator

    return Emulator()


@pytest.fixture
def spreedly_client(spreedly_emulator: Emulator) -> Iterator[Client]:
    """A blocking client on the emulator (in-process)."""
    client = spreedly_emulator.client()
    try:
        yield client
    finally:
        client.close()


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - pytest-asyncio is a dev dependency

    @pytest.fixture
    def spreedly_async_client(spreedly_emulator: Emulator) -> AsyncClient:
        """An asynchronous client on the emulator (in-process)."""
        return spreedly_emulator.async_client()

else:

    @pytest_asyncio.fixture
    async def spreedly_async_client(  # type: ignore[misc]
        spreedly_emulator: Emulator,
    ) -> AsyncIterator[AsyncClient]:
        """An asynchronous client on the emulator (in-process)."""
        client = spreedly_emulator.async_client()
        try:
            yield client
        finally:
            await client.aclose()
