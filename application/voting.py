"""Casting ballots and publishing the shortlist, recountable from the events."""

from __future__ import annotations

import secrets as random_source
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from application.receipts import format_receipt
from domain.audit import GENESIS, chain_step, stored_bytes
from domain.ballot import Ballot
from domain.checkpoint import Checkpoint, sign_note
from domain.errors import Conflict, NotFound, VoteIsClosed
from domain.identities import ballot_id
from domain.merkle import Frontier, leaf_hash
from domain.process import Process
from domain.voting import Choices, CountResult, Method, VotingRules, count, validate_ballot

BALLOT_TOPICS = tuple(
    get_topic(cls)
    for cls in (Ballot.Cast, Ballot.Recast, Ballot.Withdrawn)  # type: ignore[attr-defined]
)


#: Methods whose ballots are sets: [a, b] and [b, a] are the same ballot.
UNORDERED = frozenset({Method.APPROVAL, Method.EQUAL_SHARES, Method.PAV})


def new_receipt() -> str:
    """A random receipt in the copyable format (80 bits, Crockford base32 by groups of 4).

    Ballots get keyed receipts instead (`VoisinageBase.receipts`, application/receipts.py)
    so that the store keeps only their digests and can still show them again.
    """
    return format_receipt(random_source.token_bytes(10))


def same_choices(rules: VotingRules, old: Choices, new: Choices) -> bool:
    """Whether two valid ballots say the same: order matters for ranked methods only."""
    if rules.method in UNORDERED and isinstance(old, list) and isinstance(new, list):
        return sorted(old) == sorted(new)
    return old == new


@dataclass(frozen=True)
class OwnBallot:
    """A resident's own ballot as counted: the choices, and the receipt to show
    (None when the ballot was withdrawn)."""

    choices: Choices
    receipt: str | None
    counted: bool


@dataclass(frozen=True)
class PublishedShortlist:
    """What publishing the shortlist gave, as plain values: the shortlisted proposal
    ids in order, the ballots counted, the position of the close in the log, and the
    whole count as JSON-safe data (as frozen in the ShortlistPublished event; the read
    models serve it too, Views.shortlist)."""

    shortlist: list[str]
    ballots_counted: int
    close_position: int
    count: dict[str, Any]


class Recount(NamedTuple):
    """A published shortlist beside a recount of its ballots, both as the JSON-safe data
    the ShortlistPublished event froze (`CountResult.to_dict`): equal when they agree."""

    published: dict[str, Any]
    recounted: dict[str, Any]


class VotingCommands(VoisinageBase):
    """The vote and its count."""

    def receipt_digest(self, receipt: str) -> str:
        """What the read models hold of a typed receipt (for the receipt check)."""
        return self.receipts.digest(receipt)

    def _ballot_candidates(self, process: Process) -> list[str]:
        """`process.ballot_candidates`, memoised per process version.

        Building it converts every candidate UUID to text (~2 ms for 1,000 candidates):
        it was 60% of a ballot's cost (benchmarks/bench_append.py). Any change to the
        process bumps its version, so a memo keyed by (id, version) is never stale.
        """
        memo: dict[tuple[UUID, int], list[str]] = self.__dict__.setdefault("_candidates_memo", {})
        key = (process.id, process.version)
        candidates = memo.get(key)
        if candidates is None:
            if len(memo) > 64:
                memo.clear()
            candidates = memo[key] = process.ballot_candidates
        return candidates

    def _ballot_inputs(self, process: Process) -> tuple[VotingRules, list[str]]:
        """What a ballot is checked against, read while the process cannot change."""
        process.require_open_vote()
        return process.rules, self._ballot_candidates(process)

    def _require_counted(self, process_id: UUID, position: Callable[[], int]) -> None:
        """Refuse to acknowledge a ballot event stored after the close of the vote.

        Called once the event is committed. Positions follow commit order (SQLite has
        one writer; PostgreSQL inserts hold a table lock until commit), so every event
        before ours is visible now: if the process shows no close, the close will come
        after our event and the count will include it. If it shows a close, the event
        counts only if it precedes it.
        """
        close = self.reading(process_id, Process, "process", self._close_of)
        if close is not None and position() > close:
            raise VoteIsClosed(
                "the vote closed before your ballot reached the ballot box: it was not counted"
            )

    def _close_of(self, process: Process) -> int | None:
        """The position of the close of the vote (None while the vote is open)."""
        if process.close_position is not None:
            return process.close_position
        if not process.vote_closed and process.shortlist is None:
            return None
        memo: dict[UUID, int] = self.__dict__.setdefault("_close_memo", {})
        if process.id not in memo:  # the close never moves once it exists
            if process.vote_closed_version is not None:
                memo[process.id] = self.event_positions(process.id)[process.vote_closed_version]
            else:  # published before the close was an event of its own
                memo[process.id] = self._shortlist_position(process.id)
        return memo[process.id]

    def close_position(self, process_id: UUID) -> int | None:
        """The position of the close of a process's vote in the log (None while open)."""
        return self.reading(process_id, Process, "process", self._close_of)

    @retrying
    def cast_ballot(self, actor: Actor, process_id: UUID, choices: object) -> str:
        """Cast or replace one's ballot; returns the receipt.

        The receipt is returned only once the ballot is certain to be counted: a ballot
        stored after the close of the vote raises VoteIsClosed (and counts for nothing).
        Casting the same choices again records nothing and returns the same receipt,
        so a client may safely retry.
        """
        authorise(actor, "cast a ballot")
        self.require_member(actor, process_id)
        rules, candidates = self.reading(process_id, Process, "process", self._ballot_inputs)
        normalised = validate_ballot(rules, choices, candidates)
        # Most ballots are first ballots: insert one straight away. The ballot's id is
        # derived from (process, participant), so if one exists the store refuses the
        # insert and we replace it instead. This saves a read per first ballot (~25% of
        # its cost on SQLite, benchmarks/bench_append.py).
        voter_digest = self.secrets.digest("ballot", f"{process_id}/{actor.participant_id}")
        # The events keep only the receipt's keyed digest (application/receipts.py).
        first = Ballot.cast(
            process_id=process_id,
            voter_digest=voter_digest,
            choices=normalised,
            receipt=self.receipts.tracker(ballot_id(process_id, voter_digest), 1),
        )
        try:
            recordings = self.save(first)
        except IntegrityError:
            pass
        else:
            self._require_counted(process_id, lambda: recordings[-1].notification.id)
            return self.receipts.of(first.id, first.version)
        ballot = self.load(ballot_id(process_id, voter_digest), Ballot, "ballot")
        shown = self.receipt_of(ballot)
        if shown is not None and same_choices(rules, ballot.choices, normalised):
            stored = ballot
            self._require_counted(
                process_id, lambda: self.event_positions(stored.id)[stored.version]
            )
            return shown
        ballot.recast(normalised, self.receipts.tracker(ballot.id, ballot.version + 1))
        recordings = self.save(ballot)
        self._require_counted(process_id, lambda: recordings[-1].notification.id)
        return self.receipts.of(ballot.id, ballot.version)

    @retrying
    def withdraw_ballot(self, actor: Actor, process_id: UUID) -> None:
        """Take one's ballot back while the vote is open."""
        authorise(actor, "cast a ballot")
        self.require_member(actor, process_id)
        self.reading(process_id, Process, "process", lambda p: p.require_open_vote())
        ballot = self._ballot_or_none(process_id, actor.participant_id)
        if ballot is None:
            raise NotFound("you have not voted in this process", code="ballot.none")
        ballot.withdraw()
        recordings = self.save(ballot)
        self._require_counted(process_id, lambda: recordings[-1].notification.id)

    def own_ballot(self, actor: Actor, process_id: UUID) -> OwnBallot | None:
        """The resident's own ballot as counted: after the close, as it stood at the close."""
        authorise(actor, "read one's ballot")
        self.require_member(actor, process_id)
        ballot = self._ballot_as_counted(process_id, actor.participant_id)
        if ballot is None:
            return None
        return OwnBallot(ballot.choices, self.receipt_of(ballot), ballot.counted)

    def _ballot_as_counted(self, process_id: UUID, participant_id: UUID) -> Ballot | None:
        close = self.close_position(process_id)
        ballot = self._ballot_or_none(process_id, participant_id)
        if ballot is None or close is None:
            return ballot
        positions = self.event_positions(ballot.id)
        counted = [version for version, position in positions.items() if position < close]
        if not counted:
            return None
        if max(counted) == ballot.version:
            return ballot
        past: Any = self.repository.get(ballot.id, version=max(counted))
        assert isinstance(past, Ballot)
        return past

    # --- counting -------------------------------------------------------------------------

    def counted_ballots(self, process_id: UUID, before: int | None = None) -> dict[UUID, Choices]:
        """The latest choices of every ballot of the process, read from the events.

        `before`: only ballot events stored before this position (the close of the vote).
        """
        ballots: dict[UUID, Choices] = {}
        process_of: dict[UUID, UUID] = {}
        for _, event in self.scan(BALLOT_TOPICS, before=before):
            if isinstance(event, Ballot.Cast):  # type: ignore[attr-defined]
                process_of[event.originator_id] = event.process_id
            if process_of.get(event.originator_id) != process_id:
                continue
            if isinstance(event, Ballot.Withdrawn):  # type: ignore[attr-defined]
                ballots.pop(event.originator_id, None)
            else:
                ballots[event.originator_id] = event.choices
        return ballots

    def count_votes(self, process: Process, ballots: dict[UUID, Choices]) -> CountResult:
        """Count with the process's rules, candidates in tie-break order, merges followed."""
        return count(
            process.rules,
            ballots.values(),
            process.tie_break_order(),
            merged_into={str(k): str(v) for k, v in process.merged_into.items()},
            costs=self.candidate_costs(process) if process.rules.within_budget else None,
        )

    def candidate_costs(self, process: Process) -> dict[str, int]:
        """The estimated cost of every candidate that has one (fixed once the vote opens:
        proposals are revised only before)."""
        costs: dict[str, int] = {}
        for candidate in process.ballot_candidates:
            cost = self.proposal(UUID(candidate)).cost
            if cost is not None:
                costs[candidate] = cost
        return costs

    def chain_head(self) -> dict[str, Any]:
        """The audit chain head now, with a signed checkpoint of the Merkle tree: from the
        projections if wired, else computed from the store."""
        if self._chain_head is not None:
            return self._chain_head()
        head, position, tree = GENESIS, 0, Frontier()
        for page in self.notifications():
            for notification in page:
                head = chain_step(head, notification)
                position = notification.id
                tree.append(leaf_hash(stored_bytes(notification)))
        signer = self.secrets.checkpoint_signer
        checkpoint = sign_note(Checkpoint(signer.name, tree.size, tree.root()).text(), signer)
        return {"position": position, "hash": head.hex(), "checkpoint": checkpoint}

    @retrying
    def publish_shortlist(self, actor: Actor, process_id: UUID) -> PublishedShortlist:
        """Close the vote, count the ballots stored before the close, freeze the result.

        Two events: `VoteClosed`, whose position in the log is the close, then
        `ShortlistPublished` with the count of every ballot stored before it. If the
        second is never written (a crash), publishing again counts at the same close.
        """
        authorise(actor, "publish the shortlist")
        process = self.process(process_id)
        process.require("publish the shortlist")
        if process.vote_closed:
            close = self._close_of(process)
        else:
            process.close_vote()
            close = self.save(process)[-1].notification.id
        assert close is not None
        result = self.count_votes(process, self.counted_ballots(process_id, before=close))
        process.publish_shortlist(result, self.chain_head(), close)
        self.save(process)
        return PublishedShortlist(
            shortlist=[str(p) for p in result.shortlist],
            ballots_counted=result.ballots_counted,
            close_position=close,
            count=result.to_dict(),
        )

    def shortlist_published(self, process_id: UUID) -> bool:
        """Whether the process's shortlist is published (in the store: the views may lag)."""
        return self.reading(process_id, Process, "process", lambda p: p.shortlist is not None)

    def recount(self, process_id: UUID) -> Recount:
        """Recount a published shortlist from the ballots: (published, recounted)."""
        process = self.process(process_id)
        if process.shortlist is None:
            raise Conflict("no shortlist has been published for this process")
        close = self._close_of(process)
        rebuilt: Any = self.repository.get(process_id, version=self._version_before(process_id))
        assert isinstance(rebuilt, Process)
        ballots = self.counted_ballots(process_id, before=close)
        return Recount(process.shortlist.to_dict(), self.count_votes(rebuilt, ballots).to_dict())

    def _shortlist_position(self, process_id: UUID) -> int:
        for position, event in self.scan([get_topic(Process.ShortlistPublished)]):  # type: ignore[attr-defined]
            if event.originator_id == process_id:
                return position
        raise Conflict("no shortlist has been published for this process")

    def _version_before(self, process_id: UUID) -> int:
        for event in self.events.get(process_id):
            if isinstance(event, Process.ShortlistPublished):  # type: ignore[attr-defined]
                return event.originator_version - 1
        raise Conflict("no shortlist has been published for this process")
