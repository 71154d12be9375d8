"""Statistics of questionnaire results: rates with their n, distributions, and the change
between waves with a bootstrap interval. Pure functions, reproducible (fixed seed).

The bootstrap is the percentile bootstrap of the difference of means (after - before):
paired when the same respondents answered both waves (resampling respondents, keeping
their two answers together), unpaired otherwise (resampling each wave on its own).
Quantiles use linear interpolation (NumPy's default), as SciPy's ``percentile`` method.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

RESAMPLES = 2000
CONFIDENCE = 0.95
SEED = 2026


@dataclass(frozen=True)
class Rate:
    """How many answered out of how many were asked (``rate`` is None when unknown)."""

    responses: int
    sent_to: int | None

    @property
    def rate(self) -> float | None:
        """The share who answered, or None when the number asked is unknown."""
        return None if not self.sent_to else self.responses / self.sent_to

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"responses": self.responses, "sent_to": self.sent_to, "rate": self.rate}


@dataclass(frozen=True)
class Summary:
    """n, mean and median of scale answers (mean and median None when n is 0)."""

    n: int
    mean: float | None
    median: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class Difference:
    """The change of the mean between two waves with its bootstrap interval."""

    estimate: float
    low: float
    high: float
    paired: bool
    n_before: int
    n_after: int
    confidence: float
    resamples: int
    seed: int

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


def summary(values: Sequence[float]) -> Summary:
    """n, mean and median of `values`."""
    if not values:
        return Summary(0, None, None)
    return Summary(len(values), statistics.fmean(values), float(statistics.median(values)))


def distribution(values: Sequence[Any], categories: Sequence[Any]) -> dict[Any, int]:
    """How many times each category was answered (lists count once per option chosen);
    every category is present, zero included."""
    counts = dict.fromkeys(categories, 0)
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            if item in counts:
                counts[item] += 1
    return counts


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values by linear interpolation (NumPy's "linear")."""
    position = (len(sorted_values) - 1) * q
    below = math.floor(position)
    above = min(below + 1, len(sorted_values) - 1)
    fraction = position - below
    return sorted_values[below] + (sorted_values[above] - sorted_values[below]) * fraction


def bootstrap_difference(
    before: Sequence[float],
    after: Sequence[float],
    *,
    paired: bool,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = SEED,
) -> Difference:
    """Percentile bootstrap interval of mean(after) - mean(before).

    Paired: `before[i]` and `after[i]` are one respondent's two answers. The same
    inputs and seed always give the same interval. Needs at least 2 values per wave.
    """
    if len(before) < 2 or len(after) < 2:
        raise ValueError("a bootstrap needs at least 2 answers in each wave")
    if paired and len(before) != len(after):
        raise ValueError("paired waves need one answer per respondent in each")
    if not 0 < confidence < 1 or resamples < 1:
        raise ValueError("confidence must be between 0 and 1, resamples at least 1")
    rng = random.Random(seed)
    estimates: list[float] = []
    if paired:
        differences = [b - a for a, b in zip(before, after, strict=True)]
        n = len(differences)
        estimate = statistics.fmean(differences)
        for _ in range(resamples):
            estimates.append(math.fsum(differences[rng.randrange(n)] for _ in range(n)) / n)
    else:
        n_a, n_b = len(before), len(after)
        estimate = statistics.fmean(after) - statistics.fmean(before)
        for _ in range(resamples):
            mean_a = math.fsum(before[rng.randrange(n_a)] for _ in range(n_a)) / n_a
            mean_b = math.fsum(after[rng.randrange(n_b)] for _ in range(n_b)) / n_b
            estimates.append(mean_b - mean_a)
    estimates.sort()
    alpha = (1 - confidence) / 2
    return Difference(
        estimate=estimate,
        low=quantile(estimates, alpha),
        high=quantile(estimates, 1 - alpha),
        paired=paired,
        n_before=len(before),
        n_after=len(after),
        confidence=confidence,
        resamples=resamples,
        seed=seed,
    )


def change_between_waves(
    before: dict[str, float], after: dict[str, float], *, seed: int = SEED
) -> dict[str, Any]:
    """The change of one scale question between two waves, answers keyed by respondent.

    Paired on the respondents who answered both waves when there are at least 2 of
    them, unpaired on everyone otherwise. Always with the n of each wave; without an
    interval when a wave has fewer than 2 answers.
    """
    both = sorted(set(before) & set(after))
    result: dict[str, Any] = {
        "before": summary(list(before.values())).as_dict(),
        "after": summary(list(after.values())).as_dict(),
        "respondents_in_both": len(both),
        "difference": None,
    }
    if len(both) >= 2:
        difference = bootstrap_difference(
            [before[r] for r in both], [after[r] for r in both], paired=True, seed=seed
        )
    elif len(before) >= 2 and len(after) >= 2:
        difference = bootstrap_difference(
            [before[r] for r in sorted(before)],
            [after[r] for r in sorted(after)],
            paired=False,
            seed=seed,
        )
    else:
        return result
    result["difference"] = difference.as_dict()
    return result
