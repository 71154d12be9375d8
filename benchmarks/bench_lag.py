"""5. Projection lag: from an acknowledged ballot to its receipt checking as counted.

gunicorn serves a city store (SQLite, 2 workers) and one `voisinage projections run`
process follows the store (as in a multi-worker deployment).
Load clients cast ballots at a paced ~500 ballots/s in total, never choosing the probe
proposal. A probe thread, every 100 ms, casts a ballot for the probe proposal with a
fresh resident, and from the moment the PUT is acknowledged polls
GET /receipts/{receipt} until it answers counted: that interval is the lag. (The public
ranking changes only in batches of ballots to keep each ballot secret, issue 13; the
projection behind it follows the store as fast as the receipts do.)
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from benchmarks.common import Row, percentile, rng, row, store_url, temp_dir
from benchmarks.server import Client, run_clients, serving

SIZES = {
    "tiny": {"residents": 600, "seconds": 2.0, "rate": 100, "proposals": 50},
    "quick": {"residents": 5000, "seconds": 5.0, "rate": 500, "proposals": 1000},
    "full": {"residents": 30000, "seconds": 30.0, "rate": 500, "proposals": 1000},
}
LOAD_CLIENTS = 4
PROBE_EVERY = 0.1
GOAL = "measured <= 1000 ms"


def counted(client: Client, process_id: Any, receipt: str) -> bool:
    """Whether the receipt checks as counted now."""
    status, body = client.request("GET", f"/api/v1/processes/{process_id}/receipts/{receipt}")
    if status != 200:
        raise RuntimeError(f"GET receipt answered {status}: {body[:200]!r}")
    return bool(json.loads(body)["counted"])


def run(quick: bool, postgres: str | None = None, size: str | None = None) -> list[Row]:
    """Rows: lag p50 and p99 (max), and the load actually sustained."""
    from application import Voisinage
    from application.secrets import Secrets
    from benchmarks.city import CitySpec, build_city
    from infrastructure.storage import Storage

    size = size or ("quick" if quick else "full")
    config = SIZES[size]
    secrets = Secrets.generate()
    with temp_dir() as scratch, store_url("sqlite", None, scratch, "lag") as url:
        app = Voisinage(Storage.from_url(url), secrets)
        try:
            spec = CitySpec(
                residents=config["residents"],
                ballots=config["residents"] // 10,
                proposals=config["proposals"],
                contributions=max(100, config["proposals"]),
            )
            city = build_city(app, spec)
            pid = city.process_id
            probe = city.candidates[len(city.candidates) // 2]
            path = f"/api/v1/processes/{pid}/ballot"
            first_free = city.voted
            probes = list(range(first_free, first_free + 400))
            loaders = list(range(first_free + 400, len(city.resident_ids)))
            tokens = {i: city.token(i) for i in probes}
            per_client = config["rate"] / LOAD_CLIENTS

            def load(number: int, stop: threading.Event) -> tuple[int, int, list[float]]:
                source = rng(f"lag/{number}")
                mine = loaders[number::LOAD_CLIENTS]
                own_tokens = [city.token(i) for i in mine[:2000]]
                client = Client(server.port)
                ok = errors = turn = 0
                started = time.perf_counter()
                while not stop.is_set():
                    due = started + turn / per_client
                    pause = due - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)
                    index = turn % len(own_tokens)
                    choices = [c for c in city.choices(source, mine[index]) if c != probe]
                    status, _ = client.request(
                        "PUT", path, {"choices": choices or city.candidates[:1]}, own_tokens[index]
                    )
                    ok, errors = (ok + 1, errors) if status in (200, 201) else (ok, errors + 1)
                    turn += 1
                client.close()
                return ok, errors, []

            lags: list[float] = []

            def probing(stop: threading.Event) -> None:
                caster, watcher = Client(server.port), Client(server.port)
                for voter in probes:
                    if stop.is_set():
                        break
                    status, body = caster.request("PUT", path, {"choices": [probe]}, tokens[voter])
                    acknowledged = time.perf_counter()
                    if status not in (200, 201):
                        raise RuntimeError(f"probe PUT answered {status}: {body[:200]!r}")
                    receipt = json.loads(body)["receipt"]
                    while not counted(watcher, pid, receipt):
                        if time.perf_counter() - acknowledged > 10:
                            break
                        time.sleep(0.002)
                    lags.append(time.perf_counter() - acknowledged)
                    stop.wait(PROBE_EVERY)
                caster.close()
                watcher.close()

            with serving(
                url, secrets, workers=2, threads=4, log=scratch / "gunicorn.log", projector=True
            ) as server:
                probe_stop = threading.Event()
                prober = threading.Thread(target=probing, args=(probe_stop,), daemon=True)
                time.sleep(0.5)
                prober.start()
                ok, errors, elapsed, _ = run_clients(LOAD_CLIENTS, load, config["seconds"])
                probe_stop.set()
                prober.join(timeout=30)
            load_rate = ok / elapsed
            if not lags:
                raise RuntimeError("no probe completed")
            return [
                row(
                    "lag",
                    f"ballot acknowledged -> receipt counted, p99 "
                    f"(under {load_rate:,.0f} ballots/s)",
                    measured=percentile(lags, 99) * 1000,
                    unit="ms",
                    goal=GOAL,
                    size=len(lags),
                    p50_ms=round(percentile(lags, 50) * 1000, 1),
                    where=f"p50 {percentile(lags, 50) * 1000:.0f} ms, max "
                    f"{max(lags) * 1000:.0f} ms, {errors} load errors",
                    load_rate=load_rate,
                )
            ]
        finally:
            app.close()
