"""Forms in Chromium: a refused field is marked and linked to its message, and the new
process form shows only the chosen method's rules (at once with JavaScript, after a
button without it). axe-core finds no violation on the refused forms. Screenshots at 390
and 1280 px go to test-artifacts/ (and VOISINAGE_SHOTS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pages_support import Site
from test_pages_audit_browser import served, violations  # noqa: F401 (fixture)
from test_pages_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

from application.demo import DEMO_PASSWORD, DEMO_STAFF
from domain.roles import Role

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("VOISINAGE_SHOTS") or ARTIFACTS)
WORDS = {
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "sign in": "Se connecter",
        "create": "Créer le processus",
        "method": "Façon de voter",
        "show": "Afficher les règles de cette façon de voter",
        "points": "Points par habitant",
        "choices": "Nombre maximum de propositions par habitant",
        "empty": "Ce texte est vide. Écrivez quelque chose, puis envoyez-le à nouveau.",
    },
    "nl": {
        "email": "E-mailadres",
        "password": "Wachtwoord",
        "sign in": "Aanmelden",
        "create": "Het traject aanmaken",
        "method": "Manier van stemmen",
        "show": "Toon de regels van deze manier van stemmen",
        "points": "Punten per bewoner",
        "choices": "Hoogste aantal voorstellen per bewoner",
        "empty": "Deze tekst is leeg. Schrijf iets en verstuur hem opnieuw.",
    },
}


def _sign_in(page: object, base: str) -> None:
    page.goto(f"{base}/sign-in")  # type: ignore[attr-defined]
    page.locator("#f-email").fill(DEMO_STAFF[Role.FACILITATOR])  # type: ignore[attr-defined]
    page.locator("#f-password").fill(DEMO_PASSWORD)  # type: ignore[attr-defined]
    page.locator("main form button[type=submit]").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_refused_new_process_names_and_links_its_field(
    served: tuple[str, Site],  # noqa: F811 (the fixture)
    language: str,
    javascript: bool,
) -> None:
    from playwright.sync_api import sync_playwright

    base, site = served
    words = WORDS[language]
    SHOTS.mkdir(parents=True, exist_ok=True)
    mode = "js" if javascript else "no-js"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in (390, 1280):
            context = chromium.new_context(
                java_script_enabled=javascript,
                viewport={"width": width, "height": 900},
                locale={"fr": "fr-BE", "nl": "nl-BE"}[language],
            )
            page = context.new_page()
            _sign_in(page, base)
            page.goto(f"{base}/processes/new")
            points = page.get_by_label(words["points"], exact=True)
            choices = page.get_by_label(words["choices"])
            assert choices.is_visible() and not points.is_visible()  # approval first
            method = page.get_by_label(words["method"])
            method.select_option("dots")
            if javascript:  # the fields follow the choice, with no button to press
                assert not page.get_by_role("button", name=words["show"]).is_visible()
            else:
                assert not points.is_visible()
                page.get_by_role("button", name=words["show"]).click()
                page.wait_for_load_state()
            assert points.is_visible() and not choices.is_visible()
            points.fill("5")
            page.locator("#f-title_fr").fill("   ")  # only spaces: refused by the domain
            before = site.voisinage.head_position()
            page.get_by_role("button", name=words["create"]).click()
            page.wait_for_load_state()
            assert site.voisinage.head_position() == before  # nothing recorded

            title = page.locator("#f-title_fr")
            assert title.get_attribute("aria-invalid") == "true"
            described = (title.get_attribute("aria-describedby") or "").split()
            assert described == ["f-title_fr-error"]
            message = page.locator(f"#{described[0]}")
            assert message.is_visible() and message.inner_text().strip() == words["empty"]
            # the field's accessible description is its message (what a screen reader says)
            description = page.evaluate(
                "id => document.getElementById(id).getAttribute('aria-describedby')"
                ".split(' ').map(d => document.getElementById(d).textContent.trim()).join(' ')",
                "f-title_fr",
            )
            assert description == words["empty"]
            assert page.locator("[aria-invalid=true]").count() == 2  # the two titles only
            # what was typed stays, the chosen method's fields with it
            assert method.input_value() == "dots" and points.input_value() == "5"
            assert points.is_visible() and not choices.is_visible()
            page.screenshot(
                path=str(SHOTS / f"new-process-refused-{language}-{mode}-{width}.png"),
                full_page=True,
            )
            if javascript:
                assert violations(page) == []
            context.close()
        chromium.close()


def test_capture_with_javascript_needs_no_reload_between_notes(served):  # noqa: F811
    from playwright.sync_api import sync_playwright

    base, site = served
    process = site.demo.processes["contributions"]
    url = f"{base}/p/{process.process_id}/workshops/{process.open_workshop_id}/capture"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE")
        page = context.new_page()
        _sign_in(page, base)
        page.goto(url)
        loads: list[str] = []
        page.on("load", lambda _: loads.append(page.url))
        page.locator("input[name=kind][value=testimony]").check()
        page.locator("#f-group").fill("Table 2")
        before = site.voisinage.head_position()
        for words in ("Le hall est sombre le soir.", "La porte du local vélo ferme mal."):
            page.locator("#f-text").fill(words)
            page.locator("#f-text").press("Control+Enter")
            page.wait_for_function(
                "w => document.getElementById('capture-recent').textContent.includes(w)",
                arg=words,
            )
            assert page.evaluate("document.activeElement.id") == "f-text"
            assert page.locator("#f-text").input_value() == ""
        assert page.locator("#capture-status").inner_text() == "Enregistré. À la suivante."
        assert page.locator(
            "input[name=kind][value=testimony]"
        ).is_checked()  # kept for the next note
        assert page.locator("#f-group").input_value() == "Table 2"
        assert site.voisinage.head_position() > before
        # a refused note keeps its words and names the field
        page.locator("#f-text").fill("Un banc cassé")
        page.locator("#f-group").fill("")
        page.locator("#f-resident_code").fill("ZZZZ-ZZZZ-ZZZZ")
        page.locator("#f-text").press("Control+Enter")
        page.wait_for_function(
            "() => !!document.querySelector('#f-resident_code[aria-invalid=true]')"
        )
        assert page.locator("#f-text").input_value() == "Un banc cassé"
        status = page.locator("#capture-status").inner_text()
        assert "code d'invitation" in status.lower(), status
        code = page.locator("#f-resident_code")
        # described by the message now shown beside it, as without JavaScript
        described = (code.get_attribute("aria-describedby") or "").split()
        assert described[-1] == "f-resident_code-error", described
        beside = page.locator("#f-resident_code-error")
        assert beside.is_visible() and beside.inner_text().strip() in status
        assert page.evaluate("document.activeElement.id") == "f-resident_code"
        assert not loads, loads  # not one reload
        page.screenshot(path=str(SHOTS / "capture-js-refused-fr-390.png"), full_page=True)
        assert violations(page) == []
        context.close()
        chromium.close()
