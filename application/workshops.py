"""Workshops and the contributions given in them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from application.invitations import resident_of_code
from application.keys import KeyErased
from domain.contribution import Contribution
from domain.errors import Conflict, InvalidInput, NotAllowed, NotFound, NotRepresentative
from domain.organisation import Organisation
from domain.participant import Participant
from domain.roles import Role
from domain.workshop import Workshop

MODERATION_ACTIONS = ("hide", "restore", "tag")


def record_contribution(
    app: VoisinageBase,
    actor: Actor,
    workshop_id: UUID,
    *,
    kind: str,
    text: str,
    language: str,
    on_behalf_of_participant: UUID | None = None,
    on_behalf_of_code: str | None = None,
    on_behalf_of_group: str | None = None,
    axis_id: UUID | None = None,
    quote_consent: bool = False,
    on_behalf_of_organisation: UUID | None = None,
    along_with: tuple[Any, ...] = (),
) -> UUID:
    """Record a contribution (saved in one transaction with `along_with`, aggregates a
    command changed with it). Residents type their own words while the workshop is open
    (a representative may give them in their organisation's name); facilitators capture
    notes on behalf of a participant (by id, or by the code on their invitation card,
    which registers them if they never joined), a group or an organisation. The command
    `WorkshopCommands.record_contribution`; a questionnaire's free-text answer becomes a
    contribution through it too (`QuestionnaireCommands.contribute_answer`)."""
    authorise(actor, "record a contribution")
    workshop = app.workshop(workshop_id)
    app.require_member(actor, workshop.process_id)
    process = app.process(workshop.process_id)
    process.require("record a contribution")
    process.require_axis(axis_id)
    if actor.role is Role.RESIDENT:
        if (on_behalf_of_participant, on_behalf_of_code, on_behalf_of_group) != (None,) * 3:
            raise NotAllowed("only facilitators capture contributions on behalf of others")
        if workshop.status != "open":
            raise Conflict(
                f"the workshop is {workshop.status}: residents contribute while it is open"
            )
    elif workshop.status == "scheduled":
        raise Conflict("open the workshop before capturing its contributions")
    if on_behalf_of_organisation is not None:
        _require_speaking_for(app, actor, workshop.process_id, on_behalf_of_organisation)
    registered: list[Any] = []
    if on_behalf_of_code is not None and on_behalf_of_code.strip():
        if on_behalf_of_participant is not None:
            raise InvalidInput(
                "give the participant or their code, not both", field="on_behalf_of_code"
            )
        on_behalf_of_participant, registered = resident_of_code(
            app, workshop.process_id, on_behalf_of_code, field="on_behalf_of_code"
        )
    elif on_behalf_of_participant is not None:
        speaker = app.load(on_behalf_of_participant, Participant, "participant")
        if speaker.process_id != workshop.process_id:
            raise InvalidInput(
                "that participant does not take part in this process",
                field="on_behalf_of_participant",
            )
    contribution = Contribution.record(
        process_id=workshop.process_id,
        workshop_id=workshop_id,
        kind=kind,
        text=text,
        language=language,
        author_id=actor.participant_id,
        on_behalf_of_participant=on_behalf_of_participant,
        on_behalf_of_group=on_behalf_of_group,
        axis_id=axis_id,
        quote_consent=quote_consent,
        on_behalf_of_organisation=on_behalf_of_organisation,
    )
    app.save(*registered, *along_with, contribution)
    return contribution.id


def _require_speaking_for(
    app: VoisinageBase, actor: Actor, process_id: UUID, organisation_id: UUID
) -> None:
    """An organisation of the process (InvalidInput otherwise) that a resident
    represents (NotRepresentative otherwise); facilitators capture for any of them."""
    try:
        organisation = app.load(organisation_id, Organisation, "organisation")
    except NotFound:
        organisation = None
    if organisation is None or organisation.process_id != process_id:
        raise InvalidInput(
            "no such organisation in this process",
            field="on_behalf_of_organisation",
            code="organisation.unknown",
        )
    if actor.role is Role.RESIDENT and actor.participant_id not in organisation.representatives:
        raise NotRepresentative("only its representatives speak in an organisation's name")


class WorkshopCommands(VoisinageBase):
    """Scheduling workshops, recording and moderating contributions."""

    def schedule_workshop(
        self,
        actor: Actor,
        process_id: UUID,
        *,
        title: str,
        on: date,
        place: str,
        facilitator_ids: list[UUID] | None = None,
    ) -> UUID:
        """Schedule a workshop; the scheduling facilitator runs it unless others are named."""
        authorise(actor, "schedule a workshop")
        process = self.process(process_id)
        process.require("schedule a workshop")
        if not isinstance(on, date):
            raise InvalidInput("on must be a date", field="on")
        for facilitator_id in facilitator_ids or ():
            self._require_facilitator(facilitator_id)
        workshop = Workshop.schedule(
            process_id=process_id,
            title=title,
            on=on,
            place=place,
            facilitators=facilitator_ids or [actor.participant_id],
        )
        self.save(workshop)
        return workshop.id

    def _require_facilitator(self, participant_id: UUID) -> None:
        """Raise InvalidInput unless the participant is a facilitator (or an admin)."""
        try:
            participant = self.participant(participant_id, copy=False)
        except NotFound:
            participant = None
        if (
            participant is None
            or participant.erased
            or participant.role not in (Role.FACILITATOR, Role.ADMIN)
        ):
            raise InvalidInput(
                f"{participant_id} is not a facilitator: name staff who facilitate workshops",
                field="facilitator_ids",
            )

    @retrying
    def open_workshop(self, actor: Actor, workshop_id: UUID) -> None:
        """Open a workshop to residents' contributions (only while the process gathers
        them: opened later, it would invite words nobody may give)."""
        authorise(actor, "open or close a workshop")
        workshop = self.workshop(workshop_id)
        self.process(workshop.process_id, copy=False).require("open a workshop")
        workshop.open()
        self.save(workshop)

    @retrying
    def close_workshop(self, actor: Actor, workshop_id: UUID) -> None:
        """Close a workshop (facilitators may still capture its paper notes)."""
        authorise(actor, "open or close a workshop")
        workshop = self.workshop(workshop_id)
        workshop.close()
        self.save(workshop)

    record_contribution = record_contribution  # the module's function, as a command

    @retrying
    def moderate_contribution(
        self,
        actor: Actor,
        contribution_id: UUID,
        *,
        action: str,
        reason: str | None = None,
        axis_id: UUID | None = None,
    ) -> None:
        """Hide or restore (with a reason) or tag with an axis."""
        authorise(actor, "moderate a contribution")
        contribution = self.contribution(contribution_id)
        process = self.process(contribution.process_id)
        if action == "tag":
            process.require("tag a contribution")
            process.require_axis(axis_id)
            contribution.tag(axis_id, by=actor.participant_id)
        elif action == "hide":
            process.require("moderate a contribution")
            contribution.hide(reason or "", by=actor.participant_id)
        elif action == "restore":
            process.require("moderate a contribution")
            contribution.restore(reason or "", by=actor.participant_id)
        else:
            raise InvalidInput(
                f"action must be one of {', '.join(MODERATION_ACTIONS)}", field="action"
            )
        self.save(contribution)

    def moderators(self, actor: Actor, participant_ids: Iterable[UUID | str]) -> dict[str, Any]:
        """Who acted, for the moderation log facilitators read: each staff member's role
        and display name (None once erased or for a resident, whose name stays private)."""
        authorise(actor, "facilitate a process")
        found: dict[str, Any] = {}
        for value in {str(v) for v in participant_ids if v}:
            try:
                participant = self.participant(UUID(value), copy=False)
            except (NotFound, ValueError):
                continue
            name = None
            if participant.role is not Role.RESIDENT and not participant.erased:
                try:
                    personal = self.keys.unseal(participant.id, participant.sealed_personal or "")
                    name = personal.get("name") or None
                except (KeyErased, ValueError):
                    name = None
            found[value] = {"role": participant.role.value, "name": name}
        return found
