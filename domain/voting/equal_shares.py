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


def _price(holdings: dict[int, int], budget: list[Fraction]) -> Fraction | None:
    """The smallest q with sum(min(budget, q)) >= 1 over the supporters, or None.

    `holdings` maps a budget class to the number of supporters in it.
    """
    classes = sorted((budget[c], w) for c, w in holdings.items() if w and budget[c])
    remaining_cost = Fraction(1)
    remaining_weight = sum(w for _, w in classes)
    for money, w in classes:
        q = remaining_cost / remaining_weight
        if money >= q:
            return q
        remaining_cost -= money * w
        remaining_weight -= w
    return None


def _run(
    limit: int,
    per_voter: Fraction,
    ballots: list[tuple[int, ...]],
    weight: list[int],
    supporters: list[list[int]],
) -> tuple[list[int], list[tuple[Fraction, list[int]]]]:
    """One MES run; candidates are indices in tie-break order. Returns the purchases and,
    for each, its price and the candidates tied at that price.

    Voters are kept in budget classes (voters who paid the same so far hold the same
    budget): buying a proposal moves its supporters from each class to a new one, and
    each candidate keeps how many of its supporters are in each class, so pricing
    costs a few fraction operations per class, not per voter.
    """
    m = len(supporters)
    budget = [per_voter, Fraction(0)]  # class 0: untouched; class 1: spent
    class_of = [0] * len(weight)
    holdings: list[dict[int, int]] = [{0: sum(weight[g] for g in sup)} for sup in supporters]
    prices = [_price(h, budget) for h in holdings]
    bought = [False] * m
    elected: list[int] = []
    rounds: list[tuple[Fraction, list[int]]] = []
    while len(elected) < limit:
        affordable = [(p, i) for i, p in enumerate(prices) if p is not None and not bought[i]]
        if not affordable:
            break
        q, winner = min(affordable)
        tied = [i for p, i in affordable if p == q]
        remap: dict[int, int] = {}
        for c, w in holdings[winner].items():
            if w:
                left = budget[c] - q if budget[c] > q else Fraction(0)
                if left:
                    remap[c] = len(budget)
                    budget.append(left)
                else:
                    remap[c] = 1
        changed: set[int] = set()
        for g in supporters[winner]:
            old = class_of[g]
            new = remap[old]
            class_of[g] = new
            w = weight[g]
            for j in ballots[g]:
                if not bought[j]:
                    held = holdings[j]
                    held[old] -= w
                    held[new] = held.get(new, 0) + w
                    changed.add(j)
        bought[winner] = True
        elected.append(winner)
        rounds.append((q, tied))
        for j in changed:
            if not bought[j]:
                prices[j] = _price(holdings[j], budget)
    return elected, rounds


def equal_shares(
    ballots: Iterable[Sequence[str]], order: Sequence[str], k: int
) -> EqualSharesOutcome:
    """Elect k proposals from approval ballots (already mapped to valid candidates).

    `order` lists every candidate in tie-break order (earlier wins).
    """
    position = {c: i for i, c in enumerate(order)}
    groups = Counter(frozenset(position[c] for c in b if c in position) for b in ballots if b)
    groups.pop(frozenset(), None)
    n = sum(groups.values())
    group_ballots = [tuple(sorted(key)) for key in groups]
    weight = [groups[key] for key in groups]
    supporters: list[list[int]] = [[] for _ in order]
    for g, ballot in enumerate(group_ballots):
        for i in ballot:
            supporters[i].append(g)
    approved = sum(1 for sup in supporters if sup)
    k = min(k, len(order))
    chosen = EqualSharesOutcome(elected=[])
    if n:
        seats = k
        while True:
            elected, rounds = _run(
                len(order), Fraction(seats, n), group_ballots, weight, supporters
            )
            if len(elected) > k:
                break  # one more would overspend: keep the previous outcome
            chosen = EqualSharesOutcome(
                elected=[order[i] for i in elected],
                rounds=[
                    {
                        "proposal_id": order[i],
                        "max_payment": str(q),
                        "tied": [order[t] for t in tied] if len(tied) > 1 else [],
                    }
                    for i, (q, tied) in zip(elected, rounds, strict=True)
                ],
                virtual_seats=seats,
            )
            if len(elected) == k or len(elected) == approved:
                break
            seats += 1
    score = {c: sum(weight[g] for g in supporters[position[c]]) for c in order}
    rest = sorted(
        (c for c in order if c not in chosen.elected), key=lambda c: (-score[c], position[c])
    )
    chosen.completed_by_approval = rest[: k - len(chosen.elected)]
    chosen.elected += chosen.completed_by_approval
    return chosen
