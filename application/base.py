"""The event-sourced application's foundations: the store, keys, retries, loading.

`VoisinageBase` is the one base of every command group (application/app.py lists the
groups): what two groups need in common lives here (the loaders of each kind of
aggregate, the ballot of a participant and its receipt, the membership and
representation checks), never in one group another group inherits.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from copy import deepcopy
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
)

from application.actors import Actor
from application.authorisation import member_of
from application.keys import KeyStore
from application.receipts import Receipts
from application.secrets import Secrets
from domain.ballot import Ballot
from domain.contribution import Contribution
from domain.errors import ConcurrentChange, NotAllowed, NotFound, NotRepresentative
from domain.identities import ballot_id
from domain.organisation import Organisation
from domain.participant import Participant
from domain.process import Process
from domain.proposal import Proposal
from domain.questionnaire import Questionnaire
from domain.recommendation import Recommendation
from domain.workshop import Workshop
from infrastructure.engines import create_engine_for
from infrastructure.event_store import UPSTREAM, EventStore
from infrastructure.storage import Storage
from infrastructure.store_identity import store_identity

P = ParamSpec("P")
T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)

#: How many times a command is re-run after a concurrent change before giving up, and
#: the longest wait between two attempts (eight writers on one process under load ran
#: out of 8 attempts; 12 with waits capped at 0.2 s is at most ~1.5 s of waiting).
MAX_ATTEMPTS = 12
MAX_RETRY_WAIT = 0.2
#: Locks that serialise loading an aggregate (see VoisinageBase.load).
LOAD_LOCK_STRIPES = 64


def retrying(command: Callable[P, T]) -> Callable[P, T]:
    """Re-run a command when another writer saved the same aggregate version first.

    The command reloads what it needs on each attempt, so its rules are checked
    again against the new state: a conflict is never lost, and never forced.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(MAX_ATTEMPTS):
            try:
                return command(*args, **kwargs)
            except IntegrityError:
                time.sleep(random.uniform(0, min(MAX_RETRY_WAIT, 0.002 * 2**attempt)))
        raise ConcurrentChange("too many simultaneous changes to the same item: try again")

    return wrapper


ChainHead = Callable[[], dict[str, Any]]


class VoisinageBase(EventStore):
    """Store, keys and helpers shared by every group of commands."""

    name = UPSTREAM  # the library would name it after the class (tables, tracking rows)

    env = {  # noqa: RUF012 (the library's class attribute)
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
        "COMPRESSOR_TOPIC": "",
    }

    def __init__(
        self,
        storage: Storage,
        secrets: Secrets,
        *,
        chain_head: ChainHead | None = None,
    ) -> None:
        self.storage = storage
        self.secrets = secrets
        self.keys = KeyStore(create_engine_for(storage.keys_url, storage.schema))
        self._chain_head = chain_head
        self._positions = threading.local()
        self._load_locks = [threading.Lock() for _ in range(LOAD_LOCK_STRIPES)]
        super().__init__(env=storage.event_store_env)
        store_identity(storage)  # a new store is named once, beside its first events

    def close(self) -> None:
        """Close the event store and the keys database (its pool would outlive us)."""
        super().close()
        self.keys.engine.dispose()

    # --- saving -------------------------------------------------------------------------

    def save(self, *objs: Any, **kwargs: Any) -> list[Any]:
        """Save atomically and remember the last notification id for this thread."""
        recordings = super().save(*objs, **kwargs)
        if recordings:
            self._positions.last = recordings[-1].notification.id
        return recordings

    def forget_position(self) -> None:
        """Start a new unit of work on this thread (a web request): no last save yet."""
        self._positions.last = None

    def last_position(self) -> int | None:
        """The notification id of this thread's last save (to wait for projections)."""
        return getattr(self._positions, "last", None)

    # --- loading --------------------------------------------------------------------------

    def load(
        self,
        aggregate_id: UUID,
        cls: type[A],
        what: str,
        *,
        copy: bool = True,
        locked: bool = False,
    ) -> A:
        """Load an aggregate of the expected class or raise NotFound naming `what`.

        ``copy=False`` returns the cached aggregate itself instead of a deep copy: only
        for callers that read one attribute of it and never change it (a process with
        1,000 candidates costs ~10 ms to deep-copy, measured by benchmarks/bench_append.py);
        to read more, use `reading`. ``locked``: the caller holds the id's stripe lock.
        """
        # eventsourcing 9.5.6 fast-forwards a cached aggregate in place under its own
        # lock but deep-copies it outside that lock: a copy taken while another thread
        # fast-forwards fails ("dictionary changed size during iteration", seen with
        # eight threads on one process). One lock per stripe of ids around both.
        lock = self._load_locks[hash(aggregate_id) % LOAD_LOCK_STRIPES]
        try:
            with nullcontext() if locked else lock:
                aggregate: Any = self.repository.get(aggregate_id, deepcopy_from_cache=False)
                if copy:
                    aggregate = deepcopy(aggregate)
        except AggregateNotFoundError:
            raise NotFound(f"{what} {aggregate_id} does not exist") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"{what} {aggregate_id} does not exist")
        return aggregate

    def reading(self, aggregate_id: UUID, cls: type[A], what: str, read: Callable[[A], T]) -> T:
        """Apply `read` to the cached aggregate itself (no copy), while no other thread
        can fast-forward it: the cheap way to read a large aggregate that changes rarely
        (a process with 1,000 candidates, read by every ballot)."""
        lock = self._load_locks[hash(aggregate_id) % LOAD_LOCK_STRIPES]
        with lock:
            aggregate = self.load(aggregate_id, cls, what, copy=False, locked=True)
            return read(aggregate)

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether any event was recorded for this id."""
        return aggregate_id in self.repository

    # --- the aggregates by kind (every command group loads them) -----------------------------

    def participant(self, participant_id: UUID, *, copy: bool = True) -> Participant:
        """Load a participant (``copy=False``: read only, see `load`)."""
        return self.load(participant_id, Participant, "participant", copy=copy)

    def process(self, process_id: UUID, *, copy: bool = True) -> Process:
        """Load a process (NotFound if there is none); ``copy=False``: read only."""
        return self.load(process_id, Process, "process", copy=copy)

    def workshop(self, workshop_id: UUID) -> Workshop:
        """Load a workshop."""
        return self.load(workshop_id, Workshop, "workshop")

    def contribution(self, contribution_id: UUID) -> Contribution:
        """Load a contribution."""
        return self.load(contribution_id, Contribution, "contribution")

    def proposal(self, proposal_id: UUID) -> Proposal:
        """Load a proposal."""
        return self.load(proposal_id, Proposal, "proposal")

    def recommendation(self, recommendation_id: UUID) -> Recommendation:
        """Load a recommendation."""
        return self.load(recommendation_id, Recommendation, "recommendation")

    def organisation(self, organisation_id: UUID) -> Organisation:
        """Load an organisation."""
        return self.load(organisation_id, Organisation, "organisation")

    def questionnaire(self, questionnaire_id: UUID) -> Questionnaire:
        """Load a questionnaire."""
        return self.load(questionnaire_id, Questionnaire, "questionnaire")

    # --- a participant's ballot and its receipt (voting and privacy) ----------------------

    @property
    def receipts(self) -> Receipts:
        """Receipts of ballots and their keyed digests (application/receipts.py)."""
        receipts: Receipts | None = self.__dict__.get("_receipts")
        if receipts is None:
            receipts = self.__dict__["_receipts"] = Receipts(self.secrets)
        return receipts

    def receipt_of(self, ballot: Ballot) -> str | None:
        """The receipt to show the voter for their ballot now (None: not counted)."""
        return self.receipts.shown(ballot.id, ballot.version, ballot.receipt)

    def ballot_id_of(self, process_id: UUID, participant_id: UUID) -> UUID:
        """The id of a participant's ballot: only computable with the pseudonym key."""
        return ballot_id(
            process_id, self.secrets.digest("ballot", f"{process_id}/{participant_id}")
        )

    def _ballot_or_none(self, process_id: UUID, participant_id: UUID) -> Ballot | None:
        try:
            return self.load(self.ballot_id_of(process_id, participant_id), Ballot, "ballot")
        except NotFound:
            return None

    # --- who acts -------------------------------------------------------------------------

    def require_member(self, actor: Actor, process_id: UUID) -> None:
        """Residents act only in the process they joined."""
        if not member_of(actor, process_id):
            raise NotAllowed("residents act only in the process they joined", code="process.other")

    def require_representative(self, actor: Actor, organisation_id: UUID) -> Organisation:
        """The organisation, if the actor represents it (NotRepresentative otherwise)."""
        organisation = self.organisation(organisation_id)
        if actor.participant_id not in organisation.representatives:
            raise NotRepresentative("only its representatives answer in an organisation's name")
        return organisation

    def current_actor(self, actor: Actor) -> Actor:
        """Refuse an actor whose participant was erased (tokens outlive erasure)."""
        from domain.errors import NotAuthenticated

        try:
            participant = self.participant(actor.participant_id, copy=False)
        except NotFound:
            raise NotAuthenticated("unknown participant") from None
        if participant.erased:
            raise NotAuthenticated("this participant was erased")
        return actor
