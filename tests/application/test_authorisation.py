"""The authorisation table's questions: a role's acts, a resident's own process, the
acts open to visitors, and live results hidden from everyone by the rules."""

from __future__ import annotations

from uuid import uuid4

import pytest

from application.actors import Actor
from application.authorisation import RULES, authorise, may, may_see_live_results
from domain.errors import NotAuthenticated
from domain.phases import Phase
from domain.roles import Role
from domain.voting import VotingRules

OWN, OTHER = uuid4(), uuid4()
RESIDENT = Actor(uuid4(), Role.RESIDENT, OWN)
FACILITATOR = Actor(uuid4(), Role.FACILITATOR)


def test_a_resident_takes_part_only_in_the_process_they_joined() -> None:
    assert may(RESIDENT, "take part as a resident")
    assert may(RESIDENT, "take part as a resident", OWN)
    assert not may(RESIDENT, "take part as a resident", OTHER)
    assert not may(FACILITATOR, "take part as a resident", OWN)
    assert may(FACILITATOR, "facilitate a process", OTHER)  # staff act in every process


def test_visitors_may_only_the_acts_open_to_them() -> None:
    assert may(None, "see live results")
    assert not may(None, "take part as a resident")
    with pytest.raises(NotAuthenticated):
        authorise(None, "cast a ballot")


@pytest.mark.parametrize("actor", [None, RESIDENT, FACILITATOR])
def test_hidden_results_are_hidden_from_everyone_while_the_vote_is_open(actor) -> None:
    hidden = VotingRules(hide_results_until_close=True)
    assert not may_see_live_results(actor, hidden, Phase.VOTING)
    assert may_see_live_results(actor, hidden, Phase.SHORTLISTED)
    assert may_see_live_results(actor, VotingRules(), Phase.VOTING)


def test_every_role_may_see_live_results() -> None:
    assert RULES["see live results"] == frozenset(Role)
