"""What every group of queries shares: the views' engine and row helpers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from infrastructure.storage import Storage
from projections.runner import PROJECTIONS
from projections.tables import proposals, ranking_ballots
from projections.view import create_tables, create_views_engine, tracking_table_of

Ident = UUID | str


def _id(value: Ident | None) -> str:
    return str(value) if value is not None else ""


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class QueryBase:
    """The engine of the read models and the row helpers the queries use."""

    def __init__(self, storage: Storage, engine: sa.Engine | None = None) -> None:
        self.storage = storage
        self.engine = engine or create_views_engine(storage.views_url, storage.schema)
        create_tables(self.engine)
        self._tracking = [tracking_table_of(name) for name in PROJECTIONS]

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def _rows(self, query: sa.Select[Any]) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    def _row(self, query: sa.Select[Any]) -> dict[str, Any] | None:
        rows = self._rows(query.limit(1))
        return rows[0] if rows else None

    def _titles(self, proposal_ids: Iterable[str]) -> dict[str, str]:
        ids = list(proposal_ids)
        if not ids:
            return {}
        query = sa.select(proposals.c.proposal_id, proposals.c.title).where(
            proposals.c.proposal_id.in_(ids)
        )
        return {row["proposal_id"]: row["title"] for row in self._rows(query)}

    def _process_titles(self, process_id: str) -> dict[str, str]:
        """Every proposal title of a process, memoised per proposals version (titles do
        not change while ballots pour in, and the ranking needs all of them)."""
        version = self.proposals_version(process_id)
        memo: dict[str, tuple[tuple[int, int], dict[str, str]]] = self.__dict__.setdefault(
            "_titles_memo", {}
        )
        found = memo.get(process_id)
        if found is None or found[0] != version:
            query = sa.select(proposals.c.proposal_id, proposals.c.title).where(
                proposals.c.process_id == process_id
            )
            if len(memo) > 64:
                memo.clear()
            found = memo[process_id] = (
                version,
                {row["proposal_id"]: row["title"] for row in self._rows(query)},
            )
        return found[1]

    def _ballots_counted(self, process_id: str, counter: dict[str, Any] | None) -> int:
        """Counted ballots: the projection's counter row, else (a store projected
        before the counter existed) a COUNT over the ballots."""
        if counter is not None:
            return int(counter["ballots"])
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(ranking_ballots)
                    .where(
                        ranking_ballots.c.process_id == process_id,
                        ranking_ballots.c.receipt.is_not(None),
                    )
                ).scalar()
                or 0
            )

    def proposals_version(self, pid: Ident) -> tuple[int, int]:
        """(number, newest position) of a process's proposal rows: it changes whenever a
        proposal of the process does, so it keys a cache of the list."""
        query = sa.select(sa.func.count(), sa.func.max(proposals.c.position)).where(
            proposals.c.process_id == _id(pid)
        )
        with self.engine.connect() as connection:
            number, newest = connection.execute(query).one()
        return int(number or 0), int(newest or 0)
