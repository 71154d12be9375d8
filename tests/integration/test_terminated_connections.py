"""A connection PostgreSQL ends under an open transaction is retried, not a failure.

Seen once in CI on a loaded machine: a save's transaction sat idle longer than the
library's ``idle_in_transaction_session_timeout`` (5 s), the server ended the
connection and the save failed with an InternalError that the library does not retry.
Nothing had been committed, so a retry on a fresh connection is safe.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from app_support import open_voisinage
from eventsourcing.persistence import OperationalError

pytestmark = pytest.mark.postgres


def _end_by_idle_timeout(datastore: Any) -> None:
    """Leave a transaction idle past a 50 ms timeout on a pooled connection, then use it."""
    with datastore.get_connection() as connection:
        connection.execute("SET idle_in_transaction_session_timeout = '50ms'")
        connection.execute("BEGIN")
        connection.execute("SELECT 1")
        time.sleep(0.5)
        connection.execute("SELECT 1")


def test_a_connection_ended_by_the_server_is_reported_as_retryable(postgres_url: str) -> None:
    app = open_voisinage(postgres_url)
    try:
        datastore: Any = app.recorder.datastore  # type: ignore[attr-defined]
        with pytest.raises(OperationalError, match="terminating connection"):
            _end_by_idle_timeout(datastore)
        # The next save works on a fresh connection.
        before = app.head_position()
        staff = app.bootstrap_staff(
            email="admin@example.org", password="a long enough password", role="admin", name="Admin"
        )
        assert staff is not None
        assert app.head_position() > before
    finally:
        app.close()


def test_a_save_whose_connection_was_ended_is_retried(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_voisinage(postgres_url)
    try:
        datastore: Any = app.recorder.datastore  # type: ignore[attr-defined]
        wrapped = datastore.get_connection
        calls = {"n": 0}

        def first_one_ends(*args: Any, **kwargs: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 1:
                _end_by_idle_timeout(datastore)  # raises OperationalError
            return wrapped(*args, **kwargs)

        monkeypatch.setattr(datastore, "get_connection", first_one_ends)
        before = app.head_position()
        app.bootstrap_staff(
            email="admin@example.org", password="a long enough password", role="admin", name="Admin"
        )
        assert calls["n"] >= 2  # the failed attempt, then the retried one
        assert app.head_position() > before
    finally:
        app.close()
