"""`count`: every method's count over the ballots, merges followed, ties recorded.

The methods live in their own modules: scoring.py (approval, dots, Borda), schulze.py,
majority_judgment.py, equal_shares.py and pav.py; merges.py says what a choice of a
merged proposal counts for. This module picks the method and assembles the
`CountResult`:

* ranking methods (approval, dots, Borda, Schulze, majority judgment): the shortlist is
  the first ``shortlist_size`` of the ranking;
* proportional methods (equal shares, seq-PAV): the shortlist is the committee of
  ``shortlist_size`` in selection order, and the ranking is the shortlist followed by
  the other proposals by approval count; the tallies hold the approval counts, the
  rounds (what each selected proposal cost its supporters, or its PAV score) and the
  variant.

Rules with a ``spending_limit`` select proposals within a budget instead
(domain/voting/budget.py): the shortlist is the funded proposals in selection order,
the tallies hold their costs, the budget and what was spent.

Ties go to the order of `candidates` (earlier wins): the caller passes the process's
fixed tie-break order. Every tie the order decided is in `tie_breaks`. Pure and
independent of ballot order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.voting import merges
from domain.voting.budget import count_within_budget
from domain.voting.equal_shares import equal_shares
from domain.voting.majority_judgment import majority_judgment
from domain.voting.pav import sequential_pav
from domain.voting.result import CountResult
from domain.voting.rules import Choices, Method, VotingRules
from domain.voting.schulze import schulze
from domain.voting.scoring import ordered_by_score, scores

EQUAL_SHARES_VARIANT = (
    "MES, unit costs, Add1 completion (Aarau 2023; pabutools voter_budget_increment=1/n: "
    "the last virtual size whose run buys at most k), then approval count"
)
PAV_VARIANT = "sequential PAV (harmonic weights 1, 1/2, 1/3, ...)"
BUDGET_VARIANTS = {
    "greedy": "greedy by votes within the budget, skipping what no longer fits (Pabulib greedy)",
    "equalshares/add1": (
        "MES with cost utilities, Add1 completion: the budget per voter raised by one unit "
        "of currency until the selection would exceed the budget (Pabulib equalshares/add1; "
        "pabutools Cost_Sat, voter_budget_increment=1)"
    ),
}


def ranking_result(
    rules: VotingRules,
    ranking: list[str],
    tallies: dict[str, Any],
    ties: list[dict[str, Any]],
    counted: int,
) -> CountResult:
    """The result of a ranking method: the shortlist is the head of the ranking."""
    return CountResult(
        method=rules.method.value,
        ranking=ranking,
        shortlist=ranking[: rules.shortlist_size],
        tallies=tallies,
        tie_breaks=ties,
        ballots_counted=counted,
    )


def count(
    rules: VotingRules,
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    merged_into: Mapping[str, str] | None = None,
    costs: Mapping[str, int] | None = None,
) -> CountResult:
    """Count ballots with the rules' method; pure and independent of ballot order.

    `candidates` are the current proposals in tie-break order; `merged_into` maps a
    merged proposal to the one it was merged into; `costs` (proposal -> cost) is
    needed when the rules select within a budget.
    """
    merged = merged_into or {}
    if rules.within_budget:
        return _count_budget(rules, ballots, candidates, merged, costs or {})
    if rules.method is Method.MAJORITY_JUDGMENT:
        return ranking_result(rules, *majority_judgment(ballots, candidates, rules.grades, merged))
    if rules.method is Method.SCHULZE:
        return ranking_result(rules, *schulze(ballots, candidates, merged))
    if rules.method in (Method.EQUAL_SHARES, Method.PAV):
        return _count_committee(rules, ballots, candidates, merged)
    score, counted = scores(rules.method, ballots, candidates, merged)
    ranking, ties = ordered_by_score(score, candidates)
    return ranking_result(rules, ranking, dict(score), ties, counted)


def _count_committee(
    rules: VotingRules,
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    merged: Mapping[str, str],
) -> CountResult:
    """Equal shares or seq-PAV: the shortlist is the committee, in selection order."""
    valid = set(candidates)
    approvals = [merges.approved(ballot, valid, merged) for ballot in ballots]
    score = {c: 0 for c in candidates}
    for ballot in approvals:
        for c in ballot:
            score[c] += 1
    k = rules.shortlist_size
    details: dict[str, Any]
    if rules.method is Method.EQUAL_SHARES:
        outcome = equal_shares(approvals, candidates, k)
        elected, rounds = outcome.elected, outcome.rounds
        details = {
            "variant": EQUAL_SHARES_VARIANT,
            "virtual_seats": outcome.virtual_seats,
            "budget_per_voter": outcome.budget_per_voter,
            "voters": outcome.voters,
            "completed_by_approval": outcome.completed_by_approval,
        }
    else:
        elected, rounds = sequential_pav(approvals, candidates, k)
        details = {"variant": PAV_VARIANT}
    chosen = set(elected)
    others = [c for c in candidates if c not in chosen]
    rest, rest_ties = ordered_by_score({c: float(score[c]) for c in others}, others)
    ties = [
        {"round": i + 1, "tied": r["tied"], "order": r["tied"], "rule": "tie-break order"}
        for i, r in enumerate(rounds)
        if r.get("tied")
    ]
    return CountResult(
        method=rules.method.value,
        ranking=[*elected, *rest],
        shortlist=list(elected),
        tallies={"approvals": score, "rounds": rounds, **details},
        tie_breaks=ties + rest_ties,
        ballots_counted=len(approvals),
    )


def _count_budget(
    rules: VotingRules,
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    merged: Mapping[str, str],
    costs: Mapping[str, int],
) -> CountResult:
    """Proposals within the budget (greedy or equal shares, domain/voting/budget.py).

    The shortlist is the funded proposals in selection order; the ranking is the
    shortlist followed by the other proposals by approval count. A proposal without a
    cost cannot be funded: it is not a candidate (listed in the tallies). The voters of
    equal shares are the ballots that still name a candidate (as for the k-shortlist).
    """
    valid = set(candidates)
    approvals = [merges.approved(ballot, valid, merged) for ballot in ballots]
    priced = [c for c in candidates if c in costs]
    score = {c: 0 for c in candidates}
    for ballot in approvals:
        for c in ballot:
            score[c] += 1
    assert rules.spending_limit is not None and rules.budget_rule is not None
    outcome = count_within_budget(
        rules.budget_rule,
        [b for b in approvals if any(c in costs for c in b)],
        priced,
        {c: costs[c] for c in priced},
        rules.spending_limit,
    )
    chosen = set(outcome.selected)
    others = [c for c in candidates if c not in chosen]
    rest, rest_ties = ordered_by_score({c: float(score[c]) for c in others}, others)
    return CountResult(
        method=rules.method.value,
        ranking=[*outcome.selected, *rest],
        shortlist=list(outcome.selected),
        tallies={
            "approvals": score,
            "rule": outcome.rule,
            "variant": BUDGET_VARIANTS[outcome.rule],
            "costs": {c: costs[c] for c in priced},
            "budget": rules.spending_limit,
            "spent": outcome.spent,
            "currency": rules.currency,
            "rounds": outcome.rounds,
            "budget_per_voter": outcome.budget_per_voter,
            "voters": outcome.voters,
            "runs": outcome.runs,
            "without_cost": [c for c in candidates if c not in costs],
        },
        tie_breaks=outcome.ties + rest_ties,
        ballots_counted=len(approvals),
    )
