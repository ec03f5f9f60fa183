"""The application's own copy of its subscribers, refreshed from the API after a notification."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime
from typing import Optional

from spreedly_sdk.webhooks import ChangedSubscribers


@dataclasses.dataclass(frozen=True)
class Access:
    """What the application needs to know about one customer."""

    active: bool
    feature_level: str
    active_until: Optional[datetime]


class SubscriberStore:
    """A thread-safe map of customer id to :class:`Access` (stands in for your database)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, Access] = {}
        self.refreshes = 0

    def refresh(self, changed: ChangedSubscribers) -> None:
        """Store what the API answered; forget customers the service no longer knows."""
        with self._lock:
            self.refreshes += 1
            for sub in changed:
                self._rows[sub.customer_id] = Access(active=bool(sub.active), feature_level=sub.feature_level or "",
                                                     active_until=sub.active_until)
            for customer_id in changed.missing:
                self._rows.pop(customer_id, None)

    def get(self, customer_id: str) -> Optional[Access]:
        with self._lock:
            return self._rows.get(customer_id)

    def __contains__(self, customer_id: object) -> bool:
        with self._lock:
            return customer_id in self._rows
