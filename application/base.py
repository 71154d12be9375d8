"""The event-sourced application's foundations: the store, keys, retries, loading."""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from copy import deepcopy
from datetime import date
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    OperationalError,
    Transcoding,
)

from application.actors import Actor
from application.keys import KeyStore, create_engine_for
from application.secrets import Secrets
from application.storage import Storage
from domain.errors import ConcurrentChange, NotFound
from domain.participant import Participant

P = ParamSpec("P")
T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)

#: How many times a command is re-run after a concurrent change before giving up.
MAX_ATTEMPTS = 8
#: Locks that serialise loading an aggregate (see VoisinageBase.load).
LOAD_LOCK_STRIPES = 64


class DateAsISO(Transcoding):
    """Store `datetime.date` values as ISO text (the library only transcodes datetime)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """2026-11-24."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """Parse ISO text."""
        return date.fromisoformat(data)


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
                time.sleep(random.uniform(0, 0.002 * 2**attempt))
        raise ConcurrentChange("too many simultaneous changes to the same item: try again")

    return wrapper


ChainHead = Callable[[], dict[str, Any]]


class VoisinageBase(Application[UUID]):
    """Store, keys and helpers shared by every group of commands."""

    name = "Voisinage"
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
        self._renew_dead_connections_on_error()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add `date` to the library's UUID, Decimal and datetime."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # --- saving -------------------------------------------------------------------------

    def save(self, *objs: Any, **kwargs: Any) -> list[Any]:
        """Save atomically and remember the last notification id for this thread."""
        recordings = super().save(*objs, **kwargs)
        if recordings:
            self._positions.last = recordings[-1].notification.id
        return recordings

    def _renew_dead_connections_on_error(self) -> None:
        """PostgreSQL: when a pooled connection turns out dead (server restarted,
        connections terminated), test and replace every pooled connection at once.

        The library retries a failed read or write 10 times, 0.2 s apart, each time
        with the next pooled connection: without this, every dead one in the pool
        failed in turn (1.8 s, then an error). Now the second attempt gets a fresh
        connection (measured: 13 s stall with pre-ping, ~0.2 s with this).
        """
        datastore = getattr(self.recorder, "datastore", None)
        pool = getattr(datastore, "pool", None)
        check = getattr(pool, "check", None)
        if datastore is None or not callable(check):
            return
        original = datastore.get_connection

        @contextmanager
        def get_connection() -> Iterator[Any]:
            try:
                with original() as connection:
                    yield connection
            except (OperationalError, InterfaceError):
                with suppress(Exception):  # the server may still be down
                    check()
                raise

        datastore.get_connection = get_connection

    def reconnect(self) -> None:
        """After a database error: test every pooled connection of the event store and
        replace the dead ones now (PostgreSQL; nothing to do on SQLite)."""
        pool = getattr(getattr(self.recorder, "datastore", None), "pool", None)
        check = getattr(pool, "check", None)
        if callable(check):
            check()

    def forget_position(self) -> None:
        """Start a new unit of work on this thread (a web request): no last save yet."""
        self._positions.last = None

    def last_position(self) -> int | None:
        """The notification id of this thread's last save (to wait for projections)."""
        return getattr(self._positions, "last", None)

    def head_position(self) -> int:
        """The id of the newest event in the store (0 when empty)."""
        return self.recorder.max_notification_id() or 0

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

    def participant(self, participant_id: UUID, *, copy: bool = True) -> Participant:
        """Load a participant (``copy=False``: read only, see `load`)."""
        return self.load(participant_id, Participant, "participant", copy=copy)

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

    # --- scanning the log -------------------------------------------------------------------

    def scan(self, topics: Sequence[str], page: int = 2000) -> Iterator[tuple[int, Any]]:
        """Yield (position, domain event) for every stored event of the given topics, in order.

        Used where a rare act needs a complete, authoritative answer from the events
        themselves (opening the vote, counting it, auditing it), not from a projection.
        """
        last = 0
        while True:
            notifications = self.recorder.select_notifications(
                start=last, limit=page, topics=topics, inclusive_of_start=False
            )
            for notification in notifications:
                yield notification.id, self.mapper.to_domain_event(notification)
            if len(notifications) < page:
                return
            last = notifications[-1].id
