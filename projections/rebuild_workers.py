"""Rebuilding the projections in several worker processes at once.

A rebuild is CPU-bound Python (decoding events, hashing the chain and the tree,
counting ballots) and the projections are independent: each has its own tables and
its own tracked position, so one process per group of projections can run them side
by side. Every worker reads the log itself. On SQLite the workers still take turns
to write (one writer at a time): at 1,000,000 events on two idle cores two workers
took 42.4-42.8 s against 44.2-48.0 s in one process (benchmarks/RESULTS.md,
2026-12-04 20:10). PostgreSQL has no such single writer.

The groups are balanced by `REBUILD_WEIGHTS`, the relative cost of each projection
measured on a city-sized store (the audit chain writes one row per event; the ranking
counts every ballot; the tree hashes every event but writes one row per 256).

Each worker runs `projections.runner.rebuild` on its group, so everything that holds
for a rebuild holds here: only the projections' own tables are emptied, and an
interrupted rebuild resumes where each projection stopped.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from typing import Any

from infrastructure.schema_lock import creating_tables
from infrastructure.storage import Storage
from projections.events import EventLog
from projections.runner import BATCH_SIZE, Progress, open_projections, rebuild, select
from projections.store_of_views import adopt_store
from projections.view import CACHE_LIMIT, create_views_engine

#: Relative rebuild cost per projection: its own CPU seconds at 1,000,000 events
#: (rebuilt alone, minus the read of the log: about 6 s raw, 11.5 s decoded, which
#: every worker pays once); a projection missing here counts as 1.
REBUILD_WEIGHTS: dict[str, float] = {
    "audit_chain": 27.0,
    "ranking": 16.0,
    "merkle": 6.0,
    "trail": 1.0,
    "participation": 1.0,
}

#: How often the parent reports progress while the workers run (seconds).
PROGRESS_EVERY = 0.5

#: Below this many events a rebuild stays in one process: starting a worker (a fresh
#: interpreter importing the application) costs about a second, a rebuild of this many
#: events about two.
PARALLEL_FROM = 50_000


def _open_log(storage: Storage) -> EventLog:
    """The event log, opened under the store's start-up lock: opening it creates the
    store's tables and functions if missing, which two processes must not do at once
    (PostgreSQL: "tuple concurrently updated")."""
    with creating_tables(storage):
        return EventLog.open(storage)


def default_workers() -> int:
    """One worker per core, at most four (beyond that the log reads dominate)."""
    return max(1, min(4, os.cpu_count() or 1))


def balance(names: Sequence[str], workers: int) -> list[list[str]]:
    """Split projection names into at most `workers` groups of similar total weight
    (the heaviest first, each into the lightest group so far), in a stable order."""
    groups: list[list[str]] = [[] for _ in range(max(1, min(workers, len(names))))]
    loads = [0.0] * len(groups)
    for name in sorted(names, key=lambda n: (-REBUILD_WEIGHTS.get(n, 1.0), n)):
        lightest = loads.index(min(loads))
        groups[lightest].append(name)
        loads[lightest] += REBUILD_WEIGHTS.get(name, 1.0)
    return [group for group in groups if group]


def worker_groups(
    storage: Storage,
    names: Iterable[str] | None,
    workers: int | None,
    min_events: int | None = None,
) -> list[list[str]]:
    """The groups of projections a rebuild will run, one per worker process: a single
    group when the log is shorter than `min_events` (default `PARALLEL_FROM`) or one
    worker is asked for."""
    chosen = select(names)
    min_events = PARALLEL_FROM if min_events is None else min_events
    if (workers or default_workers()) > 1 and min_events > 0:
        log = _open_log(storage)
        try:
            if log.head_position() < min_events:
                return [chosen]
        finally:
            log.close()
    return balance(chosen, workers or default_workers())


def rebuild_in_parallel(
    storage: Storage,
    names: Iterable[str] | None = None,
    *,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    cache_limit: int = CACHE_LIMIT,
    min_events: int | None = None,
    groups: list[list[str]] | None = None,
) -> int:
    """Rebuild the projections (all when `names` is None) in up to `workers` processes
    (see `worker_groups`; a caller that already has the groups passes them as `groups`).

    Returns the last notification id processed (the least of the workers'). With one
    group this is `rebuild` in this process. A worker's failure is raised here once
    every worker has stopped.
    """
    chosen = select(names)
    if groups is None:
        groups = worker_groups(storage, chosen, workers, min_events)
    if len(groups) <= 1:
        return rebuild(
            storage, names, batch_size=batch_size, progress=progress, cache_limit=cache_limit
        )
    engine = create_views_engine(storage.views_url, storage.schema)
    try:  # done once here, so that the workers never race to create or claim the views
        adopt_store(engine, storage, replace=names is None)
        open_projections(engine, chosen)
    finally:
        engine.dispose()
    context = multiprocessing.get_context("spawn")
    positions: Any = context.Array("q", len(groups), lock=False)
    with ProcessPoolExecutor(
        max_workers=len(groups), mp_context=context, initializer=_share, initargs=(positions,)
    ) as pool:
        futures = [
            pool.submit(_rebuild_group, storage, group, slot, batch_size, cache_limit)
            for slot, group in enumerate(groups)
        ]
        _follow(storage, futures, positions, progress)
        return min(future.result() for future in futures)


def _follow(
    storage: Storage, futures: list[Future[int]], positions: Any, progress: Progress | None
) -> None:
    """Wait for the workers, reporting the slowest one's position as they go."""
    head = 0
    if progress is not None:
        log = _open_log(storage)
        try:
            head = log.head_position()
        finally:
            log.close()
    while True:
        done, pending = wait(futures, timeout=PROGRESS_EVERY, return_when=FIRST_EXCEPTION)
        if progress is not None:
            progress(min(positions), max(head, min(positions)))
        if not pending or any(future.exception() is not None for future in done):
            wait(futures)
            return


_positions: Any = None


def _share(positions: Any) -> None:
    """Worker initialiser: keep the shared array of positions."""
    global _positions
    _positions = positions


def _rebuild_group(
    storage: Storage, names: list[str], slot: int, batch_size: int, cache_limit: int
) -> int:
    """One worker's rebuild of its group of projections."""

    def report(position: int, _head: int) -> None:
        _positions[slot] = position

    log = _open_log(storage)
    try:
        return rebuild(
            storage,
            names,
            batch_size=batch_size,
            progress=report,
            cache_limit=cache_limit,
            log=log,
        )
    finally:
        log.close()
