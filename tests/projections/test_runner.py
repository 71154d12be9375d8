"""Following the store live, exactly-once processing, resumable rebuilds."""

from __future__ import annotations

import time

import pytest
from app_support import sync
from click.testing import CliRunner
from eventsourcing.persistence import Tracking
from sqlalchemy import event as sa_event

from projections.events import EventLog
from projections.runner import PROJECTIONS, open_projections, rebuild
from projections.service import ProjectionService
from projections.view import create_views_engine


def test_the_service_follows_new_events_within_a_second(app, world, storage, views):
    pid = world.process()
    service = ProjectionService(storage).start()
    try:
        assert service.wait_started(30)
        assert views.wait_for(app.last_position(), timeout=5)
        world.advance(pid, "contributions")
        workshop = world.workshop(pid)
        started = time.monotonic()
        contribution = world.contribution(workshop)
        assert views.wait_for(app.last_position(), timeout=1.0)
        assert time.monotonic() - started < 1.0
        assert views.contribution(contribution)["text"] == "Des bancs dans la cour"
        assert views.chain_head()["position"] == app.head_position()
        assert not service.errors
    finally:
        service.stop()
    assert not service.running


def test_wait_for_times_out_without_a_service(app, world, views):
    world.process()
    assert not views.wait_for(app.last_position(), timeout=0.05)
    assert views.wait_for(None) and views.wait_for(0)


def test_events_are_processed_exactly_once(app, world, storage, views):
    world.small_process()
    engine = views.engine
    sync(storage, views)
    once = {name: p.view.dump() for name, p in open_projections(engine).items()}
    # a second pass, and a runner-style replay of every event, change nothing
    assert sync(storage, views) == app.head_position()
    log = EventLog.open(storage)
    try:
        projections = open_projections(engine)
        for page in log.notifications():
            for notification in page:
                for projection in projections.values():
                    event = (
                        notification if projection.raw else log.mapper.to_domain_event(notification)
                    )
                    projection.process_event(event, Tracking("Voisinage", notification.id))
    finally:
        log.close()
    twice = {name: p.view.dump() for name, p in open_projections(engine).items()}
    assert twice == once
    assert len(twice["audit_chain"]["audit_chain"]) == sum(
        map(len, EventLog.open(storage).notifications())
    )


def _dumps(engine):
    return {name: p.view.dump() for name, p in open_projections(engine).items()}


class Crash(Exception):
    pass


def test_an_interrupted_rebuild_resumes_and_ends_identical_to_a_clean_one(
    app, world, storage, views, tmp_path
):
    made = world.small_process()
    app.publish_shortlist(world.facilitator, made["pid"])
    clean = create_views_engine(f"sqlite:///{tmp_path}/clean.sqlite", None)
    rebuild(storage, engine=clean, batch_size=7)
    expected = _dumps(clean)

    seen = []

    def crash_half_way(position: int, head: int) -> None:
        seen.append(position)
        if position > head // 2:
            raise Crash

    sync(storage, views)  # the live views were complete before the rebuild started
    with pytest.raises(Crash):
        rebuild(storage, batch_size=7, progress=crash_half_way)
    projections = open_projections(views.engine)
    assert all(p.view.is_rebuilding() for p in projections.values())
    assert 0 < projections["audit_chain"].view.position() < app.head_position()
    resumed_from = projections["participation"].view.position()
    positions = []
    rebuild(storage, batch_size=7, progress=lambda position, head: positions.append(position))
    assert positions[0] == resumed_from  # resumed, not restarted
    assert _dumps(views.engine) == expected
    assert not any(p.view.is_rebuilding() for p in projections.values())
    clean.dispose()


def _reads_a_view_row(statement: str) -> bool:
    """A SELECT of a projection's rows (not of its tracking position nor the store id)."""
    text = statement.lstrip().upper()
    return text.startswith("SELECT") and "_TRACKING" not in text and "VIEWS_STORE" not in text


def test_a_rebuild_whose_rows_outgrow_the_cache_ends_identical(
    app, world, storage, views, tmp_path
):
    """At city scale the rows of a rebuild outgrow its cache: they are evicted between
    pages, the stored keys kept, and the views end as with a cache that never fills."""
    made = world.small_process()
    app.publish_shortlist(world.facilitator, made["pid"])
    roomy = create_views_engine(f"sqlite:///{tmp_path}/roomy.sqlite", None)
    tight = create_views_engine(f"sqlite:///{tmp_path}/tight.sqlite", None)
    reads: dict[str, list[str]] = {"roomy": [], "tight": []}
    for name, engine in (("roomy", roomy), ("tight", tight)):
        sa_event.listen(
            engine,
            "before_cursor_execute",
            lambda *a, name=name: reads[name].append(a[2]) if _reads_a_view_row(a[2]) else None,
        )
    rebuild(storage, engine=roomy, batch_size=5)
    rebuild(storage, engine=tight, batch_size=5, cache_limit=2)
    assert _dumps(tight) == _dumps(roomy)
    # the tight rebuild did evict rows and read them back by key
    evicted = [s for s in reads["tight"] if s not in reads["roomy"]]
    assert len(reads["tight"]) > len(reads["roomy"]) and evicted
    roomy.dispose()
    tight.dispose()


def test_rebuild_one_projection_from_the_command_line(
    app, world, storage, views, monkeypatch, database_url
):
    world.small_process()
    sync(storage, views)
    before = _dumps(views.engine)
    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["projections", "rebuild", "ranking", "--batch-size", "10"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt ranking up to position" in result.output
    assert _dumps(views.engine) == before
    result = CliRunner().invoke(main, ["projections", "rebuild", "nonsense"])
    assert result.exit_code == 2
    assert set(PROJECTIONS) == {"participation", "ranking", "trail", "audit_chain", "merkle"}
