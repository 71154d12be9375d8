"""Equal shares without completion and with the comparison step (Pabulib ``equalshares``,
``equalshares-comparison``, ``equalshares/add1-comparison``): textbook cases, an
oracle for the plain run (pabutools without completion) and properties of the step."""

from __future__ import annotations

import random

import pytest

from domain import pabulib
from domain.voting.budget import (
    EQUAL_SHARES_RULES,
    RULES,
    count_within_budget,
    equal_shares_add1,
    greedy,
    voters_preferring,
)
from tests.unit.voting.test_budget_oracles import pabutools_instance, random_instance

# 10 voters, budget 100: six want A (100), four want both B and C (50 each).
ORDER = ["A", "B", "C"]
COSTS = {"A": 100, "B": 50, "C": 50}
SIX_FOUR = [["A"]] * 6 + [["B", "C"]] * 4


def test_add1_funds_the_minority_and_the_comparison_step_gives_it_back_to_the_majority() -> None:
    plain = count_within_budget("equalshares/add1", SIX_FOUR, ORDER, COSTS, 100)
    assert plain.selected == ["B"] and plain.comparison is None
    compared = count_within_budget("equalshares/add1-comparison", SIX_FOUR, ORDER, COSTS, 100)
    assert compared.selected == ["A"] and compared.spent == 100
    assert compared.rule == "equalshares/add1-comparison"
    assert compared.comparison == {
        "greedy": ["A"],
        "prefer_equal_shares": 4,
        "prefer_greedy": 6,
        "switched_to_greedy": True,
    }


def test_the_comparison_step_keeps_equal_shares_when_no_more_voters_prefer_greedy() -> None:
    # four want A, six want B and C: greedy funds B and C (6 votes each), so does MES
    ballots = [["A"]] * 4 + [["B", "C"]] * 6
    compared = count_within_budget("equalshares/add1-comparison", ballots, ORDER, COSTS, 100)
    plain = equal_shares_add1(ballots, ORDER, COSTS, 100)
    assert compared.selected == plain.selected
    assert compared.comparison is not None and not compared.comparison["switched_to_greedy"]
    # a tie between the two sides keeps equal shares (the switch needs strictly more)
    even = [["A"]] * 5 + [["B", "C"]] * 5
    tied = count_within_budget("equalshares/add1-comparison", even, ORDER, COSTS, 100)
    assert tied.comparison is not None
    assert (tied.comparison["prefer_equal_shares"], tied.comparison["prefer_greedy"]) == (5, 5)
    assert tied.selected == equal_shares_add1(even, ORDER, COSTS, 100).selected == ["B"]


def test_plain_equal_shares_is_one_run_without_completion() -> None:
    # budget/n = 10 per voter: nobody's group can pay for its project, nothing is funded
    plain = count_within_budget("equalshares", SIX_FOUR, ORDER, COSTS, 100)
    assert plain.selected == [] and plain.runs == 1
    # where the first run already buys, it is the answer
    ballots = [["A"]] * 10
    assert count_within_budget("equalshares", ballots, ORDER, COSTS, 100).selected == ["A"]
    compared = count_within_budget("equalshares-comparison", SIX_FOUR, ORDER, COSTS, 100)
    assert compared.selected == ["A"] and compared.comparison is not None


def test_voters_preferring_counts_strict_preferences_only() -> None:
    ballots = [["A"], ["B"], ["A", "B"], []]
    assert voters_preferring(ballots, ["A"], ["B"]) == (1, 1)
    assert voters_preferring(ballots, ["A", "B"], ["B"]) == (2, 0)


@pytest.mark.slow
def test_the_comparison_step_on_random_instances() -> None:
    """Whatever the instance: the outcome is equal shares' or greedy's, within the
    budget, and it is greedy's exactly when strictly more voters prefer greedy's."""
    rng = random.Random("comparison/budget")
    switched = 0
    for _ in range(1500):
        order, costs, budget, ballots = random_instance(rng)
        for rule, (add1, _) in EQUAL_SHARES_RULES.items():
            if not rule.endswith("comparison"):
                continue
            base = count_within_budget(
                rule.removesuffix("-comparison"), ballots, order, costs, budget
            )
            by_votes = greedy(ballots, order, costs, budget)
            outcome = count_within_budget(rule, ballots, order, costs, budget)
            assert outcome.spent <= budget
            for_mes, for_greedy = voters_preferring(ballots, base.selected, by_votes.selected)
            expected = by_votes.selected if for_greedy > for_mes else base.selected
            assert outcome.selected == expected
            switched += for_greedy > for_mes
            if not add1:
                assert outcome.runs <= 1  # no completion: one run at most
    assert switched >= 20  # the instances do exercise the switch


@pytest.mark.slow
def test_plain_equal_shares_equals_pabutools_without_completion() -> None:
    election = pytest.importorskip("pabutools.election", reason="pabutools is in the dev extra")
    rules = pytest.importorskip("pabutools.rules")
    ties = pytest.importorskip("pabutools.tiebreaking")
    rng = random.Random("oracle/equalshares")
    differences = []
    for trial in range(1000):
        order, costs, budget, ballots = random_instance(rng)
        instance, profile, _ = pabutools_instance(order, costs, budget, ballots)
        theirs = rules.method_of_equal_shares(
            instance, profile, sat_class=election.Cost_Sat, tie_breaking=ties.lexico_tie_breaking
        )
        ours = count_within_budget("equalshares", ballots, order, costs, budget)
        if sorted(ours.selected) != sorted(order[int(p.name)] for p in theirs):
            differences.append((trial, order, costs, budget, ballots, ours.selected))
    assert not differences, differences[:3]


def test_pb_count_takes_every_equal_shares_rule_from_the_file() -> None:
    meta = {"budget": "100", "vote_type": "approval"}
    projects = [pabulib.PbProject(c, COSTS[c]) for c in ORDER]
    votes = [pabulib.PbVote(str(i), b) for i, b in enumerate(SIX_FOUR, start=1)]
    for rule in RULES:
        text = pabulib.write(pabulib.PbElection({**meta, "rule": rule}, projects, votes))
        result = pabulib.count(pabulib.parse(text))
        assert result["rule"] == rule
        expected = {"greedy": ["A"], "equalshares": [], "equalshares/add1": ["B"]}
        assert result["selected"] == expected.get(rule, ["A"])
        assert ("comparison" in result) == rule.endswith("comparison")
