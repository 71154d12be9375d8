"""`voisinage pb count FILE.pb [--rule RULE]`, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "pabulib"
WARSAW = DATA / "poland_warszawa_2017_aleksandrow.pb"


def voisinage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_pb_count_prints_one_json_object_with_the_files_rule() -> None:
    done = voisinage("pb", "count", str(WARSAW))
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    result = json.loads(line)
    assert result["rule"] == "greedy"
    assert result["selected"] == ["261", "720"] and result["matches_recorded"]
    assert result["cost"] == 110000 and result["budget"] == 110411


def test_pb_count_takes_another_rule_when_asked(tmp_path: Path) -> None:
    done = voisinage("pb", "count", str(WARSAW), "--rule", "equalshares/add1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rule"] == "equalshares/add1"


def test_pb_count_names_the_bad_line_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\nA;-5\n")
    done = voisinage("pb", "count", str(bad))
    assert done.returncode == 2 and not done.stdout
    assert "line 6: the cost of project A must be a non-negative number" in done.stderr


def test_pb_count_reproduces_real_elections_decided_by_equal_shares() -> None:
    """Assen 2024 and Swiecie 2023, as published on Pabulib (rule equalshares/add1)."""
    for name, cost in [("netherlands_assen_2024.pb", 76700), ("poland_swiecie_2023.pb", 1040337)]:
        done = voisinage("pb", "count", str(DATA / name))
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["rule"] == "equalshares/add1" and result["cost"] == cost
        assert sorted(result["selected"]) == sorted(result["recorded_selected"])
        assert result["matches_recorded"]


def test_pb_count_reproduces_wieliczka_2023_as_pabulibs_checker_counts_it() -> None:
    """Pabulib's checker goes on raising the budget per voter past a run that spends
    all it can, until the next would exceed the budget; pabutools stops there."""
    wieliczka = DATA / "poland_wieliczka_2023_green-budget_pabulib-2026.pb"
    done = voisinage("pb", "count", str(wieliczka))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["rule"] == "equalshares/add1-comparison"
    assert result["completion"] == "pabulib" and result["matches_recorded"]
    assert result["cost"] == 995079
    other = voisinage("pb", "count", str(wieliczka), "--completion", "pabutools")
    assert other.returncode == 0, other.stderr
    stopped = json.loads(other.stdout)
    assert stopped["completion"] == "pabutools" and not stopped["matches_recorded"]
    assert stopped["cost"] == 984579
