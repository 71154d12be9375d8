"""Live results in batches: what is shown of a live tally changes only in steps.

The ranking projection follows the store within a second (a receipt checks as counted
at once), but what anyone is *shown* of the tally during the vote is a stored batch.
A new batch replaces the shown one only when at least ``results_batch_ballots`` distinct
ballots have changed (been cast, recast or withdrawn) and ``results_batch_minutes``
minutes have passed since it was taken, so that two readings never differ by a single
ballot. Distinct ballots, not changes: one resident recasting k - 1 times would
otherwise fill a batch with the next voter alone and read their choices off the
difference (found by an audit); it now takes k - 1 accomplices, each voting.

The batch lives in one table of the read-model database, shared by every worker: it is
replaced with a conditional update (``WHERE changes = <the batch read>``), so two
workers racing to publish never show two different batches one ballot apart.
Before the first batch, nothing of the tally is shown. Dropping the table only resets
what is shown (the next reading publishes a fresh batch under the same rules).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()
ranking_batches = sa.Table(
    "ranking_batches",
    metadata,
    sa.Column("process_id", sa.String(64), primary_key=True),
    sa.Column("changes", sa.BigInteger, nullable=False),
    sa.Column("taken_at", sa.Float, nullable=False),
    sa.Column("shown", sa.JSON, nullable=False),
)

DEFAULT_BALLOTS = 10
DEFAULT_MINUTES = 15


def batch_rules(rules: dict[str, Any]) -> tuple[int, float]:
    """(ballot changes, seconds) a new batch waits for, from a process's rules."""
    ballots = rules.get("results_batch_ballots", DEFAULT_BALLOTS)
    minutes = rules.get("results_batch_minutes", DEFAULT_MINUTES)
    return max(2, int(ballots)), max(0.0, float(minutes) * 60.0)


class ResultBatches:
    """The batch of live results shown for each process."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        metadata.create_all(engine, checkfirst=True)

    def _stored(self, process_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(ranking_batches).where(ranking_batches.c.process_id == process_id)
            ).first()
        return dict(row._mapping) if row is not None else None

    def shown(
        self,
        process_id: str,
        live: dict[str, Any],
        changes: int,
        rules: dict[str, Any],
        empty: Callable[[], dict[str, Any]],
        now: float | None = None,
        *,
        ballots_changed_since: Callable[[int], int],
    ) -> dict[str, Any]:
        """The batch to show, publishing `live` first if the rules allow it.

        `changes` counts the ballot changes behind `live`; `ballots_changed_since(n)`
        counts the distinct ballots changed after the n-th change; `empty()` is what
        is shown before the first batch.
        """
        now = time.time() if now is None else now
        k, seconds = batch_rules(rules)
        stored = self._stored(process_id)
        base, taken_at = (stored["changes"], stored["taken_at"]) if stored else (0, 0.0)
        if (
            changes - base >= k
            and now - taken_at >= seconds
            and ballots_changed_since(base) >= k
            and self._publish(process_id, stored, changes, now, live)
        ):
            stored = {"changes": changes, "taken_at": now, "shown": live}
        else:
            stored = self._stored(process_id) or stored
        if stored is None:
            shown, base, taken_at = empty(), 0, 0.0
        else:
            shown, base, taken_at = dict(stored["shown"]), stored["changes"], stored["taken_at"]
        shown["batch"] = {
            "published": stored is not None,
            "taken_at": _iso(taken_at) if stored is not None else None,
            "ballot_changes": base,
            "next_after_ballots": k,
            "next_not_before": _iso(taken_at + seconds) if stored is not None else None,
        }
        return shown

    def _publish(
        self,
        process_id: str,
        stored: dict[str, Any] | None,
        changes: int,
        now: float,
        live: dict[str, Any],
    ) -> bool:
        """Replace the batch if nobody else did since it was read."""
        values = {"changes": changes, "taken_at": now, "shown": live}
        try:
            with self.engine.begin() as connection:
                if stored is None:
                    connection.execute(
                        ranking_batches.insert().values(process_id=process_id, **values)
                    )
                    return True
                updated = connection.execute(
                    ranking_batches.update()
                    .where(
                        ranking_batches.c.process_id == process_id,
                        ranking_batches.c.changes == stored["changes"],
                    )
                    .values(**values)
                )
                return updated.rowcount == 1
        except sa.exc.IntegrityError:
            return False


def _iso(timestamp: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")
