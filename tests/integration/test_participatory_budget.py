"""A participatory budget through the application, on SQLite and PostgreSQL.

Proposals carry costs; the shortlist is the proposals funded within the budget; the
ShortlistPublished event freezes costs, budget and spending; the audit recounts it;
the .pb export is read by pabutools, whose count is the published shortlist.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from application.budgets import export_pb
from audit import verify
from domain import pabulib
from domain.errors import Conflict, InvalidInput, WrongPhase
from projections.runner import update

election = pytest.importorskip("pabutools.election", reason="pabutools is in the dev extra")
pabutools_reader = pytest.importorskip("pabutools.election.pabulib")
pabutools_rules = pytest.importorskip("pabutools.rules")
ties = pytest.importorskip("pabutools.tiebreaking")

TITLES = ["Bancs a1", "Jardin a2", "Fresque a3", "Local b1", "Vélos b2"]


def budget_process(app: Any, world: Any, rules: dict[str, Any]) -> tuple[UUID, list[Any], dict]:
    """Five proposals of 20 (a1..a3 wanted by 6 residents, b1, b2 by 4), vote open."""
    voting = world.in_voting(rules, proposals=TITLES, residents=10, cost=20)
    ids = {title.split()[-1]: str(i) for title, i in zip(TITLES, voting.proposals, strict=True)}
    for i, resident in enumerate(voting.residents):
        choice = ["a1", "a2", "a3"] if i < 6 else ["b1", "b2"]
        app.cast_ballot(resident, voting.pid, [ids[c] for c in choice])
    return voting.pid, voting.residents, ids


def pabutools_count(text: str, rule: str) -> list[str]:
    """pabutools' count of a .pb text, ties broken by file order as the file says."""
    instance, profile = pabutools_reader.parse_pabulib_from_string(text)
    order = [p.project_id for p in pabulib.parse(text).projects]
    by_file = ties.TieBreakingRule(lambda inst, prof, proj: order.index(proj.name))
    if rule == "greedy":
        outcome = pabutools_rules.greedy_utilitarian_welfare(
            instance, profile, sat_class=election.Cost_Sat, tie_breaking=by_file
        )
    else:
        outcome = pabutools_rules.method_of_equal_shares(
            instance,
            profile,
            sat_class=election.Cost_Sat,
            voter_budget_increment=1,
            tie_breaking=by_file,
        )
    return sorted(p.name for p in outcome)


@pytest.mark.parametrize(("method", "funded"), [("equal_shares", "aab"), ("approval", "aaa")])
def test_a_budget_is_counted_frozen_recounted_and_exported(
    app: Any, world: Any, method: str, funded: str
) -> None:
    rules = {"method": method, "spending_limit": 60, "show_running_total": True}
    pid, residents, ids = budget_process(app, world, rules)
    with pytest.raises(WrongPhase):
        export_pb(app, pid)  # not before the close
    published = app.publish_shortlist(world.facilitator, pid)
    # a1..a3 (and b1, b2) tie: the process's tie-break order picks among them
    group = {proposal: name[0] for name, proposal in ids.items()}
    assert "".join(group[p] for p in published.shortlist) == funded
    tallies = published.count["tallies"]
    assert tallies["costs"] == dict.fromkeys(ids.values(), 20)
    assert tallies["budget"] == 60 and tallies["spent"] == 60 and tallies["currency"] == "EUR"
    assert tallies["rule"] == ("equalshares/add1" if method == "equal_shares" else "greedy")
    stored, recounted = app.recount(pid)
    assert stored == recounted and stored == published.count
    update(app.storage)  # the audit chain projection anchors the recount
    report = verify(app.storage, app, projections=[])
    assert report.ok, report.summary()

    text = export_pb(app, pid)
    parsed = pabulib.parse(text)
    assert parsed.budget == 60 and len(parsed.votes) == 10
    assert sorted(pabulib.recorded_selection(parsed) or []) == sorted(published.shortlist)
    assert pabutools_count(text, tallies["rule"]) == sorted(published.shortlist)
    assert sorted(pabulib.count(parsed)["selected"]) == sorted(published.shortlist)
    # the file says nothing about who voted: no participant or ballot id in it
    for resident in residents:
        assert str(resident.participant_id) not in text
        assert str(app.ballot_id_of(pid, resident.participant_id)) not in text


def test_a_budget_process_needs_a_positive_cost_for_each_proposal(app: Any, world: Any) -> None:
    pid, source = world.in_proposals({"method": "approval", "spending_limit": 1000})
    head = app.head_position()
    proposal: dict[str, Any] = {"title": "Des bancs", "body": "x", "language": "fr"}
    for cost in (None, 0, -5, 2.5, True):
        with pytest.raises(InvalidInput) as refused:
            app.submit_proposal(world.facilitator, pid, **proposal, source_ids=[source], cost=cost)
        assert refused.value.field == "cost"
    assert app.head_position() == head
    own = app.submit_proposal(world.facilitator, pid, **proposal, source_ids=[source], cost=900)
    revision = {"title": "Des bancs verts", "body": "x", "source_ids": [source]}
    app.revise_proposal(world.facilitator, own, **revision, cost=950)
    assert app.proposal(own).cost == 950
    app.revise_proposal(world.facilitator, own, **revision)
    assert app.proposal(own).cost == 950  # no cost given: unchanged


def test_only_approval_ballots_can_be_exported(app: Any, world: Any) -> None:
    pid, source = world.in_proposals({"method": "borda", "shortlist_size": 1})
    app.submit_proposal(
        world.facilitator, pid, title="Des bancs", body="x", language="fr", source_ids=[source]
    )
    world.advance(pid, "voting")
    app.publish_shortlist(world.facilitator, pid)
    with pytest.raises(Conflict, match="only approval ballots"):
        export_pb(app, pid)
