"""Merged proposals: what a ballot's choices count for once merges are followed.

A facilitator may merge a proposal into another one after ballots were cast. A
ballot's choice of a merged proposal then counts for the proposal it was merged into,
followed through chains of merges (a -> b -> c counts for c; a cycle stops where it
would repeat). Choices that do not end on a current candidate (withdrawn or hidden
proposals) count for nothing. When a ballot names both a merged proposal and its
target (or two proposals merged into the same one), it counts once:

* approval, equal shares, PAV: the target is approved once;
* Schulze, Borda: the target keeps the better (earlier) of the ranks;
* dots: the points add up;
* majority judgment: the better grade is kept (domain/voting/majority_judgment.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping


def follow(candidate: str, merged_into: Mapping[str, str]) -> str:
    """The proposal a choice of `candidate` counts for (chains followed)."""
    seen = set()
    while candidate in merged_into and candidate not in seen:
        seen.add(candidate)
        candidate = merged_into[candidate]
    return candidate


def ranked(
    ballot: Iterable[str], valid: Collection[str], merged_into: Mapping[str, str]
) -> list[str]:
    """The valid proposals of a list ballot after merges, in ballot order, each once
    (the better rank kept)."""
    order: list[str] = []
    for candidate in ballot:
        target = follow(candidate, merged_into)
        if target in valid and target not in order:
            order.append(target)
    return order


def approved(
    ballot: Iterable[str], valid: Collection[str], merged_into: Mapping[str, str]
) -> list[str]:
    """The valid proposals an approval ballot counts for after merges, sorted."""
    return sorted({follow(c, merged_into) for c in ballot} & set(valid))


def points(
    ballot: Mapping[str, object], valid: Collection[str], merged_into: Mapping[str, str]
) -> dict[str, int]:
    """The points of a dot-voting ballot after merges (points of merged proposals add up)."""
    total: dict[str, int] = {}
    for candidate, value in ballot.items():
        target = follow(candidate, merged_into)
        if target in valid and isinstance(value, int) and not isinstance(value, bool):
            total[target] = total.get(target, 0) + value
    return total
