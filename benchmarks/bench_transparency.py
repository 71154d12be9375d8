"""7. The transparency log over a city-scale store (SQLite): checkpoints, proofs, the tree's
share of the rebuild, and `voisinage-verify` of the audit bundle.

The store is written once (benchmarks.bench_rebuild.build_store), then child processes
run one after the other on it, each against a bare read of the same store in the same run:

* ``rebuild`` of every projection, and of the ``merkle`` projection alone (its share);
* checkpoint creation (head read, root, Ed25519 signature, insert), inclusion proofs at
  random (index, size) and consistency proofs at random (from, to): p50 and p99, against
  the p99 of one bare indexed read of a stored event;
* the audit bundle: export, then `verifier.bundle.verify_bundle`, against the bare
  read+decode of the store.

    python -m benchmarks.bench_transparency CHILD DATABASE_URL   # one child's JSON line
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, Row, child_env, measured_run, row, store_url, temp_dir

SIZES = {"tiny": 2_000, "quick": 20_000, "full": 1_000_000}
SAMPLES = {"tiny": 50, "quick": 300, "full": 1000}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def _child(command: str, url: str, key: str, *args: str) -> dict[str, Any]:
    seconds, rss, output, status = measured_run(
        [PYTHON, "-m", "benchmarks.bench_transparency", command, url, *args],
        child_env(url, VOISINAGE_CHECKPOINT_KEY=key),
    )
    lines = [line for line in output.splitlines() if line.startswith("RESULT ")]
    if status != 0 or not lines:
        raise RuntimeError(f"bench_transparency {command} failed ({status}):\n{output[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    result.setdefault("wall_s", seconds)
    result.setdefault("rss_mb", rss)
    return result


# --- children -------------------------------------------------------------------------------


def _signer() -> Any:
    """The store's checkpoint signer, from VOISINAGE_CHECKPOINT_KEY (set by `run`)."""
    import os

    from domain.checkpoint import Signer

    return Signer.decode(os.environ["VOISINAGE_CHECKPOINT_KEY"])


def build_store(url: str, events: int, secrets: Any, progress: Any = None) -> int:
    """Write a city of about `events` events and publish its shortlist (which signs a
    checkpoint with the store's key)."""
    from application import Voisinage
    from benchmarks.city import CitySpec, build_city
    from infrastructure.storage import Storage

    app = Voisinage(Storage.from_url(url), secrets)
    try:
        spec = CitySpec.for_events(events, proposals=min(1000, max(20, events // 50)))
        city = build_city(app, spec, progress=progress)
        app.publish_shortlist(city.facilitator, city.process_id)
        return int(app.head_position())
    finally:
        app.close()


def child_rebuild(url: str, names: str, workers: str = "1") -> dict[str, Any]:
    """Rebuild the named projections ("all" for every one) in `workers` processes
    ("default": one per core, as `voisinage projections rebuild`)."""
    from infrastructure.storage import Storage
    from projections.rebuild_workers import rebuild_in_parallel, worker_groups

    storage = Storage.from_url(url)
    chosen = None if names == "all" else names.split(",")
    count = None if workers == "default" else int(workers)
    groups = worker_groups(storage, chosen, count)
    started = time.perf_counter()
    last = rebuild_in_parallel(storage, chosen, workers=count)
    return {"events": last, "seconds": time.perf_counter() - started, "workers": len(groups)}


def child_timings(url: str, samples: str) -> dict[str, Any]:
    """p50/p99 of checkpoint creation, inclusion and consistency proofs, and of one bare
    indexed read of a stored event (the baseline)."""
    from infrastructure.storage import Storage
    from projections.events import EventLog
    from projections.transparency import TransparencyLog
    from projections.view import create_views_engine

    storage = Storage.from_url(url)
    engine = create_views_engine(storage.views_url, storage.schema)
    log = TransparencyLog(engine, _signer())
    size = log.head()["size"]
    rng = random.Random(9162)
    n = int(samples)
    timings: dict[str, list[float]] = {"checkpoint": [], "inclusion": [], "consistency": []}
    for _ in range(n):
        started = time.perf_counter()
        log.checkpoint("benchmark", force=True)
        timings["checkpoint"].append(time.perf_counter() - started)
        tree = rng.randrange(1, size + 1)
        index = rng.randrange(tree)
        started = time.perf_counter()
        log.inclusion(index, tree)
        timings["inclusion"].append(time.perf_counter() - started)
        old = rng.randrange(1, tree + 1)
        started = time.perf_counter()
        log.consistency(old, tree)
        timings["consistency"].append(time.perf_counter() - started)
    events = EventLog.open(storage)
    bare = []
    try:
        for _ in range(n):
            start = rng.randrange(0, size)
            began = time.perf_counter()
            events.recorder.select_notifications(start=start, limit=1, inclusive_of_start=False)
            bare.append(time.perf_counter() - began)
    finally:
        events.close()
    result: dict[str, Any] = {"size": size, "samples": n}
    for name, values in (*timings.items(), ("bare", bare)):
        result[f"{name}_p50_ms"] = _percentile(values, 0.5) * 1000
        result[f"{name}_p99_ms"] = _percentile(values, 0.99) * 1000
    return result


def child_bundle(url: str) -> dict[str, Any]:
    """Export the audit bundle, then verify it as `voisinage-verify` does."""
    from infrastructure.storage import Storage
    from projections.bundle import bundle_lines
    from projections.transparency import TransparencyLog
    from projections.view import create_views_engine
    from verifier.bundle import verify_bundle

    storage = Storage.from_url(url)
    signer = _signer()
    log = TransparencyLog(create_views_engine(storage.views_url, storage.schema), signer)
    kept = log.checkpoint("benchmark", force=True)["note"]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bundle.jsonl"
        started = time.perf_counter()
        with path.open("w") as handle:
            handle.writelines(bundle_lines(storage, log, signer.verifier.encode()))
        exported = time.perf_counter() - started
        started = time.perf_counter()
        report = verify_bundle(path, signer.verifier, [kept])
        verified = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
    return {
        "export_s": exported,
        "verify_s": verified,
        "bundle_mb": size_mb,
        "ok": report.ok,
        "summary": report.summary()[:200],
    }


def child_read(url: str) -> dict[str, Any]:
    """The bare read+decode of the store (benchmarks.child read)."""
    from benchmarks.child import read

    return read(url)


# --- rows -----------------------------------------------------------------------------------


def run(
    quick: bool,
    postgres: str | None = None,
    size: str | None = None,
    events: int | None = None,
    progress: Any = None,
) -> list[Row]:
    """Rows for the transparency log (SQLite store)."""
    from application.secrets import Secrets
    from projections.runner import PROJECTIONS

    size = size or ("quick" if quick else "full")
    wanted = events or SIZES[size]
    secrets = Secrets.generate()
    key = secrets.checkpoint_key
    with temp_dir() as scratch, store_url("sqlite", None, scratch, "transparency") as url:
        n = build_store(url, wanted, secrets, progress)
        label = f"{n:,} events"
        bare = _child("read", url, key)
        everything = _child("rebuild", url, key, "all")
        workers = _child("rebuild", url, key, "all", "default")
        merkle = _child("rebuild", url, key, "merkle")
        others = _child("rebuild", url, key, ",".join(n for n in PROJECTIONS if n != "merkle"))
        timings = _child("timings", url, key, str(SAMPLES[size]))
        bundle = _child("bundle", url, key)
    bare_p99 = timings["bare_p99_ms"]
    rows = [
        row(
            "tlog",
            f"the tree's share of the rebuild, {label}: all projections minus all but merkle",
            measured=everything["seconds"] - others["seconds"],
            unit="s",
            baseline=everything["seconds"],
            baseline_label="rebuild of every projection (s): ratio = the tree's share",
            size=n,
            rebuild_without_tree_s=round(others["seconds"], 2),
        ),
        row(
            "tlog",
            f"rebuild of the merkle projection alone (with its read of the log), {label}",
            measured=merkle["seconds"],
            unit="s",
            baseline=bare["seconds"],
            baseline_label="bare read+decode of the same store (s)",
            size=n,
        ),
        row(
            "tlog",
            f"rebuild of every projection with the tree, {label} "
            f"(`voisinage projections rebuild`: {workers['workers']} workers)",
            measured=workers["seconds"],
            unit="s",
            baseline=everything["seconds"],
            baseline_label="the same rebuild in one process (s)",
            goal="measured <= 60 s" if n >= 990_000 else None,
            size=n,
        ),
    ]
    for name, what in (
        ("checkpoint", "checkpoint creation (read head, root, sign, insert)"),
        ("inclusion", "inclusion proof at a random (index, size)"),
        ("consistency", "consistency proof at a random (from, to)"),
    ):
        rows.append(
            row(
                "tlog",
                f"{what}, {label}: p99",
                measured=timings[f"{name}_p99_ms"],
                unit="ms",
                baseline=bare_p99,
                baseline_label="p99 of one bare indexed read of a stored event (ms)",
                goal="measured <= 50 ms",
                size=n,
                p50_ms=round(timings[f"{name}_p50_ms"], 3),
                samples=timings["samples"],
            )
        )
    rows.append(
        row(
            "tlog",
            f"voisinage-verify of the audit bundle, {label}",
            measured=bundle["verify_s"],
            unit="s",
            baseline=bare["seconds"],
            baseline_label="bare read+decode of the same store (s)",
            goal="measured <= 120 s" if n >= 990_000 else None,
            size=n,
            export_s=round(bundle["export_s"], 2),
            bundle_mb=round(bundle["bundle_mb"], 1),
            verify_ok=bundle["ok"],
        )
    )
    return rows


def main(argv: list[str]) -> int:
    """Run one child and print its JSON line."""
    from benchmarks.child import peak_rss_mb

    command, url, *rest = argv
    children = {
        "read": child_read,
        "rebuild": child_rebuild,
        "timings": child_timings,
        "bundle": child_bundle,
    }
    result = children[command](url, *rest)  # type: ignore[operator]
    result.update(peak_rss_mb())
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
