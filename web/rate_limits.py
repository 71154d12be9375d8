"""Brakes on guessing, shared by every worker and shaped for workshops.

Failures are rows of one table of the read-model database (``rate_limit_failures``),
so two workers (or two machines) count together. Each failure is kept under a keyed
digest of (kind, client address, target), never the address in clear.

* **Staff sign-in** (``LOGIN_PATHS``): failures are counted per (address, e-mail).
  After ``LOGIN_FAILURE_LIMIT`` (20) within ``LOGIN_FAILURE_WINDOW`` (300 s), that
  e-mail is refused from that address (429) before the password is checked. A colleague
  on the same Wi-Fi who mistypes *their* password never locks anyone else out.
* **Joining** with an invitation code: failures are counted per (address, process),
  in a budget of their own. A valid code is never refused: past ``JOIN_FAILURE_LIMIT``
  (20) a wrong code gets 429 (slow down) instead of 422, but every code is still
  checked, so a resident with the right card gets in while their neighbour mistypes.
  Only past ``JOIN_HARD_LIMIT`` (500 in the window, far beyond any workshop and still
  nothing against ~60-bit codes) is the address refused before checking.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque

import sqlalchemy as sa

metadata = sa.MetaData()
rate_limit_failures = sa.Table(
    "rate_limit_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Index("rate_limit_failures_by_key", "key", "at"),
)

#: Failures are forgotten after this long whatever the window.
KEEP_SECONDS = 24 * 3600


class SharedThrottle:
    """Failed attempts per key in a sliding window, in one SQL table."""

    def __init__(self, engine: sa.Engine, secret: str) -> None:
        self.engine = engine
        self._secret = secret.encode()[:64]
        metadata.create_all(engine, checkfirst=True)
        self._inserts = 0

    def key(self, kind: str, address: str, target: str) -> str:
        """The stored key of a (kind, address, target): keyed, so not reversible."""
        message = f"{kind}\x00{address}\x00{target}".encode()
        return hashlib.blake2b(message, key=self._secret, digest_size=32).hexdigest()

    def _window(self, key: str, window: float, now: float) -> tuple[int, float | None]:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(sa.func.count(), sa.func.min(rate_limit_failures.c.at)).where(
                    rate_limit_failures.c.key == key, rate_limit_failures.c.at > now - window
                )
            ).one()
        return int(row[0] or 0), (float(row[1]) if row[1] is not None else None)

    def failures(self, key: str, window: float) -> int:
        """Failures under `key` within the last `window` seconds."""
        return self._window(key, window, time.time())[0]

    def blocked(self, key: str, limit: int, window: float) -> float:
        """Seconds to wait before trying again (0: not blocked)."""
        now = time.time()
        count, oldest = self._window(key, window, now)
        if count < limit or oldest is None:
            return 0.0
        return max(1.0, oldest + window - now)

    def failed(self, key: str, window: float) -> None:
        """Record one failure."""
        now = time.time()
        with self.engine.begin() as connection:
            connection.execute(rate_limit_failures.insert().values(key=key, at=now))
        self._inserts += 1
        if self._inserts % 1000 == 1:
            with self.engine.begin() as connection:
                connection.execute(
                    rate_limit_failures.delete().where(
                        rate_limit_failures.c.at < now - max(window, KEEP_SECONDS)
                    )
                )


class LocalThrottle:
    """The same brake in memory, for an app without a read-model database (tests)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def key(self, kind: str, address: str, target: str) -> str:
        """The key of a (kind, address, target)."""
        return f"{kind}\x00{address}\x00{target}"

    def _recent(self, key: str, window: float, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] < now - window:
            failures.popleft()
        return failures

    def failures(self, key: str, window: float) -> int:
        """Failures under `key` within the last `window` seconds."""
        with self._lock:
            return len(self._recent(key, window, time.monotonic()))

    def blocked(self, key: str, limit: int, window: float) -> float:
        """Seconds to wait before trying again (0: not blocked)."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(key, window, now)
            if len(failures) < limit:
                return 0.0
            return max(1.0, failures[0] + window - now)

    def failed(self, key: str, window: float) -> None:
        """Record one failure."""
        now = time.monotonic()
        with self._lock:
            self._recent(key, window, now).append(now)
            if len(self._failures) > 10_000:
                for stale in [k for k, v in self._failures.items() if not v][:5_000]:
                    del self._failures[stale]
