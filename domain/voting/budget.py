"""Counting within a budget: greedy by votes, and equal shares with cost utilities + Add1.

Both rules take approval ballots already mapped to valid candidates, the candidates in
tie-break order (earlier wins), a positive whole cost per candidate and the budget,
and return the funded candidates in selection order. They are exactly the Pabulib
``rule`` values (pabulib.org/format):

* ``greedy``: candidates by number of votes, most first (ties: tie-break order); each
  is funded if it still fits in what is left of the budget, otherwise skipped. A
  candidate nobody voted for is never funded. This is pabutools'
  ``greedy_utilitarian_welfare`` with ``Cost_Sat`` (votes per unit of cost x cost).
* ``equalshares/add1``: the method of equal shares with cost utilities (a supporter's
  utility for a project is its cost, pabutools' ``Cost_Sat``), completed by Add1.
  Every voter (every ballot given, empty ones included) gets budget/n. While some
  project is affordable by its supporters, the one with the smallest price per unit
  of utility rho = q / cost is bought, q being the smallest maximal payment such that
  sum(min(budget_i, q)) over its supporters reaches its cost; each supporter pays
  min(own budget, q); equal rho goes to the earlier candidate in the tie-break order.
  Add1 (pabutools ``method_of_equal_shares(..., voter_budget_increment=1)``): if the
  run is not exhaustive (some unfunded project with a vote still fits in the budget),
  every voter's budget is raised by one unit of currency and the count is rerun; the
  first exhaustive run is kept, and a run that would spend more than the budget is
  discarded in favour of the previous one. No further completion. A project that
  costs 0 brings no utility and is never bought (as in pabutools).
* ``equalshares``: one run of the same method at budget/n per voter, no completion.
* ``equalshares-comparison`` and ``equalshares/add1-comparison`` (Wieliczka 2023): the
  same, then the comparison step of the equalshares.net tool and the Pabulib checker
  (mode "satisfaction"): each voter's satisfaction with an outcome is the number of
  its projects they approved; if strictly more voters prefer the ``greedy`` outcome
  than prefer the equal-shares outcome, the greedy outcome is selected instead.

The engine of equal shares is shared with the k-shortlist variant
(domain/voting/equal_shares.py): with unit costs, a budget of k and an increment of 1/n
per voter, the purchases are those of the k-shortlist before its approval completion.
Arithmetic is exact (fractions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from domain.voting.equal_shares import mes_run, neighbours_of

try:  # float runs certified exact; without numpy every run is counted in fractions
    from domain.voting.certified_run import CertifiedRun, Uncertain
except ImportError:  # pragma: no cover - the standalone verifier may run without numpy
    CertifiedRun = None  # type: ignore[assignment,misc]
    Uncertain = ArithmeticError  # type: ignore[assignment,misc]

try:  # the same exact rationals, ten times faster; Fraction where gmpy2 is absent
    from gmpy2 import mpq as _exact
except ImportError:  # pragma: no cover - the standalone verifier may run without it
    _exact = Fraction

GREEDY = "greedy"
EQUAL_SHARES = "equalshares"
EQUAL_SHARES_COMPARISON = "equalshares-comparison"
EQUAL_SHARES_ADD1 = "equalshares/add1"
EQUAL_SHARES_ADD1_COMPARISON = "equalshares/add1-comparison"
RULES = (
    GREEDY,
    EQUAL_SHARES,
    EQUAL_SHARES_COMPARISON,
    EQUAL_SHARES_ADD1,
    EQUAL_SHARES_ADD1_COMPARISON,
)
#: The equal-shares rules: (Add1 completion?, comparison step?).
EQUAL_SHARES_RULES = {
    EQUAL_SHARES: (False, False),
    EQUAL_SHARES_COMPARISON: (False, True),
    EQUAL_SHARES_ADD1: (True, False),
    EQUAL_SHARES_ADD1_COMPARISON: (True, True),
}
#: Distinct ballots from which the certified float engine is used (below, numpy's
#: per-call cost outweighs it: Assen 2024, 84 voters, counted 10% slower).
CERTIFIED_FROM_GROUPS = 200
#: Costs and budgets: whole units of currency in a process; a Pabulib file may have cents.
Amount = int | Fraction


@dataclass
class BudgetOutcome:
    """The funded candidates in selection order and how the count got there."""

    rule: str
    selected: list[str]
    budget: Amount
    spent: Amount
    rounds: list[dict[str, Any]] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    voters: int = 0
    budget_per_voter: str = "0"
    runs: int = 0
    #: Runs the certified float engine could not decide, counted in exact fractions.
    exact_runs: int = 0
    #: The comparison step, where the rule has one: voters preferring each outcome.
    comparison: dict[str, Any] | None = None


def _is_amount(value: object) -> bool:
    """An exact number (int or Fraction), not a bool."""
    return isinstance(value, int | Fraction) and not isinstance(value, bool)


def _check(order: Sequence[str], costs: Mapping[str, Amount], budget: Amount) -> None:
    """Raise ValueError unless the budget is positive and every cost at least 0 (proposals
    always cost something; a few Pabulib files have 0, some have cents)."""
    if not _is_amount(budget) or budget <= 0:
        raise ValueError(f"the budget must be a positive exact amount, not {budget!r}")
    for c in order:
        cost = costs.get(c)
        if not _is_amount(cost) or cost < 0:  # type: ignore[operator]
            raise ValueError(f"the cost of {c!r} must be an exact amount >= 0, not {cost!r}")


def greedy(
    ballots: Sequence[Sequence[str]],
    order: Sequence[str],
    costs: Mapping[str, Amount],
    budget: Amount,
) -> BudgetOutcome:
    """Fund candidates by votes, most first, skipping those that no longer fit."""
    _check(order, costs, budget)
    votes = Counter(c for b in ballots for c in set(b))
    position = {c: i for i, c in enumerate(order)}
    ranked = sorted(
        (c for c in order if votes[c]), key=lambda c: (costs[c] > 0, -votes[c], position[c])
    )
    outcome = BudgetOutcome(rule=GREEDY, selected=[], budget=budget, spent=0, voters=len(ballots))
    for c in ranked:
        fits = outcome.spent + costs[c] <= budget
        if fits:
            outcome.selected.append(c)
            outcome.spent += costs[c]
        outcome.rounds.append(
            {"proposal_id": c, "votes": votes[c], "cost": str(costs[c]), "funded": fits}
        )
    by_votes: dict[int, list[str]] = {}
    for c in ranked:
        by_votes.setdefault(votes[c], []).append(c)
    outcome.ties = [
        {"tied": tied, "order": tied, "rule": "tie-break order", "votes": v}
        for v, tied in by_votes.items()
        if len(tied) > 1
    ]
    return outcome


def equal_shares_add1(
    ballots: Sequence[Sequence[str]],
    order: Sequence[str],
    costs: Mapping[str, Amount],
    budget: Amount,
    increment: Fraction = Fraction(1),
    certified: bool | None = None,
) -> BudgetOutcome:
    """The method of equal shares with cost utilities, completed by Add1 (`increment`
    per voter and run; Pabulib's ``equalshares/add1`` is one unit of currency;
    `certified`: see `equal_shares_with_costs`)."""
    return equal_shares_with_costs(
        ballots, order, costs, budget, increment=increment, certified=certified
    )


def equal_shares_with_costs(
    ballots: Sequence[Sequence[str]],
    order: Sequence[str],
    costs: Mapping[str, Amount],
    budget: Amount,
    *,
    increment: Fraction | None = Fraction(1),
    rule: str = EQUAL_SHARES_ADD1,
    past_exhaustive: bool = False,
    certified: bool | None = None,
) -> BudgetOutcome:
    """The method of equal shares with cost utilities: one run at budget/n per voter,
    then, unless `increment` is None, the Add1 completion (`increment` per voter and
    run). `rule` is the Pabulib name recorded in the outcome.

    `past_exhaustive`: Add1 does not stop at the first exhaustive run but goes on
    raising the budget per voter while the selection stays within the budget, keeping
    the last such run (or stops when every project with a vote is selected). That is
    how the Pabulib checker (github.com/pabulib/checker, ``_compute_equalshares_winners``)
    reads ``equalshares/add1``, and how Wieliczka 2023 was counted; pabutools stops at
    the first exhaustive run (the default here).

    `certified`: count the runs with the certified float engine
    (domain/voting/certified_run.py, the same purchases, several times faster on
    thousands of ballots) where it can decide, in fractions where it cannot; None
    chooses by size (from CERTIFIED_FROM_GROUPS distinct ballots). The kept run is
    always counted again in fractions for its recorded prices."""
    _check(order, costs, budget)
    position = {c: i for i, c in enumerate(order)}
    n = len(ballots)
    groups = Counter(frozenset(position[c] for c in b if c in position) for b in ballots)
    groups.pop(frozenset(), None)
    group_ballots = [tuple(sorted(key)) for key in groups]
    weight = [groups[key] for key in groups]
    supporters: list[list[int]] = [[] for _ in order]
    for g, ballot in enumerate(group_ballots):
        for i in ballot:
            supporters[i].append(g)
    cost = [_exact(costs[c]) for c in order]
    # a free project brings no utility under cost utilities: never bought (as pabutools)
    score = [sum(weight[g] for g in sup) if cost[i] else 0 for i, sup in enumerate(supporters)]
    outcome = BudgetOutcome(rule=rule, selected=[], budget=budget, spent=0, voters=n)
    if not groups:
        return outcome
    per_voter = _exact(budget) / n
    near = neighbours_of(group_ballots, len(order))
    if certified is None:
        certified = len(group_ballots) >= CERTIFIED_FROM_GROUPS
    fast = (
        CertifiedRun(weight, supporters, score, cost, near)
        if certified and CertifiedRun is not None
        else None
    )

    def exact_run(per_voter: Any) -> tuple[list[int], list[tuple[Any, list[int]]]]:
        """One run in fractions: its purchases and their rounds."""
        return mes_run(len(order), per_voter, group_ballots, weight, supporters, score, cost, near)

    def run(per_voter: Any) -> tuple[list[int], list[tuple[Any, list[int]]] | None]:
        """One run's purchases (and their rounds when it was counted exactly)."""
        if fast is not None:
            try:
                return fast.run(per_voter, len(order)), None
            except Uncertain:
                outcome.exact_runs += 1
        return exact_run(per_voter)

    kept: tuple[Any, list[int], list[tuple[Any, list[int]]] | None] | None = None
    while True:
        elected, rounds = run(per_voter)
        outcome.runs += 1
        spent: Amount = sum((costs[order[i]] for i in elected), 0)
        if spent > budget:
            break  # this increment would overspend: keep the previous run
        kept = (per_voter, elected, rounds)
        outcome.spent = spent
        chosen = set(elected)
        left = budget - spent
        if increment is None:
            break  # no completion
        if past_exhaustive:
            if all(i in chosen for i in range(len(order)) if score[i]):
                break  # every project with a vote is selected: nothing more to add
        elif not any(score[i] and cost[i] <= left for i in range(len(order)) if i not in chosen):
            break  # exhaustive: nothing with a vote fits any more
        per_voter += _exact(increment)
    if kept is None:
        return outcome
    per_voter, elected, rounds = kept
    if rounds is None:  # the kept run's prices are recorded: count it in fractions
        exact, rounds = exact_run(per_voter)
        if exact != elected:  # pragma: no cover - would mean a wrong certificate
            raise AssertionError(f"certified run {elected} differs from the exact {exact}")
    outcome.selected = [order[i] for i in elected]
    outcome.budget_per_voter = str(per_voter)
    outcome.rounds = [
        {
            "proposal_id": order[i],
            "cost": str(costs[order[i]]),
            "max_payment": str(q),
            "supporters": score[i],
            "tied": [order[t] for t in tied] if len(tied) > 1 else [],
        }
        for i, (q, tied) in zip(elected, rounds, strict=True)
    ]
    outcome.ties = [
        {"round": r + 1, "tied": x["tied"], "order": x["tied"], "rule": "tie-break order"}
        for r, x in enumerate(outcome.rounds)
        if x["tied"]
    ]
    return outcome


def voters_preferring(
    ballots: Sequence[Sequence[str]], first: Sequence[str], second: Sequence[str]
) -> tuple[int, int]:
    """How many voters approve strictly more projects of `first` than of `second`, and
    how many the other way round (the comparison step's "satisfaction" mode)."""
    one, other = set(first), set(second)
    prefer_first = prefer_second = 0
    for ballot in ballots:
        approved = set(ballot)
        a, b = len(approved & one), len(approved & other)
        prefer_first += a > b
        prefer_second += b > a
    return prefer_first, prefer_second


def with_comparison_step(
    outcome: BudgetOutcome,
    ballots: Sequence[Sequence[str]],
    order: Sequence[str],
    costs: Mapping[str, Amount],
    budget: Amount,
) -> BudgetOutcome:
    """The comparison step: the greedy outcome replaces `outcome` when strictly more
    voters prefer it (the tally of both sides is recorded either way)."""
    by_votes = greedy(ballots, order, costs, budget)
    for_mes, for_greedy = voters_preferring(ballots, outcome.selected, by_votes.selected)
    comparison = {
        "greedy": by_votes.selected,
        "prefer_equal_shares": for_mes,
        "prefer_greedy": for_greedy,
        "switched_to_greedy": for_greedy > for_mes,
    }
    if for_greedy > for_mes:
        by_votes.rule, by_votes.runs = outcome.rule, outcome.runs
        by_votes.budget_per_voter = outcome.budget_per_voter
        outcome = by_votes
    outcome.comparison = comparison
    return outcome


def count_within_budget(
    rule: str,
    ballots: Sequence[Sequence[str]],
    order: Sequence[str],
    costs: Mapping[str, Amount],
    budget: Amount,
    *,
    past_exhaustive: bool = False,
) -> BudgetOutcome:
    """Count with the Pabulib `rule` (one of RULES); `past_exhaustive`: see
    `equal_shares_with_costs`."""
    if rule == GREEDY:
        return greedy(ballots, order, costs, budget)
    if rule not in EQUAL_SHARES_RULES:
        raise ValueError(f"unknown rule {rule!r} (supported: {', '.join(RULES)})")
    add1, comparison = EQUAL_SHARES_RULES[rule]
    increment = Fraction(1) if add1 else None
    outcome = equal_shares_with_costs(
        ballots, order, costs, budget, increment=increment, rule=rule,
        past_exhaustive=past_exhaustive,
    )  # fmt: skip
    if comparison:
        outcome = with_comparison_step(outcome, ballots, order, costs, budget)
    return outcome
