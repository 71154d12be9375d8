"""The projections following the store in the background, one service per process.

`ProjectionService` catches up (`projections.runner.catch_up`), then follows the store:
it watches the head of the notification log (one indexed ``max(id)`` query every
`poll` seconds, 25 ms by default) and, when it moved, catches up again — everything
pending in one transaction per projection and page. The library's
`BaseProjectionRunner` applied one event per transaction per projection: at 200
ballots/s it fell behind by 6-10 s (benchmarks/RESULTS.md, lag); batching keeps the
lag to one poll plus one batch. After a failure (store or views unreachable) it waits
`restart_delay` and resumes from the tracked positions: exactly-once either way.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable

import sqlalchemy as sa

from infrastructure.storage import Storage
from projections.events import EventLog
from projections.runner import Failure, catch_up, open_projections, select
from projections.store_of_views import adopt_store
from projections.tables import projection_failures
from projections.view import create_views_engine

logger = logging.getLogger("projections.runner")  # the logger name it always had


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
