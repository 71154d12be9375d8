"""Counting within a budget against pabutools on thousands of random instances with costs.

The same tie-break on both sides: the candidates are shuffled into a random tie-break
order, which we pass to our functions, and pabutools gets the projects named by their
position in that order, so that its lexicographic tie-break is ours.

* ``equalshares/add1``: ``method_of_equal_shares`` with ``Cost_Sat`` and
  ``voter_budget_increment=1`` (one unit of currency per voter and run), against both
  of our engines (fractions, and the certified float runs);
* ``greedy``: ``greedy_utilitarian_welfare`` with ``Cost_Sat`` (pabutools also funds
  projects nobody voted for when they still fit, after every voted one: those are left
  out of its answer before comparing, as ours never funds them).
"""

from __future__ import annotations

import random

import pytest

from domain.voting.budget import equal_shares_add1, greedy

election = pytest.importorskip("pabutools.election", reason="pabutools is in the dev extra")
rules = pytest.importorskip("pabutools.rules")
ties = pytest.importorskip("pabutools.tiebreaking")

INSTANCES = 2000


def random_instance(
    rng: random.Random,
) -> tuple[list[str], dict[str, int], int, list[list[str]]]:
    """Candidates in tie-break order, their costs, a budget and approval ballots."""
    m = rng.randint(1, 7)
    n = rng.randint(1, 14)
    candidates = [f"p{i}" for i in range(m)]
    scale = rng.choice([1, 3, 10, 100])
    costs = {c: rng.randint(1, 10) * scale for c in candidates}
    if rng.random() < 0.2:
        costs = {c: scale for c in candidates}  # equal costs: many ties
    if rng.random() < 0.05:
        costs[rng.choice(candidates)] = 0  # seen in a few Pabulib files
    budget = max(1, int(sum(costs.values()) * rng.uniform(0.1, 0.9)))
    ballots: list[list[str]] = []
    if rng.random() < 0.5:
        popularity = [rng.random() for _ in candidates]
        for _ in range(n):
            chosen = [c for c, p in zip(candidates, popularity, strict=True) if rng.random() < p]
            ballots.append(chosen)
    else:
        blocs = [rng.sample(candidates, rng.randint(1, m)) for _ in range(rng.randint(2, 3))]
        ballots = [sorted(rng.choice(blocs)) for _ in range(n)]
    rng.shuffle(candidates)
    return candidates, costs, budget, ballots


def pabutools_instance(
    order: list[str], costs: dict[str, int], budget: int, ballots: list[list[str]]
) -> tuple[object, object, dict[str, object]]:
    """The pabutools instance and profile, projects named in our tie-break order."""
    projects = {c: election.Project(f"{i:03d}", costs[c]) for i, c in enumerate(order)}
    instance = election.Instance(projects.values(), budget_limit=budget)
    profile = election.ApprovalProfile(
        [election.ApprovalBallot({projects[c] for c in ballot}) for ballot in ballots]
    )
    return instance, profile, projects


@pytest.mark.slow
def test_budget_rules_equal_pabutools_on_random_instances() -> None:
    rng = random.Random("oracle/budget")
    mes_differences, greedy_differences = [], []
    not_greedy = 0
    for trial in range(INSTANCES):
        order, costs, budget, ballots = random_instance(rng)
        instance, profile, _ = pabutools_instance(order, costs, budget, ballots)
        theirs = rules.method_of_equal_shares(
            instance,
            profile,
            sat_class=election.Cost_Sat,
            voter_budget_increment=1,
            tie_breaking=ties.lexico_tie_breaking,
        )
        ours = equal_shares_add1(ballots, order, costs, budget, certified=False)
        assert ours.spent <= budget
        if sorted(ours.selected) != sorted(order[int(p.name)] for p in theirs):
            mes_differences.append((trial, order, costs, budget, ballots, ours.selected))
        # the certified float engine (used from a few hundred distinct ballots) as well
        fast = equal_shares_add1(ballots, order, costs, budget, certified=True)
        if fast.selected != ours.selected:
            mes_differences.append((trial, order, costs, budget, ballots, fast.selected))
        voted = {c for b in ballots for c in b}
        theirs_greedy = rules.greedy_utilitarian_welfare(
            instance, profile, sat_class=election.Cost_Sat, tie_breaking=ties.lexico_tie_breaking
        )
        ours_greedy = greedy(ballots, order, costs, budget)
        expected = sorted(order[int(p.name)] for p in theirs_greedy if order[int(p.name)] in voted)
        if sorted(ours_greedy.selected) != expected:
            greedy_differences.append((trial, order, costs, budget, ballots))
        not_greedy += sorted(ours.selected) != sorted(ours_greedy.selected)
    print(
        f"\n[oracle/budget] instances={INSTANCES}, mes_differences={len(mes_differences)}, "
        f"greedy_differences={len(greedy_differences)}, mes_not_greedy={not_greedy}"
    )
    assert not mes_differences, mes_differences[:3]
    assert not greedy_differences, greedy_differences[:3]
    assert not_greedy >= 100  # the instances do tell the two rules apart
