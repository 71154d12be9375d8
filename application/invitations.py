"""Reading and redeeming invitation codes: what a code stands for, on the application's
base. Participants sign in with a code (`ParticipantCommands.enter_with_code`);
facilitators capture a resident's paper notes by the code on their card
(`record_contribution` in application/workshops.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from application.base import VoisinageBase
from domain.errors import InvalidInvitation, NotFound, ParticipantErased
from domain.identities import invitation_id
from domain.invitation import Invitation
from domain.participant import Participant
from domain.roles import Role
from domain.text import clean_text


def normalise_code(code: str) -> str:
    """Upper-case, without spaces or dashes, so that paper transcription errors matter less."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def invitation_of(app: VoisinageBase, process_id: UUID, code: str, *, field: str) -> Invitation:
    """The invitation whose code this is (InvalidInvitation naming `field` if none)."""
    if not isinstance(code, str) or not code.strip():
        raise InvalidInvitation("an invitation code is required", field=field)
    digest = app.secrets.digest(f"invitation/{process_id}", normalise_code(code))
    try:
        return app.load(invitation_id(process_id, digest), Invitation, "invitation")
    except NotFound:
        raise InvalidInvitation("this invitation code is not valid", field=field) from None


def holder_of(app: VoisinageBase, invitation: Invitation, *, field: str) -> UUID:
    """The resident a redeemed invitation registered (refused once they are erased)."""
    assert invitation.participant_id is not None
    holder = app.participant(invitation.participant_id, copy=False)
    if holder.erased:
        raise ParticipantErased(
            "the resident of this code was erased at their request", field=field
        )
    return holder.id


def register_holder(
    app: VoisinageBase, invitation: Invitation, name: str | None = None
) -> Participant:
    """Redeem the invitation for a new resident (saved by the caller with it)."""
    participant_id = uuid4()
    invitation.redeem(participant_id)
    personal: dict[str, Any] = {}
    if name:
        personal["name"] = clean_text(name, field="name", max_length=200)
    sealed = None
    if personal:
        app.keys.create(participant_id)
        sealed = app.keys.seal(participant_id, personal)
    return Participant.register(
        participant_id=participant_id,
        role=Role.RESIDENT,
        process_id=invitation.process_id,
        sealed_personal=sealed,
    )


def resident_of_code(
    app: VoisinageBase, process_id: UUID, code: str, *, field: str
) -> tuple[UUID, list[Any]]:
    """The resident a card's code stands for, for a facilitator capturing their words on
    paper: the participant it registered, or a new one registered now (so that signing
    in with the card later finds their ideas). Returns the id and what to save."""
    invitation = invitation_of(app, process_id, code, field=field)
    if invitation.participant_id is not None:
        return holder_of(app, invitation, field=field), []
    participant = register_holder(app, invitation)
    return participant.id, [invitation, participant]
