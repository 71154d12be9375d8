"""Concurrent writers lose nothing; the demo's whole history replays to the same state."""

from __future__ import annotations

import sys
import threading
from typing import Any

from app_support import open_voisinage

from application import Voisinage
from application.demo import load_demo
from domain.process import Process


def test_simultaneous_changes_from_two_workers_are_all_kept(
    app, world, database_url, monkeypatch
) -> None:
    """Two application instances (two web workers) add 24 axes at once to one process:
    concurrent saves of the same version conflict in the store, the losing command is
    retried on the fresh state, and every axis is there at the end."""
    import application.base

    retries = []
    real_uniform = application.base.random.uniform
    monkeypatch.setattr(
        application.base.random,
        "uniform",
        lambda a, b: retries.append(1) or real_uniform(a, b),
    )
    pid = world.process()
    other = open_voisinage(database_url, app.secrets)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def add(worker: Voisinage, thread: int) -> None:
        try:
            start.wait()
            for i in range(3):
                worker.add_axis(world.facilitator, pid, {"fr": f"Axe {thread}-{i}"})
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=add, args=(app if t % 2 else other, t)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    assert not errors, errors
    names = {axis["fr"] for axis in app.process(pid).axes.values()}
    assert names == {f"Axe {t}-{i}" for t in range(8) for i in range(3)}
    print(f"\n[concurrency] axes=24, conflicts_retried={len(retries)}, lost=0")


def _replay(app: Voisinage) -> dict[Any, Any]:
    """Every aggregate rebuilt from the stored events alone, in notification order."""
    aggregates: dict[Any, Any] = {}
    last = 0
    while True:
        page = app.recorder.select_notifications(start=last, limit=500, inclusive_of_start=False)
        for notification in page:
            event = app.mapper.to_domain_event(notification)
            aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
        if len(page) < 500:
            return aggregates
        last = page[-1].id


def _state(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if not k.startswith("_pending")}


def test_the_demo_replays_from_its_events_to_the_same_state(app, database_url) -> None:
    demo = load_demo(app)
    replayed = _replay(app)
    fresh = open_voisinage(database_url, app.secrets)  # no cache, no memo
    try:
        assert len(replayed) > 150
        for aggregate_id, aggregate in replayed.items():
            stored = fresh.repository.get(aggregate_id)
            assert type(stored) is type(aggregate)
            assert _state(aggregate) == _state(stored), aggregate_id
    finally:
        fresh.close()
    process = replayed[demo.process_id]
    assert isinstance(process, Process)
    assert process.phase.value == "voting"
    assert len(process.axes) == 8

    def count(kind: str, pid: object) -> int:
        return sum(
            type(a).__name__ == kind and getattr(a, "process_id", None) == pid
            for a in replayed.values()
        )

    assert count("Workshop", demo.process_id) == 3 and count("Contribution", demo.process_id) == 40
    assert count("Proposal", demo.process_id) == 15 and count("Ballot", demo.process_id) == 60
    # the demo's other processes replay to their phases, the last one answered
    assert {p: replayed[d.process_id].phase.value for p, d in demo.processes.items()} == {
        p: p for p in ("contributions", "proposals", "voting", "recommendations")
    }
    others = demo.processes["recommendations"]
    assert count("Ballot", others.process_id) == len(others.residents) > 0
    answered, waiting = (replayed[r] for r in others.recommendation_ids)
    assert answered.answer == "accepted" and answered.progress == 40
    assert waiting.submitted and waiting.answer is None
    languages = {a.language for a in replayed.values() if type(a).__name__ == "Contribution"}
    assert {"fr", "nl"} <= languages
    ballots = app.counted_ballots(demo.process_id)
    assert len(ballots) == 60


def test_copies_are_never_taken_while_another_thread_fast_forwards(
    app, world, database_url
) -> None:
    """One thread copies the cached process again and again while another makes the
    same cache fast-forward it (a change saved by another worker): each copy is whole."""
    pid = world.process()
    other = open_voisinage(database_url, app.secrets)
    stop = threading.Event()
    errors: list[BaseException] = []

    def copy_again_and_again() -> None:
        try:
            while not stop.is_set():
                app.process(pid)
        except BaseException as error:
            errors.append(error)

    reader = threading.Thread(target=copy_again_and_again)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: make the race likely
    reader.start()
    try:
        for i in range(60):
            other.add_axis(world.facilitator, pid, {"fr": f"Axe {i}", "nl": f"As {i}"})
            app.process(pid, copy=False)  # fast-forwards the cached process in place
    finally:
        sys.setswitchinterval(switch)
        stop.set()
        reader.join()
        other.close()
    assert not errors, errors
    assert len(app.process(pid).axes) == 60
