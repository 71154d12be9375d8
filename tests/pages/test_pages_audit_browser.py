"""The auditor's event log in Chromium, signed in with the session cookie only: the
filters, and the JSON, CSV and PROV-JSON downloads the browser saves. Screenshots at
390 and 1280 px in French and Dutch go to test-artifacts/ (and VOISINAGE_SHOTS)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_support import build_app, close_app, settle, sqlite_url_in
from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser, serving
from browser_support import violations as violations  # re-exported for other modules
from pages_support import Site

from application.demo import DEMO_PASSWORD, DEMO_STAFF, load_demo
from domain.roles import Role

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("VOISINAGE_SHOTS") or ARTIFACTS)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    require_browser()
    app = build_app(sqlite_url_in(tmp_path_factory.mktemp("audit-browser")))
    demo = load_demo(app.extensions["voisinage"])
    settle(app)
    try:
        with serving(app) as base:
            yield base, Site(app, demo)
    finally:
        close_app(app)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_event_log_filters_and_downloads_in_the_browser(
    served: tuple[str, Site], language: str
) -> None:
    from playwright.sync_api import sync_playwright

    base, site = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    words = {
        "fr": (
            "Processus",
            "Filtrer",
            "Ces événements (CSV)",
            "Ces événements (JSON)",
            "La traçabilité de ce processus (PROV-JSON)",
            "Une étape du processus a commencé",
        ),
        "nl": (
            "Traject",
            "Filteren",
            "Deze gebeurtenissen (CSV)",
            "Deze gebeurtenissen (JSON)",
            "Het spoor van dit traject (PROV-JSON)",
            "Een fase van het traject is begonnen",
        ),
    }[language]
    process, apply, as_csv, as_json, as_prov, phase_opened = words
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(
                viewport={"width": 390, "height": 844},
                locale=f"{language}-BE",
                accept_downloads=True,
            )
            page = context.new_page()
            page.goto(f"{base}/sign-in")
            page.fill("input[name=email]", DEMO_STAFF[Role.AUDITOR])
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.locator("form button[type=submit]").last.click()
            page.goto(f"{base}/audit/events")
            page.screenshot(path=str(SHOTS / f"audit-events-{language}-390.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, width  # each event is a card on a phone: nothing scrolls
            assert violations(page) == []
            page.set_viewport_size({"width": 1280, "height": 900})
            page.screenshot(path=str(SHOTS / f"audit-events-{language}-1280.png"), full_page=True)
            page.get_by_label(process).select_option(str(site.pid))
            page.locator("#f-kind").select_option("domain.process:Process.PhaseOpened")
            page.get_by_role("button", name=apply).click()
            page.wait_for_url("**/audit/events?process=*")
            page.screenshot(
                path=str(SHOTS / f"audit-events-{language}-filtered-1280.png"), full_page=True
            )
            assert violations(page) == []
            cells = page.locator("table.event-log tbody tr td:nth-child(3)").all_inner_texts()
            assert cells and all(phase_opened in c for c in cells), cells
            downloads = {}
            for name in (as_csv, as_json, as_prov):
                with page.expect_download() as info:
                    page.get_by_role("link", name=name).click()
                downloads[name] = Path(info.value.path()).read_text(encoding="utf-8")
            rows = list(csv.DictReader(io.StringIO(downloads[as_csv])))
            events = json.loads(downloads[as_json])["events"]
            assert len(rows) == len(events) == len(cells)
            assert [r["event"] for r in rows] == [e["event"] for e in events]
            assert str(site.pid) in downloads[as_prov] and json.loads(downloads[as_prov])
            context.close()
        finally:
            chromium.close()
