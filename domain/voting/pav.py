"""Sequential proportional approval voting (seq-PAV) for approval ballots.

Seats are filled one at a time. A voter who already has j of their approved
proposals elected adds 1/(j+1) to each further proposal they approve; the proposal
with the largest total is elected next, ties going to the earlier proposal in the
tie-break order. Exact fractions: the result never depends on rounding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any


def sequential_pav(
    ballots: Iterable[Sequence[str]], order: Sequence[str], k: int
) -> tuple[list[str], list[dict[str, Any]]]:
    """The k elected proposals in election order, and each round's winning score."""
    groups = Counter(frozenset(b) for b in ballots if b)
    keys = list(groups)
    satisfied = [0] * len(keys)
    supporters: dict[str, list[int]] = {c: [] for c in order}
    for g, key in enumerate(keys):
        for candidate in key:
            if candidate in supporters:
                supporters[candidate].append(g)
    position = {c: i for i, c in enumerate(order)}
    remaining = list(order)
    elected: list[str] = []
    rounds: list[dict[str, Any]] = []
    for _ in range(min(k, len(order))):
        scores = {
            c: sum(
                (Fraction(groups[keys[g]], satisfied[g] + 1) for g in supporters[c]), Fraction(0)
            )
            for c in remaining
        }
        best = max(scores.values())
        tied = sorted((c for c in remaining if scores[c] == best), key=position.__getitem__)
        winner = tied[0]
        elected.append(winner)
        rounds.append(
            {"proposal_id": winner, "score": str(best), "tied": tied if len(tied) > 1 else []}
        )
        remaining.remove(winner)
        for g in supporters[winner]:
            satisfied[g] += 1
    return elected, rounds
