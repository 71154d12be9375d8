"""The method of equal shares (MES) for approval ballots, with Add1 completion.

Each of the n voters starts with a budget of K/n, every proposal costs 1 and the
shortlist has k seats. In each round the proposal that its supporters can buy with
the smallest maximal payment per supporter q is bought (supporters pay min(budget,
q)); ties go to the earlier proposal in the tie-break order. A run ends when no
proposal is affordable.

Completion, as in Aarau 2023 (pabutools' ``voter_budget_increment``): run with K = k;
while the outcome has fewer than k proposals, run again from the start with K + 1
(each voter 1/n more), and stop at the first outcome of exactly k, or keep the last
outcome of at most k if the next one would exceed k (or nothing more can be bought).
Seats still free are filled by approval count, then the tie-break order. On
party-list profiles every party of s voters gets at least floor(k*s/n) seats, so a
bloc of n/k voters always has a proposal of its own (tests/unit/voting).

Arithmetic is exact (fractions), so the result never depends on rounding. Voters with
identical ballots always hold identical budgets, so they are handled as one group
with a weight; after a purchase only the proposals sharing a supporter with it are
re-priced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


@dataclass
class EqualSharesOutcome:
    """The elected proposals in purchase order and how each was paid for."""

    elected: list[str]
    rounds: list[dict[str, Any]] = field(default_factory=list)
    virtual_seats: int = 0
    completed_by_approval: list[str] = field(default_factory=list)


def _price(supporters: Sequence[int], budget: list[Fraction], weight: list[int]) -> Fraction | None:
    """The smallest q with sum(min(budget, q)) >= 1 over the supporters, or None."""
    groups = sorted(supporters, key=lambda g: budget[g])
    remaining_cost = Fraction(1)
    remaining_weight = sum(weight[g] for g in groups)
    for g in groups:
        if remaining_weight == 0:
            break
        q = remaining_cost / remaining_weight
        if budget[g] >= q:
            return q
        remaining_cost -= budget[g] * weight[g]
        remaining_weight -= weight[g]
    return None


def _run(
    limit: int,
    per_voter: Fraction,
    supporters: dict[str, list[int]],
    weight: list[int],
    order: Sequence[str],
) -> EqualSharesOutcome:
    budget = [per_voter] * len(weight)
    position = {c: i for i, c in enumerate(order)}
    groups_of = supporters
    candidates_of_group: dict[int, list[str]] = {}
    for candidate, groups in groups_of.items():
        for g in groups:
            candidates_of_group.setdefault(g, []).append(candidate)
    prices: dict[str, Fraction | None] = {c: _price(groups_of[c], budget, weight) for c in order}
    outcome = EqualSharesOutcome(elected=[])
    while len(outcome.elected) < limit:
        affordable = [(p, position[c], c) for c, p in prices.items() if p is not None]
        if not affordable:
            break
        q, _, winner = min(affordable)
        tied = [c for p, _, c in sorted(affordable) if p == q]
        changed: set[str] = set()
        paid = Fraction(0)
        for g in groups_of[winner]:
            pay = min(budget[g], q)
            paid += pay * weight[g]
            budget[g] -= pay
            changed.update(candidates_of_group[g])
        outcome.elected.append(winner)
        outcome.rounds.append(
            {"proposal_id": winner, "max_payment": str(q), "tied": tied if len(tied) > 1 else []}
        )
        del prices[winner]
        for c in changed:
            if c in prices:
                prices[c] = _price(groups_of[c], budget, weight)
    return outcome


def equal_shares(
    ballots: Iterable[Sequence[str]], order: Sequence[str], k: int
) -> EqualSharesOutcome:
    """Elect k proposals from approval ballots (already mapped to valid candidates).

    `order` lists every candidate in tie-break order (earlier wins).
    """
    groups = Counter(frozenset(b) for b in ballots if b)
    n = sum(groups.values())
    keys = list(groups)
    weight = [groups[key] for key in keys]
    supporters: dict[str, list[int]] = {c: [] for c in order}
    for g, key in enumerate(keys):
        for candidate in key:
            if candidate in supporters:
                supporters[candidate].append(g)
    approved = [c for c in order if supporters[c]]
    k = min(k, len(order))
    chosen = EqualSharesOutcome(elected=[])
    if n:
        seats = k
        while True:
            outcome = _run(len(order), Fraction(seats, n), supporters, weight, order)
            if len(outcome.elected) > k:
                break  # one more would overspend: keep the previous outcome
            outcome.virtual_seats = seats
            chosen = outcome
            if len(outcome.elected) == k or len(outcome.elected) == len(approved):
                break
            seats += 1
    score = {c: sum(weight[g] for g in supporters[c]) for c in order}
    position = {c: i for i, c in enumerate(order)}
    rest = sorted(
        (c for c in order if c not in chosen.elected), key=lambda c: (-score[c], position[c])
    )
    chosen.completed_by_approval = rest[: k - len(chosen.elected)]
    chosen.elected += chosen.completed_by_approval
    return chosen
