"""Every voting method through the application: cast, publish, recount, on both stores.

Publishing freezes the method, the tallies, the tie-breaks and the shortlist in one
event; a recount from the ballots finds the same; ballots for withdrawn or hidden
proposals are refused; a merged proposal's ballots count for its target; later
ballots are refused.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any
from uuid import UUID

import pytest

from domain.errors import InvalidBallot, WrongPhase
from domain.process import Process

METHODS: dict[str, dict[str, Any]] = {
    "approval": {"method": "approval", "max_choices": 2},
    "dots": {"method": "dots", "budget": 5, "max_points_per_proposal": 3},
    "borda": {"method": "borda"},
    "schulze": {"method": "schulze"},
    "majority_judgment": {"method": "majority_judgment", "grades": ["no", "maybe", "yes"]},
    "equal_shares": {"method": "equal_shares"},
    "pav": {"method": "pav"},
}


def ballots_for(method: str, p: list[str]) -> list[Any]:
    """Four residents' ballots in the method's form (p[0] is everyone's favourite)."""
    if method == "dots":
        return [{p[0]: 3, p[1]: 2}, {p[0]: 3}, {p[2]: 3, p[0]: 1}, {p[1]: 1}]
    if method == "majority_judgment":
        return [
            {p[0]: "yes", p[1]: "maybe"},
            {p[0]: "yes", p[2]: "no"},
            {p[0]: "maybe", p[2]: "yes"},
            {p[1]: "yes", p[0]: "yes"},
        ]
    if method in ("borda", "schulze"):
        return [[p[0], p[1], p[2]], [p[0], p[2]], [p[2], p[0], p[1]], [p[0], p[1]]]
    return [[p[0], p[1]], [p[0]], [p[2], p[0]], [p[1]]]


def voting_process(world: Any, rules: dict[str, Any]) -> tuple[UUID, list[Any], list[UUID]]:
    """Four residents and four proposals, the vote open, a shortlist of 2."""
    voting = world.in_voting({**rules, "shortlist_size": 2})
    return voting.pid, voting.residents, voting.proposals


@pytest.mark.parametrize("method", list(METHODS))
def test_every_method_publishes_a_shortlist_that_recounts_the_same(app, world, method) -> None:
    pid, residents, ids = voting_process(world, METHODS[method])
    p = [str(i) for i in ids]
    for resident, ballot in zip(residents, ballots_for(method, p), strict=True):
        app.cast_ballot(resident, pid, ballot)
    published = app.publish_shortlist(world.facilitator, pid)
    # plain values (ids, numbers, the count as JSON-safe data), no domain objects
    assert json.loads(json.dumps(asdict(published))) == asdict(published)
    assert published.count["method"] == method
    assert published.ballots_counted == 4
    assert published.shortlist[0] == p[0], published
    assert len(published.shortlist) == 2
    assert set(published.count["ranking"]) == set(p)
    assert published.close_position == app.close_position(pid) < app.head_position()
    stored, recounted = app.recount(pid)
    assert stored == recounted and stored == published.count
    events = [e for e in app.events.get(pid) if isinstance(e, Process.ShortlistPublished)]  # type: ignore[attr-defined]
    assert len(events) == 1
    with pytest.raises(WrongPhase):
        app.cast_ballot(residents[0], pid, ballots_for(method, p)[1])


def test_withdrawn_and_hidden_proposals_cannot_be_chosen(app, world) -> None:
    pid, residents, ids = voting_process(world, METHODS["approval"])
    author = world.facilitator
    app.withdraw_proposal(author, ids[1])
    app.moderate_proposal(world.facilitator, ids[2], action="hide", reason="hors sujet")
    head = app.head_position()
    for gone in (ids[1], ids[2]):
        with pytest.raises(InvalidBallot, match=f"unknown proposal: {gone}"):
            app.cast_ballot(residents[0], pid, [str(gone)])
    assert app.head_position() == head


def test_ballots_for_a_merged_proposal_count_for_its_target(app, world) -> None:
    pid, residents, ids = voting_process(world, METHODS["approval"])
    merged, target = str(ids[3]), str(ids[1])
    app.cast_ballot(residents[0], pid, [merged])
    app.cast_ballot(residents[1], pid, [merged, target])
    app.cast_ballot(residents[2], pid, [str(ids[0])])
    app.moderate_proposal(
        world.facilitator, UUID(merged), action="merge", reason="doublon", target_id=UUID(target)
    )
    result = app.publish_shortlist(world.facilitator, pid)
    assert result.count["tallies"][target] == 2  # a ballot naming both counts once
    assert merged not in result.count["tallies"]
    assert result.shortlist == [target, str(ids[0])]
    stored, recounted = app.recount(pid)
    assert stored == recounted
