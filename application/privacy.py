"""GDPR rights as commands: a resident downloads their own data; an admin erases one.

Both are recorded as events (``Participant.DataExported``, ``Participant.Erased``).
A participant's personal fields are read (`personal_data`) and crypto-shredded
(`erase_participant`) here too; the operator's command line acts as `OPERATOR` (an
admin with a fixed, documented id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from application.keys import KeyErased
from domain.errors import InvalidInput, NotFound
from domain.identities import NAMESPACE
from domain.roles import Role

#: Who erases from the command line: the operator, as an admin (recorded as `by`).
OPERATOR = Actor(uuid5(NAMESPACE, "operator/command-line"), Role.ADMIN, None)


@dataclass(frozen=True)
class ErasureSubject:
    """Who an admin is about to erase, as the confirmation page shows it."""

    role: str
    erased: bool


class PrivacyCommands(VoisinageBase):
    """Access to one's own data and erasure."""

    def personal_data(self, actor: Actor, participant_id: UUID) -> dict[str, Any]:
        """A participant's own personal fields (or an admin's view); empty once erased."""
        if actor.participant_id != participant_id:
            authorise(actor, "erase a participant")
        participant = self.participant(participant_id)
        if participant.sealed_personal is None or participant.erased:
            return {}
        try:
            fields = self.keys.unseal(participant_id, participant.sealed_personal)
        except KeyErased:
            return {}
        fields.pop("password_hash", None)
        return fields

    @retrying
    def erase_participant(self, actor: Actor, participant_id: UUID) -> None:
        """Crypto-shred a participant: delete their key, then record the erasure.

        Their contributions and ballots stay, attributed to an erased participant;
        tallies and the audit chain are untouched.
        """
        authorise(actor, "erase a participant")
        participant = self.participant(participant_id)
        self.keys.erase(participant_id)
        participant.erase(by=actor.participant_id)
        self.save(participant)

    @retrying
    def export_own_data(self, actor: Actor) -> dict[str, Any]:
        """Record the download and return the participant's own data.

        Personal fields (decrypted), role, process and the ballot receipt; never
        anyone else's data. Contributions and proposals are read from the views by
        the caller (``Views.own_items``). The ballot's choices are left out on
        purpose: a file that proves a vote could be sold.
        """
        authorise(actor, "download one's data")
        participant = self.participant(actor.participant_id)
        participant.record_export()
        self.save(participant)
        ballot: dict[str, Any] | None = None
        if actor.process_id is not None:
            try:
                own = self._ballot_or_none(actor.process_id, actor.participant_id)
            except NotFound:
                own = None
            if own is not None:
                ballot = {"receipt": self.receipt_of(own), "counted": own.counted}
        return {
            "participant_id": str(actor.participant_id),
            "role": actor.role.value,
            "process_id": str(actor.process_id) if actor.process_id else None,
            "personal": self.personal_data(actor, actor.participant_id),
            "ballot": ballot,
        }

    def erasure_subject(self, actor: Actor, participant_id: UUID) -> ErasureSubject:
        """The participant an admin names for erasure (NotFound if there is none)."""
        authorise(actor, "erase a participant")
        participant = self.participant(participant_id, copy=False)
        return ErasureSubject(participant.role.value, participant.erased)

    def confirm_erasure(self, actor: Actor, participant_id: UUID, confirm: bool) -> None:
        """Erase a participant once the admin confirmed (an unconfirmed call erases nothing)."""
        authorise(actor, "erase a participant")
        if confirm is not True:
            raise InvalidInput("confirm the erasure: it cannot be undone", field="confirm")
        self.erase_participant(actor, participant_id)
