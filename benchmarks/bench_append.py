"""1. Ballots cast through the application layer vs bare eventsourcing appends.

Both sides write one aggregate per transaction on the same kind of store with the same
settings, in alternating chunks (so both see the same machine load): the application
side calls ``Voisinage.cast_ballot`` (authorise, load the process, load the ballot,
validate, save); the bare side saves a new trivial ``Aggregate`` with a bare
``eventsourcing.application.Application``. The bare store is pre-filled with as many
events as the city store, so indexes have the same depth.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.common import (
    Row,
    Tick,
    bare_append,
    bare_application,
    drop_postgres_schema,
    interleaved,
    rng,
    row,
    sibling_url,
    store_url,
    temp_dir,
)
from benchmarks.profiling import APPEND_PARTS, where

SIZES = {
    # residents in the store, ballots already cast, ballots cast while timed
    "tiny": {"residents": 300, "ballots": 100, "casts": 60, "proposals": 50},
    "quick": {"residents": 4000, "ballots": 1000, "casts": 1500, "proposals": 1000},
    "full": {"residents": 40000, "ballots": 20000, "casts": 10000, "proposals": 1000},
}
GOAL = "ratio >= 0.8"
#: Aggregates per transaction for the informative group-commit figure.
GROUP = 16


def _application(url: str) -> Any:
    from application import Voisinage
    from application.secrets import Secrets
    from infrastructure.storage import Storage

    return Voisinage(Storage.from_url(url), Secrets.generate())


def measure(kind: str, postgres: str | None, size: str, profile: bool = True) -> list[Row]:
    """Rows for one backend."""
    from benchmarks.city import CitySpec, build_city

    config = SIZES[size]
    with temp_dir() as scratch, store_url(kind, postgres, scratch, f"append_{kind}") as url:
        app = _application(url)
        bare_url = sibling_url(url, "_bare")
        bare = None
        try:
            spec = CitySpec(
                residents=config["residents"],
                ballots=config["ballots"],
                proposals=config["proposals"],
                contributions=max(config["proposals"], 100),
            )
            city = build_city(app, spec)
            bare = bare_application(bare_url, prefill=city.events)
            first = city.voted
            source = rng(f"append/{kind}")
            casts = config["casts"]
            choices = [city.choices(source, first + i) for i in range(casts + 40)]

            def cast(offset: int, n: int) -> float:
                started = time.perf_counter()
                for i in range(offset, offset + n):
                    app.cast_ballot(city.actor(first + i), city.process_id, choices[i])
                return time.perf_counter() - started

            # warm both (imports, caches, connections), then alternate chunks
            cast(casts, 10)
            bare_append(bare, 10)
            app_rate, bare_rate = interleaved(
                casts, 6, cast, lambda _offset, n: bare_append(bare, n)
            )
            # The lever for write throughput: many aggregates per transaction (informative).
            grouped = []
            for _ in range(max(1, casts // GROUP // 4)):
                started = time.perf_counter()
                bare.save(*(Tick() for _ in range(GROUP)))
                grouped.append(time.perf_counter() - started)
            grouped_rate = GROUP * len(grouped) / sum(grouped)
            explanation = ""
            if profile:
                explanation = where(lambda: cast(casts + 10, 30), APPEND_PARTS)
            return [
                row(
                    "append",
                    f"cast_ballot via application ({kind})",
                    measured=app_rate,
                    unit="ballots/s",
                    baseline=bare_rate,
                    baseline_label="bare eventsourcing append, 1 aggregate/transaction",
                    goal=GOAL,
                    size=casts,
                    where=explanation,
                    store_events=city.events,
                ),
                row(
                    "append",
                    f"bare append, {GROUP} aggregates per transaction ({kind}, informative)",
                    measured=grouped_rate,
                    unit="events/s",
                    baseline=bare_rate,
                    baseline_label="bare append, 1 aggregate/transaction",
                    size=GROUP * len(grouped),
                ),
            ]
        finally:
            app.close()
            if bare is not None:
                bare.close()
            drop_postgres_schema(bare_url)


def run(quick: bool, postgres: str | None = None, size: str | None = None) -> list[Row]:
    """SQLite always; PostgreSQL when a URL is given."""
    size = size or ("quick" if quick else "full")
    rows = measure("sqlite", None, size)
    if postgres:
        rows += measure("postgres", postgres, size)
    return rows
