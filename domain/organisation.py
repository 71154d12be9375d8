"""An organisation taking part in a process (an association, a housing company, ...).

Its name, sector and commune are public; its contact person's personal data is sealed
like any personal data (the application encrypts it with a key of the organisation's
own). Representatives are participants of the process who answer in its name. Erasing
the contact (``ContactErased``) follows the shredding of that key; the organisation,
its representatives and what was given in its name stay.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.text import clean_text


class Organisation(Aggregate):
    """An organisation of a process and the participants who represent it."""

    @staticmethod
    def clean(*, name: object, sector: object, commune: object) -> dict[str, str]:
        """The public fields checked (InvalidText naming the field)."""
        return {
            "name": clean_text(name, field="name", min_length=2, max_length=200),
            "sector": clean_text(sector, field="sector", min_length=2, max_length=100),
            "commune": clean_text(commune, field="commune", min_length=2, max_length=100),
        }

    @classmethod
    def register(
        cls,
        *,
        organisation_id: UUID,
        process_id: UUID,
        name: object,
        sector: object,
        commune: object,
        sealed_contact: str | None,
    ) -> Organisation:
        """Register an organisation (its contact already sealed by the caller, with a key
        named by `organisation_id`)."""
        return cls(
            id=organisation_id,
            process_id=process_id,
            sealed_contact=sealed_contact,
            **cls.clean(name=name, sector=sector, commune=commune),
        )

    @event("Registered")
    def __init__(
        self,
        *,
        id: UUID,
        process_id: UUID,
        name: str,
        sector: str,
        commune: str,
        sealed_contact: str | None,
    ) -> None:
        self.process_id = process_id
        self.name = name
        self.sector = sector
        self.commune = commune
        self.sealed_contact = sealed_contact
        self.contact_erased = False
        self.representatives: list[UUID] = []

    def add_representative(self, participant_id: UUID) -> None:
        """Let a participant of the process answer and speak in the organisation's name."""
        if participant_id in self.representatives:
            raise Conflict(
                "this participant already represents the organisation",
                code="organisation.already_representative",
            )
        self._representative_added(participant_id=participant_id)

    @event("RepresentativeAdded")
    def _representative_added(self, *, participant_id: UUID) -> None:
        self.representatives.append(participant_id)

    def erase_contact(self, *, by: UUID) -> None:
        """Record that the contact person's data was erased (its key already shredded,
        or about to be); refused when there is no contact or it is already erased."""
        if self.sealed_contact is None:
            raise Conflict(
                "this organisation has no contact person to erase", code="organisation.no_contact"
            )
        if self.contact_erased:
            raise Conflict(
                "the contact person was already erased", code="organisation.contact_erased"
            )
        self._contact_erased(by=by)

    @event("ContactErased")
    def _contact_erased(self, *, by: UUID) -> None:
        self.contact_erased = True
