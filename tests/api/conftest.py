"""Fixtures of the API tests: the whole web app on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import Api, close_api, make_api


@pytest.fixture
def api(sqlite_url: str) -> Iterator[Api]:
    """The app with staff tokens; the resident's token comes with a driven process."""
    client = make_api(sqlite_url)
    yield client
    close_api(client)
