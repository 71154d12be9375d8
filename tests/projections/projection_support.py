"""Raw access to the stored events for the projection tests, as an attacker with database
access has (processes: tests/builders.py; syncing the views: app_support.sync)."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from infrastructure.storage import Storage
from projections.view import create_views_engine


class EventTable:
    """Direct access to the stored events, as an attacker with database access has."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        if storage.kind == "sqlite":
            path = storage.event_store_env["SQLITE_DBNAME"]
            self.engine = sa.create_engine(f"sqlite:///{path}")
            self.table, self.id = "stored_events", "rowid"
        else:
            self.engine = create_views_engine(storage.views_url, storage.schema)
            schema = storage.schema or "public"
            self.table, self.id = f'"{schema}".voisinage_events', "notification_id"

    def rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            result = connection.execute(
                sa.text(
                    f"SELECT {self.id} AS position, originator_id, originator_version, topic, "
                    f"state FROM {self.table} ORDER BY {self.id}"
                )
            )
            return [dict(row._mapping) for row in result]

    def first(self, topic_suffix: str, nth: int = 0) -> dict[str, Any]:
        matching = [row for row in self.rows() if row["topic"].endswith(topic_suffix)]
        return matching[nth]

    def set_state(self, position: int, state: bytes) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                sa.text(f"UPDATE {self.table} SET state = :state WHERE {self.id} = :position"),
                {"state": state, "position": position},
            )

    def delete(self, position: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                sa.text(f"DELETE FROM {self.table} WHERE {self.id} = :position"),
                {"position": position},
            )

    def state(self, position: int) -> bytes:
        return bytes(next(r["state"] for r in self.rows() if r["position"] == position))

    def edit_json(self, position: int, change: Any) -> None:
        data = json.loads(self.state(position))
        change(data)
        self.set_state(position, json.dumps(data, separators=(",", ":")).encode())
