"""Workshops and the contributions given in them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from application.actors import Actor
from application.authorisation import authorise
from application.base import retrying
from application.processes import ProcessCommands
from domain.contribution import Contribution
from domain.errors import Conflict, InvalidInput, NotAllowed
from domain.participant import Participant
from domain.roles import Role
from domain.workshop import Workshop

MODERATION_ACTIONS = ("hide", "restore", "tag")


class WorkshopCommands(ProcessCommands):
    """Scheduling workshops, recording and moderating contributions."""

    def workshop(self, workshop_id: UUID) -> Workshop:
        """Load a workshop."""
        return self.load(workshop_id, Workshop, "workshop")

    def contribution(self, contribution_id: UUID) -> Contribution:
        """Load a contribution."""
        return self.load(contribution_id, Contribution, "contribution")

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
        workshop = Workshop.schedule(
            process_id=process_id,
            title=title,
            on=on,
            place=place,
            facilitators=facilitator_ids or [actor.participant_id],
        )
        self.save(workshop)
        return workshop.id

    @retrying
    def open_workshop(self, actor: Actor, workshop_id: UUID) -> None:
        """Open a workshop to residents' contributions."""
        authorise(actor, "open or close a workshop")
        workshop = self.workshop(workshop_id)
        workshop.open()
        self.save(workshop)

    @retrying
    def close_workshop(self, actor: Actor, workshop_id: UUID) -> None:
        """Close a workshop (facilitators may still capture its paper notes)."""
        authorise(actor, "open or close a workshop")
        workshop = self.workshop(workshop_id)
        workshop.close()
        self.save(workshop)

    def record_contribution(
        self,
        actor: Actor,
        workshop_id: UUID,
        *,
        kind: str,
        text: str,
        language: str,
        on_behalf_of_participant: UUID | None = None,
        on_behalf_of_group: str | None = None,
        axis_id: UUID | None = None,
    ) -> UUID:
        """Record a contribution. Residents type their own words while the workshop is
        open; facilitators capture notes on behalf of a participant or a group."""
        authorise(actor, "record a contribution")
        workshop = self.workshop(workshop_id)
        self.require_member(actor, workshop.process_id)
        process = self.process(workshop.process_id)
        process.require("record a contribution")
        process.require_axis(axis_id)
        if actor.role is Role.RESIDENT:
            if on_behalf_of_participant is not None or on_behalf_of_group is not None:
                raise NotAllowed("only facilitators capture contributions on behalf of others")
            if workshop.status != "open":
                raise Conflict(
                    f"the workshop is {workshop.status}: residents contribute while it is open"
                )
        elif workshop.status == "scheduled":
            raise Conflict("open the workshop before capturing its contributions")
        if on_behalf_of_participant is not None:
            speaker = self.load(on_behalf_of_participant, Participant, "participant")
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
        )
        self.save(contribution)
        return contribution.id

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
