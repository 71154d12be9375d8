"""The participatory process: its phase, axes, voting rules, candidates and shortlist."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, InvalidTransition, NotFound, VoteIsClosed
from domain.phases import Phase, next_phase, require_phase
from domain.text import clean_localised
from domain.voting import CountResult, VotingRules, standing_candidates, tie_break_order


class Process(Aggregate):
    """One participatory process, from draft to closed.

    Public methods check the rules and raise named errors before anything is
    recorded; the private methods decorated with ``@event`` are the events.
    During the vote the process holds the candidate list, so that casting a
    ballot needs only this aggregate and the ballot itself.
    """

    @classmethod
    def start(
        cls,
        *,
        title: dict[str, str],
        description: dict[str, str] | None,
        rules: VotingRules,
        started_by: UUID,
    ) -> Process:
        """Start a process in the draft phase."""
        rules.validate()
        return cls(
            title=clean_localised(title, field="title", min_length=3, max_length=200),
            description=clean_localised(description, field="description", max_length=5000)
            if description
            else {},
            rules=rules.to_dict(),
            started_by=started_by,
        )

    @event("Started")
    def __init__(
        self,
        *,
        title: dict[str, str],
        description: dict[str, str],
        rules: dict[str, Any],
        started_by: UUID,
    ) -> None:
        self.title = title
        self.description = description
        self.rules = VotingRules.from_dict(rules)
        self.started_by = started_by
        self.phase = Phase.DRAFT
        self.axes: dict[UUID, dict[str, str]] = {}
        #: Proposals a ballot may choose, in submission order (set when voting opens).
        self.candidates: list[UUID] = []
        #: Candidates withdrawn or hidden during the vote: their ballots count for nothing.
        self.removed: dict[UUID, str] = {}
        #: Proposals merged during the vote: ballots for the source count for the target.
        self.merged_into: dict[UUID, UUID] = {}
        #: The version of this process's VoteClosed event, once the vote is closed.
        self.vote_closed_version: int | None = None
        self.shortlist: CountResult | None = None
        self.shortlist_chain_head: dict[str, Any] | None = None
        #: The position of the close in the log: ballots stored before it are counted.
        self.close_position: int | None = None

    # --- phases -------------------------------------------------------------------------

    def require(self, act: str) -> None:
        """Raise WrongPhase unless the current phase permits `act`."""
        require_phase(act, self.phase)

    def advance(self, to: Phase, *, candidates: list[UUID] | None = None) -> None:
        """Move to the next phase. Opening the vote needs the candidate proposals."""
        expected = next_phase(self.phase)
        if to != expected:
            raise InvalidTransition(
                f"the process is in phase '{self.phase}': the next phase is '{expected}', "
                f"not '{to}'",
                code="phase.next",
                params={"expected": expected.value},
            )
        if to is Phase.SHORTLISTED:
            raise InvalidTransition(
                "publish the shortlist to close the vote", code="phase.publish_to_close"
            )
        if to is Phase.VOTING:
            if not candidates:
                raise InvalidTransition(
                    "the vote needs at least one visible proposal", code="phase.no_candidates"
                )
            self._phase_opened(phase=to.value, candidates=list(candidates))
        else:
            self._phase_opened(phase=to.value, candidates=[])

    @event("PhaseOpened")
    def _phase_opened(self, *, phase: str, candidates: list[UUID]) -> None:
        self.phase = Phase(phase)
        if self.phase is Phase.VOTING:
            self.candidates = list(candidates)

    # --- axes and rules -------------------------------------------------------------------

    def add_axis(self, name: dict[str, str]) -> UUID:
        """Add an action axis; returns its id."""
        self.require("add an axis")
        cleaned = clean_localised(name, field="name", min_length=2, max_length=200)
        if cleaned in self.axes.values():
            raise InvalidInput(
                "an axis with this name already exists", field="name", code="axis.exists"
            )
        axis_id = uuid4()
        self._axis_added(axis_id=axis_id, name=cleaned)
        return axis_id

    @event("AxisAdded")
    def _axis_added(self, *, axis_id: UUID, name: dict[str, str]) -> None:
        self.axes[axis_id] = name

    def require_axis(self, axis_id: UUID | None) -> None:
        """Raise NotFound unless `axis_id` is None or an axis of this process."""
        if axis_id is not None and axis_id not in self.axes:
            raise NotFound(
                f"axis {axis_id} does not exist in this process",
                field="axis_id",
                code="axis.unknown",
            )

    def set_voting_rules(self, rules: VotingRules) -> None:
        """Replace the voting rules (until the vote opens)."""
        self.require("set voting rules")
        rules.validate()
        self._voting_rules_set(rules=rules.to_dict())

    @event("VotingRulesSet")
    def _voting_rules_set(self, *, rules: dict[str, Any]) -> None:
        self.rules = VotingRules.from_dict(rules)

    # --- the vote ---------------------------------------------------------------------------

    @property
    def ballot_candidates(self) -> list[str]:
        """Ids (as text) that a ballot may choose now."""
        return standing_candidates(self.candidates, self.removed, self.merged_into)

    def remove_candidate(self, proposal_id: UUID, reason: str) -> None:
        """A candidate was withdrawn or hidden during the vote: its ballots count for nothing."""
        self._refuse_after_close()
        if self.phase is Phase.VOTING and proposal_id in self.candidates:
            self._candidate_removed(proposal_id=proposal_id, reason=reason)

    @event("CandidateRemoved")
    def _candidate_removed(self, *, proposal_id: UUID, reason: str) -> None:
        self.removed[proposal_id] = reason

    def merge_candidate(self, source_id: UUID, target_id: UUID) -> None:
        """A candidate was merged during the vote: its ballots count for the target."""
        self._refuse_after_close()
        if self.phase is Phase.VOTING and source_id in self.candidates:
            self._candidate_merged(source_id=source_id, target_id=target_id)

    @event("CandidateMerged")
    def _candidate_merged(self, *, source_id: UUID, target_id: UUID) -> None:
        self.merged_into[source_id] = target_id

    def _refuse_after_close(self) -> None:
        if self.vote_closed and self.shortlist is None:
            raise VoteIsClosed(
                "the vote is closed and being counted: the ballot can no longer change"
            )

    def tie_break_order(self) -> list[str]:
        """Candidates in the order that breaks ties: earlier wins.

        The order is sha256(process id + "/" + proposal id), ascending: fixed before
        the vote, not chosen by anyone, and recomputable by any auditor.
        """
        return tie_break_order(self.id, self.ballot_candidates)

    @property
    def vote_closed(self) -> bool:
        """Whether the vote was closed (its count may not be published yet)."""
        return self.vote_closed_version is not None

    def require_open_vote(self, act: str = "cast a ballot") -> None:
        """Raise unless ballots may still be cast: the voting phase, before the close."""
        self.require(act)
        if self.vote_closed:
            raise VoteIsClosed("the vote is closed: ballots are no longer accepted")

    def close_vote(self) -> None:
        """Close the vote. The position of this event in the log is the close: ballots
        stored before it are counted, ballots stored after it count for nothing."""
        self.require("publish the shortlist")
        if not self.vote_closed:
            self._vote_closed()

    @event("VoteClosed")
    def _vote_closed(self) -> None:
        # The library sets the version after applying the event: this event's version
        # is the one after the current.
        self.vote_closed_version = self.version + 1

    def publish_shortlist(
        self, result: CountResult, chain_head: dict[str, Any], close_position: int | None
    ) -> None:
        """Freeze the count of the ballots stored before `close_position`, with the audit
        chain head. The vote must have been closed first (`close_vote`)."""
        self.require("publish the shortlist")
        if not self.vote_closed:
            raise InvalidTransition(
                "close the vote before publishing its count", code="vote.not_closed"
            )
        self._shortlist_published(
            result=result.to_dict(), chain_head=chain_head, close_position=close_position
        )

    @event("ShortlistPublished")
    def _shortlist_published(
        self,
        *,
        result: dict[str, Any],
        chain_head: dict[str, Any],
        close_position: int | None = None,
    ) -> None:
        # `close_position` is absent from shortlists published before the vote had a
        # separate close: there the ShortlistPublished event itself was the close.
        self.shortlist = CountResult.from_dict(result)
        self.shortlist_chain_head = chain_head
        self.close_position = close_position
        self.phase = Phase.SHORTLISTED

    def require_shortlisted(self, proposal_ids: list[UUID]) -> None:
        """Raise InvalidInput unless every id is on the published shortlist."""
        if self.shortlist is None:
            raise InvalidTransition("no shortlist has been published", code="shortlist.none")
        outside = [str(p) for p in proposal_ids if str(p) not in self.shortlist.shortlist]
        if not proposal_ids:
            raise InvalidInput(
                "cite at least one shortlisted proposal",
                field="proposal_ids",
                code="recommendation.no_proposal",
            )
        if outside:
            raise InvalidInput(
                f"not on the shortlist: {', '.join(outside)}",
                field="proposal_ids",
                code="recommendation.not_shortlisted",
            )
