"""A participant: a pseudonymous identity with a role.

Personal fields (name, e-mail, password hash) are never in the events in clear: the
application encrypts them with a key of this participant's own, held outside the
event store. Erasing the participant deletes that key (crypto-shredding) and records
``Erased``: the ciphertext in the history becomes unreadable, the history stays whole.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.roles import Role


class Participant(Aggregate):
    """A resident of a process (joined by invitation) or a staff member."""

    @classmethod
    def register(
        cls,
        *,
        participant_id: UUID,
        role: Role,
        process_id: UUID | None,
        sealed_personal: str | None,
    ) -> Participant:
        """Register a participant with a chosen id (random, or derived for staff)."""
        return cls(
            id=participant_id,
            role=role.value,
            process_id=process_id,
            sealed_personal=sealed_personal,
        )

    @event("Registered")
    def __init__(
        self,
        *,
        id: UUID,
        role: str,
        process_id: UUID | None,
        sealed_personal: str | None,
    ) -> None:
        self.role = Role(role)
        self.process_id = process_id
        self.sealed_personal = sealed_personal
        self.erased = False

    def update_personal(self, sealed_personal: str) -> None:
        """Replace the encrypted personal fields."""
        if self.erased:
            raise Conflict("this participant was erased")
        self._personal_updated(sealed_personal=sealed_personal)

    @event("PersonalUpdated")
    def _personal_updated(self, *, sealed_personal: str) -> None:
        self.sealed_personal = sealed_personal

    def record_export(self) -> None:
        """Record that the participant downloaded their own data (GDPR access right)."""
        if self.erased:
            raise Conflict("this participant was erased")
        self._data_exported()

    @event("DataExported")
    def _data_exported(self) -> None:
        self.exports = getattr(self, "exports", 0) + 1

    def erase(self, by: UUID) -> None:
        """Record the erasure (the application deletes the key in the same act)."""
        if self.erased:
            raise Conflict("this participant was already erased")
        self._erased(by=by)

    @event("Erased")
    def _erased(self, *, by: UUID) -> None:
        self.erased = True
