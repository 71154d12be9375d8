"""Helpers for the projection tests: tampering with stored events, processes (syncing the
views: app_support.sync)."""

from __future__ import annotations

import json
from datetime import date
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


def small_process(app, world, rules: dict | None = None) -> dict[str, Any]:
    """A process with 2 workshops, 4 contributions, 3 proposals and a merge, in voting."""
    pid = world.process(rules or {"method": "approval", "max_choices": 2, "shortlist_size": 2})
    axis = app.add_axis(world.facilitator, pid, {"fr": "Cadre de vie"})
    world.advance(pid, "contributions")
    w1, w2 = world.workshop(pid), world.workshop(pid)
    residents = [world.resident(pid) for _ in range(4)]
    c1 = app.record_contribution(
        residents[0], w1, kind="idea", text="Un potager partagé", language="fr"
    )
    c2 = world.contribution(w1)
    c3 = world.contribution(w2)
    c4 = app.record_contribution(
        residents[1], w2, kind="concern", text="Trop de bruit", language="fr"
    )
    app.moderate_contribution(world.facilitator, c1, action="tag", axis_id=axis)
    app.moderate_contribution(world.facilitator, c4, action="hide", reason="Hors sujet ici")
    world.advance(pid, "proposals")

    def propose(title: str, sources: list) -> Any:
        return app.submit_proposal(
            world.facilitator, pid, title=title, body="Texte", language="fr", source_ids=sources
        )

    p1 = propose("Potager", [c1])
    p2 = propose("Bancs", [c2])
    p3 = propose("Jardin", [c3])
    app.moderate_proposal(world.facilitator, p3, action="merge", reason="Doublon", target_id=p1)
    world.advance(pid, "voting")
    receipts = [
        app.cast_ballot(residents[0], pid, [str(p1)]),
        app.cast_ballot(residents[1], pid, [str(p1), str(p2)]),
        app.cast_ballot(residents[2], pid, [str(p2)]),
    ]
    return {
        "pid": pid,
        "axis": axis,
        "workshops": [w1, w2],
        "contributions": [c1, c2, c3, c4],
        "proposals": [p1, p2, p3],
        "residents": residents,
        "receipts": receipts,
    }


def answer_recommendation(app, world, pid, proposal_ids) -> Any:
    """Draft a recommendation citing `proposal_ids`, submit it, answer it, report progress."""
    rid = app.draft_recommendation(
        world.facilitator,
        pid,
        title="Recommandation",
        text="Mettre en œuvre",
        language="fr",
        proposal_ids=list(proposal_ids),
    )
    world.advance(pid, "recommendations")
    app.submit_recommendation(world.facilitator, rid)
    app.answer_recommendation(
        world.institution, rid, status="accepted", justification="Budget prévu en 2027"
    )
    app.report_progress(world.institution, rid, percent=30, note="Début", on=date(2027, 2, 1))
    return rid
