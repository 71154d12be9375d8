"""Majority judgment: every voter grades proposals; the majority grade decides.

Grades are ordered from worst to best (`VotingRules.grades`). A proposal a voter left
ungraded counts as the lowest grade (rejection by default: silence is not support).
A ballot that grades a merged proposal grades the proposal it was merged into; when a
ballot grades both (or two proposals merged into one), the better grade is kept.
Each proposal's majority grade is its lower median grade. Ties between proposals
are broken by Balinski and Laraki's rule: remove one median grade from each tied
proposal and compare the new medians, again and again; proposals whose grades are
identical throughout stay tied and follow the fixed tie-break order.

Equivalently, each proposal has a "majority value": the sequence of medians removed
one after the other; proposals are ranked by that sequence, lexicographically.
For grades sorted ascending g[0..n-1], the removal order of indices is
m, m-1, m+1, m-2, m+2, ... when n is odd and m, m+1, m-1, m+2, m-2, ... when n is
even, with m = (n-1)//2, so the comparison needs only the count of each grade.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cmp_to_key
from itertools import accumulate
from typing import Any

from domain.voting import merges
from domain.voting.rules import Choices


def removal_order(n: int) -> Iterator[int]:
    """Indices (into grades sorted ascending) in the order their medians are removed."""
    m = (n - 1) // 2
    yield m
    first, second = (-1, +1) if n % 2 else (+1, -1)
    for step in range(1, n):
        offset = (step + 1) // 2
        yield m + (first if step % 2 else second) * offset


def majority_value(counts: Sequence[int]) -> Iterator[int]:
    """The successive medians (grade indices) of a proposal graded `counts[g]` times g."""
    cumulative = list(accumulate(counts))
    n = cumulative[-1] if cumulative else 0
    for index in removal_order(n):
        yield bisect_right(cumulative, index)


def compare(a: Sequence[int], b: Sequence[int]) -> int:
    """-1 if grade counts `a` rank before (better than) `b`, 1 if after, 0 if tied."""
    if list(a) == list(b):
        return 0
    for x, y in zip(majority_value(a), majority_value(b), strict=False):
        if x != y:
            return -1 if x > y else 1
    return 0


def rank(counts: dict[str, list[int]], order: Sequence[str]) -> list[list[str]]:
    """Proposals grouped by equal majority value, best group first; each group in
    tie-break order."""
    position = {c: i for i, c in enumerate(order)}

    def better_first(x: str, y: str) -> int:
        return compare(counts[x], counts[y]) or position[x] - position[y]

    ranked = sorted(order, key=cmp_to_key(better_first))
    groups: list[list[str]] = []
    for candidate in ranked:
        if groups and compare(counts[groups[-1][0]], counts[candidate]) == 0:
            groups[-1].append(candidate)
        else:
            groups.append([candidate])
    return groups


def lower_median(counts: Sequence[int]) -> int:
    """The majority grade (index)."""
    return next(majority_value(counts))


def grade_counts(
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    grades: Sequence[str],
    merged_into: Mapping[str, str],
) -> tuple[dict[str, list[int]], int]:
    """How many ballots gave each proposal each grade (index into `grades`), ungraded
    counting as the lowest, merges followed (the better grade kept); and the number of
    ballots counted."""
    scale = {g: i for i, g in enumerate(grades)}
    counts = {c: [0] * len(scale) for c in candidates}
    valid = set(candidates)
    counted = 0
    for ballot in ballots:
        counted += 1
        best: dict[str, int] = {}
        if isinstance(ballot, Mapping):
            for candidate, grade in ballot.items():
                target = merges.follow(candidate, merged_into)
                level = scale.get(str(grade))
                if target in valid and level is not None:
                    best[target] = max(best.get(target, 0), level)
        for c in candidates:
            counts[c][best.get(c, 0)] += 1
    return counts, counted


def majority_judgment(
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    grades: Sequence[str],
    merged_into: Mapping[str, str],
) -> tuple[list[str], dict[str, Any], list[dict[str, Any]], int]:
    """The ranking, the tallies ({proposal: {"majority_grade", "grades"}}), the
    tie-breaks (proposals with identical grade counts) and the ballots counted."""
    counts, counted = grade_counts(ballots, candidates, grades, merged_into)
    groups = rank(counts, candidates)
    ties = [
        {"tied": group, "order": group, "rule": "identical grades: tie-break order"}
        for group in groups
        if len(group) > 1
    ]
    tallies = {
        c: {
            "majority_grade": grades[lower_median(counts[c])] if counted else None,
            "grades": dict(zip(grades, counts[c], strict=True)),
        }
        for c in candidates
    }
    return [c for group in groups for c in group], tallies, ties, counted
