"""A TrackingRecorder over SQLAlchemy: read-model rows and the tracking position, one transaction.

Each projection owns a group of tables and a tracking table named after it. A
transaction first moves the tracking position (a write, so on SQLite the write lock
is taken before any read), then applies the events through a small unit of work
that caches rows by primary key and writes them back with ``executemany`` at the
end: one event per transaction when following the store, thousands when catching up.

Moving the position is conditional: ``notification_id < new`` for one event, ``=
expected`` for a batch. When another worker got there first nothing is updated, the
transaction writes nothing, and the events are never applied twice (exactly-once).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from eventsourcing.persistence import Tracking, TrackingRecorder

from infrastructure.engines import create_engine_for
from projections.bulk_insert import insert_rows
from projections.tables import metadata, projection_failures, tracking_table

#: The upstream application whose notification log the projections follow.
UPSTREAM = "Voisinage"

Key = tuple[Any, ...]
Row = dict[str, Any]


def create_views_engine(url: str, schema: str | None) -> sa.Engine:
    """The engine of the read models (one per process), with the schema created."""
    engine = create_engine_for(url, schema)
    if engine.dialect.name == "postgresql" and schema:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    return engine


_created: set[tuple[str, str | None]] = set()
_created_lock = threading.Lock()


def create_tables(engine: sa.Engine) -> None:
    """Create every read-model table once per engine URL and schema."""
    schema = engine.get_execution_options().get("schema_translate_map", {}).get(None)
    key = (str(engine.url), schema)
    with _created_lock:
        if key in _created and not str(engine.url).startswith("sqlite"):
            return
        for attempt in range(3):  # several workers may create the tables at once
            try:
                metadata.create_all(engine)
                add_missing_columns(engine, schema)
                break
            except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError):
                if attempt == 2:
                    raise
                time.sleep(0.1)
        _created.add(key)


def add_missing_columns(engine: sa.Engine, schema: str | None) -> None:
    """Add the nullable columns a newer version declares to tables an older one created
    (e.g. proposals.cost): their values come from events that did not carry them."""
    inspector = sa.inspect(engine)
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name, schema=schema):
            continue
        present = {c["name"] for c in inspector.get_columns(table.name, schema=schema)}
        for column in table.columns:
            if column.name not in present and column.nullable and not column.primary_key:
                kind = column.type.compile(dialect=engine.dialect)
                name = f'"{schema}"."{table.name}"' if schema else f'"{table.name}"'
                with engine.begin() as connection:
                    connection.execute(
                        sa.text(f'ALTER TABLE {name} ADD COLUMN "{column.name}" {kind}')
                    )


_PK_COLUMNS: dict[sa.Table, list[sa.Column[Any]]] = {}
_PK_NAMES: dict[sa.Table, tuple[str, ...]] = {}


def _primary_key(table: sa.Table) -> list[sa.Column[Any]]:
    columns = _PK_COLUMNS.get(table)
    if columns is None:
        columns = _PK_COLUMNS[table] = list(table.primary_key.columns)
    return columns


def _primary_key_names(table: sa.Table) -> tuple[str, ...]:
    names = _PK_NAMES.get(table)
    if names is None:
        names = _PK_NAMES[table] = tuple(column.name for column in _primary_key(table))
    return names


#: Rows a projection keeps in memory between pages of a rebuild. Measured at 1,000,000
#: events (one process): 300,000 rows peaked at 438 MB in 47.1 s, 100,000 at 302 MB in
#: 45.9 s, 50,000 at 261 MB in 46.7 s; rows are mostly written once, so evicting them
#: costs next to nothing.
CACHE_LIMIT = 50_000


class RowCache:
    """Rows by table and primary key, kept between transactions of one rebuild.

    ``complete`` means: the tables were empty when the rebuild started and the key of
    every row stored since is in ``persisted``, so a key that is neither cached nor
    persisted is a row that does not exist (no SELECT). Past ``limit`` rows, the rows
    are evicted but the keys kept (`evict`): a city-scale rebuild stays complete, reads
    back only the rows it evicted and never has to delete a row before inserting it
    unless it is stored.
    """

    def __init__(self, complete: bool = False, limit: int = CACHE_LIMIT) -> None:
        self.rows: dict[str, dict[Key, Row | None]] = {}
        self.persisted: dict[str, set[Key]] = {}
        self.complete = complete
        self.limit = limit
        self.size = 0

    def clear(self) -> None:
        """Forget everything (after a rollback: what is stored is no longer known)."""
        self.rows.clear()
        self.persisted.clear()
        self.complete = False
        self.size = 0

    def evict(self) -> None:
        """Drop the cached rows, keep which keys are stored (between transactions, when
        the cache has grown past its limit)."""
        self.rows.clear()
        self.size = 0
        if not self.complete:
            self.persisted.clear()


class UnitOfWork:
    """Rows read and written by primary key within one transaction."""

    def __init__(
        self, connection: sa.Connection, tables: dict[str, sa.Table], cache: RowCache
    ) -> None:
        self.connection = connection
        self.tables = tables
        self.cache = cache
        self.dirty: dict[str, set[Key]] = {}
        self.appended: dict[str, list[Row]] = {}
        #: Keys written without knowing whether a row is stored: delete before inserting.
        self.unknown: dict[str, set[Key]] = {}

    def _pk(self, table: str) -> list[sa.Column[Any]]:
        return _primary_key(self.tables[table])

    def get(self, table: str, *key: Any) -> Row | None:
        """The row with this primary key, or None (a copy is not made: mutate then put)."""
        rows = self.cache.rows.setdefault(table, {})
        if key in rows:
            return rows[key]
        if self.cache.complete and key not in self.cache.persisted.get(table, ()):
            return None
        t = self.tables[table]
        condition = sa.and_(
            *(column == value for column, value in zip(self._pk(table), key, strict=True))
        )
        found = self.connection.execute(sa.select(t).where(condition)).mappings().first()
        row = dict(found) if found is not None else None
        rows[key] = row
        self.cache.size += 1
        if row is not None:
            self.cache.persisted.setdefault(table, set()).add(key)
        return row

    def put(self, table: str, row: Row) -> None:
        """Insert or replace a row (its primary key is taken from it)."""
        key = tuple(row[name] for name in _primary_key_names(self.tables[table]))
        self._write(table, key, row)

    def _write(self, table: str, key: Key, row: Row | None) -> None:
        rows = self.cache.rows.setdefault(table, {})
        if key not in rows:
            self.cache.size += 1
            if not self.cache.complete:
                self.unknown.setdefault(table, set()).add(key)
        rows[key] = row
        self.dirty.setdefault(table, set()).add(key)

    def delete(self, table: str, *key: Any) -> None:
        """Delete a row by primary key (nothing if absent)."""
        self._write(table, key, None)

    def append(self, table: str, row: Row) -> None:
        """Insert a row that is never read back nor changed in this projection's life."""
        self.appended.setdefault(table, []).append(row)

    def flush(self) -> None:
        """Write the changed rows: delete the old versions, insert the new ones."""
        for name, keys in self.dirty.items():
            table = self.tables[name]
            pk = self._pk(name)
            rows = self.cache.rows[name]
            persisted = self.cache.persisted.setdefault(name, set())
            unknown = self.unknown.get(name, set())
            stale = [key for key in keys if key in persisted or key in unknown]
            if stale:
                condition = sa.and_(*(column == sa.bindparam(f"k_{column.name}") for column in pk))
                self.connection.execute(
                    table.delete().where(condition),
                    [{f"k_{c.name}": v for c, v in zip(pk, key, strict=True)} for key in stale],
                )
            fresh = [row for row in (rows[key] for key in keys) if row is not None]
            insert_rows(self.connection, table, fresh)
            for key in keys:
                if rows[key] is None:
                    persisted.discard(key)
                else:
                    persisted.add(key)
        for name, appended in self.appended.items():
            insert_rows(self.connection, self.tables[name], appended)
        self.dirty.clear()
        self.appended.clear()
        self.unknown.clear()


class SQLView(TrackingRecorder):
    """The materialised view of one projection: its tables and its tracking table."""

    def __init__(self, engine: sa.Engine, name: str, tables: Sequence[sa.Table]) -> None:
        self.engine = engine
        self.name = name
        self.tables = {table.name: table for table in tables}
        self.tracking = tracking_table_of(name)
        create_tables(engine)
        self._ensure_tracking_row()

    def _ensure_tracking_row(self) -> None:
        with self.engine.connect() as connection:
            exists = connection.execute(
                sa.select(self.tracking.c.notification_id).where(
                    self.tracking.c.application_name == UPSTREAM
                )
            ).first()
        if exists is None:
            # another worker may create it first
            with contextlib.suppress(sa.exc.IntegrityError), self.engine.begin() as connection:
                connection.execute(
                    self.tracking.insert().values(
                        application_name=UPSTREAM, notification_id=0, rebuilding=False
                    )
                )

    # --- TrackingRecorder ------------------------------------------------------------------

    def insert_tracking(self, tracking: Tracking) -> None:
        """Record a position with no read-model change (the library's interface)."""
        with self.transaction(tracking.notification_id):
            pass

    def max_tracking_id(self, application_name: str) -> int | None:
        """The last processed notification id (None before the first)."""
        with self.engine.connect() as connection:
            value = connection.execute(
                sa.select(self.tracking.c.notification_id).where(
                    self.tracking.c.application_name == application_name
                )
            ).scalar()
        return int(value) if value else None

    def position(self) -> int:
        """The last processed notification id (0 before the first)."""
        return self.max_tracking_id(UPSTREAM) or 0

    def is_rebuilding(self) -> bool:
        """Whether a rebuild was started and has not finished."""
        with self.engine.connect() as connection:
            return bool(
                connection.execute(
                    sa.select(self.tracking.c.rebuilding).where(
                        self.tracking.c.application_name == UPSTREAM
                    )
                ).scalar()
            )

    # --- transactions -----------------------------------------------------------------------

    @contextmanager
    def transaction(
        self, through: int, expected: int | None = None, cache: RowCache | None = None
    ) -> Iterator[UnitOfWork | None]:
        """Move the tracking position to `through` and yield a unit of work, in one transaction.

        Yields None (and writes nothing) when the events were already processed, or,
        with `expected`, when the position is no longer `expected`.
        """
        cache = cache if cache is not None else RowCache()
        position = self.tracking.c.notification_id
        condition = position < through if expected is None else position == expected
        try:
            with self.engine.begin() as connection:
                moved = connection.execute(
                    self.tracking.update()
                    .where(self.tracking.c.application_name == UPSTREAM, condition)
                    .values(notification_id=through)
                ).rowcount
                if not moved:
                    yield None
                    return
                unit = UnitOfWork(connection, self.tables, cache)
                yield unit
                unit.flush()
        except BaseException:
            cache.clear()
            raise

    def reset(self) -> None:
        """Empty the tables and start a rebuild from the first event."""
        with self.engine.begin() as connection:
            connection.execute(
                self.tracking.update()
                .where(self.tracking.c.application_name == UPSTREAM)
                .values(notification_id=0, rebuilding=True)
            )
            for table in self.tables.values():
                connection.execute(table.delete())
            connection.execute(
                projection_failures.delete().where(projection_failures.c.name == self.name)
            )

    def _indexes(self, names: Sequence[str]) -> list[sa.Index]:
        return [i for t in self.tables.values() for i in t.indexes if i.name in names]

    def drop_indexes(self, names: Sequence[str]) -> None:
        """Drop these secondary indexes of the view's tables (if present)."""
        for index in self._indexes(names):
            index.drop(self.engine, checkfirst=True)

    def create_indexes(self, names: Sequence[str]) -> None:
        """Build these secondary indexes of the view's tables (if missing)."""
        for index in self._indexes(names):
            index.create(self.engine, checkfirst=True)

    def finish_rebuild(self) -> None:
        """Mark the rebuild as complete."""
        with self.engine.begin() as connection:
            connection.execute(
                self.tracking.update()
                .where(self.tracking.c.application_name == UPSTREAM)
                .values(rebuilding=False)
            )

    # --- health ------------------------------------------------------------------------------

    def record_failure(self, position: int, error: str) -> None:
        """Remember that this projection cannot apply the event at `position`."""
        failed_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self.engine.begin() as connection:
            connection.execute(
                projection_failures.delete().where(projection_failures.c.name == self.name)
            )
            connection.execute(
                projection_failures.insert().values(
                    name=self.name, position=position, error=error[:4000], failed_at=failed_at
                )
            )

    def clear_failure(self) -> None:
        """Forget a recorded failure (the projection got past it, or was rebuilt)."""
        with self.engine.begin() as connection:
            connection.execute(
                projection_failures.delete().where(projection_failures.c.name == self.name)
            )

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, ordered by primary key (to compare two views)."""
        result: dict[str, list[tuple[Any, ...]]] = {}
        with self.engine.connect() as connection:
            for name, table in self.tables.items():
                order = list(table.primary_key.columns)
                result[name] = [
                    tuple(row) for row in connection.execute(sa.select(table).order_by(*order))
                ]
        return result


def tracking_table_of(name: str) -> sa.Table:
    """The tracking table named `<name>_tracking` (defined once in projections.tables)."""
    existing = metadata.tables.get(f"{name}_tracking")
    return existing if existing is not None else tracking_table(name)
