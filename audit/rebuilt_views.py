"""The projections check of `audit verify`: every projection rebuilt into a scratch
database up to its tracked position equals the live one, row by row."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from audit.report import AuditReport, Finding
from infrastructure.storage import Storage
from projections.events import EventLog
from projections.runner import PROJECTIONS, open_projections, rebuild
from projections.view import create_views_engine


def check_projections(
    storage: Storage, engine: sa.Engine, log: EventLog, report: AuditReport, names: list[str]
) -> None:
    """Rebuild the projections into a temporary database and compare with the live ones.

    Projections at the same position are rebuilt together, in one pass over the log.
    """
    live = open_projections(engine, names)
    groups: dict[int, list[str]] = {}
    for name, projection in live.items():
        groups.setdefault(projection.view.position(), []).append(name)
    with tempfile.TemporaryDirectory(prefix="voisinage-audit-") as directory:
        scratch = create_views_engine(f"sqlite:///{Path(directory) / 'views.sqlite'}", None)
        try:
            for position, group in groups.items():
                report.projections.extend(group)
                try:
                    rebuild(storage, group, engine=scratch, log=log, up_to=position)
                except Exception as error:
                    report.findings.append(
                        Finding(
                            "projections",
                            None,
                            f"{', '.join(group)}: the rebuild failed: {error!r}",
                        )
                    )
                    continue
                fresh = open_projections(scratch, group)
                for name in group:
                    reached = fresh[name].view.position()
                    if reached != position:
                        report.findings.append(
                            Finding(
                                "projections",
                                min(reached, position) + 1,
                                f"{name}: a rebuild stops at position {reached}, "
                                f"the live projection is at {position}",
                            )
                        )
                    _compare(name, live[name].view.dump(), fresh[name].view.dump(), report)
        finally:
            scratch.dispose()


def _compare(
    name: str,
    live: dict[str, list[tuple[Any, ...]]],
    fresh: dict[str, list[tuple[Any, ...]]],
    report: AuditReport,
) -> None:
    tables = PROJECTIONS[name].tables
    for table in tables:
        a, b = live.get(table.name, []), fresh.get(table.name, [])
        if a == b:
            continue
        columns = [c.name for c in table.columns]
        keys = [columns.index(c.name) for c in table.primary_key.columns]
        live_rows = {tuple(r[i] for i in keys): r for r in a}
        fresh_rows = {tuple(r[i] for i in keys): r for r in b}
        differing = sorted(
            (
                k
                for k in live_rows.keys() | fresh_rows.keys()
                if live_rows.get(k) != fresh_rows.get(k)
            ),
            key=repr,
        )
        # a row differs from the latest event that touched either version of it
        positions = []
        if "position" in columns:
            index = columns.index("position")
            for key in differing:
                versions = [r for r in (live_rows.get(key), fresh_rows.get(key)) if r is not None]
                positions.append(max(int(r[index]) for r in versions))
        position = min(positions) if positions else None
        report.findings.append(
            Finding(
                "projections",
                position,
                f"{name}: table {table.name} differs from a fresh rebuild in "
                f"{len(differing)} rows (first key {differing[0] if differing else '?'})",
            )
        )
