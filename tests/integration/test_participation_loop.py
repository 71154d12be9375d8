"""The whole participation loop through the application, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import (
    InvalidBallot,
    InvalidInvitation,
    NotAllowed,
    NotAuthenticated,
    ParticipantErased,
    WrongPhase,
)
from domain.phases import Phase


def test_full_loop_from_workshop_to_answer(app, world):
    pid = world.process({"method": "approval", "max_choices": 2, "shortlist_size": 2})
    axis = app.add_axis(world.facilitator, pid, {"fr": "Cadre de vie", "nl": "Leefomgeving"})
    world.advance(pid, "contributions")
    wid = world.workshop(pid)
    residents = [world.resident(pid) for _ in range(5)]
    own = app.record_contribution(
        residents[0], wid, kind="testimony", text="L'ascenseur est en panne", language="fr"
    )
    captured = world.contribution(wid)
    app.moderate_contribution(world.facilitator, own, action="tag", axis_id=axis)
    world.advance(pid, "proposals")
    p1 = app.submit_proposal(
        residents[0],
        pid,
        title="Réparer l'ascenseur",
        body="Vite",
        language="fr",
        source_ids=[own],
        axis_id=axis,
    )
    p2 = app.submit_proposal(
        world.facilitator,
        pid,
        title="Bancs",
        body="Dans la cour",
        language="fr",
        source_ids=[captured],
    )
    p3 = app.submit_proposal(
        residents[1],
        pid,
        title="Potager",
        body="Sur le toit",
        language="fr",
        source_ids=[captured],
    )
    world.advance(pid, "voting")
    assert app.process(pid).ballot_candidates == [str(p1), str(p2), str(p3)]
    receipts = [app.cast_ballot(r, pid, [str(p1)]) for r in residents[:3]]
    app.cast_ballot(residents[3], pid, [str(p2), str(p3)])
    app.cast_ballot(residents[4], pid, [str(p3)])
    # changing one's mind replaces the ballot and its receipt
    new_receipt = app.cast_ballot(residents[2], pid, [str(p3)])
    assert new_receipt != receipts[2]
    result = app.publish_shortlist(world.facilitator, pid)
    assert result.shortlist == [str(p3), str(p1)]  # p3: 3 approvals, p1: 2
    assert result.ballots_counted == 5
    with pytest.raises(WrongPhase):
        app.cast_ballot(residents[0], pid, [str(p2)])
    rid = app.draft_recommendation(
        world.facilitator,
        pid,
        title="Ascenseurs",
        text="Réparer sous 48 h",
        language="fr",
        proposal_ids=[p1],
    )
    world.advance(pid, "recommendations")
    app.submit_recommendation(world.facilitator, rid)
    app.answer_recommendation(
        world.institution, rid, status="under_study", justification="Budget 2027 en cours"
    )
    app.report_progress(world.institution, rid, percent=40, note="Devis reçus", on=date(2027, 1, 5))
    recommendation = app.recommendation(rid)
    assert recommendation.answer == "under_study" and recommendation.progress == 40
    published, recounted = app.recount(pid)
    assert published == recounted


def test_an_invitation_admits_exactly_one_resident_who_can_come_back(app, world):
    pid = world.process()
    (code,) = app.issue_invitations(world.facilitator, pid, 1)
    first = app.enter_with_code(pid, code.lower().replace("-", " "), "Amina")
    assert first.actor.process_id == pid and not first.returning
    before = app.head_position()
    again = app.enter_with_code(pid, code, "Someone else")
    assert again.returning and again.actor == first.actor  # the same participant
    assert app.head_position() == before  # coming back records nothing
    assert app.personal_data(first.actor, first.actor.participant_id) == {"name": "Amina"}
    with pytest.raises(InvalidInvitation):
        app.join(pid, "AAAA-BBBB-CCCC")
    assert app.head_position() == before


def test_an_erased_resident_cannot_come_back_with_their_code(app, world):
    pid = world.process()
    (code,) = app.issue_invitations(world.facilitator, pid, 1)
    resident = app.join(pid, code)
    app.erase_participant(world.admin, resident.participant_id)
    before = app.head_position()
    with pytest.raises(ParticipantErased) as refused:
        app.join(pid, code)
    assert refused.value.field == "code"
    assert app.head_position() == before


def test_refused_commands_record_nothing(app, world):
    pid = world.process()
    resident = world.resident(pid)
    before = app.head_position()
    with pytest.raises(NotAllowed):
        app.add_axis(resident, pid, {"fr": "Sécurité"})
    with pytest.raises(WrongPhase):
        app.submit_proposal(
            world.facilitator, pid, title="Trop tôt", body="x", language="fr", source_ids=[]
        )
    with pytest.raises(NotAuthenticated):
        app.actor_from_token("forged.token")
    assert app.head_position() == before


def test_ballot_validation_names_the_problem(app, world):
    voting = world.in_voting({"method": "approval", "max_choices": 1}, proposals=2, residents=1)
    pid, (resident,), (p1, p2) = voting.pid, voting.residents, voting.proposals
    before = app.head_position()
    with pytest.raises(InvalidBallot):
        app.cast_ballot(resident, pid, [str(p1), str(p2)])
    with pytest.raises(InvalidBallot):
        app.cast_ballot(resident, pid, ["not-a-proposal"])
    assert app.head_position() == before
    assert app.process(pid).phase is Phase.VOTING
