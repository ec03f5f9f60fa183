"""Testing helpers: the Spreedly site emulator and its pytest plugin.

>>> from spreedly_sdk.testing import Emulator
>>> emu = Emulator()                       # a test site with four plans
>>> with emu.serve() as base_url:          # doctest: +SKIP
...     ...                                # Client(emu.token, emu.site_name, base_url=base_url)
"""

from ._choices import APPROVING_CARD, DECLINING_CARD, GATEWAY_UNAVAILABLE_CARD
from ._clock import Clock, add_period
from ._faults import Fault, RecordedRequest
from ._inprocess import EmulatorTransport
from ._lifecycle import set_card_on_file
from ._notify import NotificationAttempt, Notifier
from ._state import CardOnFile, SubscriberRecord, make_plan
from .emulator import DEFAULT_TOKEN, Emulator

__all__ = [
    "APPROVING_CARD",
    "DECLINING_CARD",
    "DEFAULT_TOKEN",
    "GATEWAY_UNAVAILABLE_CARD",
    "CardOnFile",
    "Clock",
    "Emulator",
    "EmulatorTransport",
    "Fault",
    "NotificationAttempt",
    "Notifier",
    "RecordedRequest",
    "SubscriberRecord",
    "add_period",
    "make_plan",
    "set_card_on_file",
]
