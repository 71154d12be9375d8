"""One process at a time creates tables: a PostgreSQL advisory lock around start-up.

Several gunicorn workers (and a projections process) start at once on a fresh
database; each creates the tables it needs with ``CREATE TABLE IF NOT EXISTS``, which
PostgreSQL does not make safe against a concurrent twin (one fails on the catalogue's
unique index and the worker does not boot), and SQLAlchemy's ``create_all`` checks
then creates (on SQLite, "table already exists"). ``creating_tables(storage)``
serialises those start-ups: a PostgreSQL advisory lock per database and schema, an
exclusive file lock beside an SQLite store.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infrastructure.storage import Storage


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def creating_tables(storage: Storage) -> Iterator[None]:
    """Hold the store's start-up lock while the block creates tables."""
    if storage.kind == "sqlite":
        with _file_lock(Path(storage.event_store_env["SQLITE_DBNAME"] + ".start-up.lock")):
            yield
        return
    import psycopg

    env = storage.event_store_env
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        connect_timeout=int(env.get("POSTGRES_CONNECT_TIMEOUT", "5")),
        autocommit=True,
    ) as connection:
        key = f"voisinage-schema:{storage.schema or 'public'}"
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
