"""Where things are stored, chosen by one setting: DATABASE_URL.

* ``sqlite:///path/voisinage.sqlite`` (the default): events in that file (WAL mode);
  read models in ``voisinage-views.sqlite`` and participants' keys in
  ``voisinage-keys.sqlite`` beside it, so projections never contend with the
  event writer and erased keys never linger in the events file.
* ``postgresql://user:password@host:port/dbname[?schema=name]``: events, read
  models and keys in one PostgreSQL database (keys in their own table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_DATABASE_URL = "sqlite:///instance/voisinage.sqlite"


class StorageConfigError(ValueError):
    """DATABASE_URL cannot be understood."""


@dataclass(frozen=True)
class Storage:
    """Everything the application and the projections need to reach their data."""

    kind: Literal["sqlite", "postgres"]
    event_store_env: dict[str, str] = field(repr=False)
    views_url: str
    keys_url: str
    schema: str | None = None

    @property
    def secrets_file(self) -> Path | None:
        """Where an embedded (SQLite) store keeps its generated secrets, beside its
        files; None on PostgreSQL, where the secrets come from the environment only."""
        if self.kind != "sqlite":
            return None
        return Path(self.event_store_env["SQLITE_DBNAME"]).with_name("secrets.json")

    @classmethod
    def from_url(cls, database_url: str | None = None) -> Storage:
        """Parse DATABASE_URL (None means the embedded default)."""
        url = database_url or DEFAULT_DATABASE_URL
        if url.startswith("sqlite:///"):
            return cls._sqlite(Path(url.removeprefix("sqlite:///")))
        if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            return cls._postgres(url)
        raise StorageConfigError(
            f"DATABASE_URL must start with sqlite:/// or postgresql://, not {url.split(':')[0]!r}"
        )

    @classmethod
    def _sqlite(cls, path: Path) -> Storage:
        if str(path) in ("", ":memory:"):
            raise StorageConfigError("the embedded store needs a file path, not memory")
        path = path.expanduser().absolute()
        path.parent.mkdir(parents=True, exist_ok=True)
        stem = path.with_suffix("")
        return cls(
            kind="sqlite",
            event_store_env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(path),
                "SQLITE_LOCK_TIMEOUT": "30",
            },
            views_url=f"sqlite:///{stem}-views.sqlite",
            keys_url=f"sqlite:///{stem}-keys.sqlite",
        )

    @classmethod
    def _postgres(cls, url: str) -> Storage:
        parts = urlsplit(url)
        if not parts.hostname or not parts.path.strip("/"):
            raise StorageConfigError("a PostgreSQL DATABASE_URL needs a host and a database name")
        query = parse_qs(parts.query)
        schema = query.get("schema", [None])[0]
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.strip("/")),
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_POOL_SIZE": "10",
            "POSTGRES_MAX_OVERFLOW": "10",
            # No pre-ping: psycopg_pool replaces a dead connection found by its check
            # only after ~1 s each (13 s for a pool of 10 after a server restart). A
            # dead connection fails the request at once instead (503) and
            # Voisinage.reconnect() renews the whole pool for the next one.
            "POSTGRES_PRE_PING": "n",
            "POSTGRES_CONNECT_TIMEOUT": "5",
        }
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        netloc = parts.netloc
        sa_url = f"postgresql+psycopg://{netloc}{parts.path}"
        return cls(
            kind="postgres",
            event_store_env=env,
            views_url=sa_url,
            keys_url=sa_url,
            schema=schema,
        )
