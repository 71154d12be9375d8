"""Sequential proportional approval voting (seq-PAV) for approval ballots.

Seats are filled one at a time. A voter who already has j of their approved
proposals elected adds 1/(j+1) to each further proposal they approve; the proposal
with the largest total is elected next, ties going to the earlier proposal in the
tie-break order. Exact fractions: the result never depends on rounding.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any


def sequential_pav(
    ballots: Iterable[Sequence[str]], order: Sequence[str], k: int
) -> tuple[list[str], list[dict[str, Any]]]:
    """The min(k, len(order)) elected proposals in election order, and each round's
    winning score and the proposals tied with it.

    A proposal's score only goes down as seats are filled, so a score computed earlier
    is an upper bound: proposals wait in a heap by (-score, tie-break position) and are
    re-scored only when they reach the top with a stale score.
    """
    position = {c: i for i, c in enumerate(order)}
    groups = Counter(frozenset(position[c] for c in b if c in position) for b in ballots)
    keys = list(groups)
    weight = [groups[key] for key in keys]
    satisfied = [0] * len(keys)
    supporters: list[list[int]] = [[] for _ in order]
    for g, key in enumerate(keys):
        for i in key:
            supporters[i].append(g)

    def score(i: int) -> Fraction:
        return sum((Fraction(weight[g], satisfied[g] + 1) for g in supporters[i]), Fraction(0))

    heap = [(-Fraction(sum(weight[g] for g in supporters[i])), i) for i in range(len(order))]
    heapq.heapify(heap)
    stale = [False] * len(order)
    elected: list[str] = []
    rounds: list[dict[str, Any]] = []
    while heap and len(elected) < k:
        tied: list[int] = []
        while not tied:
            bound = heap[0][0]
            while heap and heap[0][0] == bound:
                _, i = heapq.heappop(heap)
                if stale[i]:
                    stale[i] = False
                    fresh = -score(i)
                    if fresh != bound:
                        heapq.heappush(heap, (fresh, i))
                        continue
                tied.append(i)
        winner = tied[0]  # popped in tie-break order among equal scores
        for i in tied[1:]:
            heapq.heappush(heap, (bound, i))
        elected.append(order[winner])
        rounds.append(
            {
                "proposal_id": order[winner],
                "score": str(-bound),
                "tied": [order[i] for i in tied] if len(tied) > 1 else [],
            }
        )
        for g in supporters[winner]:
            satisfied[g] += 1
            for j in keys[g]:
                stale[j] = True
    return elected, rounds
