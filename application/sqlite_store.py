"""A SQLite application recorder that supports subscriptions by polling.

The library's SQLite recorder cannot `subscribe()` (SQLite has no LISTEN/NOTIFY),
and the library's projection runner needs it. This subscription reuses the
library's pulling logic and wakes it up: at once after a write through any
recorder of this process, and every `POLL_INTERVAL` seconds for other processes'
writes.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import (
    ApplicationRecorder,
    ListenNotifySubscription,
    StoredEvent,
    Subscription,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder

POLL_INTERVAL = 0.2

_live_subscriptions: weakref.WeakSet[PollingSubscription] = weakref.WeakSet()
_live_lock = threading.Lock()


def wake_subscriptions() -> None:
    """Wake every subscription of this process: new events may be there."""
    with _live_lock:
        subscriptions = list(_live_subscriptions)
    for subscription in subscriptions:
        subscription.wake()


class PollingSubscription(ListenNotifySubscription[ApplicationRecorder]):
    """The library's pulling subscription, woken by local writes and a timer."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        gt: int | None = None,
        topics: Sequence[str] = (),
        interval: float = POLL_INTERVAL,
    ) -> None:
        self._interval = interval
        self._stopping = threading.Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        with _live_lock:
            _live_subscriptions.add(self)
        self._timer = threading.Thread(target=self._tick, name="sqlite-poll", daemon=True)
        self._timer.start()

    def wake(self) -> None:
        """Ask the pulling thread to look for new notifications."""
        self._has_been_notified.set()

    def _tick(self) -> None:
        while not self._stopping.wait(self._interval):
            self.wake()

    def stop(self) -> None:
        """Stop pulling and polling."""
        self._stopping.set()
        super().stop()


class PollingSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """SQLite application recorder whose `subscribe()` polls (see module docs)."""

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Insert, then wake this process's subscriptions."""
        result = super().insert_events(stored_events, **kwargs)
        wake_subscriptions()
        return result

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        """Follow the notification log after `gt`."""
        return PollingSubscription(recorder=self, gt=gt, topics=topics)
