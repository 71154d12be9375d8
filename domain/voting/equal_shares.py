"""The method of equal shares (MES) for approval ballots, with Add1 completion.

The variant, for a shortlist of k proposals:

1. Every proposal costs 1. The n voters are those whose ballot still names at least
   one candidate after merges (a ballot naming only withdrawn or hidden proposals is
   an abstention and holds no budget).
2. A run with virtual shortlist size K gives every voter a budget of K/n. While some
   proposal is affordable, the proposal whose supporters can pay for it with the
   smallest maximal payment per supporter q is bought (each supporter pays
   min(own budget, q)); equal q goes to the earlier proposal in the tie-break order.
3. Add1 completion, as in Aarau 2023 and pabutools (``method_of_equal_shares`` with
   ``voter_budget_increment=1/n``): K = k, k+1, k+2, ...; stop at the first run that
   buys exactly k, or when every approved proposal is bought; if a run buys more than
   k, it is discarded and the previous run (fewer than k) is kept.
4. Seats still free are filled by approval count, then the tie-break order (as
   pabutools' greedy completion with unit costs). The shortlist is the purchases in
   order, then the completion.

Why not abcvoting's ``"equal-shares-with-increment-completion"``: abcvoting stops each
run after k purchases and takes the first K whose run reaches k, so when one increment
jumps from fewer than k to more than k purchases it keeps the first k purchases of the
bigger run. That can leave a bloc of n/k voters without a proposal, which the issue
rules out: three voters approving {a1, a2}, {b1, b2}, {c1, c2}, k = 4 (each voter is
n/k = 3/4 of a seat): K = 4, 5 buy a1, b1, c1; K = 6 buys six, and abcvoting keeps
a1, a2, b1, b2 while this variant keeps a1, b1, c1 and completes with a2. Whenever no
run overshoots (the completion list is empty), the two variants elect the same
proposals; tests/unit/voting/test_oracles.py checks both facts against abcvoting and
the whole variant against pabutools.

On party-list profiles every party of s voters gets at least floor(k*s/n) proposals
(the kept run has K >= k), so a bloc of n/k voters always has one of its own. Arithmetic
is exact (fractions), so the result never depends on rounding. Voters with identical
ballots always hold identical budgets, so they are handled as one group with a weight;
voters who paid the same so far hold the same budget, so they are kept in budget
classes, and after a purchase only the proposals sharing a supporter with it are
re-priced, each from its supporters' classes at that moment.
"""

from __future__ import annotations

import heapq
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
    budget_per_voter: str = "0"
    voters: int = 0
    completed_by_approval: list[str] = field(default_factory=list)


def _price(
    holdings: dict[int, int], budget: list[Fraction], rough: list[float], cost: Fraction
) -> Fraction | None:
    """The smallest q with sum(min(budget, q)) >= cost over the supporters, or None.

    `holdings` maps a budget class to the number of supporters in it; class 1 is the
    spent one. `rough` holds the budgets as floats: converting to float never inverts
    an order, so sorting by (float, exact) is the exact order, with exact comparisons
    only between budgets that the floats do not tell apart.
    """
    classes = sorted((rough[c], budget[c], w) for c, w in holdings.items() if c != 1)
    remaining_cost = cost
    remaining_weight = sum(w for _, _, w in classes)
    for _, money, w in classes:
        q = remaining_cost / remaining_weight
        if money >= q:
            return q
        remaining_cost -= money * w
        remaining_weight -= w
    return None


def mes_run(
    limit: int,
    per_voter: Fraction,
    ballots: list[tuple[int, ...]],
    weight: list[int],
    supporters: list[list[int]],
    score: list[int],
    cost: Sequence[Fraction] | None = None,
    neighbours: Sequence[Sequence[int]] | None = None,
) -> tuple[list[int], list[tuple[Fraction, list[int]]]]:
    """One MES run; candidates are indices in tie-break order. Returns the purchases and,
    for each, its price (the maximal payment q of a supporter) and the candidates tied.

    Every candidate costs 1 unless `cost` is given; then a supporter's utility for a
    candidate is its cost (pabutools' ``Cost_Sat``) and the candidate bought is the one
    with the smallest price per unit of utility, q / cost (with unit costs: q).

    Voters are kept in budget classes (voters who paid the same so far hold the same
    budget): buying a proposal moves its supporters from each class to a new one. A
    candidate is priced from how many of its supporters are in each class (counted
    when it is priced, one step per ballot group), so pricing costs a few fraction
    operations per class, not per voter. A purchase only makes stale the candidates
    sharing a supporter with it, its `neighbours` (computed here unless given; the
    caller of several runs computes them once with `neighbours_of`).

    Budgets only go down, so a candidate's price only goes up (or it becomes
    unaffordable): a price computed before a purchase is a lower bound after it. The
    candidates wait in a heap by (price, index) and are re-priced only when they reach
    the top with a stale price; a candidate at the top with a fresh price is the one
    with the smallest price, the earliest in the tie-break order among equal prices.
    """
    zero = per_voter * 0  # the exact number type of the caller (Fraction, or gmpy2's mpq)
    budget = [per_voter, zero]  # class 0: untouched; class 1: spent
    rough = [float(per_voter), 0.0]
    class_of = [0] * len(weight)
    holdings: list[dict[int, int]] = [{0: s} for s in score]
    if neighbours is None:
        neighbours = neighbours_of(ballots, len(score))
    costs = cost if cost is not None else [zero + 1] * len(score)
    # keys are q / cost; untouched supporters all pay cost / s, hence a key of 1 / s
    heap = [((zero + 1) / s, i) for i, s in enumerate(score) if s and per_voter * s >= costs[i]]
    heapq.heapify(heap)
    stale = [False] * len(supporters)
    # a candidate leaves for good when bought or unaffordable (budgets only fall): only
    # the others keep their holdings up to date
    alive = [False] * len(supporters)
    for _, i in heap:
        alive[i] = True
    elected: list[int] = []
    rounds: list[tuple[Fraction, list[int]]] = []

    def reprice(i: int) -> Fraction | None:
        """The key (price / cost) of candidate i now, or None (never affordable again)."""
        stale[i] = False
        held: dict[int, int] = {}
        for g in supporters[i]:
            c = class_of[g]
            held[c] = held.get(c, 0) + weight[g]
        holdings[i] = held
        price = _price(held, budget, rough, costs[i])
        if price is None:
            alive[i] = False
            return None
        return price / costs[i]

    while len(elected) < limit:
        tied: list[int] = []
        while heap and not tied:
            q = heap[0][0]  # q / cost; with unit costs, the payment q itself
            while heap and heap[0][0] == q:
                _, i = heapq.heappop(heap)
                if stale[i]:
                    key = reprice(i)
                    if key is None:
                        continue
                    if key != q:
                        heapq.heappush(heap, (key, i))
                        continue
                tied.append(i)
        if not tied:
            break
        winner = tied[0]  # popped in index order among equal prices
        for i in tied[1:]:
            heapq.heappush(heap, (q, i))
        pay = q * costs[winner]  # the key is the payment per unit of utility
        remap: dict[int, int] = {}
        for c, w in holdings[winner].items():
            if w:
                left = budget[c] - pay if budget[c] > pay else zero
                if left:
                    remap[c] = len(budget)
                    budget.append(left)
                    rough.append(float(left))
                else:
                    remap[c] = 1
        alive[winner] = False
        for g in supporters[winner]:
            class_of[g] = remap[class_of[g]]
        for j in neighbours[winner]:
            stale[j] = alive[j]
        elected.append(winner)
        rounds.append((pay, tied))
    return elected, rounds


def neighbours_of(ballots: Sequence[Sequence[int]], candidates: int) -> list[list[int]]:
    """For each candidate, the other candidates sharing a supporter with it."""
    near: list[set[int]] = [set() for _ in range(candidates)]
    for ballot in set(map(tuple, ballots)):
        for i in ballot:
            near[i].update(ballot)
    return [sorted(n - {i}) for i, n in enumerate(near)]


def equal_shares(
    ballots: Iterable[Sequence[str]], order: Sequence[str], k: int
) -> EqualSharesOutcome:
    """Elect min(k, len(order)) proposals from approval ballots already mapped to
    valid candidates; `order` lists every candidate in tie-break order (earlier wins).
    """
    position = {c: i for i, c in enumerate(order)}
    groups = Counter(frozenset(position[c] for c in b if c in position) for b in ballots)
    groups.pop(frozenset(), None)
    n = sum(groups.values())
    group_ballots = [tuple(sorted(key)) for key in groups]
    weight = [groups[key] for key in groups]
    supporters: list[list[int]] = [[] for _ in order]
    for g, ballot in enumerate(group_ballots):
        for i in ballot:
            supporters[i].append(g)
    score = [sum(weight[g] for g in sup) for sup in supporters]
    approved = sum(1 for s in score if s)
    k = min(k, len(order))
    chosen = EqualSharesOutcome(elected=[], voters=n)
    seats = k
    near = neighbours_of(group_ballots, len(order))
    while n:
        elected, rounds = mes_run(
            len(order), Fraction(seats, n), group_ballots, weight, supporters, score, None, near
        )
        if len(elected) > k:
            break  # this increment would overspend: keep the previous outcome
        chosen.elected = [order[i] for i in elected]
        chosen.virtual_seats = seats
        chosen.budget_per_voter = str(Fraction(seats, n))
        chosen.rounds = [
            {
                "proposal_id": order[i],
                "max_payment": str(q),
                "supporters": score[i],
                "tied": [order[t] for t in tied] if len(tied) > 1 else [],
            }
            for i, (q, tied) in zip(elected, rounds, strict=True)
        ]
        if len(elected) == k or len(elected) == approved:
            break
        seats += 1
    bought = set(chosen.elected)
    rest = sorted(
        (i for i in range(len(order)) if order[i] not in bought), key=lambda i: (-score[i], i)
    )
    chosen.completed_by_approval = [order[i] for i in rest[: k - len(chosen.elected)]]
    chosen.elected += chosen.completed_by_approval
    return chosen
