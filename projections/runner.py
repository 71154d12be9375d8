"""Running the projections: batch catch-up and rebuild, one projection failing alone.

* `catch_up` reads pages of raw notifications once, decodes each event at most once,
  and gives every projection its share in one transaction per page (thousands of
  events per transaction: this is what makes a rebuild fast).
* `rebuild` empties the projections' tables and catches up from the first event. It
  is resumable: a rebuild interrupted half way is marked in the tracking table, and
  the next `rebuild` continues from the tracked position instead of starting again.
* `ProjectionService` (projections/service.py) follows the store in the background
  with `catch_up`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from infrastructure.storage import Storage
from projections.audit_chain import AuditChainProjection
from projections.base import SQLProjection
from projections.events import EventLog, topic_name
from projections.merkle_projection import MerkleProjection
from projections.participation import ParticipationProjection
from projections.ranking import RankingProjection
from projections.store_of_views import adopt_store
from projections.trail import TrailProjection
from projections.view import CACHE_LIMIT, RowCache, SQLView, create_views_engine

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
    cache_limit: int = CACHE_LIMIT,
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
            # dropped first, so that emptying the table does not rewrite them
            projection.view.drop_indexes(projection.deferred_indexes)
            projection.view.reset()
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
