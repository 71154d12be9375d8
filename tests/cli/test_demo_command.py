"""`voisinage demo`: what it prints the first time and again, on a real SQLite store."""

from __future__ import annotations

import re
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner

from application.demo import DEMO_PASSWORD, DEMO_STAFF
from web.cli import build_application, main

PHASES = ("contributions", "proposals", "voting", "recommendations")
CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
MUTUALISONS = re.compile(
    r"Organisations \(Mutualisons\): /p/([0-9a-f-]{36})/organisations, "
    r"questionnaire /q/([0-9a-f-]{36}), a representative's code (\S+)"
)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("VOISINAGE_SECRET_KEY", "VOISINAGE_PSEUDONYM_KEY", "VOISINAGE_CHECKPOINT_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/voisinage.sqlite")
    return tmp_path


def listing(output: str) -> dict[str, tuple[UUID, list[str]]]:
    """Each printed process by phase: its id (from its address) and its unused codes."""
    processes: dict[str, tuple[UUID, list[str]]] = {}
    phase = None
    for line in output.splitlines():
        words = line.split()
        if words and words[0] in PHASES:
            phase = words[0]
        elif phase and words and re.fullmatch(r"/p/[0-9a-f-]{36}", words[0]):
            processes[phase] = (UUID(words[0][3:]), [])
        elif phase and "unused invitation codes:" in line:
            processes[phase][1].extend(CODE.findall(line))
            phase = None
    return processes


def accounts_shown(output: str) -> bool:
    return f"password: {DEMO_PASSWORD}" in output and all(
        email in output for email in DEMO_STAFF.values()
    )


def test_the_demo_prints_each_process_then_again_without_the_used_codes(store: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    printed = listing(first.output)
    assert tuple(printed) == PHASES  # in the order of the phases
    assert accounts_shown(first.output)
    assert all(len(codes) == 5 for _, codes in printed.values())
    contributions = printed["contributions"][0]
    assert f"/p/{contributions}/workshops/" in first.output and "/capture" in first.output
    assert f"/p/{printed['recommendations'][0]}/results" in first.output
    mutualisons = MUTUALISONS.search(first.output)
    assert mutualisons, first.output
    assert len(MUTUALISONS.findall(first.output)) == 1, "listed once"

    app = build_application()
    try:
        for phase, (pid, _) in printed.items():
            assert app.process(pid).phase.value == phase
        organisations_pid, qid = UUID(mutualisons[1]), UUID(mutualisons[2])
        assert app.questionnaire_results(qid)["waves"][0]["by_audience"] == {
            "organisations": {"responses": 20, "of": 100, "rate": 0.2}
        }
        # the representative's card was registered when they were named: they come back
        assert app.enter_with_code(organisations_pid, mutualisons[3]).returning
        used = printed["voting"][1][0]
        app.join(printed["voting"][0], used)  # a newcomer tries one code
        head = app.head_position()
    finally:
        app.close()

    again = runner.invoke(main, ["demo", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "demo not loaded again" in again.output and accounts_shown(again.output)
    shown = listing(again.output)
    assert {p: pid for p, (pid, _) in shown.items()} == {p: pid for p, (pid, _) in printed.items()}
    assert used not in again.output
    assert shown["voting"][1][:4] == printed["voting"][1][1:] and len(shown["voting"][1]) == 5
    assert shown["proposals"][1] == printed["proposals"][1]

    by_name = runner.invoke(main, ["demo", "--accounts"])
    assert by_name.exit_code == 0 and "not loaded again" not in by_name.output
    assert listing(by_name.output) == shown and accounts_shown(by_name.output)
    for output in (again.output, by_name.output):  # the Mutualisons process is shown again
        listed = MUTUALISONS.search(output)
        assert listed and listed.groups() == mutualisons.groups(), output

    app = build_application()
    try:
        assert app.head_position() == head  # showing them again recorded nothing
    finally:
        app.close()


def test_a_store_with_events_but_no_demo_says_so(store: Path) -> None:
    app = build_application()
    try:
        app.bootstrap_staff(
            email="admin@example.org", password="a-long-password", role="admin", name="A"
        )
    finally:
        app.close()
    shown = CliRunner().invoke(main, ["demo", "--if-empty"])
    assert shown.exit_code == 0
    assert "demo not loaded again" in shown.output and "No demo card" in shown.output
    assert not accounts_shown(shown.output) and not CODE.search(shown.output)


def test_a_code_is_unused_until_someone_joins_with_it(store: Path) -> None:
    from application.demo import load_demo

    app = build_application()
    try:
        demo = load_demo(app, every_phase=False)
        code = demo.spare_codes[0]
        head = app.head_position()
        assert app.invitation_unused(demo.process_id, code)
        assert not app.invitation_unused(demo.process_id, "AAAA-BBBB-CCCC")
        assert not app.invitation_unused(demo.process_id, "")
        assert app.head_position() == head  # asking records nothing
        app.join(demo.process_id, code.lower())  # codes are read as typed on a card
        assert not app.invitation_unused(demo.process_id, code)
    finally:
        app.close()
