"""Scoring methods: approval, dot voting and Borda add points per proposal.

* approval: one point per approved proposal;
* dots: the points given (validated against the budget when cast);
* Borda: with m candidates, the proposal a ballot ranks r-th (r from 0) gets
  m - 1 - r points; proposals the ballot leaves unranked get 0.

A ballot given as a mapping (proposal -> points) adds its points whatever the method,
as dot voting does. Ranking: by score, then the tie-break order (`ordered_by_score`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.voting import merges
from domain.voting.rules import Choices, Method


def scores(
    method: Method,
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    merged_into: Mapping[str, str],
) -> tuple[dict[str, int], int]:
    """Each candidate's score (in candidate order) and the number of ballots counted."""
    valid = set(candidates)
    total = {c: 0 for c in candidates}
    m = len(candidates)
    counted = 0
    for ballot in ballots:
        counted += 1
        if isinstance(ballot, Mapping):
            for target, value in merges.points(ballot, valid, merged_into).items():
                total[target] += value
        elif method is Method.BORDA:
            for rank, target in enumerate(merges.ranked(ballot, valid, merged_into)):
                total[target] += m - 1 - rank
        else:
            for target in merges.ranked(ballot, valid, merged_into):
                total[target] += 1
    return total, counted


def ordered_by_score(
    score: Mapping[str, float], candidates: Sequence[str]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Candidates by descending score, equal scores in tie-break order; each group of
    equal scores (two or more) is recorded as a tie-break."""
    position = {c: i for i, c in enumerate(candidates)}
    ranking = sorted(candidates, key=lambda c: (-score[c], position[c]))
    groups: dict[float, list[str]] = {}
    for candidate in ranking:
        groups.setdefault(score[candidate], []).append(candidate)
    return ranking, [
        {"score": value, "tied": tied, "order": tied, "rule": "tie-break order"}
        for value, tied in groups.items()
        if len(tied) > 1
    ]
