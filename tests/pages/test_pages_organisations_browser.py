"""The organisations page and a representative answering for their organisation, in
Chromium (FR without JavaScript, NL with it): forms work, axe-core finds 0 violations,
screenshots at 390 and 1280 px (nothing scrolls sideways on a phone)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from app_support import settle
from test_pages_browser import _context, browser, server
from test_pages_research import _axe, _shots

from domain.roles import Role

__all__ = ["browser", "server"]  # the browser tests' fixtures, shared

LOADED: dict[str, Any] = {}

WORDS = {
    "fr": {
        "registered": "L’organisation est inscrite.",
        "added": "Le représentant est ajouté.",
        "register": "Inscrire l’organisation",
        "add": "Ajouter le représentant",
        "in_name": "Vous répondez au nom de",
        "saved": "Merci : vos réponses sont enregistrées.",
        "send": "Envoyer mes réponses",
        "capture": "Enregistrer et saisir la suivante",
        "for": "pour",
    },
    "nl": {
        "registered": "De organisatie is ingeschreven.",
        "added": "De vertegenwoordiger is toegevoegd.",
        "register": "De organisatie inschrijven",
        "add": "De vertegenwoordiger toevoegen",
        "in_name": "U antwoordt in naam van",
        "saved": "Bedankt: uw antwoorden zijn bewaard.",
        "send": "Mijn antwoorden versturen",
        "capture": "Opslaan en de volgende invoeren",
        "for": "voor",
    },
}


def _mutualisons(site: Any) -> Any:
    """The Mutualisons demo on the browser tests' server, loaded once per module."""
    from application.demo_mutualisons import load_mutualisons_demo

    if "demo" not in LOADED:
        LOADED["demo"] = load_mutualisons_demo(site.voisinage, site.demo)
        settle(site.app)
    return LOADED["demo"]


def _sign_in(page: Any, base: str, language: str) -> None:
    from application.demo import DEMO_PASSWORD, DEMO_STAFF

    page.goto(f"{base}/language/{language}?next=/sign-in")
    page.fill("input[name=email]", DEMO_STAFF[Role.FACILITATOR])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.parametrize(("javascript", "language"), [(False, "fr"), (True, "nl")])
def test_organisations_and_a_representative_answering_in_a_browser(
    server, browser, javascript, language
) -> None:
    base, site = server
    found = _mutualisons(site)
    pid, qid = found.process_id, found.questionnaire_id
    words = WORDS[language]
    violations: dict[str, Any] = {}
    # a facilitator registers an organisation and names a representative by card code
    context = _context(browser, javascript=javascript)
    page = context.new_page()
    _sign_in(page, base, language)
    page.goto(f"{base}/p/{pid}/organisations")
    name = f"Ludothèque Evere ({language})"
    page.fill("#f-name", name)
    page.fill("#f-sector", "jeunesse")
    page.fill("#f-commune", "Evere")
    page.fill("#f-contact_email", "ludo@example.org")
    page.get_by_role("button", name=words["register"]).click()
    assert page.get_by_text(words["registered"]).is_visible()
    assert page.locator(".org-list > li", has_text=name).is_visible()
    assert "ludo@example.org" not in page.content()
    (code,) = site.voisinage.issue_invitations(site.demo.staff[Role.FACILITATOR], pid, 1)
    page.select_option("#f-organisation_id", label=name)
    page.fill("#f-code", code)
    page.get_by_role("button", name=words["add"]).click()
    assert page.get_by_text(words["added"]).is_visible()
    listed = page.locator(".org-list > li", has_text=name)
    assert listed.locator("ul.representatives li").count() == 1  # shown to facilitators
    _shots(page, f"organisations-facilitator-{language}")
    # paper notes captured for an organisation (with JavaScript: without reloading)
    page.goto(f"{base}/p/{pid}/workshops/{found.workshop_id}/capture")
    note = f"Une grainothèque commune ({language})"
    page.fill("#f-text", note)
    page.select_option("#f-organisation", label=name)
    page.get_by_role("button", name=words["capture"]).click()
    recent = page.locator("#capture-recent li", has_text=note)
    recent.wait_for()
    assert f"{words['for']} {name}" in recent.inner_text()
    _shots(page, f"organisations-capture-{language}")
    context.close()
    # a representative of an organisation that has not answered yet answers in its name
    oid, representative_code = list(found.representative_codes.items())[
        0 if language == "fr" else 1
    ]
    context = _context(browser, javascript=javascript)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/p/{pid}/join")
    page.fill("input[name=code]", representative_code)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/p/{pid}")
    page.goto(f"{base}/q/{qid}")
    assert page.get_by_text(words["in_name"]).is_visible()
    page.locator("input[name=q1]").first.check()
    page.locator("input[name=q2]").first.check()
    page.get_by_role("button", name=words["send"]).click()
    assert page.get_by_text(words["saved"]).is_visible()
    assert page.locator("input[name=q2]").first.is_checked(), "the organisation's answer is shown"
    rate = site.voisinage.questionnaire_results(qid)["waves"][0]["by_audience"]["organisations"]
    assert rate["of"] == site.app.extensions["views"].organisation_count(pid) > 100
    assert site.voisinage.own_response(
        site.voisinage.enter_with_code(pid, representative_code).actor,
        qid,
        1,
        organisation_id=UUID(oid),
    ) == {"q1": ["1"], "q2": "1"}
    _shots(page, f"organisations-representative-{language}")
    context.close()
    # axe-core runs in the page: contexts with JavaScript (facilitator, representative, public)
    context = _context(browser, javascript=True)
    page = context.new_page()
    _sign_in(page, base, language)
    page.goto(f"{base}/p/{pid}/organisations")
    violations["facilitator"] = _axe(page)
    page.goto(f"{base}/p/{pid}/workshops/{found.workshop_id}/capture")
    violations["capture"] = _axe(page)
    context.close()
    context = _context(browser, javascript=True)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/p/{pid}/join")
    page.fill("input[name=code]", representative_code)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/p/{pid}")
    page.goto(f"{base}/q/{qid}")
    violations["representative"] = _axe(page)
    page.goto(f"{base}/q/{qid}/results")
    shown = f"{rate['responses']} {'sur' if language == 'fr' else 'van de'} {rate['of']}"
    assert page.get_by_text(shown).first.is_visible()
    violations["results"] = _axe(page)
    _shots(page, f"organisations-results-{language}")
    context.close()
    context = _context(browser, javascript=True)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/p/{pid}/organisations")
    violations["public"] = _axe(page)
    _shots(page, f"organisations-public-{language}")
    context.close()
    found_violations = {k: v for k, v in violations.items() if v}
    assert not found_violations, found_violations
