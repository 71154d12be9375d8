"""3. Projection rebuild and 6. `audit verify` over a city-scale store (SQLite).

The store is written once (batched through the application), the vote is closed by
publishing the shortlist (so the audit has a recount to do), then three child
processes run one after the other on the same store:

* the bare read+decode rate: ``select_notifications`` pages + ``mapper.to_domain_event``;
* what ``voisinage projections rebuild`` runs (``projections.rebuild_workers``: one
  worker process per core, each rebuilding a group of projections): seconds, events/s;
* the same rebuild in one process (``projections.runner.rebuild``), the baseline of
  the workers: seconds and peak RSS of the child;
* ``audit.verify`` (what ``voisinage audit verify`` runs): seconds.
"""

from __future__ import annotations

import json
import time
from typing import Any

from benchmarks.common import PYTHON, Row, child_env, measured_run, row, store_url, temp_dir

SIZES = {"tiny": 2_000, "quick": 20_000, "full": 1_000_000}
#: A store this big counts as the full size (the generator lands within 0.01% of 1M).
FULL = 990_000


def _child(command: str, url: str) -> tuple[dict[str, Any], float, float]:
    """Run benchmarks.child; returns (its JSON result, wall seconds, its own peak RSS MB).

    The peak RSS is the child's VmHWM (see benchmarks.child.peak_rss_mb), falling
    back on ru_maxrss from wait4 where /proc is missing.
    """
    seconds, rss, output, status = measured_run(
        [PYTHON, "-m", "benchmarks.child", command, url], child_env(url)
    )
    lines = [line for line in output.splitlines() if line.startswith("RESULT ")]
    if status != 0 or not lines:
        raise RuntimeError(f"benchmarks.child {command} failed ({status}):\n{output[-3000:]}")
    result = json.loads(lines[-1].removeprefix("RESULT "))
    return result, seconds, float(result.get("vmhwm_mb", rss))


def build_store(url: str, events: int, progress: Any = None) -> dict[str, Any]:
    """Write a city of about `events` events and publish its shortlist."""
    from application import Voisinage
    from application.secrets import Secrets
    from benchmarks.city import CitySpec, build_city
    from infrastructure.storage import Storage

    app = Voisinage(Storage.from_url(url), Secrets.generate())
    try:
        spec = CitySpec.for_events(events, proposals=min(1000, max(20, events // 50)))
        started = time.perf_counter()
        city = build_city(app, spec, progress=progress)
        app.publish_shortlist(city.facilitator, city.process_id)
        return {
            "events": app.head_position(),
            "seconds": time.perf_counter() - started,
            "residents": spec.residents,
            "ballots": spec.ballots,
        }
    finally:
        app.close()


def run(
    quick: bool,
    postgres: str | None = None,
    size: str | None = None,
    events: int | None = None,
    progress: Any = None,
) -> list[Row]:
    """Rows for the rebuild and the audit (SQLite store)."""
    size = size or ("quick" if quick else "full")
    wanted = events or SIZES[size]
    with temp_dir() as scratch, store_url("sqlite", None, scratch, "rebuild") as url:
        built = build_store(url, wanted, progress)
        n = built["events"]
        label = f"{n:,} events"
        bare, _, bare_rss = _child("read", url)
        bare_rate = bare["events"] / bare["seconds"]
        rebuilt, wall, _ = _child("rebuild", url)
        alone, _, rss = _child("rebuild-1", url)
        rebuild_rate = n / rebuilt["seconds"]
        audit, _, audit_rss = _child("verify", url)
        full, _, full_rss = _child("verify-full", url)
        rows = [
            row(
                "rebuild",
                f"projection rebuild, {label}: time ({rebuilt['workers']} workers)",
                measured=rebuilt["seconds"],
                unit="s",
                baseline=alone["seconds"],
                baseline_label="the same rebuild in one process (s)",
                goal="measured <= 60 s" if n >= FULL else None,
                size=n,
                child_wall_s=round(wall, 2),
                worker_peak_mb=round(rebuilt["worker_peak_mb"], 1),
                store_written_s=round(built["seconds"], 1),
            ),
            row(
                "rebuild",
                f"projection rebuild, {label}: rate",
                measured=rebuild_rate,
                unit="events/s",
                baseline=bare_rate,
                baseline_label="bare select_notifications + to_domain_event",
                goal="ratio >= 0.25",
                size=n,
            ),
            row(
                "rebuild",
                f"projection rebuild in one process, {label}: peak RSS",
                measured=rss,
                unit="MB",
                baseline=bare_rss,
                baseline_label="peak RSS of the bare read",
                goal="measured <= 300 MB",
                size=n,
            ),
            row(
                "audit",
                f"audit verify, {label}",
                measured=audit["seconds"],
                unit="s",
                baseline=n / bare_rate,
                baseline_label="bare read+decode of the same store (s)",
                goal="measured <= 60 s" if n >= FULL else None,
                size=n,
                audit_ok=audit.get("ok"),
                audit_summary=audit.get("summary"),
                peak_rss_mb=round(audit_rss, 1),
            ),
            row(
                "audit",
                f"audit verify --projections (also rebuilds and compares every view), {label}",
                measured=full["seconds"],
                unit="s",
                baseline=audit["seconds"],
                baseline_label="audit verify (chain, anchors, recounts)",
                size=n,
                audit_ok=full.get("ok"),
                peak_rss_mb=round(full_rss, 1),
            ),
        ]
        if 10_000 <= n < FULL:
            factor = 1_000_000 / n
            rows.append(
                row(
                    "rebuild",
                    "projection rebuild, 1,000,000 events: time (EXTRAPOLATED linearly)",
                    measured=rebuilt["seconds"] * factor,
                    unit="s",
                    goal="measured <= 60 s",
                    size=f"extrapolated from {n:,}",
                )
            )
            rows.append(
                row(
                    "audit",
                    "audit verify, 1,000,000 events (EXTRAPOLATED linearly)",
                    measured=audit["seconds"] * factor,
                    unit="s",
                    goal="measured <= 60 s",
                    size=f"extrapolated from {n:,}",
                )
            )
        return rows
