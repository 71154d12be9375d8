"""The auditor's verification page speaks the reader's language: the checks by name and
what a difference means; the command line's English only where marked as such."""

from __future__ import annotations

import sqlite3
from html import unescape
from pathlib import Path

from app_support import build_app, close_app, settle, sqlite_url_in
from pages_support import Site, page_text, sign_in

from application.demo import load_demo
from domain.roles import Role


def test_a_changed_event_is_explained_in_french_and_dutch(tmp_path: Path):
    app = build_app(sqlite_url_in(tmp_path))
    try:
        site = Site(app, load_demo(app.extensions["voisinage"], every_phase=False))
        settle(app)
        auditor = site.client("fr")
        sign_in(auditor, Role.AUDITOR)
        untouched = unescape(page_text(auditor.get("/audit/verify?run=1")))
        assert "Tout concorde." in untouched
        english = untouched.split("<details>")[1].split("</details>")[0]
        assert "Le rapport tel que la ligne de commande l'imprime" in english
        assert '<p class="mono" lang="en">OK' in english  # the command line's words, marked
        assert "OK:" not in untouched.replace(english, "")
        with sqlite3.connect(tmp_path / "voisinage.sqlite") as events:
            events.execute(
                "UPDATE stored_events SET state = CAST(REPLACE(CAST(state AS TEXT), "
                "'Cleanliness', 'Cleanlinesz') AS BLOB) WHERE rowid = "
                "(SELECT min(rowid) FROM stored_events WHERE CAST(state AS TEXT) "
                "LIKE '%Cleanliness%')"
            )
        html = page_text(auditor.get("/audit/verify?run=1"))
        assert "Différences trouvées" in html, html[html.find("<main") :][:2000]
        assert "<strong>Événements stockés</strong> · position " in html
        assert "a été modifié après coup" in html
        assert '<p class="meta" lang="en">' in html  # the finding's own words, marked English
        dutch = site.client("nl")
        sign_in(dutch, Role.AUDITOR)
        html = page_text(dutch.get("/audit/verify?run=1"))
        assert "<strong>Opgeslagen gebeurtenissen</strong>" in html
    finally:
        close_app(app)
