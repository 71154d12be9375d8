"""A store's own identity: a random id written beside its events when it is created.

Read models record the identity of the store they were built from, so that
`audit verify` can tell "these views belong to another store" (a views file left
beside a new event store, two stores sharing one views database) from "an event
of this store was changed" without guessing. It is not a defence against an
operator (the transparency log and its witnesses are): it names an accident.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from infrastructure.engines import create_engine_for
from infrastructure.storage import Storage

_metadata = sa.MetaData()

#: One row (id 1) in the event store's database, next to the library's tables.
store_identity_table = sa.Table(
    "voisinage_store_identity",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("identity", sa.String(36), nullable=False),
)


def events_database_url(storage: Storage) -> str:
    """The SQLAlchemy URL of the database that holds the events."""
    if storage.kind == "sqlite":
        return f"sqlite:///{storage.event_store_env['SQLITE_DBNAME']}"
    return storage.views_url  # PostgreSQL: events, views and keys share database and schema


def store_identity(storage: Storage, *, create: bool = True) -> str | None:
    """The store's identity, created on first call unless `create` is False (then None
    for a store that has none yet)."""
    engine = _one_shot_engine(storage)
    try:
        if create:
            _create(engine)
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table(
                store_identity_table.name, schema=storage.schema
            ):
                return None
            identity = connection.execute(sa.select(store_identity_table.c.identity)).scalar()
    finally:
        engine.dispose()
    return None if identity is None else str(identity)


def _one_shot_engine(storage: Storage) -> sa.Engine:
    """An engine that keeps no connection once used (no pool left behind)."""
    url = events_database_url(storage)
    if not url.startswith("sqlite"):
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        if storage.schema:
            return engine.execution_options(schema_translate_map={None: storage.schema})
        return engine
    return create_engine_for(url, storage.schema)


def _create(engine: sa.Engine) -> None:
    """Create the table and its one row; a twin process doing the same at once wins."""
    for attempt in range(3):
        try:
            _metadata.create_all(engine)
            with engine.begin() as connection:
                found = connection.execute(sa.select(store_identity_table.c.identity)).scalar()
                if found is None:
                    connection.execute(
                        store_identity_table.insert().values(id=1, identity=str(uuid.uuid4()))
                    )
            return
        except (sa.exc.IntegrityError, sa.exc.ProgrammingError, sa.exc.OperationalError):
            if attempt == 2:
                raise
