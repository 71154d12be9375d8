"""`voisinage pb import FILE.pb`: a real Warsaw vote becomes a process on a SQLite file,
its published count is the city's, and its .pb export counts the same."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner

from application.budgets import export_pb
from domain import pabulib
from web.cli import build_application, main

DATA = Path(__file__).resolve().parents[1] / "data" / "pabulib"
WARSAW = DATA / "poland_warszawa_2019_obszar-iii-powsin-kepa-latoszkowa-zamosc-latoszki.pb"
PASSWORD = "correct horse battery"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/voisinage.sqlite")
    monkeypatch.setenv("VOISINAGE_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("VOISINAGE_PSEUDONYM_KEY", "00" * 32)
    created = CliRunner().invoke(
        main,
        ["users", "create", "--role", "facilitator", "--email", "fac@example.org"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert created.exit_code == 0, created.output
    return tmp_path


def test_a_warsaw_vote_imported_and_counted_as_the_city_did(store: Path) -> None:
    election = pabulib.parse(WARSAW.read_text(encoding="utf-8"))
    done = CliRunner().invoke(
        main,
        ["pb", "import", str(WARSAW), "--email", "fac@example.org", "--publish"],
        input=f"{PASSWORD}\n",
    )
    assert done.exit_code == 0, done.output
    summary = json.loads(done.output.splitlines()[-1])
    assert summary["ballots"] == len(election.votes)
    assert summary["rules"] == {"method": "approval", "spending_limit": election.budget}
    assert sorted(summary["selected"]) == sorted(pabulib.recorded_selection(election) or [])
    app = build_application()
    try:
        exported = pabulib.parse(export_pb(app, UUID(summary["process_id"])))
        stored, recounted = app.recount(UUID(summary["process_id"]))
    finally:
        app.close()
    assert stored == recounted
    back = {v: k for k, v in summary["proposals"].items()}
    assert sorted(back[p] for p in pabulib.count(exported)["selected"]) == sorted(
        summary["selected"]
    )


def head() -> int:
    app = build_application()
    try:
        return app.head_position()
    finally:
        app.close()


def test_a_wrong_password_or_a_bad_file_imports_nothing(store: Path, tmp_path: Path) -> None:
    before = head()
    refused = CliRunner().invoke(
        main, ["pb", "import", str(WARSAW), "--email", "fac@example.org"], input="wrong\n"
    )
    assert refused.exit_code == 2 and "error:" in refused.output
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\nA;5\nB;x\n")
    broken = CliRunner().invoke(
        main, ["pb", "import", str(bad), "--email", "fac@example.org"], input=f"{PASSWORD}\n"
    )
    assert broken.exit_code == 2
    assert "line 7: the cost of project B must be a non-negative number" in broken.output
    assert head() == before
