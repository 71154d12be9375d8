"""2. Ballots cast over HTTP against the real server, with concurrent clients.

gunicorn (gthread workers) serves ``web:create_app()`` on a city store, projections
following the store in each worker as in production. Client threads each hold one
keep-alive connection and cast ballots for their own residents
(``PUT /api/v1/processes/{pid}/ballot`` with a bearer token) as fast as the server
answers. The baseline is the bare eventsourcing append rate (one trivial aggregate per
transaction) on the same kind of store, measured just before and just after the run
(averaged), while the server is not running.

The web workers run without projections (VOISINAGE_START_PROJECTIONS=0) and one
``voisinage projections run`` process follows the store: with projections in every
worker, each worker applies every event to the same views (W times the work, and the
workers compete for the views' write lock), which py-spy showed as ~30% of a worker.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    Row,
    bare_append,
    bare_application,
    drop_postgres_schema,
    rng,
    row,
    sibling_url,
    store_url,
    temp_dir,
)
from benchmarks.server import Client, CpuMeter, profile_workers, run_clients, serving

SIZES = {
    "tiny": {"residents": 400, "seconds": 1.5, "bare": 100, "proposals": 50},
    "quick": {"residents": 6000, "seconds": 4.0, "bare": 600, "proposals": 1000},
    "full": {"residents": 60000, "seconds": 20.0, "bare": 4000, "proposals": 1000},
}
#: (workers, threads per worker, client threads) per backend. PostgreSQL: 3 workers, not
#: 4: one worker holds ~30 connections (event store pool 10+10, views and keys engines,
#: 4 projection runners with LISTEN), and 4 workers exhausted max_connections=100
#: ("FATAL: sorry, too many clients already") next to other users of the server.
#: SQLite: 2 workers x 2 threads measured 401 ballots/s, 1 x 1: 359, 1 x 4: 219 (threads
#: of one worker queue for the library's SQLite connection pool and the write lock).
SHAPE = {"sqlite": (2, 2, 8), "postgres": (3, 6, 16)}
PROFILE_SECONDS = 4.0


def ballot_path(process_id: Any) -> str:
    """Where a resident puts their ballot."""
    return f"/api/v1/processes/{process_id}/ballot"


def caster(city: Any, port: int, clients: int, errors_seen: list[str]) -> Any:
    """The work of one client thread: cast ballots for its residents until told to stop."""
    path = ballot_path(city.process_id)
    total = len(city.resident_ids)

    def work(number: int, stop: Any) -> tuple[int, int, list[float]]:
        source = rng(f"http/{number}")
        mine = list(range(city.voted + number, total, clients)) or list(
            range(number, total, clients)
        )
        tokens = [city.token(i) for i in mine]
        client = Client(port)
        ok = errors = 0
        latencies: list[float] = []
        turn = 0
        try:
            while not stop.is_set():
                index = turn % len(mine)
                voter = mine[index]
                body = {"choices": city.choices(source, voter + turn)}
                started = time.perf_counter()
                status, answer = client.request("PUT", path, body, tokens[index])
                latencies.append(time.perf_counter() - started)
                if status in (200, 201):
                    ok += 1
                else:
                    errors += 1
                    if len(errors_seen) < 5:
                        errors_seen.append(f"{status} {answer[:200]!r}")
                turn += 1
        finally:
            client.close()
        return ok, errors, latencies

    return work


def measure(kind: str, postgres: str | None, size: str) -> list[Row]:
    """Rows for one backend."""
    from application import Voisinage
    from application.secrets import Secrets
    from benchmarks.city import CitySpec, build_city
    from benchmarks.common import percentile
    from infrastructure.storage import Storage

    config = SIZES[size]
    workers, threads, clients = SHAPE[kind]
    secrets = Secrets.generate()
    with temp_dir() as scratch, store_url(kind, postgres, scratch, f"http_{kind}") as url:
        app = Voisinage(Storage.from_url(url), secrets)
        bare_url = sibling_url(url, "_bare")
        try:
            spec = CitySpec(
                residents=config["residents"],
                ballots=min(1000, config["residents"] // 10),
                proposals=config["proposals"],
                contributions=max(100, config["proposals"]),
            )
            city = build_city(app, spec)
            bare = bare_application(bare_url, prefill=city.events)
            bare_append(bare, 20)
            before = config["bare"] / bare_append(bare, config["bare"])
            errors_seen: list[str] = []
            with serving(
                url,
                secrets,
                workers=workers,
                threads=threads,
                log=scratch / "gunicorn.log",
                projector=True,
            ) as server:
                warm = Client(server.port)
                status, body = warm.request(
                    "PUT",
                    ballot_path(city.process_id),
                    {"choices": city.candidates[:1]},
                    city.token(0),
                )
                warm.close()
                if status not in (200, 201):
                    raise RuntimeError(f"PUT ballot answered {status}: {body[:300]!r}")
                work = caster(city, server.port, clients, errors_seen)
                run_clients(clients, work, min(1.0, config["seconds"] / 4))  # warm-up
                with CpuMeter(server) as meter:
                    ok, errors, elapsed, latencies = run_clients(clients, work, config["seconds"])
                rate = ok / elapsed
                goal = "measured >= 2000 ballots/s" if kind == "postgres" else "ratio >= 0.5"
                explanation = ""
                profile_seconds = PROFILE_SECONDS if size == "full" else 2.0
                profile_wanted = size != "tiny" and not os.environ.get("VOISINAGE_BENCH_NO_PROFILE")
                if profile_wanted:
                    import threading

                    load = threading.Thread(
                        target=run_clients,
                        args=(clients, work, profile_seconds + 1),
                        daemon=True,
                    )
                    load.start()
                    time.sleep(0.5)
                    explanation = profile_workers(
                        server, profile_seconds, Path(scratch) / f"pyspy-{kind}.txt"
                    )
                    load.join()
            if errors or not ok:
                log = (scratch / "gunicorn.log").read_text(errors="replace").strip().splitlines()
                errors_seen.append("gunicorn log: " + " / ".join(log[-3:])[-400:])
            after = config["bare"] / bare_append(bare, config["bare"])
            bare.close()
            bare_rate = (before + after) / 2
            shape = f"{workers} workers x {threads} threads + 1 projector, {clients} clients"
            rows = [
                row(
                    "http",
                    f"PUT ballot over HTTP ({kind}, {shape})",
                    measured=rate,
                    unit="ballots/s",
                    baseline=bare_rate,
                    baseline_label="bare eventsourcing append, 1/transaction",
                    goal=goal,
                    size=ok,
                    where="; ".join(
                        x for x in (meter.per(ok), explanation, *errors_seen[-1:]) if x
                    ),
                    errors=errors,
                    first_errors=errors_seen[:3],
                    p50_ms=percentile(latencies, 50) * 1000 if latencies else None,
                    p99_ms=percentile(latencies, 99) * 1000 if latencies else None,
                )
            ]
            if kind == "postgres":
                rows.append(
                    row(
                        "http",
                        f"PUT ballot over HTTP ({kind}): ratio to bare append",
                        measured=rate,
                        unit="ballots/s",
                        baseline=bare_rate,
                        baseline_label="bare eventsourcing append, 1/transaction",
                        goal="ratio >= 0.5",
                        size=ok,
                    )
                )
            return rows
        finally:
            app.close()
            drop_postgres_schema(bare_url)


def run(quick: bool, postgres: str | None = None, size: str | None = None) -> list[Row]:
    """SQLite always; PostgreSQL when a URL is given."""
    size = size or ("quick" if quick else "full")
    rows = measure("sqlite", None, size)
    if postgres:
        rows += measure("postgres", postgres, size)
    return rows
