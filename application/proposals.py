"""Proposals: submitted citing contributions, revised, withdrawn, moderated, merged."""

from __future__ import annotations

from uuid import UUID

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from domain.contribution import Contribution
from domain.errors import InvalidInput, NotFound, UnknownSource
from domain.proposal import Proposal
from domain.roles import Role

PROPOSAL_MODERATION = ("hide", "restore", "merge")


class ProposalCommands(VoisinageBase):
    """The life of a proposal."""

    def _check_sources(self, process_id: UUID, source_ids: list[UUID]) -> None:
        for source_id in source_ids:
            try:
                source = self.load(source_id, Contribution, "contribution")
            except NotFound:
                raise UnknownSource(
                    f"contribution {source_id} does not exist", field="source_ids"
                ) from None
            if source.process_id != process_id:
                raise UnknownSource(
                    f"contribution {source_id} belongs to another process", field="source_ids"
                )
            if not source.visible:
                raise UnknownSource(f"contribution {source_id} is hidden", field="source_ids")

    def submit_proposal(
        self,
        actor: Actor,
        process_id: UUID,
        *,
        title: str,
        body: str,
        language: str,
        source_ids: list[UUID],
        axis_id: UUID | None = None,
        cost: int | None = None,
    ) -> UUID:
        """Submit a proposal citing contributions of the same process (with its estimated
        cost, required when the process selects proposals within a budget)."""
        authorise(actor, "submit a proposal")
        self.require_member(actor, process_id)
        process = self.process(process_id)
        process.require("submit a proposal")
        process.require_axis(axis_id)
        if cost is None and process.rules.within_budget:
            raise InvalidInput(
                "this process selects proposals within a budget: give the estimated cost",
                field="cost",
                code="proposal.cost_needed",
            )
        self._check_sources(process_id, list(source_ids))
        proposal = Proposal.submit(
            process_id=process_id,
            title=title,
            body=body,
            language=language,
            axis_id=axis_id,
            source_ids=list(source_ids),
            author_id=actor.participant_id,
            cost=cost,
        )
        self.save(proposal)
        return proposal.id

    @retrying
    def revise_proposal(
        self,
        actor: Actor,
        proposal_id: UUID,
        *,
        title: str,
        body: str,
        source_ids: list[UUID] | None = None,
        axis_id: UUID | None = None,
        cost: int | None = None,
    ) -> int:
        """The author revises the proposal (cost or sources None: unchanged); returns the
        revision."""
        authorise(actor, "revise a proposal")
        proposal = self.proposal(proposal_id)
        if source_ids is None:
            source_ids = list(proposal.source_ids)
        process = self.process(proposal.process_id)
        process.require("revise a proposal")
        process.require_axis(axis_id)
        self._check_sources(proposal.process_id, list(source_ids))
        proposal.revise(
            actor_id=actor.participant_id,
            title=title,
            body=body,
            axis_id=axis_id,
            source_ids=list(source_ids),
            facilitator=actor.role is Role.FACILITATOR,
            cost=cost,
        )
        self.save(proposal)
        return proposal.revision

    @retrying
    def withdraw_proposal(self, actor: Actor, proposal_id: UUID) -> None:
        """The author withdraws the proposal (during the vote, its ballots stop counting)."""
        authorise(actor, "withdraw a proposal")
        proposal = self.proposal(proposal_id)
        process = self.process(proposal.process_id)
        process.require("withdraw a proposal")
        proposal.withdraw(actor.participant_id, facilitator=actor.role is Role.FACILITATOR)
        process.remove_candidate(proposal.id, "withdrawn")
        self.save(proposal, process)

    @retrying
    def moderate_proposal(
        self,
        actor: Actor,
        proposal_id: UUID,
        *,
        action: str,
        reason: str,
        target_id: UUID | None = None,
    ) -> None:
        """Hide or restore a proposal, or merge it into another, always with a reason."""
        authorise(actor, "moderate a proposal")
        proposal = self.proposal(proposal_id)
        process = self.process(proposal.process_id)
        if action == "hide":
            process.require("moderate a proposal")
            proposal.hide(reason, by=actor.participant_id)
            process.remove_candidate(proposal.id, "hidden")
            self.save(proposal, process)
        elif action == "restore":
            process.require("moderate a proposal")
            if proposal.id in process.removed:
                raise InvalidInput(
                    "a proposal hidden during the vote cannot come back onto the ballot",
                    field="action",
                    code="proposal.hidden_in_vote",
                )
            proposal.restore(reason, by=actor.participant_id)
            self.save(proposal)
        elif action == "merge":
            process.require("merge proposals")
            if target_id is None:
                raise InvalidInput(
                    "name the proposal to merge into", field="target_id", code="merge.no_target"
                )
            target = self.proposal(target_id)
            if process.ballot_candidates and str(target.id) not in process.ballot_candidates:
                raise InvalidInput(
                    "the target is not on the ballot",
                    field="target_id",
                    code="merge.target_not_on_ballot",
                )
            proposal.merge_into(target, reason, by=actor.participant_id)
            process.merge_candidate(proposal.id, target.id)
            self.save(proposal, target, process)
        else:
            raise InvalidInput(
                f"action must be one of {', '.join(PROPOSAL_MODERATION)}", field="action"
            )
