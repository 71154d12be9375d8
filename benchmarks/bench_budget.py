"""Counting a participatory budget: equal shares with cost utilities (Add1) beside pabutools.

Sizes (full): 10,000 voters x 100 projects and 100,000 voters x 1,000 projects; medium
(``run(False, size="medium")``): the first of these alone; quick: 1,000 x 30; tiny:
300 x 12. Ballots come from bench_counting's generator (skewed popularity, blocs); costs
are drawn with a fixed seed (1,000 to 200,000 in hundreds) and the budget is a quarter
of their total, as in the Pabulib files of large cities.

Each size is counted by ``domain.voting.budget.equal_shares_add1`` and, on the same
instance in the same run, by pabutools' ``method_of_equal_shares`` (``Cost_Sat``,
``voter_budget_increment=1``) in a child process with a time limit (its exact MES
took about 60 s on a 6,600-voter, 64-project real instance here); the two selections
are compared whenever pabutools finishes. Goal: two orders of magnitude faster.

Every size but tiny also counts the real instance the goal was set on, Wieliczka 2023
(6,586 voters, 64 projects, tests/data/pabulib), the same way beside pabutools.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_counting import generate
from benchmarks.common import row
from domain import pabulib
from domain.voting.budget import equal_shares_add1

SIZES = {
    "full": [(10_000, 100), (100_000, 1_000)],
    "medium": [(10_000, 100)],
    "quick": [(1_000, 30)],
    "tiny": [(300, 12)],
}
#: The real election the goal was set on (pabutools took about 60 s on it).
WIELICZKA = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "data"
    / "pabulib"
    / "poland_wieliczka_2023_green-budget.pb"
)
PABUTOOLS_LIMIT = {"full": 900.0, "medium": 900.0, "quick": 300.0, "tiny": 120.0}

#: pabutools' memory in its child: on 100,000 x 1,000 it grew past 18 GB in ten minutes.
PABUTOOLS_MEMORY = 6 * 2**30

PABUTOOLS_CHILD = """
import json, resource, sys, time
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from pabutools.election import Cost_Sat
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule
text = open(sys.argv[1], encoding="utf-8").read()
instance, profile = parse_pabulib_from_string(text)
order = sorted(p.name for p in instance)
tie = TieBreakingRule(lambda inst, prof, proj: order.index(proj.name))
start = time.perf_counter()
outcome = method_of_equal_shares(
    instance, profile, sat_class=Cost_Sat, voter_budget_increment=1, tie_breaking=tie
)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "selected": sorted(p.name for p in outcome)}))
"""


def instance(voters: int, projects: int, seed: int = 2026) -> pabulib.PbElection:
    """A deterministic election with costs; project ids sort in tie-break order."""
    names, ballots = generate(voters, projects, seed)
    rng = random.Random(f"{seed}/costs")
    costs = {name: rng.randint(10, 2_000) * 100 for name in names}
    return pabulib.PbElection(
        {"budget": str(sum(costs.values()) // 4), "vote_type": "approval"},
        [pabulib.PbProject(name, costs[name]) for name in sorted(names)],
        [pabulib.PbVote(str(i), ballot) for i, ballot in enumerate(ballots, start=1)],
    )


def pabutools_count(election: pabulib.PbElection, limit: float) -> dict[str, Any]:
    """pabutools' seconds and selection in a child process; past `limit` seconds or
    PABUTOOLS_MEMORY bytes (the child then fails with a MemoryError), `unfinished` says
    which and `seconds` is how long it ran."""
    path = Path(f"/tmp/voisinage-bench-budget-{len(election.votes)}.pb")
    path.write_text(pabulib.write(election), encoding="utf-8")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", PABUTOOLS_CHILD, str(path), str(PABUTOOLS_MEMORY)],
            capture_output=True,
            text=True,
            timeout=limit,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {"unfinished": f"not done within {limit:.0f} s", "seconds": limit}
    except subprocess.CalledProcessError as failed:
        if "MemoryError" not in failed.stderr:
            raise
        ran = time.perf_counter() - started
        return {
            "unfinished": f"out of its {PABUTOOLS_MEMORY / 2**30:.0f} GB after {ran:.0f} s",
            "seconds": ran,
        }
    finally:
        path.unlink(missing_ok=True)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def run(quick: bool, postgres: str | None = None, size: str | None = None) -> list[dict[str, Any]]:
    """Rows as described in benchmarks/common.py (PostgreSQL plays no part here)."""
    chosen = size if size in SIZES else ("quick" if quick else "full")
    elections = [
        (f"{voters:,} voters x {projects:,} projects", instance(voters, projects))
        for voters, projects in SIZES[chosen]
    ]
    if chosen != "tiny":
        real = pabulib.parse(WIELICZKA.read_text(encoding="utf-8"))
        elections.append(
            (f"Wieliczka 2023, {len(real.votes):,} voters x {len(real.projects)} projects", real)
        )
    rows = []
    for label, election in elections:
        order = [p.project_id for p in election.projects]
        start = time.perf_counter()
        ours = equal_shares_add1(election.ballots(), order, election.costs(), election.budget)
        seconds = time.perf_counter() - start
        theirs = pabutools_count(election, PABUTOOLS_LIMIT[chosen])
        if "unfinished" in theirs:  # no ratio against a count that never ended
            where = f"pabutools did not finish: {theirs['unfinished']}"
            baseline = None
        else:
            same = sorted(ours.selected) == theirs["selected"]
            where = f"same selection as pabutools: {same}"
            baseline = theirs["seconds"]
        rows.append(
            row(
                "budget",
                "equal shares with costs (exact, Add1)",
                measured=seconds,
                unit="s",
                baseline=baseline,
                baseline_label="pabutools method_of_equal_shares (Cost_Sat, +1)",
                goal="ratio <= 0.01",
                size=label,
                where=f"{ours.runs} Add1 runs ({ours.exact_runs} counted in fractions, the "
                f"rest by the certified float engine), {len(ours.selected)} funded; {where}",
            )
        )
    return rows


if __name__ == "__main__":
    for row in run(quick=False):
        print(row)
