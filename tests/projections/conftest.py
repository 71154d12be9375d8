"""Fixtures of the projection tests: views over the test store, raw access to its events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from projection_support import EventTable

from infrastructure.storage import Storage
from projections.queries import Views


@pytest.fixture
def storage(app) -> Storage:
    return app.storage


@pytest.fixture
def views(storage) -> Iterator[Views]:
    views = Views(storage)
    yield views
    views.engine.dispose()


@pytest.fixture
def events(storage) -> Iterator[EventTable]:
    table = EventTable(storage)
    yield table
    table.engine.dispose()
