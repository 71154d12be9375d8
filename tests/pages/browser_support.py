"""What the browser tests share: Debian's Chromium through Playwright, the app served by
werkzeug in a thread, axe-core, and the page's words in each language (from the app's
own catalogues, so a missing translation shows as the English source text).

Fixtures (import them into a test module): ``server`` (the demo with every phase,
module-scoped), ``browser`` (one Chromium per module).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from app_support import build_app, close_app, settle, sqlite_url_in
from flask import Flask
from pages_support import Site

from application.demo import DEMO_PASSWORD, DEMO_STAFF, load_demo
from domain.roles import Role

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE_FALLBACK = Path(__file__).parent / "vendor" / "axe.min.js"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "web" / "translations"
PHONE, DESKTOP = 390, 1280


def require_browser() -> None:
    """Skip (or fail, with VOISINAGE_REQUIRE_BROWSER=1) without Chromium or Playwright."""
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed"
    if reason:
        if os.environ.get("VOISINAGE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VOISINAGE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a free port in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not one line per request
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(5)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    """The demo (every phase) served on a free port, with its spare codes."""
    require_browser()
    app = build_app(sqlite_url_in(tmp_path_factory.mktemp("browser")))
    demo = load_demo(app.extensions["voisinage"])
    settle(app)
    try:
        with serving(app) as base:
            yield base, Site(app, demo, list(demo.spare_codes))
    finally:
        close_app(app)


@pytest.fixture(scope="module")
def browser(server: tuple[str, Site]) -> Iterator[Any]:
    """One headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_context(
    browser: Any, *, language: str = "fr", javascript: bool = True, width: int = PHONE
) -> Any:
    """A browsing context preferring `language` (Belgian), at `width` px."""
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport={"width": width, "height": 844 if width == PHONE else 900},
        device_scale_factor=1,
        locale=f"{language}-BE",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)  # a missing control fails in seconds, not 30
    return context


def axe_script() -> str | None:
    """The vendored axe-core, when present (else the package's own copy is used)."""
    if AXE_FALLBACK.exists():
        return AXE_FALLBACK.read_text(encoding="utf-8")
    return None


@cache
def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    fallback = axe_script()
    if fallback:
        axe.axe_script = fallback
    return axe


def violations(page: Any) -> list[str]:
    """axe-core's violations on the page, of any impact."""
    results = _axe().run(page)
    return [
        f"{v['id']} ({v.get('impact')}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@cache
def _catalogue(language: str) -> Any:
    from babel.support import Translations

    return Translations.load(str(TRANSLATIONS), [language], domain="messages")


def words(language: str, msgid: str, **params: object) -> str:
    """`msgid` as the app's catalogue says it in `language` (failing when untranslated)."""
    said = _catalogue(language).gettext(msgid)
    assert said != msgid or language == "en", f"{msgid!r} is not translated to {language}"
    return str(said % params) if params else str(said)


def sign_in_staff(page: Any, base: str, role: Role) -> None:
    """Sign a demo staff member in through the sign-in form."""
    page.goto(f"{base}/sign-in")
    page.locator("#f-email").fill(DEMO_STAFF[role])
    page.locator("#f-password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
