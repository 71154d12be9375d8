"""SQLAlchemy engines for the read-model and keys databases."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def create_engine_for(url: str, schema: str | None = None) -> sa.Engine:
    """An engine for a views or keys database (SQLite files get WAL and a busy timeout)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    engine = sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    if schema:
        engine = engine.execution_options(schema_translate_map={None: schema})
    return engine
