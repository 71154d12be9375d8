"""Organisations as participants of a process: registering them and their representatives."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from domain.errors import InvalidInput, NotFound
from domain.organisation import Organisation
from domain.roles import Role
from domain.text import clean_text


class OrganisationCommands(VoisinageBase):
    """Registering organisations and naming the participants who represent them."""

    def register_organisation(
        self,
        actor: Actor,
        process_id: UUID,
        *,
        name: str,
        sector: str,
        commune: str,
        contact: dict[str, str] | None = None,
    ) -> UUID:
        """Register an organisation; the contact person (name, e-mail, phone) is sealed
        with a key of the organisation's own, so erasing the key erases the person."""
        authorise(actor, "register an organisation")
        self.process(process_id, copy=False).require("register an organisation")
        cleaned: dict[str, str] = {}
        for key, value in (contact or {}).items():
            if key not in ("name", "email", "phone"):
                raise InvalidInput("contact holds name, email and phone only", field="contact")
            cleaned[key] = clean_text(value, field=f"contact.{key}", max_length=200)
        fields = Organisation.clean(name=name, sector=sector, commune=commune)
        organisation_id = uuid4()
        sealed = None
        if cleaned:
            self.keys.create(organisation_id)
            sealed = self.keys.seal(organisation_id, cleaned)
        organisation = Organisation.register(
            organisation_id=organisation_id,
            process_id=process_id,
            sealed_contact=sealed,
            **fields,
        )
        self.save(organisation)
        return organisation.id

    @retrying
    def add_representative(self, actor: Actor, organisation_id: UUID, participant_id: UUID) -> None:
        """Name a resident of the process as a representative of the organisation."""
        authorise(actor, "register an organisation")
        organisation = self.organisation(organisation_id)
        try:
            participant = self.participant(participant_id, copy=False)
        except NotFound:
            participant = None
        if (
            participant is None
            or participant.role is not Role.RESIDENT
            or participant.process_id != organisation.process_id
        ):
            raise InvalidInput(
                "a representative is a participant of the organisation's process",
                field="participant_id",
            )
        organisation.add_representative(participant_id)
        self.save(organisation)

    def organisation_summary(self, organisation_id: UUID) -> dict[str, Any]:
        """Public fields of an organisation (the contact stays sealed)."""
        o = self.organisation(organisation_id)
        return {
            "id": str(o.id),
            "process_id": str(o.process_id),
            "name": o.name,
            "sector": o.sector,
            "commune": o.commune,
            "representatives": len(o.representatives),
        }
