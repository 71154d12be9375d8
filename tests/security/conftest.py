"""Fixtures of the security tests (helpers in security_support.py).

Every test prints its figures (run with ``-s`` to see them) and also records them with
``record_property`` and in assertion messages, so they survive in JUnit XML and failures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from security_support import close_flask_app, make_flask_app


@pytest.fixture
def report(record_property: Callable[[str, Any], None]) -> Callable[..., str]:
    """Print figures and record them as test properties; returns the printed line."""

    def _report(title: str, **figures: Any) -> str:
        line = f"[{title}] " + ", ".join(f"{k}={v}" for k, v in figures.items())
        print("\n" + line)
        for key, value in figures.items():
            record_property(f"{title}.{key}", value)
        return line

    return _report


@pytest.fixture
def flask_app(sqlite_url: str) -> Iterator[Any]:
    """The whole web application on a fresh SQLite file."""
    application = make_flask_app(sqlite_url)
    yield application
    close_flask_app(application)


#: Tests of the JSON API, which does not exist yet (issue 5 is open). Strict: once the API
#: lands they pass, XPASS fails the run, and this list must be emptied.
WAITING_FOR_THE_API = {
    "test_every_api_route_answers_exactly_the_roles_of_the_contract",
    "test_sigkill_mid_load_loses_no_ballot_and_counts_none_twice",
    "test_postgres_connections_dropped_mid_request_give_503_then_work",
    "test_api_survives_fuzzing_from_its_own_openapi_document",
    "test_oversized_and_deep_bodies_on_every_mutating_api_route",
    "test_receipts_are_random_not_derived_from_choices",
    "test_public_receipt_check_says_counted_and_nothing_else",
    "test_audit_and_trail_views_never_show_identity_next_to_choices",
}


def pytest_collection_modifyitems(config, items):  # noqa: ARG001
    """Mark the tests that need the JSON API as strict expected failures."""
    import pytest as _pytest

    for item in items:
        if item.originalname in WAITING_FOR_THE_API:
            item.add_marker(
                _pytest.mark.xfail(strict=True, reason="the JSON API (issue 5) is not built yet")
            )
