"""Shared fixtures: a real application on a real SQLite file, and on real PostgreSQL.

PostgreSQL tests use VOISINAGE_TEST_POSTGRES_URL (default: the local server, database
`test`). Each test gets a schema of its own, dropped afterwards. Where PostgreSQL is
unreachable the tests skip with the reason, unless VOISINAGE_REQUIRE_POSTGRES=1 (as in
CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Staff sign in in almost every fixture: argon2's cheapest parameters for the suite only
# (application/participants.py). Set before the application is imported.
os.environ.setdefault("VOISINAGE_TEST_CHEAP_PASSWORD_HASHING", "1")

from app_support import open_voisinage
from builders import World

from application import Voisinage

POSTGRES_URL = os.environ.get(
    "VOISINAGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("VOISINAGE_REQUIRE_POSTGRES") == "1"


def _postgres_unreachable_reason() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e .[postgres])"
    try:
        with psycopg.connect(POSTGRES_URL.split("?")[0], connect_timeout=3):
            return None
    except Exception as error:  # any failure to connect means: not here
        return f"PostgreSQL unreachable at {POSTGRES_URL}: {error}"


_PG_REASON: str | None = None
_PG_CHECKED = False


def require_postgres() -> None:
    """Skip (or, in CI, fail) when PostgreSQL cannot be reached."""
    global _PG_REASON, _PG_CHECKED
    if not _PG_CHECKED:
        _PG_REASON, _PG_CHECKED = _postgres_unreachable_reason(), True
    if _PG_REASON is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"VOISINAGE_REQUIRE_POSTGRES=1 but {_PG_REASON}")
        pytest.skip(_PG_REASON)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL DATABASE_URL with a fresh schema, dropped after the test."""
    require_postgres()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = POSTGRES_URL.split("?")[0]
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{base}?schema={schema}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A DATABASE_URL for a fresh SQLite file."""
    return f"sqlite:///{tmp_path}/voisinage.sqlite"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs on a real SQLite file and on real PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def app(database_url: str) -> Iterator[Voisinage]:
    """A Voisinage application on a fresh store."""
    application = open_voisinage(database_url)
    yield application
    application.close()


@pytest.fixture
def world(app: Voisinage) -> World:
    """Staff of every role on a fresh store (tests/builders.py)."""
    return World(app)
