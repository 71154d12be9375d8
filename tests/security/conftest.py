"""Fixtures of the security tests (helpers in security_support.py).

Every test prints its figures (run with ``-s`` to see them) and also records them with
``record_property`` and in assertion messages, so they survive in JUnit XML and failures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from app_support import build_app, close_app


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
    application = build_app(sqlite_url)
    yield application
    close_app(application)
