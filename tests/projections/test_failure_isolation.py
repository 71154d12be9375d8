"""Events the projections cannot apply stop one projection alone, never every view.

* A contribution whose text holds NUL or a lone surrogate, stored before the text rules
  refused them (written here straight into the store, as an old SQLite store may hold
  it), is applied safely: the views show U+FFFD and every projection follows the store.
* An event that one projection cannot apply stops that projection at its position; the
  failure is logged once, shown by `Views.status`, `voisinage projections status` and
  `GET /api/v1/status`; the other projections go on following the store.
"""

from __future__ import annotations

import json
import logging
import time

from app_support import sync
from click.testing import CliRunner

from projections.service import ProjectionService
from projections.trail import TrailProjection


def _contribution_with_raw_text(app, world, events, raw_text: str):
    pid = world.process()
    world.advance(pid, "contributions")
    workshop = world.workshop(pid)
    cid = world.contribution(workshop)
    row = events.first("Contribution.Recorded")
    state = events.state(row["position"]).replace(
        b'"Des bancs dans la cour"', json.dumps(raw_text).encode()
    )
    events.set_state(row["position"], state)
    return cid


def test_old_events_with_nul_or_lone_surrogates_are_applied_safely(
    app, world, storage, views, events
):
    cid = _contribution_with_raw_text(app, world, events, "abc \u0000 def \ud800 ghi")
    # the raw JSON now holds the escapes \u0000 and \ud800, as a permissive API stored them
    assert b"\\u0000" in events.state(events.first("Contribution.Recorded")["position"])
    assert sync(storage, views) == app.head_position()
    shown = views.contribution(cid)
    assert shown is not None and shown["text"] == "abc \ufffd def \ufffd ghi"
    assert all(row["state"] == "following" for row in views.status(app.head_position()))


def test_a_projection_that_cannot_apply_an_event_stops_alone(
    app, world, storage, views, monkeypatch, caplog
):
    pid = world.process()
    world.advance(pid, "contributions")
    workshop = world.workshop(pid)
    poison = world.contribution(workshop)
    poison_position = app.last_position()
    original = TrailProjection._handlers["Contribution.Recorded"]

    def refuse(self, unit, event, position):
        if event.originator_id == poison:
            raise ValueError("this projection cannot apply this contribution")
        return original(self, unit, event, position)

    monkeypatch.setitem(TrailProjection._handlers, "Contribution.Recorded", refuse)
    service = ProjectionService(storage, poll=0.01)
    caplog.set_level(logging.ERROR, logger="projections.runner")
    service.start()
    try:
        assert service.wait_started(30)
        # the store goes on: a new contribution after the poison reaches the others
        later = world.contribution(workshop)
        assert views.wait_for(app.last_position(), timeout=5)
        time.sleep(0.3)  # several polls: the failure must not be logged again
        assert views.contribution(later) is not None
        assert set(service.failed) == {"trail"}
        assert service.failed["trail"].position == poison_position
        status = {row["name"]: row for row in views.status(app.head_position())}
        assert status["trail"]["state"] == "stopped"
        assert status["trail"]["failed_position"] == poison_position
        assert "cannot apply this contribution" in status["trail"]["error"]
        assert status["trail"]["position"] == poison_position - 1
        for name in ("participation", "ranking", "audit_chain"):
            assert status[name]["state"] == "following", status[name]
            assert status[name]["lag"] == 0
    finally:
        service.stop()
    logged = [r for r in caplog.records if "stopped at position" in r.getMessage()]
    assert len(logged) == 1, [r.getMessage() for r in logged]

    # the command line says the same, and exits 1 while a projection is stopped
    from web.cli import main

    result = CliRunner().invoke(
        main, ["projections", "status"], env={"DATABASE_URL": _database_url(storage)}
    )
    assert result.exit_code == 1, result.output
    assert "trail" in result.output and "stopped" in result.output
    assert str(poison_position) in result.output

    # once mended (here: the handler restored) a rebuild of that projection clears it
    monkeypatch.setitem(TrailProjection._handlers, "Contribution.Recorded", original)
    result = CliRunner().invoke(
        main, ["projections", "rebuild", "trail"], env={"DATABASE_URL": _database_url(storage)}
    )
    assert result.exit_code == 0, result.output
    assert all(row["state"] == "following" for row in views.status(app.head_position()))


def _database_url(storage) -> str:
    if storage.kind == "sqlite":
        return "sqlite:///" + storage.event_store_env["SQLITE_DBNAME"]
    return storage.views_url.replace("postgresql+psycopg://", "postgresql://") + (
        f"?schema={storage.schema}" if storage.schema else ""
    )
