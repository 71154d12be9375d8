"""Read your writes and the projections' health: positions, status, waiting."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from projections.queries.base import QueryBase
from projections.runner import PROJECTIONS
from projections.tables import (
    projection_failures,
)
from projections.view import UPSTREAM


class HealthQueries(QueryBase):
    """Read your writes and the projections' health: positions, status, waiting."""

    # --- read your writes -------------------------------------------------------------------------

    def positions(self, *, including_failed: bool = False) -> dict[str, int]:
        """The last notification id each projection processed (by default only the
        projections that are not stopped at an event they cannot apply)."""
        result = {}
        with self.engine.connect() as connection:
            failed = set(connection.execute(sa.select(projection_failures.c.name)).scalars())
            for name, table in zip(PROJECTIONS, self._tracking, strict=True):
                if name in failed and not including_failed:
                    continue
                value = connection.execute(
                    sa.select(table.c.notification_id).where(table.c.application_name == UPSTREAM)
                ).scalar()
                result[name] = int(value or 0)
        return result

    def status(self, head: int) -> list[dict[str, Any]]:
        """Each projection's position, lag behind `head` (the store's newest position)
        and, if it stopped, the position it cannot apply and the error."""
        positions = self.positions(including_failed=True)
        with self.engine.connect() as connection:
            failures = {
                row["name"]: row
                for row in connection.execute(sa.select(projection_failures)).mappings()
            }
        result = []
        for name, position in positions.items():
            failure = failures.get(name)
            result.append(
                {
                    "name": name,
                    "position": position,
                    "lag": max(0, head - position),
                    "state": "stopped"
                    if failure
                    else ("following" if position >= head else "behind"),
                    "failed_position": int(failure["position"]) if failure else None,
                    "error": failure["error"] if failure else None,
                    "failed_at": failure["failed_at"] if failure else None,
                }
            )
        return result

    def wait_for(self, position: int | None, timeout: float = 2.0) -> bool:
        """Block until every projection has processed notification `position` (True),
        or until `timeout` seconds have passed (False)."""
        if not position:
            return True
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            if min(self.positions().values(), default=position) >= position:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.05)
