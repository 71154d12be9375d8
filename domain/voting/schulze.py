"""The Schulze method for ranked ballots (winning votes).

A ballot ranks some proposals, best first; a ranked proposal is preferred to every
unranked one, unranked ones are not compared with each other. d[a, b] counts the
ballots preferring a to b; a link a -> b has strength d[a, b] when d[a, b] > d[b, a]
(else none); p[a, b] is the strength of the strongest path (its weakest link). a beats
b when p[a, b] > p[b, a]: a strict partial order (Schulze 2011). On complete rankings
winning votes and margins give the same relation.

Ranking: repeatedly take, among the proposals no remaining proposal beats, the earliest
in the tie-break order, and record a tie-break whenever more than one was unbeaten. So
the first place is always a Schulze winner (the Condorcet winner when there is one) and
among several winners the tie-break order decides, not the number of proposals each
beats (that number is in the tallies, to explain the count).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.voting import merges
from domain.voting.rules import Choices

Pairwise = dict[tuple[str, str], int]


def pairwise(
    ballots: Iterable[Choices], candidates: Sequence[str], merged_into: Mapping[str, str]
) -> tuple[Pairwise, int]:
    """d[a, b] for every pair, and the number of ballots counted (mappings count as
    ballots but rank nothing)."""
    valid = set(candidates)
    d: Pairwise = {}
    counted = 0
    for ballot in ballots:
        counted += 1
        if isinstance(ballot, Mapping):
            continue
        order = merges.ranked(ballot, valid, merged_into)
        ranked_here = set(order)
        unranked = [c for c in candidates if c not in ranked_here]
        for i, better in enumerate(order):
            for worse in order[i + 1 :]:
                d[better, worse] = d.get((better, worse), 0) + 1
            for worse in unranked:
                d[better, worse] = d.get((better, worse), 0) + 1
    return d, counted


def strongest_paths(candidates: Sequence[str], d: Mapping[tuple[str, str], int]) -> Pairwise:
    """p[a, b]: strongest path strengths (widest paths, Floyd-Warshall)."""
    p: Pairwise = {}
    for a in candidates:
        for b in candidates:
            if a != b:
                ab, ba = d.get((a, b), 0), d.get((b, a), 0)
                p[a, b] = ab if ab > ba else 0
    for k in candidates:
        for i in candidates:
            if i == k:
                continue
            p_ik = p[i, k]
            if not p_ik:
                continue
            for j in candidates:
                if j != i and j != k:
                    through = min(p_ik, p[k, j])
                    if through > p[i, j]:
                        p[i, j] = through
    return p


def beaten(candidates: Sequence[str], p: Mapping[tuple[str, str], int]) -> dict[str, list[str]]:
    """For each candidate, the candidates it beats, in candidate order."""
    return {a: [b for b in candidates if a != b and p[a, b] > p[b, a]] for a in candidates}


def ranking(
    candidates: Sequence[str], beats: Mapping[str, list[str]]
) -> tuple[list[str], list[dict[str, Any]]]:
    """A linear extension of the Schulze relation, ties going to the tie-break order."""
    beaten_by = {c: 0 for c in candidates}
    for worse in (w for c in candidates for w in beats[c]):
        beaten_by[worse] += 1
    position = {c: i for i, c in enumerate(candidates)}
    available = [position[c] for c in candidates if not beaten_by[c]]
    heapq.heapify(available)
    ranked: list[str] = []
    ties: list[dict[str, Any]] = []
    while available:
        if len(available) > 1:
            tied = [candidates[i] for i in sorted(available)]
            ties.append(
                {
                    "place": len(ranked) + 1,
                    "tied": tied,
                    "order": tied,
                    "rule": "tie-break order among the proposals no other remaining one beats",
                }
            )
        chosen = candidates[heapq.heappop(available)]
        ranked.append(chosen)
        for worse in beats[chosen]:
            beaten_by[worse] -= 1
            if not beaten_by[worse]:
                heapq.heappush(available, position[worse])
    return ranked, ties


def schulze(
    ballots: Iterable[Choices], candidates: Sequence[str], merged_into: Mapping[str, str]
) -> tuple[list[str], dict[str, Any], list[dict[str, Any]], int]:
    """The ranking, the tallies ({proposal: {"beats": n}}), the tie-breaks and the
    number of ballots counted."""
    d, counted = pairwise(ballots, candidates, merged_into)
    beats = beaten(candidates, strongest_paths(candidates, d))
    order, ties = ranking(candidates, beats)
    return order, {c: {"beats": len(beats[c])} for c in candidates}, ties, counted
