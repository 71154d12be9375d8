"""A rebuild in several worker processes ends with the same views as one in-process."""

from __future__ import annotations

import pytest
from app_support import sync
from click.testing import CliRunner

from projections.rebuild_workers import (
    REBUILD_WEIGHTS,
    balance,
    rebuild_in_parallel,
    worker_groups,
)
from projections.runner import PROJECTIONS, open_projections, rebuild


def _dumps(engine):
    return {name: p.view.dump() for name, p in open_projections(engine).items()}


def test_the_groups_are_balanced_and_cover_every_projection_once():
    names = list(PROJECTIONS)
    assert set(REBUILD_WEIGHTS) == set(names)
    for workers in (1, 2, 3, 8):
        groups = balance(names, workers)
        assert sorted(n for group in groups for n in group) == sorted(names)
        assert len(groups) == min(workers, len(names))
    # the two heaviest never share a worker when there are two
    two = balance(names, 2)
    assert not any({"audit_chain", "ranking"} <= set(group) for group in two)


def test_two_workers_rebuild_the_same_views_as_one(app, world, storage, views):
    made = world.small_process()
    app.publish_shortlist(world.facilitator, made["pid"])
    rebuild(storage, engine=views.engine, batch_size=7)
    expected = _dumps(views.engine)
    assert all(expected.values())
    seen: list[tuple[int, int]] = []
    last = rebuild_in_parallel(
        storage,
        workers=2,
        batch_size=7,
        progress=lambda at, head: seen.append((at, head)),
        min_events=0,
    )
    assert last == app.head_position()
    assert _dumps(views.engine) == expected
    assert not any(p.view.is_rebuilding() for p in open_projections(views.engine).values())
    assert seen and seen[-1][0] == last and all(at <= head for at, head in seen)


def test_a_short_log_is_rebuilt_in_one_process(app, world, storage):
    world.small_process()
    assert worker_groups(storage, None, 2, min_events=app.head_position() + 1) == [
        list(PROJECTIONS)
    ]
    assert len(worker_groups(storage, None, 2, min_events=app.head_position())) == 2
    assert len(worker_groups(storage, None, 1, min_events=0)) == 1


def test_an_unknown_projection_is_refused_before_any_worker_starts(app, world, storage, views):
    world.small_process()
    sync(storage, views)
    before = _dumps(views.engine)
    with pytest.raises(KeyError, match="unknown projection nonsense"):
        rebuild_in_parallel(storage, ["ranking", "nonsense"], workers=2)
    assert _dumps(views.engine) == before


def test_the_command_line_rebuilds_with_workers(
    app, world, storage, views, monkeypatch, database_url
):
    world.small_process()
    sync(storage, views)
    before = _dumps(views.engine)
    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["projections", "rebuild", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "1 worker)" in result.output  # a short log stays in one process
    assert _dumps(views.engine) == before
    monkeypatch.setattr("projections.rebuild_workers.PARALLEL_FROM", 0)
    result = CliRunner().invoke(main, ["projections", "rebuild", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "2 workers)" in result.output
    assert _dumps(views.engine) == before
    result = CliRunner().invoke(main, ["projections", "rebuild", "--workers", "0"])
    assert result.exit_code == 2
