"""A resident's ballot: one per process and participant, replaceable until the vote closes."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.identities import ballot_id
from domain.voting import Choices


class Ballot(Aggregate):
    """The choices of one participant in one process, with a random receipt.

    The receipt (a tracker) is random, never derived from the voter or the choices,
    so it proves that a ballot is counted without revealing or proving its content.
    Casting again replaces the choices and issues a new receipt.
    """

    @classmethod
    def cast(cls, *, process_id: UUID, voter_digest: str, choices: Choices, receipt: str) -> Ballot:
        """Cast a first ballot. The voter's keyed digest only derives the ballot's id
        (see domain.identities.ballot_id): it is not written into the event."""
        return cls(
            id=ballot_id(process_id, voter_digest),
            process_id=process_id,
            choices=choices,
            receipt=receipt,
        )

    @event("Cast")
    def __init__(
        self,
        *,
        id: UUID,
        process_id: UUID,
        choices: Choices,
        receipt: str,
    ) -> None:
        self.process_id = process_id
        self.choices = choices
        self.receipt: str | None = receipt
        self.replaced_receipts: list[str] = []

    def recast(self, choices: Choices, receipt: str) -> None:
        """Replace the choices (the vote is still open: the caller checked the phase)."""
        self._recast(choices=choices, receipt=receipt)

    @event("Recast")
    def _recast(self, *, choices: Choices, receipt: str) -> None:
        if self.receipt is not None:
            self.replaced_receipts.append(self.receipt)
        self.choices = choices
        self.receipt = receipt

    @property
    def counted(self) -> bool:
        """Whether the ballot holds choices that count."""
        return self.receipt is not None

    def withdraw(self) -> None:
        """Take the ballot back: nothing of it counts."""
        if self.receipt is None:
            raise Conflict("the ballot was already withdrawn", code="ballot.none")
        self._withdrawn()

    @event("Withdrawn")
    def _withdrawn(self) -> None:
        if self.receipt is not None:
            self.replaced_receipts.append(self.receipt)
        self.receipt = None
        self.choices = []
