"""A single-use invitation code that lets one resident join a process."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvitationAlreadyUsed
from domain.identities import invitation_id


class Invitation(Aggregate):
    """Known only by the keyed digest of its code; redeemed once.

    Its id derives from the digest, so a code is found without any index, and two
    residents racing with the same code conflict on save: one wins.
    """

    @staticmethod
    def create_id(process_id: UUID, code_digest: str, **_: object) -> UUID:
        """See domain.identities.invitation_id."""
        return invitation_id(process_id, code_digest)

    @event("Issued")
    def __init__(self, *, process_id: UUID, code_digest: str, issued_by: UUID) -> None:
        self.process_id = process_id
        self.code_digest = code_digest
        self.issued_by = issued_by
        self.participant_id: UUID | None = None

    def redeem(self, participant_id: UUID) -> None:
        """Admit one participant with this code."""
        if self.participant_id is not None:
            raise InvitationAlreadyUsed("this invitation code has already been used")
        self._redeemed(participant_id=participant_id)

    @event("Redeemed")
    def _redeemed(self, *, participant_id: UUID) -> None:
        self.participant_id = participant_id
