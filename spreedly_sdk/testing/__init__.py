"""Testing helpers: the Spreedly site emulator and its pytest plugin.

>>> from spreedly_sdk.testing import Emulator
>>> emu = Emulator()                       # a test site with four plans
>>> with emu.serve() as base_url:          # doctest: +SKIP
...     ...                                # Client(emu.token, emu.site_name, base_url=base_url)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from ._choices import APPROVING_CARD, DECLINING_CARD, GATEWAY_UNAVAILABLE_CARD
    from ._clock import Clock, add_period
    from ._faults import Fault, RecordedRequest
    from ._inprocess import EmulatorTransport
    from ._lifecycle import set_card_on_file
    from ._notify import NotificationAttempt, Notifier
    from ._paths import Route
    from ._routes import ROUTES
    from ._state import CardOnFile, SubscriberRecord, make_plan
    from .emulator import DEFAULT_TOKEN, Emulator

# Loaded on first access: the pytest plugin lives in this package and loads with every pytest
# run of a project that installs the SDK, so the emulator loads only when a test asks for it.
_LAZY: dict[str, str] = {
    **dict.fromkeys(("APPROVING_CARD", "DECLINING_CARD", "GATEWAY_UNAVAILABLE_CARD"), "._choices"),
    **dict.fromkeys(("Clock", "add_period"), "._clock"),
    **dict.fromkeys(("Fault", "RecordedRequest"), "._faults"),
    "EmulatorTransport": "._inprocess",
    "set_card_on_file": "._lifecycle",
    **dict.fromkeys(("NotificationAttempt", "Notifier"), "._notify"),
    "Route": "._paths",
    "ROUTES": "._routes",
    **dict.fromkeys(("CardOnFile", "SubscriberRecord", "make_plan"), "._state"),
    **dict.fromkeys(("DEFAULT_TOKEN", "Emulator"), ".emulator"),
}

__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)

__all__ = [
    "APPROVING_CARD",
    "DECLINING_CARD",
    "DEFAULT_TOKEN",
    "GATEWAY_UNAVAILABLE_CARD",
    "ROUTES",
    "CardOnFile",
    "Clock",
    "Emulator",
    "EmulatorTransport",
    "Fault",
    "NotificationAttempt",
    "Notifier",
    "RecordedRequest",
    "Route",
    "SubscriberRecord",
    "add_period",
    "make_plan",
    "set_card_on_file",
]
