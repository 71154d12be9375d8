"""Counting within a budget: textbook cases, properties and the count's budget branch."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from domain.errors import InvalidVotingRules
from domain.voting import Method, VotingRules, count
from domain.voting.budget import count_within_budget, equal_shares_add1, greedy
from domain.voting.equal_shares import equal_shares


def test_greedy_skips_what_no_longer_fits_and_goes_on() -> None:
    ballots = [["a", "b", "c"]] * 3 + [["a", "b"]] + [["a"]]
    outcome = greedy(ballots, ["a", "b", "c"], {"a": 60, "b": 50, "c": 40}, 100)
    assert outcome.selected == ["a", "c"]  # b (50) no longer fits after a (60): skipped
    assert outcome.spent == 100
    assert [r["funded"] for r in outcome.rounds] == [True, False, True]


def test_greedy_never_funds_a_proposal_nobody_voted_for() -> None:
    outcome = greedy([["a"]], ["a", "b"], {"a": 10, "b": 10}, 100)
    assert outcome.selected == ["a"]


def test_equal_shares_gives_a_minority_its_share_where_greedy_gives_it_nothing() -> None:
    # 6 voters want a1..a3, 4 voters want b1, b2; each costs 20 and the budget is 60.
    ballots = [["a1", "a2", "a3"]] * 6 + [["b1", "b2"]] * 4
    order = ["a1", "a2", "a3", "b1", "b2"]
    costs = dict.fromkeys(order, 20)
    assert greedy(ballots, order, costs, 60).selected == ["a1", "a2", "a3"]
    outcome = equal_shares_add1(ballots, order, costs, 60)
    # First run (6 per voter): a1 (20/6 each), then a2 is out of the majority's reach
    # and b1 costs the minority 5 each; Add1 raises the share to 7: a1, a2, b1 = 60.
    assert outcome.selected == ["a1", "a2", "b1"]
    assert outcome.spent == 60 and outcome.budget_per_voter == "7" and outcome.runs == 2
    assert [r["max_payment"] for r in outcome.rounds] == ["10/3", "10/3", "5"]


def test_equal_shares_keeps_the_last_run_within_the_budget() -> None:
    # One voter for a (cost 10), one for b (cost 10), budget 15: 7.5 each buys nothing;
    # 8.5 nothing; ... 10 each would buy both (20 > 15): the empty run is kept.
    outcome = equal_shares_add1([["a"], ["b"]], ["a", "b"], {"a": 10, "b": 10}, 15)
    assert outcome.selected == [] and outcome.spent == 0
    assert outcome.runs == 4 and outcome.budget_per_voter == "19/2"


def test_ties_go_to_the_tie_break_order_and_are_recorded() -> None:
    ballots = [["x", "y"], ["x", "y"]]
    for order in (["x", "y"], ["y", "x"]):
        mes = equal_shares_add1(ballots, order, {"x": 10, "y": 10}, 10)
        assert mes.selected == [order[0]]
        assert mes.ties and mes.ties[0]["tied"] == order
        assert greedy(ballots, order, {"x": 10, "y": 10}, 10).selected == [order[0]]


@pytest.mark.parametrize("cost", [0.5, "10", True, -1, None])
def test_costs_must_be_exact_non_negative_amounts(cost: object) -> None:
    with pytest.raises(ValueError, match="cost"):
        greedy([["a"]], ["a"], {"a": cost}, 10)  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="budget"):
        equal_shares_add1([["a"]], ["a"], {"a": 1}, 0)
    with pytest.raises(ValueError, match="unknown rule"):
        count_within_budget("phragmen", [["a"]], ["a"], {"a": 1}, 1)


def random_instance(rng: random.Random) -> tuple[list[str], dict[str, int], list[list[str]]]:
    m, n = rng.randint(1, 8), rng.randint(1, 15)
    order = [f"p{i}" for i in range(m)]
    costs = {c: rng.randint(1, 50) for c in order}
    ballots = [[c for c in order if rng.random() < 0.4] for _ in range(n)]
    return order, costs, ballots


def test_never_over_budget_and_always_exhaustive_or_stopped_by_overspending() -> None:
    rng = random.Random("budget/never-over")
    for _ in range(500):
        order, costs, ballots = random_instance(rng)
        budget = rng.randint(1, sum(costs.values()))
        for outcome in (
            greedy(ballots, order, costs, budget),
            equal_shares_add1(ballots, order, costs, budget),
        ):
            assert outcome.spent == sum(costs[c] for c in outcome.selected) <= budget
            assert len(set(outcome.selected)) == len(outcome.selected)
        voted = {c for b in ballots for c in b}
        left = budget - greedy(ballots, order, costs, budget).spent
        unfunded = voted - set(greedy(ballots, order, costs, budget).selected)
        assert all(costs[c] > left for c in unfunded)  # greedy is exhaustive


def test_with_unit_costs_and_budget_k_the_counts_equal_the_k_shortlists() -> None:
    rng = random.Random("budget/unit-costs")
    for _ in range(500):
        order, _, ballots = random_instance(rng)
        ballots = [b for b in ballots if b]
        k = rng.randint(1, len(order))
        ones = dict.fromkeys(order, 1)
        top_k = count(VotingRules(shortlist_size=k), ballots, order)
        within = count(VotingRules(spending_limit=k), ballots, order, costs=ones)
        voted = {c for b in ballots for c in b}
        assert within.shortlist == [c for c in top_k.shortlist if c in voted]
        # equal shares: the same engine, Add1 by 1/n per voter = one more virtual seat
        mes_k = equal_shares(ballots, order, k)
        purchases = mes_k.elected[: len(mes_k.elected) - len(mes_k.completed_by_approval)]
        if ballots:
            budget_mes = equal_shares_add1(ballots, order, ones, k, Fraction(1, len(ballots)))
            assert budget_mes.selected == purchases


def test_a_cohesive_group_gets_projects_of_its_own_with_its_share_of_the_budget() -> None:
    rng = random.Random("budget/cohesive")
    greedy_left_a_group_out = 0
    for _ in range(300):
        blocs = rng.randint(2, 4)
        sizes = [rng.randint(1, 8) for _ in range(blocs)]
        n = sum(sizes)
        price = rng.randint(5, 40)
        own = {b: [f"b{b}-{j}" for j in range(rng.randint(1, 4))] for b in range(blocs)}
        order = [c for b in range(blocs) for c in own[b]]
        rng.shuffle(order)
        costs = dict.fromkeys(order, price)
        budget = rng.randint(price, price * len(order))
        ballots = [own[b] for b in range(blocs) for _ in range(sizes[b])]
        funded = set(equal_shares_add1(ballots, order, costs, budget).selected)
        funded_greedy = set(greedy(ballots, order, costs, budget).selected)
        for b in range(blocs):
            deserved = min(len(own[b]), (budget * sizes[b]) // (n * price))
            assert len(funded & set(own[b])) >= deserved, (sizes, budget, price, b)
            greedy_left_a_group_out += len(funded_greedy & set(own[b])) < deserved
    assert greedy_left_a_group_out >= 20  # greedy does not have this property


def test_count_within_a_budget_records_costs_budget_and_spending() -> None:
    rules = VotingRules(method=Method.EQUAL_SHARES, spending_limit=60)
    ballots = [["a1", "a2", "a3"]] * 6 + [["b1", "b2"]] * 4 + [["gone"]]
    order = ["a1", "a2", "a3", "b1", "b2"]
    result = count(rules, ballots, order, costs=dict.fromkeys(order, 20))
    assert result.shortlist == ["a1", "a2", "b1"]
    assert result.ranking[:3] == ["a1", "a2", "b1"] and sorted(result.ranking) == sorted(order)
    tallies = result.tallies
    assert tallies["rule"] == "equalshares/add1" and tallies["budget"] == 60
    assert tallies["spent"] == 60 and tallies["costs"]["b2"] == 20
    assert tallies["voters"] == 10 and result.ballots_counted == 11
    greedy_rules = VotingRules(spending_limit=60)
    assert count(greedy_rules, ballots, order, costs=dict.fromkeys(order, 20)).shortlist == [
        "a1",
        "a2",
        "a3",
    ]


def test_a_proposal_without_a_cost_is_not_funded() -> None:
    rules = VotingRules(spending_limit=100)
    result = count(rules, [["a", "b"]], ["a", "b"], costs={"b": 10})
    assert result.shortlist == ["b"] and result.tallies["without_cost"] == ["a"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"method": "schulze", "spending_limit": 100}, "method"),
        ({"spending_limit": 0}, "spending_limit"),
        ({"spending_limit": "100"}, "spending_limit"),
        ({"spending_limit": 100, "currency": "euro"}, "currency"),
        ({"spending_limit": 100, "show_running_total": "yes"}, "show_running_total"),
    ],
)
def test_budget_rules_are_validated(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidVotingRules) as refused:
        VotingRules.from_dict(data).validate()
    assert refused.value.field == field


def test_rules_without_a_budget_keep_their_stored_form() -> None:
    assert "spending_limit" not in VotingRules().to_dict()
    rules = VotingRules.from_dict({"spending_limit": 500, "show_running_total": True})
    assert VotingRules.from_dict(rules.to_dict()) == rules
    assert rules.budget_rule == "greedy"
