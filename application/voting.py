"""Casting ballots and publishing the shortlist, recountable from the events."""

from __future__ import annotations

import secrets as random_source
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from application.actors import Actor
from application.authorisation import authorise
from application.base import retrying
from application.proposals import ProposalCommands
from domain.audit import GENESIS, next_hash
from domain.ballot import Ballot
from domain.errors import Conflict, NotFound
from domain.identities import ballot_id
from domain.process import Process
from domain.voting import Choices, CountResult, Method, VotingRules, count, validate_ballot

BALLOT_TOPICS = tuple(
    get_topic(cls)
    for cls in (Ballot.Cast, Ballot.Recast, Ballot.Withdrawn)  # type: ignore[attr-defined]
)


#: Methods whose ballots are sets: [a, b] and [b, a] are the same ballot.
UNORDERED = frozenset({Method.APPROVAL, Method.EQUAL_SHARES, Method.PAV})


def new_receipt() -> str:
    """A random tracker (128 bits): it proves a ballot is counted, never what it says."""
    return random_source.token_urlsafe(16)


def same_choices(rules: VotingRules, old: Choices, new: Choices) -> bool:
    """Whether two valid ballots say the same: order matters for ranked methods only."""
    if rules.method in UNORDERED and isinstance(old, list) and isinstance(new, list):
        return sorted(old) == sorted(new)
    return old == new


class VotingCommands(ProposalCommands):
    """The vote and its count."""

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

    def ballot_id_of(self, process_id: UUID, participant_id: UUID) -> UUID:
        """The id of a participant's ballot: only computable with the pseudonym key."""
        return ballot_id(
            process_id, self.secrets.digest("ballot", f"{process_id}/{participant_id}")
        )

    def _ballot_inputs(self, process: Process) -> tuple[VotingRules, list[str]]:
        """What a ballot is checked against, read while the process cannot change."""
        process.require("cast a ballot")
        return process.rules, self._ballot_candidates(process)

    def _ballot_or_none(self, process_id: UUID, participant_id: UUID) -> Ballot | None:
        try:
            return self.load(self.ballot_id_of(process_id, participant_id), Ballot, "ballot")
        except NotFound:
            return None

    @retrying
    def cast_ballot(self, actor: Actor, process_id: UUID, choices: object) -> str:
        """Cast or replace one's ballot; returns the receipt.

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
        first = Ballot.cast(
            process_id=process_id,
            voter_digest=voter_digest,
            choices=normalised,
            receipt=new_receipt(),
        )
        try:
            self.save(first)
        except IntegrityError:
            pass
        else:
            assert first.receipt is not None
            return first.receipt
        ballot = self.load(ballot_id(process_id, voter_digest), Ballot, "ballot")
        if ballot.receipt is not None and same_choices(rules, ballot.choices, normalised):
            return ballot.receipt
        ballot.recast(normalised, new_receipt())
        self.save(ballot)
        assert ballot.receipt is not None
        return ballot.receipt

    @retrying
    def withdraw_ballot(self, actor: Actor, process_id: UUID) -> None:
        """Take one's ballot back while the vote is open."""
        authorise(actor, "cast a ballot")
        self.require_member(actor, process_id)
        process = self.process(process_id)
        process.require("cast a ballot")
        ballot = self._ballot_or_none(process_id, actor.participant_id)
        if ballot is None:
            raise NotFound("you have not voted in this process")
        ballot.withdraw()
        self.save(ballot)

    def own_ballot(self, actor: Actor, process_id: UUID) -> Ballot | None:
        """The resident's own ballot, if any."""
        authorise(actor, "read one's ballot")
        self.require_member(actor, process_id)
        self.process(process_id)
        return self._ballot_or_none(process_id, actor.participant_id)

    # --- counting -------------------------------------------------------------------------

    def counted_ballots(self, process_id: UUID, up_to: int | None = None) -> dict[UUID, Choices]:
        """The latest counted choices of every ballot of the process, read from the events.

        `up_to` stops at a notification id (to recount a past publication).
        """
        ballots: dict[UUID, Choices] = {}
        process_of: dict[UUID, UUID] = {}
        for position, event in self.scan(BALLOT_TOPICS):
            if up_to is not None and position > up_to:
                break
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
        )

    def chain_head(self) -> dict[str, Any]:
        """The audit chain head now: from the audit projection if wired, else from the store."""
        if self._chain_head is not None:
            return self._chain_head()
        head, position = GENESIS, 0
        for notification in self._all_notifications():
            head = next_hash(
                head,
                notification.id,
                notification.originator_id,
                notification.originator_version,
                notification.topic,
                notification.state,
            )
            position = notification.id
        return {"position": position, "hash": head.hex()}

    def _all_notifications(self, page: int = 5000) -> Iterator[Any]:
        last = 0
        while True:
            notifications = self.recorder.select_notifications(
                start=last, limit=page, inclusive_of_start=False
            )
            yield from notifications
            if len(notifications) < page:
                return
            last = notifications[-1].id

    @retrying
    def publish_shortlist(self, actor: Actor, process_id: UUID) -> CountResult:
        """Close the vote: count every ballot and freeze the result in one event."""
        authorise(actor, "publish the shortlist")
        process = self.process(process_id)
        process.require("publish the shortlist")
        result = self.count_votes(process, self.counted_ballots(process_id))
        process.publish_shortlist(result, self.chain_head())
        self.save(process)
        return result

    def recount(self, process_id: UUID) -> tuple[CountResult, CountResult]:
        """Recount a published shortlist from the ballots: (published, recounted)."""
        process = self.process(process_id)
        if process.shortlist is None:
            raise Conflict("no shortlist has been published for this process")
        published_at = self._shortlist_position(process_id)
        rebuilt: Any = self.repository.get(process_id, version=self._version_before(process_id))
        assert isinstance(rebuilt, Process)
        ballots = self.counted_ballots(process_id, up_to=published_at)
        return process.shortlist, self.count_votes(rebuilt, ballots)

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
