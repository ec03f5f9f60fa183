"""pytest plugin (entry point ``pytest11``): a fresh emulator and clients for each test.

Fixtures:

* ``spreedly_emulator`` — a new :class:`~spreedly_sdk.testing.Emulator` (default catalogue).
* ``spreedly_client`` — a :class:`~spreedly_sdk.Client` wired to it in-process, closed after.
* ``spreedly_async_client`` — an :class:`~spreedly_sdk.AsyncClient` wired to it, closed after
  (needs pytest-asyncio; without it the fixture is a plain one and is not closed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # loaded by the first fixture that needs them: the plugin loads with every pytest run
    from .._client import AsyncClient, Client
    from .emulator import Emulator

__all__ = ["spreedly_async_client", "spreedly_client", "spreedly_emulator"]


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
