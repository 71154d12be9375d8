"""Work measured in a child process of its own (so that its peak RSS is its own).

    python -m benchmarks.child rebuild DATABASE_URL    # `voisinage projections rebuild`
    python -m benchmarks.child rebuild-1 DATABASE_URL  # the same in one process
    python -m benchmarks.child read DATABASE_URL      # bare select_notifications + decode
    python -m benchmarks.child verify DATABASE_URL    # `voisinage audit verify`
    python -m benchmarks.child verify-full DATABASE_URL   # ... --projections

Prints one JSON line: {"events": ..., "seconds": ...} (seconds of the work itself,
without the interpreter's start and imports).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def rebuild(url: str, workers: int | None = None) -> dict[str, Any]:
    """Rebuild every projection from the first event, as `voisinage projections
    rebuild` does (one worker process per core; `workers` to choose)."""
    from infrastructure.storage import Storage
    from projections.rebuild_workers import rebuild_in_parallel, worker_groups

    storage = Storage.from_url(url)
    groups = worker_groups(storage, None, workers)
    started = time.perf_counter()
    last = rebuild_in_parallel(storage, workers=workers)
    import resource

    return {
        "events": last,
        "seconds": time.perf_counter() - started,
        "workers": len(groups),
        # the largest worker's peak (ru_maxrss of the waited-for children)
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def rebuild_in_one_process(url: str) -> dict[str, Any]:
    """The same rebuild in this process alone (the baseline of the workers)."""
    return rebuild(url, workers=1)


def read(url: str, page: int = 5000) -> dict[str, Any]:
    """The bare rate: page through the notification log and decode every event."""
    from infrastructure.storage import Storage
    from projections.events import EventLog

    log = EventLog.open(Storage.from_url(url))
    try:
        started = time.perf_counter()
        count, last = 0, 0
        to_domain_event = log.mapper.to_domain_event
        while True:
            notifications = log.recorder.select_notifications(
                start=last, limit=page, inclusive_of_start=False
            )
            for notification in notifications:
                to_domain_event(notification)
            count += len(notifications)
            if len(notifications) < page:
                break
            last = notifications[-1].id
        return {"events": count, "seconds": time.perf_counter() - started}
    finally:
        log.close()


def verify(url: str, projections: bool = False) -> dict[str, Any]:
    """The audit: chain, anchors, recounts (and the projections against a fresh
    rebuild, with `projections`)."""
    from audit import verify as verify_all
    from infrastructure.storage import Storage

    storage = Storage.from_url(url)
    started = time.perf_counter()
    report = verify_all(storage, projections=None if projections else [])
    seconds = time.perf_counter() - started
    ok = bool(report.ok)
    return {"seconds": seconds, "ok": ok, "summary": str(report.summary())[:300]}


def peak_rss_mb() -> dict[str, float]:
    """This process's peak RSS: VmHWM (of this program only) and getrusage's ru_maxrss.

    ru_maxrss survives fork+exec on Linux: a child of a big parent reports at least the
    parent's RSS at fork time. VmHWM belongs to the memory map created by exec, so it
    is the child's own peak; it is the figure reported.
    """
    import resource

    result = {"ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    result["vmhwm_mb"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return result


def main(argv: list[str]) -> int:
    """Run one command and print its JSON line."""
    command, url = argv[0], argv[1]
    commands = {
        "rebuild": rebuild,
        "rebuild-1": rebuild_in_one_process,
        "read": read,
        "verify": verify,
        "verify-full": lambda u: verify(u, projections=True),
    }
    result = commands[command](url)
    result.update(peak_rss_mb())
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
