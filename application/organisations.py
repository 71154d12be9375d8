"""Organisations as participants of a process: registering them and their representatives,
reading their contact person (facilitators) and erasing it (admins, crypto-shredding)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from application.invitations import resident_of_code
from application.keys import KeyErased
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
        entry = {"name": name, "sector": sector, "commune": commune, "contact": contact}
        return self.register_organisations(actor, process_id, [entry])[0]

    def register_organisations(
        self, actor: Actor, process_id: UUID, entries: list[dict[str, Any]]
    ) -> list[UUID]:
        """Register several organisations at once (a list of a hundred associations),
        all or none: each entry has name, sector, commune and an optional contact; an
        invalid one is refused naming its field (``organisations.3.name`` beyond the
        first) and records nothing."""
        authorise(actor, "register an organisation")
        self.process(process_id, copy=False).require("register an organisation")
        if not entries:
            raise InvalidInput("give at least one organisation", field="organisations")
        checked = []
        for index, entry in enumerate(entries):
            prefix = "" if len(entries) == 1 else f"organisations.{index}."
            try:
                checked.append(self._checked_organisation(entry))
            except InvalidInput as error:
                error.field = f"{prefix}{error.field}" if error.field else error.field
                raise
        ids = [uuid4() for _ in checked]
        self.keys.create(*(i for i, (_, contact) in zip(ids, checked, strict=True) if contact))
        organisations = [
            Organisation.register(
                organisation_id=organisation_id,
                process_id=process_id,
                sealed_contact=self.keys.seal(organisation_id, contact) if contact else None,
                **fields,
            )
            for organisation_id, (fields, contact) in zip(ids, checked, strict=True)
        ]
        self.save(*organisations)
        return ids

    @staticmethod
    def _checked_organisation(entry: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
        """(public fields, contact) of one entry, checked (InvalidInput naming the field)."""
        unknown = set(entry) - {"name", "sector", "commune", "contact"}
        if unknown:
            raise InvalidInput(f"unknown field {sorted(unknown)[0]}", field=sorted(unknown)[0])
        contact: dict[str, str] = {}
        given = entry.get("contact") or {}
        if not isinstance(given, dict):
            raise InvalidInput("contact holds name, email and phone only", field="contact")
        for key, value in given.items():
            if key not in ("name", "email", "phone"):
                raise InvalidInput("contact holds name, email and phone only", field="contact")
            contact[key] = clean_text(value, field=f"contact.{key}", max_length=200)
        fields = Organisation.clean(
            name=entry.get("name"), sector=entry.get("sector"), commune=entry.get("commune")
        )
        return fields, contact

    @retrying
    def add_representative(
        self,
        actor: Actor,
        organisation_id: UUID,
        participant_id: UUID | None = None,
        *,
        code: str | None = None,
    ) -> UUID:
        """Name a resident of the process as a representative of the organisation, by
        participant id or by the code on their invitation card (which registers them if
        they never joined); returns the participant id."""
        authorise(actor, "register an organisation")
        organisation = self.organisation(organisation_id)
        registered: list[Any] = []
        if code is not None and code.strip():
            if participant_id is not None:
                raise InvalidInput("give the participant or their code, not both", field="code")
            participant_id, registered = resident_of_code(
                self, organisation.process_id, code, field="code"
            )
        if participant_id is None:
            raise InvalidInput(
                "name the representative by participant id or invitation code",
                field="participant_id",
                code="organisation.no_representative",
            )
        try:
            participant = self.participant(participant_id, copy=False)
        except NotFound:
            participant = None
        if registered:
            participant = registered[-1]
        if (
            participant is None
            or participant.role is not Role.RESIDENT
            or participant.process_id != organisation.process_id
        ):
            raise InvalidInput(
                "a representative is a participant of the organisation's process",
                field="participant_id",
                code="organisation.not_resident",
            )
        organisation.add_representative(participant_id)
        self.save(*registered, organisation)
        return participant_id

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

    def representatives(self, actor: Actor, organisation_id: UUID) -> list[dict[str, Any]]:
        """For facilitators: the representatives of an organisation, each with the name
        they gave when joining (None if they gave none or were erased)."""
        authorise(actor, "register an organisation")
        found = []
        for participant_id in self.organisation(organisation_id).representatives:
            participant = self.participant(participant_id, copy=False)
            name = None
            if participant.sealed_personal and not participant.erased:
                try:
                    name = self.keys.unseal(participant_id, participant.sealed_personal).get("name")
                except (KeyErased, ValueError):
                    name = None
            found.append({"participant_id": str(participant_id), "name": name or None})
        return found

    def organisation_contact(self, actor: Actor, organisation_id: UUID) -> dict[str, str]:
        """For facilitators: the contact person's fields (empty when there is none or
        it was erased)."""
        authorise(actor, "register an organisation")
        organisation = self.organisation(organisation_id)
        if organisation.sealed_contact is None or organisation.contact_erased:
            return {}
        try:
            fields = self.keys.unseal(organisation_id, organisation.sealed_contact)
        except (KeyErased, ValueError):
            return {}
        return {str(k): str(v) for k, v in fields.items()}

    @retrying
    def erase_organisation_contact(
        self, actor: Actor, organisation_id: UUID, *, confirm: bool
    ) -> None:
        """Crypto-shred the contact person of an organisation once the admin confirmed:
        its key is deleted, then ``Organisation.ContactErased`` recorded. The organisation,
        its representatives and its contributions stay."""
        authorise(actor, "erase an organisation's contact")
        if confirm is not True:
            raise InvalidInput("confirm the erasure: it cannot be undone", field="confirm")
        organisation = self.organisation(organisation_id)
        organisation.erase_contact(by=actor.participant_id)
        self.keys.erase(organisation_id)
        self.save(organisation)
