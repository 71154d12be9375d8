"""Small adapters between the read models (dict rows) and the templates: pages read the
projections (`views()`), never the aggregates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import abort

from domain.phases import PERMITTED, Phase
from domain.voting import VotingRules
from web.context import views, voisinage


def get(row: Any, key: str, default: Any = None) -> Any:
    """A field of a row, whether the row is a mapping or an object."""
    if row is None:
        return default
    if isinstance(row, Mapping):
        return row.get(key, default)
    return getattr(row, key, default)


def as_list(rows: Any) -> list[Any]:
    """Rows as a list (None gives an empty list)."""
    if rows is None:
        return []
    if isinstance(rows, Mapping):
        for key in ("items", "rows", "events", "entries"):
            if isinstance(rows.get(key), list):
                return list(rows[key])
        return [rows]
    return list(rows) if isinstance(rows, Iterable) else [rows]


def axis_names(process_row: Any) -> dict[str, Any]:
    """axis id (text) -> its names per language, from a process row or aggregate."""
    axes = get(process_row, "axes") or {}
    if isinstance(axes, Mapping):
        return {str(k): v for k, v in axes.items()}
    names: dict[str, Any] = {}
    for axis in axes:
        names[str(get(axis, "axis_id") or get(axis, "id"))] = get(axis, "name")
    return names


def process_row(pid: UUID) -> Any:
    """The process's read model row, or 404."""
    row = views().process(pid)
    if row is None:
        abort(404)
    return row


@dataclass(frozen=True)
class ProcessView:
    """A process as its pages need it, from the read models: the row (titles, axes,
    counts), the phase and voting rules as the domain's values, and the ballot."""

    row: dict[str, Any]
    phase: Phase
    rules: VotingRules
    #: The proposals a ballot may choose now, in their order (empty before the vote).
    candidates: tuple[str, ...]
    #: Candidates withdrawn or hidden during the vote.
    removed: frozenset[str]


def process_view(pid: UUID) -> ProcessView:
    """The process's row, phase, rules and ballot from the read models, or 404."""
    row = process_row(pid)
    vote = views().vote(pid) or {}
    return ProcessView(
        row=row,
        phase=Phase(str(row["phase"])),
        rules=VotingRules.from_dict(row.get("rules") or {}),
        candidates=tuple(str(c) for c in vote.get("candidates") or ()),
        removed=frozenset(str(p) for p in vote.get("removed") or ()),
    )


def uuid_or_none(value: str | None) -> UUID | None:
    """A UUID from form text, or None when empty or malformed."""
    if not value:
        return None
    try:
        return UUID(value.strip())
    except ValueError:
        return None


def wait_for_projections(timeout: float = 3.0) -> None:
    """After a command, let the read models catch up before the next page reads them."""
    position = voisinage().last_position()
    if position is None:
        return
    waiter = getattr(views(), "wait_for", None)
    if waiter is not None:
        waiter(position, timeout)


def permitted(act: str, row: Any) -> bool:
    """Whether the process's phase (from its row) permits `act` (domain/phases.py), so a
    page offers only the forms that can work now."""
    return Phase(str(get(row, "phase"))) in PERMITTED[act]
