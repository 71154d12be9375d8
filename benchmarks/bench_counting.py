"""Counting a city-scale vote: 100,000 approval ballots over 1,000 proposals.

Figures, each with a baseline measured in the same run on the same ballots:

* approval count (domain.voting.count) vs a bare ``collections.Counter`` over the
  choices (the least any approval count can do); goal: well under 1 s;
* equal shares (exact fractions, Add1 completion) vs the approval count; goal < 10 s;
* seq-PAV, for reference.

Ballots are generated with a fixed seed and skewed popularity (a few proposals are
popular, most are not), with blocs of like-minded voters, 1 to 8 choices each.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from domain.voting import VotingRules, count

FULL = {"ballots": 100_000, "proposals": 1_000, "shortlist": 10}
QUICK = {"ballots": 2_000, "proposals": 100, "shortlist": 10}


def generate(ballots: int, proposals: int, seed: int = 2026) -> tuple[list[str], list[list[str]]]:
    """Deterministic approval ballots with skewed popularity and blocs."""
    rng = random.Random(seed)
    candidates = [f"proposal-{i:05d}" for i in range(proposals)]
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(proposals)]
    blocs = [rng.sample(candidates, rng.randint(2, 6)) for _ in range(max(3, proposals // 50))]
    result = []
    for _ in range(ballots):
        if rng.random() < 0.3:
            result.append(list(rng.choice(blocs)))
        else:
            chosen = set(rng.choices(candidates, weights=weights, k=rng.randint(1, 8)))
            result.append(sorted(chosen))
    return candidates, result


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def run(quick: bool) -> list[dict[str, Any]]:
    """Run the counting benchmark; rows as described in benchmarks/common.py."""
    size = QUICK if quick else FULL
    candidates, ballots = generate(size["ballots"], size["proposals"])
    k = size["shortlist"]
    label = f"{size['ballots']:,} ballots x {size['proposals']:,} proposals"

    def bare() -> Counter[str]:
        tally: Counter[str] = Counter()
        for ballot in ballots:
            tally.update(ballot)
        return tally

    def method(name: str) -> Callable[[], Any]:
        rules = VotingRules.from_dict({"method": name, "shortlist_size": k})
        return lambda: count(rules, ballots, candidates)

    bare_seconds, _ = _timed(bare)
    approval_seconds, approval = _timed(method("approval"))
    shares_seconds, shares = _timed(method("equal_shares"))
    pav_seconds, _ = _timed(method("pav"))
    overlap = len(set(shares.shortlist) & set(approval.shortlist))
    return [
        {
            "bench": "counting",
            "figure": "approval count",
            "measured": approval_seconds,
            "unit": "s",
            "baseline": bare_seconds,
            "baseline_label": "bare Counter over the same ballots",
            "ratio": approval_seconds / bare_seconds if bare_seconds else None,
            "goal": "measured <= 1 s",
            "size": label,
        },
        {
            "bench": "counting",
            "figure": "equal shares (exact, Add1 completion)",
            "measured": shares_seconds,
            "unit": "s",
            "baseline": approval_seconds,
            "baseline_label": "approval count",
            "ratio": shares_seconds / approval_seconds if approval_seconds else None,
            "goal": "measured <= 10 s",
            "size": label,
            "where": (
                f"virtual seats {shares.tallies['virtual_seats']}; "
                f"{k - overlap} of {k} differ from top-{k} approval"
            ),
        },
        {
            "bench": "counting",
            "figure": "seq-PAV (exact)",
            "measured": pav_seconds,
            "unit": "s",
            "baseline": approval_seconds,
            "baseline_label": "approval count",
            "ratio": pav_seconds / approval_seconds if approval_seconds else None,
            "goal": None,
            "size": label,
        },
    ]


if __name__ == "__main__":
    for row in run(quick=False):
        print(row)
