"""4. p50/p99 latency over HTTP of the proposals list, the live ranking and the shortlist.

For each store size (1,000 and 100,000 ballots; quick: 1,000 and 5,000), a city with
1,000 proposals is written, gunicorn is started on it (projections following the
store), and once the projections have caught up one client reads each endpoint many
times in a row. Then the shortlist is published (the vote closes) and, once the
projection shows it, the shortlist endpoint is read the same way. The figure at the
larger size is given with the smaller one as its baseline: the ratio shows whether
latency grows with the number of events.
"""

from __future__ import annotations

import json
import time
from typing import Any

from benchmarks.common import Row, percentile, row, store_url, temp_dir
from benchmarks.server import Client, serving

SIZES = {
    "tiny": {"ballots": [50, 300], "requests": 30, "proposals": 50},
    "quick": {"ballots": [1_000, 5_000], "requests": 100, "proposals": 1000},
    "full": {"ballots": [1_000, 100_000], "requests": 500, "proposals": 1000},
}
GOAL = "measured <= 50 ms"


def wait_until(check: Any, timeout: float = 120.0, pause: float = 0.05) -> Any:
    """Poll `check()` until it returns something true; raise after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(pause)
    raise TimeoutError("the server did not show the expected state in time")


def timed_gets(client: Client, path: str, count: int) -> list[float]:
    """Latencies (s) of `count` GETs of `path`, after 5 unmeasured ones."""
    latencies = []
    for number in range(count + 5):
        started = time.perf_counter()
        status, body = client.request("GET", path)
        elapsed = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        if number >= 5:
            latencies.append(elapsed)
    return latencies


def ranking_counted(client: Client, process_id: Any) -> int:
    """How many ballots the live ranking counts now (-1 if not available)."""
    status, body = client.request("GET", f"/api/v1/processes/{process_id}/ranking")
    if status != 200:
        return -1
    return int(json.loads(body).get("ballots_counted", -1))


def measure_size(ballots: int, config: dict[str, Any]) -> dict[str, list[float]]:
    """Latencies per endpoint for a store with `ballots` ballots (SQLite)."""
    from application import Voisinage
    from application.secrets import Secrets
    from benchmarks.city import CitySpec, build_city
    from infrastructure.storage import Storage

    secrets = Secrets.generate()
    with temp_dir() as scratch, store_url("sqlite", None, scratch, "latency") as url:
        app = Voisinage(Storage.from_url(url), secrets)
        try:
            spec = CitySpec(
                residents=ballots + 10,
                ballots=ballots,
                recasts=ballots // 10,
                proposals=config["proposals"],
                contributions=max(100, config["proposals"]),
            )
            city = build_city(app, spec)
            pid = city.process_id
            results: dict[str, list[float]] = {}
            with serving(url, secrets, workers=1, threads=4, log=scratch / "gunicorn.log") as srv:
                client = Client(srv.port)
                wait_until(lambda: ranking_counted(client, pid) >= ballots, pause=0.2)
                count = config["requests"]
                results["proposals"] = timed_gets(
                    client, f"/api/v1/processes/{pid}/proposals", count
                )
                results["ranking"] = timed_gets(client, f"/api/v1/processes/{pid}/ranking", count)
                app.publish_shortlist(city.facilitator, pid)

                def shortlist_shown() -> bool:
                    status, _ = client.request("GET", f"/api/v1/processes/{pid}/shortlist")
                    return status == 200

                wait_until(shortlist_shown, pause=0.1)
                results["shortlist"] = timed_gets(
                    client, f"/api/v1/processes/{pid}/shortlist", count
                )
                client.close()
            return results
        finally:
            app.close()


def run(quick: bool, postgres: str | None = None, size: str | None = None) -> list[Row]:
    """Rows: p99 (with p50) per endpoint and size; the larger size against the smaller."""
    size = size or ("quick" if quick else "full")
    config = SIZES[size]
    small, large = config["ballots"]
    measured = {n: measure_size(n, config) for n in (small, large)}
    rows = []
    for endpoint in ("proposals", "ranking", "shortlist"):
        for n in (small, large):
            latencies = measured[n][endpoint]
            p99 = percentile(latencies, 99) * 1000
            baseline = percentile(measured[small][endpoint], 99) * 1000 if n == large else None
            rows.append(
                row(
                    "latency",
                    f"GET {endpoint} p99 at {n:,} ballots "
                    f"(sqlite, {config['proposals']:,} proposals)",
                    measured=p99,
                    unit="ms",
                    baseline=baseline,
                    baseline_label=f"p99 at {small:,} ballots" if baseline else None,
                    goal=GOAL,
                    size=len(latencies),
                    p50_ms=round(percentile(latencies, 50) * 1000, 2),
                    where=f"p50 {percentile(latencies, 50) * 1000:.1f} ms",
                )
            )
    return rows
