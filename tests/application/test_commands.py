"""Every command: the allowed path, the wrong role, the wrong phase, invalid input.

Each refusal is a named error from domain/errors.py and records nothing: the store's
head position does not move. The commands are listed as data in commands.py.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from builders import Stage, stage
from commands import COMMANDS, COVERS, Command, Invalid, prepared

from application import Voisinage
from domain.errors import DomainError, NotAllowed, WrongPhase
from domain.roles import Role


def refused(s: Stage, call: Any, error: type[DomainError], field: str | None = None) -> DomainError:
    """Assert that `call()` raises `error` (naming `field`) and records nothing."""
    head = s.app.head_position()
    with pytest.raises(error) as raised:
        call()
    assert s.app.head_position() == head, "a refused command recorded something"
    if field is not None:
        assert raised.value.field == field, raised.value
    assert raised.value.message
    return raised.value


def a_caller(s: Stage, command: Command) -> Any:
    """An actor allowed to perform the command (the resident when residents may)."""
    role = Role.RESIDENT if Role.RESIDENT in command.allowed else sorted(command.allowed)[0]
    return s.actors[role]


BY_NAME = {c.name: c for c in COMMANDS}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_the_allowed_path_records_and_changes_the_state(app, world, command: Command) -> None:
    s = prepared(stage(app, world, command.phase), command)
    for role in sorted(command.allowed):
        if (
            role is not Role.RESIDENT
            and Role.RESIDENT in command.allowed
            and command.name
            in (
                "withdraw a proposal",
                "revise a proposal",
            )
        ):
            continue  # one act per proposal: the resident author does it below
        head = app.head_position()
        result = command.call(s, s.actors[role])
        assert app.head_position() > head, f"{command.name} as {role} recorded nothing"
        if command.check is not None:
            assert command.check(s, result), f"{command.name} as {role}: state not changed"
        break  # one allowed role changes the state; the others are covered by the role test


ROLE_BOUND = [c for c in COMMANDS if set(Role) - c.allowed or c.members_only]


@pytest.mark.parametrize("command", ROLE_BOUND, ids=lambda c: c.name)
def test_every_other_role_is_refused_and_nothing_is_recorded(app, world, command) -> None:
    s = prepared(stage(app, world, command.phase), command)
    others = [role for role in Role if role not in command.allowed]
    for role in others:
        error = refused(s, lambda role=role: command.call(s, s.actors[role]), NotAllowed)
        assert str(role) in error.message or "only" in error.message, error.message
    if command.members_only:
        refused(s, lambda: command.call(s, s.outsider), NotAllowed)


PHASED = [c for c in COMMANDS if c.wrong_phase]


@pytest.mark.parametrize("command", PHASED, ids=lambda c: c.name)
def test_the_wrong_phase_is_refused_and_nothing_is_recorded(app, world, command) -> None:
    s = prepared(stage(app, world, command.wrong_phase), command)
    refused(s, lambda: command.call(s, a_caller(s, command)), command.phase_error)


INVALID = [(c, case) for c in COMMANDS for case in c.invalid]


@pytest.mark.parametrize(
    ("command", "case"), INVALID, ids=[f"{c.name}: {case.label}" for c, case in INVALID]
)
def test_invalid_input_is_refused_by_name_and_nothing_is_recorded(
    app, world, command: Command, case: Invalid
) -> None:
    s = prepared(stage(app, world, command.phase), command)
    refused(s, lambda: case.call(s, a_caller(s, command)), case.error, case.field)


def test_every_public_command_of_the_application_is_in_the_table() -> None:
    public = {
        name
        for name, member in inspect.getmembers(Voisinage, inspect.isfunction)
        if not name.startswith("_")
        and "actor" in inspect.signature(member).parameters
        and name
        not in (
            "current_actor",
            "issue_token",
            "moderators",
            "own_ballot",
            "personal_data",
            "require_member",
            "own_response",
            "free_text_answers",
            "erasure_subject",
            "require_representative",
            "representatives",
            "organisation_contact",  # a facilitator's read of the sealed contact
            "questionnaire_for",  # the questionnaire and results pages' reads
            "results_for",
        )
    } | {"join"}
    assert public == set(COVERS), sorted(public ^ set(COVERS))
    assert set(COVERS.values()) <= set(BY_NAME)


def test_an_invitation_code_admits_one_participant(app, world) -> None:
    s = stage(app, world, "contributions")
    code = s.codes[0]
    first = app.join(s.pid, code)
    head = app.head_position()
    assert app.join(s.pid, code) == first
    assert app.head_position() == head


def test_a_returning_resident_comes_back_after_the_close_but_no_one_new_joins(app, world) -> None:
    s = stage(app, world, "recommendations")
    first = app.join(s.pid, s.codes[0])
    world.advance(s.pid, "closed")
    entry = app.enter_with_code(s.pid, s.codes[0])
    assert entry.returning and entry.actor == first
    refused(s, lambda: app.join(s.pid, s.codes[1]), WrongPhase)


def test_withdrawing_a_ballot_one_never_cast_is_not_found(app, world) -> None:
    from domain.errors import NotFound

    s = stage(app, world, "voting")
    other = app.join(s.pid, s.codes[0])
    refused(s, lambda: app.withdraw_ballot(other, s.pid), NotFound)
