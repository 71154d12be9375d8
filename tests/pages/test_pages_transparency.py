"""The auditor's page shows the latest signed checkpoint and offers the audit bundle, in
French, Dutch and English."""

from __future__ import annotations

from app_support import settle
from pages_support import page_text, sign_in

from domain.checkpoint import Verifier, open_checkpoint
from domain.roles import Role


def test_the_auditor_sees_the_checkpoint_and_downloads_the_bundle(site):
    log = site.app.extensions["transparency"]
    settle(site.app)
    log.checkpoint("test")
    for language, title, button in (
        ("fr", "Journal de transparence", "Télécharger le dossier d'audit"),
        ("nl", "Transparantielogboek", "Het auditdossier downloaden"),
        ("en", "Transparency log", "Download the audit bundle"),
    ):
        auditor = site.client(language)
        sign_in(auditor, Role.AUDITOR)
        html = page_text(auditor.get("/audit/verify"))
        assert title in html and button in html, language
        # the section is in the page once, and the window's title is plain text
        assert html.count(title) == 1, language
        head_title = html.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<" not in head_title, head_title
        key = log.signer.verifier.encode()
        assert key in html
        note = log.latest()["note"]
        assert open_checkpoint(note, Verifier.decode(key)).size == log.head()["size"]
        assert note.splitlines()[2] in html  # the root hash line is shown
    bundle = auditor.get("/audit/bundle")
    assert bundle.status_code == 200
    assert b'"kind":"header"' in bundle.get_data().splitlines()[0]
    resident = site.client()
    assert resident.get("/audit/bundle").status_code in (302, 303, 401, 403)


def test_the_verification_says_how_many_signed_checkpoints_it_checked(site):
    log = site.app.extensions["transparency"]
    settle(site.app)
    log.checkpoint("test", force=True)
    kept = len(log.history(limit=1000))
    assert kept >= 1
    for language, label in (
        ("fr", "Points de contrôle signés vérifiés"),
        ("nl", "Gecontroleerde ondertekende controlepunten"),
        ("en", "Signed checkpoints checked"),
    ):
        auditor = site.client(language)
        sign_in(auditor, Role.AUDITOR)
        html = page_text(auditor.get("/audit/verify?run=1"))
        assert f"<dt>{label}</dt><dd>{kept}</dd>" in html, language
        assert f"{kept} signed checkpoints checked" in html, language
