"""The facilitator's paper-note capture in Chromium, keyboard only: seconds per note.

The demo's open workshop is served by werkzeug in a thread; a signed-in facilitator's
page (Debian's Chromium through Playwright, 1280 px) captures notes as one does from a
pile of paper: the words (inserted at once: typing is not measured), then the keyboard
only: with JavaScript Ctrl+Enter sends the note and the page is ready for the next one
without a reload; without JavaScript Tab to the button and Enter, and the page reloads.
A note's time runs from the key that sends it to the form being ready for the next one
(its words empty and focused, the note listed under "Last captured"), server included.
Every note is checked as stored; with JavaScript the page must not have reloaded.
"""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Row, row, temp_dir

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
#: Ready for the next note within half a second of sending one (where JavaScript runs).
GOAL = "measured <= 0.5"
#: The notes of a pile of paper, in French and Dutch (inserted, not typed).
NOTES = (
    "Il faut plus de bancs près de l'aire de jeux.",
    "De lift in blok C valt elke week uit.",
    "Les poubelles débordent le lundi matin.",
    "Meer licht op de parking, 's avonds is het donker.",
)


def _serve(directory: Path) -> tuple[Any, Any, str, Any]:
    import logging

    from werkzeug.serving import make_server

    from application.demo import load_demo
    from application.secrets import Secrets
    from web import create_app

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{directory / 'capture.sqlite'}",
            "START_PROJECTIONS": True,
            "SECRETS": Secrets.generate(),
            "TESTING": True,
        }
    )
    demo = load_demo(app.extensions["voisinage"])
    app.extensions["views"].wait_for(app.extensions["voisinage"].head_position(), 30)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return app, httpd, f"http://127.0.0.1:{httpd.server_port}", demo


def _capture(browser: Any, base: str, url: str, notes: int, javascript: bool) -> list[float]:
    from application.demo import DEMO_PASSWORD, DEMO_STAFF
    from domain.roles import Role

    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1280, "height": 900}, locale="fr-BE"
    )
    page = context.new_page()
    page.goto(f"{base}/sign-in")
    page.locator("#f-email").fill(DEMO_STAFF[Role.FACILITATOR])
    page.locator("#f-password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(url)
    assert page.locator("#f-text").count() == 1, (page.url, page.locator("main").inner_text()[:500])
    loads: list[str] = []
    page.on("load", lambda _: loads.append(page.url))
    seconds = []
    for n in range(notes):
        words = f"{NOTES[n % len(NOTES)]} ({n + 1})"
        page.locator("#f-text").focus()  # where the form puts the cursor (autofocus)
        page.keyboard.insert_text(words)
        started = time.perf_counter()
        if javascript:
            page.keyboard.press("Control+Enter")
        else:
            # from the words, Tab through the form's fields to the button, then Enter
            for _ in range(20):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.type === 'submit'"):
                    break
            with page.expect_navigation():
                page.keyboard.press("Enter")
        page.wait_for_function(
            "w => document.activeElement && document.activeElement.id === 'f-text'"
            " && document.activeElement.value === ''"
            " && document.getElementById('capture-recent').textContent.includes(w)",
            arg=words,
        )
        seconds.append(time.perf_counter() - started)
    if javascript:
        assert not loads, f"the page reloaded between notes: {loads}"
    else:
        assert len(loads) == notes, loads
    context.close()
    return seconds


def run(quick: bool, postgres: str | None = None, size: str | None = None) -> list[Row]:
    """Rows: seconds per note with JavaScript (no reload) and without (a reload each)."""
    from playwright.sync_api import sync_playwright

    notes = 3 if size == "tiny" else 10 if quick else 40
    rows: list[Row] = []
    with temp_dir() as directory:
        app, httpd, base, demo = _serve(directory)
        try:
            process = demo.processes["contributions"]
            url = f"{base}/p/{process.process_id}/workshops/{process.open_workshop_id}/capture"
            before = app.extensions["voisinage"].head_position()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                measured = {js: _capture(browser, base, url, notes, js) for js in (True, False)}
                browser.close()
            stored = app.extensions["voisinage"].head_position() - before
            assert stored >= 2 * notes, stored  # every note recorded
        finally:
            httpd.shutdown()
            app.extensions["projections"].stop()
            app.extensions["views"].close()
            app.extensions["voisinage"].close()
    for javascript, seconds in measured.items():
        median = statistics.median(seconds)
        rows.append(
            row(
                "capture",
                "seconds per paper note, keyboard only, "
                + ("JavaScript (no reload)" if javascript else "without JavaScript (reload)"),
                measured=median,
                unit="s",
                size=len(seconds),
                goal=GOAL if javascript else None,
                baseline=statistics.median(measured[False]) if javascript else None,
                baseline_label="without JavaScript" if javascript else None,
                p90_s=round(sorted(seconds)[int(len(seconds) * 0.9) - 1], 3),
                where=f"sqlite, Chromium 1280 px, max {max(seconds):.3f} s",
            )
        )
    return rows
