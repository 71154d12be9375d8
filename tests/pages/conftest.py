"""Fixtures of the page tests (helpers in pages_support)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_support import build_app, close_app, settle, sqlite_url_in
from pages_support import Site

from application.demo import load_demo


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo process in the voting phase, shared by the tests of one module."""
    app = build_app(sqlite_url_in(tmp_path_factory.mktemp("site")))
    demo = load_demo(app.extensions["voisinage"])
    settle(app)
    yield Site(app, demo, list(demo.spare_codes))
    close_app(app)


@pytest.fixture
def fresh_site(tmp_path: Path) -> Iterator[Site]:
    """A demo of its own, for tests that move the process on (close the vote...)."""
    app = build_app(sqlite_url_in(tmp_path))
    demo = load_demo(app.extensions["voisinage"], every_phase=False)
    settle(app)
    yield Site(app, demo, list(demo.spare_codes))
    close_app(app)
