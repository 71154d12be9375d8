"""Running the projections: batch catch-up and rebuild, and live following in the background.

* `catch_up` reads pages of raw notifications once, decodes each event at most once,
  and gives every projection its share in one transaction per page (thousands of
  events per transaction: this is what makes a rebuild fast).
* `rebuild` empties the projections' tables and catches up from the first event. It
  is resumable: a rebuild interrupted half way is marked in the tracking table, and
  the next `rebuild` continues from the tracked position instead of starting again.
* `ProjectionService` catches up, then follows the store with the library's
  `BaseProjectionRunner` (one per projection: subscription on the upstream
  application's recorder, LISTEN/NOTIFY on PostgreSQL, polling on SQLite), and
  restarts a runner that failed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from eventsourcing.projection import BaseProjectionRunner

from application.storage import Storage
from projections.audit_chain import AuditChainProjection
from projections.base import SQLProjection
from projections.events import EventLog, RawEventLog, reader_env, topic_name
from projections.participation import ParticipationProjection
from projections.ranking import RankingProjection
from projections.trail import TrailProjection
from projections.view import RowCache, SQLView, create_views_engine

logger = logging.getLogger(__name__)

#: Every projection, by name (the order in which a rebuild reports them).
PROJECTIONS: dict[str, type[SQLProjection]] = {
    cls.name: cls
    for cls in (ParticipationProjection, RankingProjection, TrailProjection, AuditChainProjection)
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
    """Projections over their views in the database of `engine`."""
    return {
        name: PROJECTIONS[name](view=SQLView(engine, name, PROJECTIONS[name].tables))
        for name in select(names)
    }


def catch_up(
    projections: Mapping[str, SQLProjection],
    log: EventLog,
    *,
    up_to: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    caches: Mapping[str, RowCache] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Bring every projection to the head of the log (or to `up_to`), page by page.

    Returns the last notification id processed. Each page is one transaction per
    projection, conditional on the projection's position: if another worker moved
    it meanwhile, the page is re-filtered from the new position (exactly-once).
    """
    caches = caches or {}
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
            while positions[name] < last:
                after = positions[name]
                if projection.raw:
                    items = [(n.id, n) for n in page if n.id > after]
                else:
                    handles = projection.handles
                    items = [
                        (n.id, decode(n))
                        for n, event_name in zip(page, names, strict=True)
                        if n.id > after and handles(event_name)
                    ]
                cache = caches.get(name)
                if projection.process_batch(items, last, after, cache):
                    positions[name] = last
                    if cache is not None and cache.size > cache.limit:
                        cache.clear()
                else:
                    positions[name] = projection.view.position()
        if progress is not None:
            progress(last, max(head, last))
    return last


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
) -> int:
    """Rebuild projections from the first event, or resume an interrupted rebuild.

    Returns the last notification id processed. `engine` chooses another database
    for the views (the audit rebuilds into a temporary one).
    """
    engine = engine or create_views_engine(storage.views_url, storage.schema)
    projections = open_projections(engine, names)
    caches: dict[str, RowCache] = {}
    for name, projection in projections.items():
        if projection.view.is_rebuilding():
            caches[name] = RowCache(complete=False)
        else:
            projection.view.reset()
            caches[name] = RowCache(complete=True)
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
    log = EventLog.open(storage)
    try:
        return catch_up(open_projections(engine, names), log, batch_size=batch_size)
    finally:
        log.close()


class ProjectionService:
    """All projections following the store in background threads (one per web process).

    ``start()`` returns at once: a supervisor thread catches up in batches, then runs
    one library `BaseProjectionRunner` per projection and restarts any that fails.
    ``stop()`` stops them all (also called when the interpreter exits).
    """

    def __init__(
        self,
        storage: Storage,
        names: Iterable[str] | None = None,
        *,
        engine: sa.Engine | None = None,
        restart_delay: float = 1.0,
    ) -> None:
        self.storage = storage
        self.names = select(names)
        self.engine = engine or create_views_engine(storage.views_url, storage.schema)
        self.projections = open_projections(self.engine, self.names)
        self.restart_delay = restart_delay
        self.errors: list[BaseException] = []
        self._runners: dict[str, BaseProjectionRunner[Any]] = {}
        self._stopping = threading.Event()
        self._started = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether every projection is following the store live."""
        return self._started.is_set() and not self._stopping.is_set()

    def start(self) -> ProjectionService:
        """Catch up and follow the store, in the background."""
        if self._thread is not None:
            return self
        self._thread = threading.Thread(
            target=self._supervise, name="voisinage-projections", daemon=True
        )
        self._thread.start()
        register = getattr(threading, "_register_atexit", None)
        if register is not None:  # stop before the interpreter joins the runners' threads
            with contextlib.suppress(RuntimeError):  # already shutting down
                register(self.stop)
        return self

    def wait_started(self, timeout: float = 30.0) -> bool:
        """Block until the catch-up is done and the runners follow the store."""
        return self._started.wait(timeout)

    def _catch_up(self) -> None:
        log = EventLog.open(self.storage)
        try:
            catch_up(self.projections, log, stop=self._stopping)
        finally:
            log.close()

    def _start_runner(self, name: str) -> None:
        projection = self.projections[name]
        runner: BaseProjectionRunner[Any] = BaseProjectionRunner(
            projection=projection,
            application_class=RawEventLog if projection.raw else EventLog,
            tracking_recorder=projection.view,
            topics=(),
            env=reader_env(self.storage),
        )
        runner.__enter__()  # the library's runners are context managers: leave with __exit__
        with self._lock:
            if self._stopping.is_set():
                self._close_runner(runner)
                return
            self._runners[name] = runner

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            try:
                self._catch_up()
                for name in self.names:
                    if name not in self._runners:
                        self._start_runner(name)
                self._started.set()
            except Exception as failure:  # the store or the views are unreachable: retry
                logger.exception("projections could not start")
                self.errors.append(failure)
                self._stopping.wait(self.restart_delay)
                continue
            while not self._stopping.wait(0.5):
                for name, runner in list(self._runners.items()):
                    if runner.is_interrupted.is_set() and not self._stopping.is_set():
                        error = self._close_runner(runner)
                        with self._lock:
                            self._runners.pop(name, None)
                        logger.error("projection %s stopped: %r; restarting", name, error)
                        if error is not None:
                            self.errors.append(error)
                if len(self._runners) < len(self.names):
                    self._stopping.wait(self.restart_delay)
                    break

    @staticmethod
    def _close_runner(runner: BaseProjectionRunner[Any]) -> BaseException | None:
        try:
            runner.__exit__(None, None, None)
        except BaseException as error:
            return error
        return None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop following the store and wait for the threads to end."""
        self._stopping.set()
        with self._lock:
            runners = list(self._runners.values())
            self._runners.clear()
        for runner in runners:
            error = self._close_runner(runner)
            if error is not None:
                logger.warning("projection runner ended with %r", error)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self.engine.dispose()

    close = stop

    def wait(self, position: int, timeout: float = 2.0) -> bool:
        """Block until every projection has processed notification `position`."""
        deadline = time.monotonic() + timeout
        while True:
            if all(p.view.position() >= position for p in self.projections.values()):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
