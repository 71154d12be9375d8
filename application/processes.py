"""Starting a process, moving it through its phases, axes and voting rules."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from domain.errors import InvalidVotingRules
from domain.phases import Phase
from domain.process import Process
from domain.proposal import Proposal
from domain.voting import VotingRules


def rules_from(data: dict[str, Any] | VotingRules | None) -> VotingRules:
    """Voting rules from their JSON form (None gives the defaults)."""
    if isinstance(data, VotingRules):
        return data
    try:
        return VotingRules.from_dict(data or {})
    except (TypeError, ValueError, KeyError) as error:
        raise InvalidVotingRules(f"voting rules are not valid: {error}", field="rules") from None


class ProcessCommands(VoisinageBase):
    """The life of a process."""

    def start_process(
        self,
        actor: Actor,
        *,
        title: dict[str, str],
        description: dict[str, str] | None = None,
        rules: dict[str, Any] | VotingRules | None = None,
    ) -> UUID:
        """Start a process in the draft phase; returns its id."""
        authorise(actor, "start a process")
        process = Process.start(
            title=title,
            description=description,
            rules=rules_from(rules),
            started_by=actor.participant_id,
        )
        self.save(process)
        return process.id

    @retrying
    def advance_phase(self, actor: Actor, process_id: UUID, to: str) -> Phase:
        """Open the next phase. Opening the vote freezes the visible proposals as candidates."""
        authorise(actor, "advance the phase")
        process = self.process(process_id)
        try:
            target = Phase(to)
        except ValueError:
            from domain.errors import InvalidInput

            raise InvalidInput(
                f"phase must be one of {', '.join(Phase)}, not '{to}'", field="phase"
            ) from None
        candidates = (
            self.visible_proposal_ids(process_id)
            if target is Phase.VOTING and process.phase is Phase.PROPOSALS
            else None
        )
        process.advance(target, candidates=candidates)
        self.save(process)
        return process.phase

    def phase_of(self, process_id: UUID) -> Phase:
        """The process's phase now, in the store (NotFound if there is none)."""
        return self.reading(process_id, Process, "process", lambda p: p.phase)

    def visible_proposal_ids(self, process_id: UUID) -> list[UUID]:
        """Ids of the process's visible proposals, in submission order (read from the events)."""
        ids = [
            event.originator_id
            for _, event in self.scan([get_topic(Proposal.Submitted)])  # type: ignore[attr-defined]
            if event.process_id == process_id
        ]
        return [pid for pid in ids if self.load(pid, Proposal, "proposal").visible]

    @retrying
    def add_axis(self, actor: Actor, process_id: UUID, name: dict[str, str]) -> UUID:
        """Add an action axis to the process."""
        authorise(actor, "add an axis")
        process = self.process(process_id)
        axis_id = process.add_axis(name)
        self.save(process)
        return axis_id

    @retrying
    def set_voting_rules(
        self, actor: Actor, process_id: UUID, rules: dict[str, Any] | VotingRules
    ) -> None:
        """Replace the voting rules before the vote opens."""
        authorise(actor, "set voting rules")
        process = self.process(process_id)
        process.set_voting_rules(rules_from(rules))
        self.save(process)
