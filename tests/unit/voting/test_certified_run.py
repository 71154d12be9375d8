"""The certified float engine of equal shares buys exactly what the exact engine buys.

Both engines count the same instances (`equal_shares_with_costs(..., certified=...)`)
and every part of the outcome is compared: selection, rounds with their exact prices,
ties, number of Add1 runs, budget per voter and spending. The instances are built to
make floating point hard: equal costs and clones (projects with the same supporters,
whose keys tie exactly), costs from 1 to 10**15, cents, budgets per voter that equal a
price exactly, and thousands of ballots as well as a handful.
"""

from __future__ import annotations

import random
from fractions import Fraction
from functools import partial

import pytest

from domain.voting import budget as budget_module
from domain.voting.budget import BudgetOutcome, equal_shares_with_costs
from domain.voting.certified_run import CertifiedRun


def both(
    ballots: list[list[str]],
    order: list[str],
    costs: dict[str, int | Fraction],
    budget: int | Fraction,
    **options: object,
) -> tuple[BudgetOutcome, BudgetOutcome]:
    """The exact engine's outcome and the certified engine's."""
    exact = equal_shares_with_costs(ballots, order, costs, budget, certified=False, **options)  # type: ignore[arg-type]
    fast = equal_shares_with_costs(ballots, order, costs, budget, certified=True, **options)  # type: ignore[arg-type]
    return exact, fast


def same(exact: BudgetOutcome, fast: BudgetOutcome) -> bool:
    """Equal in everything but the count of runs counted in fractions."""
    return (
        exact.selected == fast.selected
        and exact.rounds == fast.rounds
        and exact.ties == fast.ties
        and exact.runs == fast.runs
        and exact.budget_per_voter == fast.budget_per_voter
        and exact.spent == fast.spent
    )


def hard_instance(
    rng: random.Random, voters: int
) -> tuple[list[list[str]], list[str], dict[str, int | Fraction], int | Fraction, Fraction]:
    """Ballots, tie-break order, costs, budget and Add1 increment, with many exact and
    near ties (the increment grows with the costs, so that Add1 takes few runs)."""
    m = rng.randint(2, 14)
    order = [f"p{i}" for i in range(m)]
    scale = rng.choice([1, 7, 100, 10**6, 10**15])
    costs: dict[str, int | Fraction] = {c: rng.randint(1, 12) * scale for c in order}
    if rng.random() < 0.3:
        costs = {c: scale for c in order}  # equal costs
    if rng.random() < 0.2:
        costs = {c: Fraction(rng.randint(100, 99_999), 100) for c in order}  # cents
        scale = 100
    blocs = [rng.sample(order, rng.randint(1, min(4, m))) for _ in range(rng.randint(2, 6))]
    popularity = [rng.random() for _ in order]
    ballots = []
    for _ in range(voters):
        if rng.random() < 0.6:
            ballots.append(list(rng.choice(blocs)))
        else:
            ballots.append([c for c, p in zip(order, popularity, strict=True) if rng.random() < p])
    if rng.random() < 0.3:  # a clone: another project with the same supporters
        original, clone = rng.sample(order, 2)
        ballots = [
            [c for c in b if c != clone] + ([clone] if original in b else []) for b in ballots
        ]
        if rng.random() < 0.5:
            costs[clone] = costs[original]
    total = sum(costs.values())
    if rng.random() < 0.2:
        # a budget per voter that is exactly some project's price when all its supporters pay
        target = rng.choice(order)
        supporters = sum(1 for b in ballots if target in b)
        budget: int | Fraction = (
            Fraction(costs[target]) * len(ballots) / supporters if supporters else total
        )
    else:
        budget = max(1, int(total * rng.uniform(0.1, 0.9)))
    increment = Fraction(scale, rng.choice([1, 3, 10])) if scale > 100 else Fraction(1)
    if scale == 1 and rng.random() < 0.5:
        increment = Fraction(1, len(ballots))  # unit-cost shortlists raise by 1/n
    return ballots, order, costs, budget, increment


@pytest.mark.parametrize("each_group", [False, True], ids=["one-bound", "bound-per-group"])
@pytest.mark.parametrize("voters", [3, 40, 400])
def test_the_certified_engine_buys_what_the_exact_engine_buys(
    voters: int, each_group: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways of bounding the errors (the engine starts with one bound for every
    budget and goes on with a bound per group where that cannot decide)."""
    monkeypatch.setattr(budget_module, "CertifiedRun", partial(CertifiedRun, each_group=each_group))
    rng = random.Random(f"certified/{voters}")
    differences, uncertain = [], 0
    trials = {3: 600, 40: 400, 400: 300}[voters]
    for trial in range(trials):
        ballots, order, costs, budget, increment = hard_instance(rng, rng.randint(1, voters))
        past = rng.random() < 0.5
        exact, fast = both(ballots, order, costs, budget, past_exhaustive=past, increment=increment)
        uncertain += fast.exact_runs
        if not same(exact, fast):
            differences.append((trial, ballots, order, costs, budget, past))
    print(f"\n[certified/{voters}] instances={trials}, differences={len(differences)}, "
          f"runs counted in fractions={uncertain}")  # fmt: skip
    assert not differences, differences[:2]


def test_a_run_the_floats_cannot_decide_is_counted_in_fractions() -> None:
    # every voter holds exactly the price of the project they all approve: whether it is
    # affordable is an equality that floats cannot certify
    ballots = [["a", "b"], ["a"], ["a", "b"]]
    exact, fast = both(ballots, ["a", "b"], {"a": 3, "b": 2}, 3)
    assert fast.exact_runs >= 1
    assert same(exact, fast)
    assert fast.selected[0] == "a"


def test_clones_tie_exactly_and_go_to_the_tie_break_order() -> None:
    # b and c have the same supporters: their keys are both 1 / 400 whatever they cost
    ballots = [["b", "c"]] * 400 + [["a"]] * 100
    order = ["a", "c", "b"]
    exact, fast = both(ballots, order, {"a": 10**6, "b": 10**6 + 1, "c": 10**6}, 2 * 10**6)
    assert same(exact, fast)
    assert fast.exact_runs == 0
    assert fast.rounds[0]["proposal_id"] == "c"
    assert fast.rounds[0]["tied"] == ["c", "b"]


def test_a_city_sized_count_needs_no_run_in_fractions() -> None:
    rng = random.Random("certified/city")
    order = [f"p{i:02d}" for i in range(40)]
    costs: dict[str, int | Fraction] = {c: rng.randint(10, 2_000) * 100 for c in order}
    weights = [rng.random() ** 3 for _ in order]
    ballots = [rng.choices(order, weights, k=rng.randint(1, 5)) for _ in range(3_000)]
    exact, fast = both(ballots, order, costs, sum(costs.values()) // 4)
    assert same(exact, fast)
    assert fast.runs > 50
    assert fast.exact_runs == 0
