"""Running the projections: batch catch-up and rebuild, and live following in the background.

* `catch_up` reads pages of raw notifications once, decodes each event at most once,
  and gives every projection its share in one transaction per page (thousands of
  events per transaction: this is what makes a rebuild fast).
* `rebuild` empties the projections' tables and catches up from the first event. It
  is resumable: a rebuild interrupted half way is marked in the tracking table, and
  the next `rebuild` continues from the tracked position instead of starting again.
* `ProjectionService` catches up, then follows the store: it watches the head of the
  notification log (one indexed ``max(id)`` query every `poll` seconds, 25 ms by
  default) and, when it moved, catches up again — everything pending in one
  transaction per projection and page. The library's `BaseProjectionRunner` applied
  one event per transaction per projection: at 200 ballots/s it fell behind by 6-10 s
  (benchmarks/RESULTS.md, lag); batching keeps the lag to one poll plus one batch.
  After a failure (store or views unreachable) it waits `restart_delay` and resumes
  from the tracked positions: exactly-once either way.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from infrastructure.storage import Storage
from projections.audit_chain import AuditChainProjection
from projections.base import SQLProjection
from projections.events import EventLog, topic_name
from projections.participation import ParticipationProjection
from projections.ranking import RankingProjection
from projections.store_of_views import adopt_store
from projections.tables import projection_failures
from projections.trail import TrailProjection
from projections.transparency import MerkleProjection
from projections.view import RowCache, SQLView, create_views_engine

logger = logging.getLogger(__name__)

#: Every projection, by name (the order in which a rebuild reports them).
PROJECTIONS: dict[str, type[SQLProjection]] = {
    cls.name: cls
    for cls in (
        ParticipationProjection,
        RankingProjection,
        TrailProjection,
        AuditChainProjection,
        MerkleProjection,
    )
}

#: Events per transaction when catching up.
BATCH_SIZE = 5000

Progress = Callable[[int, int], None]


def select(names: Iterable[str] | None) -> list[str]:
    """Projection names, checked (None means all)."""
    chosen = list(PROJECTIONS) if names is None else list(names)
    unknown = [name for name in chosen if name not in PROJECTIONS]
    if unknown:
        raise KeyError(f"unknown projection {', '.join(unknown)} (known: {', '.join(PROJECTIONS)})")
    return chosen


def open_projections(
    engine: sa.Engine, names: Iterable[str] | None = None
) -> dict[str, SQLProjection]:
    """Projections over their views in the database of `engine`. A view left without
    its deferred indexes by an interrupted rebuild gets them back unless it is being
    rebuilt (a rebuild builds them at its end)."""
    projections = {
        name: PROJECTIONS[name](view=SQLView(engine, name, PROJECTIONS[name].tables))
        for name in select(names)
    }
    for projection in projections.values():
        if projection.deferred_indexes and not projection.view.is_rebuilding():
            projection.view.create_indexes(projection.deferred_indexes)
    return projections


#: Failures of the store or the views themselves, not of one event: everything stops
#: and resumes from the tracked positions (see ProjectionService).
TRANSIENT = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError, OSError)


@dataclass(frozen=True)
class Failure:
    """A projection stopped: it cannot apply the event at `position`."""

    name: str
    position: int
    error: str


def catch_up(
    projections: Mapping[str, SQLProjection],
    log: EventLog,
    *,
    up_to: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    caches: Mapping[str, RowCache] | None = None,
    stop: threading.Event | None = None,
    failed: dict[str, Failure] | None = None,
) -> int:
    """Bring every projection to the head of the log (or to `up_to`), page by page.

    Returns the last notification id processed. Each page is one transaction per
    projection, conditional on the projection's position: if another worker moved
    it meanwhile, the page is re-filtered from the new position (exactly-once).

    A projection that cannot apply an event stops at it alone: its failure is logged
    once, recorded in its view (``projection_failures``) and added to `failed`, and
    the others go on. Projections already in `failed` are left where they stopped.
    """
    caches = caches or {}
    failed = failed if failed is not None else {}
    projections = {name: p for name, p in projections.items() if name not in failed}
    positions = {name: projection.view.position() for name, projection in projections.items()}
    if not positions:
        return 0
    head = up_to if up_to is not None else log.head_position()
    last = min(positions.values())
    if progress is not None:
        progress(last, head)
    for page in log.notifications(after=last, up_to=up_to, page=batch_size):
        if stop is not None and stop.is_set():
            break
        last = page[-1].id
        decode = _decoder(log)

        names = [topic_name(n.topic) for n in page]
        for name, projection in projections.items():
            while name not in failed and positions[name] < last:
                after = positions[name]
                if projection.raw:
                    pending = [n for n in page if n.id > after]
                    convert: Callable[[Any], Any] = _identity
                else:
                    handles = projection.handles
                    pending = [
                        n
                        for n, event_name in zip(page, names, strict=True)
                        if n.id > after and handles(event_name)
                    ]
                    convert = decode
                cache = caches.get(name)
                try:
                    items = [(n.id, convert(n)) for n in pending]
                    moved = projection.process_batch(items, last, after, cache)
                except TRANSIENT:
                    raise
                except Exception:  # one of these events cannot be applied: find which
                    if cache is not None:
                        cache.clear()
                    positions[name] = _one_by_one(projection, pending, convert, after, last, failed)
                    continue
                if moved:
                    positions[name] = last
                    if cache is not None and cache.size > cache.limit:
                        cache.evict()
                else:
                    positions[name] = projection.view.position()
        if progress is not None:
            progress(last, max(head, last))
    return last


def _identity(notification: Any) -> Any:
    return notification


def _one_by_one(
    projection: SQLProjection,
    pending: list[Any],
    convert: Callable[[Any], Any],
    after: int,
    through: int,
    failed: dict[str, Failure],
) -> int:
    """Apply a page event by event after its batch failed; stop at the event that fails.

    Returns the position reached. The failing event's position and error are logged
    once, recorded in the view, and put in `failed`.
    """
    position = after
    for notification in pending:
        notification_id = notification.id
        try:
            item = (notification_id, convert(notification))
            if not projection.process_batch([item], notification_id, position):
                return projection.view.position()
        except TRANSIENT:
            raise
        except Exception as error:
            message = f"{type(error).__name__}: {error}"
            logger.error(
                "projection %s stopped at position %d, which it cannot apply: %s "
                "(the other projections go on; fix, then `voisinage projections rebuild %s`)",
                projection.name,
                notification_id,
                message,
                projection.name,
            )
            projection.view.record_failure(notification_id, message)
            failed[projection.name] = Failure(projection.name, notification_id, message)
            if notification_id - 1 > position and projection.process_batch(
                [], notification_id - 1, position
            ):  # up to just before the event it cannot apply
                return notification_id - 1
            return position
        position = notification_id
    if projection.process_batch([], through, position):
        return through
    return projection.view.position()


def _decoder(log: EventLog) -> Callable[[Any], Any]:
    """Decode each notification of a page at most once, whichever projections need it."""
    decoded: dict[int, Any] = {}

    def decode(notification: Any) -> Any:
        event = decoded.get(notification.id)
        if event is None:
            event = decoded[notification.id] = log.mapper.to_domain_event(notification)
        return event

    return decode


def rebuild(
    storage: Storage,
    names: Iterable[str] | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    engine: sa.Engine | None = None,
    log: EventLog | None = None,
    up_to: int | None = None,
    cache_limit: int = 300_000,
) -> int:
    """Rebuild projections from the first event, or resume an interrupted rebuild.

    Returns the last notification id processed. `engine` chooses another database
    for the views (the audit rebuilds into a temporary one). Each projection keeps up
    to `cache_limit` rows in memory between pages (see RowCache).

    Only the projections' own tables are emptied. The signed checkpoints and the
    witnesses' cosignatures (``checkpoints``, ``cosignatures``) are history, not a view
    derived from the store: they say what the log was when they were signed, so a
    rebuild keeps them and recomputes only the tree. A rebuild over a changed store
    then contradicts them, which is how `audit verify` and every witness see the change;
    emptying them would erase the evidence.
    """
    engine = engine or create_views_engine(storage.views_url, storage.schema)
    projections = open_projections(engine, names)
    adopt_store(engine, storage, replace=names is None)
    caches: dict[str, RowCache] = {}
    for name, projection in projections.items():
        if projection.view.is_rebuilding():
            caches[name] = RowCache(complete=False, limit=cache_limit)
        else:
            projection.view.reset()
            projection.view.drop_indexes(projection.deferred_indexes)
            caches[name] = RowCache(complete=True, limit=cache_limit)
    own_log = log is None
    log = log or EventLog.open(storage)
    try:
        last = catch_up(
            projections,
            log,
            up_to=up_to,
            batch_size=batch_size,
            progress=progress,
            caches=caches,
        )
    finally:
        if own_log:
            log.close()
    for projection in projections.values():
        projection.view.create_indexes(projection.deferred_indexes)
        projection.view.finish_rebuild()
    return last


def update(
    storage: Storage,
    names: Iterable[str] | None = None,
    *,
    engine: sa.Engine | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Catch the projections up with the store once, in batches (no rebuild)."""
    engine = engine or create_views_engine(storage.views_url, storage.schema)
    adopt_store(engine, storage)
    log = EventLog.open(storage)
    try:
        return catch_up(open_projections(engine, names), log, batch_size=batch_size)
    finally:
        log.close()


class ProjectionService:
    """All projections following the store in a background thread (one per process).

    ``start()`` returns at once: the thread catches up in batches, then follows the
    head of the log and catches up again whenever it moves. ``stop()`` stops it (also
    called when the interpreter exits).
    """

    def __init__(
        self,
        storage: Storage,
        names: Iterable[str] | None = None,
        *,
        engine: sa.Engine | None = None,
        restart_delay: float = 1.0,
        poll: float = 0.025,
        batch_size: int = 1000,
    ) -> None:
        self.storage = storage
        self.names = select(names)
        self.engine = engine or create_views_engine(storage.views_url, storage.schema)
        self.projections = open_projections(self.engine, self.names)
        self.restart_delay = restart_delay
        self.poll = poll
        self.batch_size = batch_size
        self.errors: list[BaseException] = []
        #: Projections stopped at an event they cannot apply (the others go on).
        self.failed: dict[str, Failure] = {}
        self._stopping = threading.Event()
        self._started = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the projections are following the store live."""
        return self._started.is_set() and not self._stopping.is_set()

    def start(self) -> ProjectionService:
        """Catch up and follow the store, in the background."""
        if self._thread is not None:
            return self
        self._thread = threading.Thread(
            target=self._follow, name="voisinage-projections", daemon=True
        )
        self._thread.start()
        register = getattr(threading, "_register_atexit", None)
        if register is not None:  # stop before the interpreter joins the threads
            with contextlib.suppress(RuntimeError):  # already shutting down
                register(self.stop)
        return self

    def wait_started(self, timeout: float = 30.0) -> bool:
        """Block until the first catch-up is done and the store is followed."""
        return self._started.wait(timeout)

    def _follow(self) -> None:
        while not self._stopping.is_set():
            try:
                log = EventLog.open(self.storage)
            except Exception as failure:  # the store is unreachable: retry
                logger.exception("projections cannot open the store")
                self.errors.append(failure)
                self._stopping.wait(self.restart_delay)
                continue
            try:
                self._follow_log(log)
            except Exception as failure:  # the store or the views failed: resume later
                logger.exception("projections stopped; resuming from the tracked positions")
                self.errors.append(failure)
                self._stopping.wait(self.restart_delay)
            finally:
                with contextlib.suppress(Exception):
                    log.close()

    def _follow_log(self, log: EventLog) -> None:
        adopt_store(self.engine, self.storage)
        done = catch_up(self.projections, log, stop=self._stopping, failed=self.failed)
        self._forget_mended_failures()
        self._started.set()
        while not self._stopping.wait(self.poll):
            if log.head_position() > done:
                done = catch_up(
                    self.projections,
                    log,
                    batch_size=self.batch_size,
                    stop=self._stopping,
                    failed=self.failed,
                )

    def _forget_mended_failures(self) -> None:
        """Clear failures recorded by an earlier run that this run got past (the code
        was mended, or the view rebuilt)."""
        with self.engine.connect() as connection:
            recorded = connection.execute(sa.select(projection_failures)).mappings().all()
        for row in recorded:
            projection = self.projections.get(row["name"])
            if (
                projection is not None
                and row["name"] not in self.failed
                and projection.view.position() >= row["position"]
            ):
                projection.view.clear_failure()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop following the store and wait for the thread to end."""
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self.engine.dispose()

    close = stop

    def wait(self, position: int, timeout: float = 2.0) -> bool:
        """Block until every projection has processed notification `position`."""
        deadline = time.monotonic() + timeout
        while True:
            healthy = [p for name, p in self.projections.items() if name not in self.failed]
            if all(p.view.position() >= position for p in healthy):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
