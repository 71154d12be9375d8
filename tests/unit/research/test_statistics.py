"""The questionnaire statistics against SciPy's bootstrap, and their properties."""

from __future__ import annotations

import random
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from domain.statistics import (
    Rate,
    bootstrap_difference,
    change_between_waves,
    distribution,
    quantile,
    summary,
)

scale5 = st.lists(st.integers(1, 5), min_size=2, max_size=30)


def _scipy_interval(before: list[int], after: list[int], *, paired: bool) -> tuple[float, float]:
    def difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.mean(b, axis=axis) - np.mean(a, axis=axis)

    result = scipy_stats.bootstrap(
        (before, after),
        difference,
        paired=paired,
        vectorized=True,
        n_resamples=20_000,
        method="percentile",
        confidence_level=0.95,
        random_state=np.random.default_rng(7),
    )
    return result.confidence_interval.low, result.confidence_interval.high


@pytest.mark.parametrize("paired", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_interval_agrees_with_scipy_on_generated_waves(paired: bool, seed: int) -> None:
    rng = random.Random(seed)
    before = [rng.choice([1, 2, 2, 3, 3, 4]) for _ in range(40)]
    after = [min(5, b + rng.choice([0, 0, 1, 1, 2])) for b in before]
    if not paired:
        after = after[:31]
    ours = bootstrap_difference(before, after, paired=paired, resamples=20_000, seed=seed)
    low, high = _scipy_interval(before, after, paired=paired)
    # Two independent Monte Carlo runs: the endpoints agree to a small share of the width.
    width = high - low
    assert abs(ours.low - low) < 0.05 * width, (ours, low, high)
    assert abs(ours.high - high) < 0.05 * width, (ours, low, high)
    assert ours.estimate == pytest.approx(np.mean(after) - np.mean(before))
    assert ours.n_before == 40 and ours.n_after == len(after)


def test_the_same_seed_gives_the_same_interval_and_another_seed_another() -> None:
    before, after = [1, 2, 3, 3, 4, 2, 1], [2, 3, 3, 4, 5, 3, 2]
    first = bootstrap_difference(before, after, paired=True, seed=11)
    assert bootstrap_difference(before, after, paired=True, seed=11) == first
    assert bootstrap_difference(before, after, paired=True, seed=12) != first


def test_quantile_is_numpys_linear_quantile() -> None:
    values = sorted(random.Random(3).uniform(-5, 5) for _ in range(37))
    for q in (0, 0.025, 0.3, 0.5, 0.975, 1):
        assert quantile(values, q) == pytest.approx(np.quantile(values, q))


@settings(max_examples=40, deadline=None)
@given(scale5)
def test_equal_waves_show_no_change(values: list[int]) -> None:
    paired = bootstrap_difference(values, list(values), paired=True, resamples=200)
    assert (paired.estimate, paired.low, paired.high) == (0, 0, 0)
    unpaired = bootstrap_difference(values, list(values), paired=False, resamples=200)
    assert unpaired.estimate == 0
    assert unpaired.low <= 0 <= unpaired.high


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=2, max_size=30))
def test_swapping_the_waves_negates_the_paired_change(pairs: list[tuple[int, int]]) -> None:
    before, after = [a for a, _ in pairs], [b for _, b in pairs]
    forward = bootstrap_difference(before, after, paired=True, resamples=300, seed=5)
    backward = bootstrap_difference(after, before, paired=True, resamples=300, seed=5)
    assert backward.estimate == pytest.approx(-forward.estimate)
    assert backward.low == pytest.approx(-forward.high)
    assert backward.high == pytest.approx(-forward.low)


@settings(max_examples=20, deadline=None)
@given(scale5, scale5)
def test_swapping_the_waves_negates_the_unpaired_change(
    before: list[int], after: list[int]
) -> None:
    forward = bootstrap_difference(before, after, paired=False, resamples=4000)
    backward = bootstrap_difference(after, before, paired=False, resamples=4000)
    assert backward.estimate == pytest.approx(-forward.estimate)
    spread = max(forward.high - forward.low, 1e-9)
    assert abs(backward.low + forward.high) <= 0.15 * spread + 1e-9
    assert abs(backward.high + forward.low) <= 0.15 * spread + 1e-9


def test_summaries_distributions_and_rates_keep_their_n() -> None:
    assert summary([1, 2, 4, 5]) == summary([5, 4, 2, 1])
    s = summary([1, 2, 4, 5])
    assert (s.n, s.mean, s.median) == (4, 3.0, 3.0)
    assert summary([]).as_dict() == {"n": 0, "mean": None, "median": None}
    assert distribution(["1", ["1", "3"], "2"], ["1", "2", "3", "4"]) == {
        "1": 2,
        "2": 1,
        "3": 1,
        "4": 0,
    }
    assert Rate(20, 100).as_dict() == {"responses": 20, "sent_to": 100, "rate": 0.2}
    assert Rate(3, None).rate is None


def test_the_change_is_paired_on_the_respondents_of_both_waves() -> None:
    before = {"a": 2, "b": 3, "c": 1, "d": 2}
    after = {"a": 4, "b": 4, "c": 3, "e": 5}
    change = change_between_waves(before, after)
    assert change["respondents_in_both"] == 3
    assert change["difference"]["paired"] is True
    assert change["difference"]["estimate"] == pytest.approx(statistics.fmean([2, 1, 2]))
    assert change["before"]["n"] == 4 and change["after"]["n"] == 4
    unpaired = change_between_waves({"a": 1, "b": 2}, {"c": 4, "d": 5})
    assert unpaired["difference"]["paired"] is False
    assert unpaired["difference"]["estimate"] == pytest.approx(3)
    assert change_between_waves({"a": 1}, {"a": 4})["difference"] is None
