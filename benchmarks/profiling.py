"""Where the time goes: a short cProfile of a workload, summarised in one line."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable

#: label -> (substring of the file name, function name): cumulative time of each.
APPEND_PARTS: dict[str, tuple[str, str]] = {
    "INSERT+commit": ("eventsourcing/", "insert_events"),
    "aggregate reads (SELECT)": ("eventsourcing/", "get"),
    "deepcopy of cached aggregates": ("copy.py", "deepcopy"),
    "ballot validation": ("domain/voting", "validate_ballot"),
    "event encoding": ("eventsourcing/persistence.py", "to_stored_event"),
    "ballot_candidates": ("domain/process.py", "ballot_candidates"),
}


def where(
    workload: Callable[[], object], parts: dict[str, tuple[str, str]] | None = None, top: int = 4
) -> str:
    """Run `workload` under cProfile; name the biggest parts as shares of the total.

    Shares overlap when one part calls another (reads include their deepcopy).
    """
    profiler = cProfile.Profile()
    profiler.enable()
    workload()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    shares: list[tuple[float, str]] = []
    if parts:
        raw = stats.stats  # type: ignore[attr-defined]
        for label, (file_part, name) in parts.items():
            cumulative = max(
                (
                    value[3]
                    for (filename, _line, function), value in raw.items()
                    if function == name and file_part in filename
                ),
                default=0.0,
            )
            if cumulative:
                shares.append((cumulative / total, label))
    else:
        raw = stats.stats  # type: ignore[attr-defined]
        for (filename, line, function), value in raw.items():
            shares.append((value[2] / total, f"{filename.rsplit('/', 1)[-1]}:{line} {function}"))
    shares.sort(reverse=True)
    return ", ".join(f"{label} {share:.0%}" for share, label in shares[:top])
