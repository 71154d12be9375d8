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


#: Methods whose live ranking is the sum of what each ballot gives each proposal.
TALLIED_LIVE = (Method.APPROVAL, Method.DOTS)


def ballot_points(choices: object) -> dict[str, int]:
    """What one ballot adds to each proposal's live tally: on a dots ballot the points
    it gives, on any other ballot one per proposal it names (an approval, a rank or a
    grade). Only the methods of `TALLIED_LIVE` are ranked by these sums; the others are
    counted by `domain.voting.count`."""
    if isinstance(choices, Mapping):
        return {
            str(key): value if isinstance(value, int) and not isinstance(value, bool) else 1
            for key, value in choices.items()
        }
    if isinstance(choices, list | tuple):
        return dict.fromkeys((str(item) for item in choices), 1)
    return {}


def tallied_live(method: Method, *, within_budget: bool = False) -> bool:
    """Whether the live ranking of `method` is read from incremental tallies, rather than
    counted with `domain.voting.count` on each new state of the ballots: approval and
    dots (ranked by their sums), and any selection within a budget (shown by approvals
    while the vote is open; counting equal shares with costs takes seconds at city scale,
    and only the published count selects)."""
    return method in TALLIED_LIVE or within_budget
