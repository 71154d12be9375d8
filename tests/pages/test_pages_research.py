"""The research record's page: facilitators write it with plain forms (refusals say what
to fix and record nothing), everyone reads it in FR and NL; in Chromium with and
without JavaScript, axe-core at 0 violations, screenshots at 390 and 1280 px."""

from __future__ import annotations

from uuid import UUID

import pytest
from app_support import settle
from pages_support import Site, csrf_of, join, page_text, sign_in
from test_pages_browser import ARTIFACTS, _axe_script, _context, browser, server

from domain.roles import Role

__all__ = ["browser", "server"]  # the browser tests' fixtures, shared


def _scale_questionnaire(site: Site) -> UUID:
    app, fac = site.voisinage, site.demo.staff[Role.FACILITATOR]
    qid = app.create_questionnaire(
        fac,
        site.pid,
        title={"fr": "Vivre ensemble", "nl": "Samenleven"},
        intro={"fr": "Deux minutes.", "nl": "Twee minuten."},
        audience=["residents"],
        anonymous=True,
    )
    app.add_question(
        fac,
        qid,
        kind="scale5",
        text={"fr": "Vous sentez-vous respecté ?", "nl": "Voelt u zich gerespecteerd?"},
    )
    settle(site.app)
    return qid


def test_a_facilitator_writes_the_record_and_everyone_reads_it(site: Site) -> None:
    qid = _scale_questionnaire(site)
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{site.pid}/research")
    assert page.status_code == 200
    html = page_text(page)
    assert "Formuler une hypothèse" in html and "Aucune hypothèse pour l’instant." in html
    token = csrf_of(page)
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{site.pid}/research/hypotheses", data={"text_fr": "  ", "csrf_token": token}
    )
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    assert "Un texte manque" in page_text(refused)
    stated = client.post(
        f"/p/{site.pid}/research/hypotheses",
        data={
            "text_fr": "La co-création réduit la discrimination perçue",
            "text_nl": "Co-creatie vermindert de ervaren discriminatie",
            "csrf_token": token,
        },
    )
    assert stated.status_code == 303
    (hypothesis,) = site.voisinage.research_record(site.pid)["hypotheses"]
    late = {
        "method": "questionnaire",
        "description_fr": "Avant et après",
        "start": "2026-05-01",
        "end": "2026-04-01",
        "csrf_token": token,
    }
    head = site.voisinage.head_position()
    refused = client.post(f"/p/{site.pid}/research/methods", data=late)
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    assert "Fin" in page_text(refused) or "À" in page_text(refused)
    done = client.post(
        f"/p/{site.pid}/research/methods",
        data={**late, "description_nl": "Voor en na", "end": "2026-06-30"},
    )
    assert done.status_code == 303
    indicator = {
        "hypothesis_id": hypothesis["id"],
        "name_fr": "Respect ressenti",
        "name_nl": "Ervaren respect",
        "how_fr": "Échelle de 1 à 5, avant et après",
        "direction": "increase",
        "question": f"{qid}/q1",
        "csrf_token": token,
    }
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{site.pid}/research/indicators", data={**indicator, "direction": "up"}
    )
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    assert client.post(f"/p/{site.pid}/research/indicators", data=indicator).status_code == 303
    axis = site.demo.axis_ids[0]
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{site.pid}/research/effects", data={"axis_id": str(axis), "csrf_token": token}
    )
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    effects = client.post(
        f"/p/{site.pid}/research/effects",
        data={
            "axis_id": str(axis),
            "effects_people_fr": "Se sentir écouté",
            "effects_people_nl": "Zich gehoord voelen",
            "effects_organisations_fr": "Une SISP qui répond",
            "csrf_token": token,
        },
    )
    assert effects.status_code == 303
    record = site.voisinage.research_record(site.pid)
    assert record["indicators"][0]["questions"] == [
        {"questionnaire_id": str(qid), "question_id": "q1"}
    ]
    assert record["methods"][0]["end"] == "2026-06-30"

    public = page_text(site.client("nl").get(f"/p/{site.pid}/research"))
    assert "Co-creatie vermindert de ervaren discriminatie" in public
    assert "Ervaren respect" in public and "Voelt u zich gerespecteerd?" in public
    assert "30 juni 2026" in public, "dates in the reader's language"
    assert "Zich gehoord voelen" in public
    assert "<form" not in public.split("</header>")[-1].split("<footer")[0] or (
        "Een hypothese formuleren" not in public
    )
    resident = site.client("fr")
    join(resident, site)
    page = resident.get(f"/p/{site.pid}/research")
    assert "Formuler une hypothèse" not in page_text(page)
    head = site.voisinage.head_position()
    forbidden = resident.post(
        f"/p/{site.pid}/research/hypotheses",
        data={"text_fr": "Une hypothèse de résident", "csrf_token": csrf_of(page)},
    )
    assert forbidden.status_code == 403 and site.voisinage.head_position() == head


@pytest.mark.browser
@pytest.mark.parametrize(("javascript", "language"), [(False, "fr"), (True, "nl")])
def test_the_record_in_a_browser(server, browser, javascript, language) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, site = server
    context = _context(browser, javascript=javascript)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/sign-in")
    words = {
        "fr": ("Adresse e-mail", "Mot de passe", "Se connecter", "En français", "Formuler l’hypothèse", "L’hypothèse est formulée."),
        "nl": ("E-mailadres", "Wachtwoord", "Aanmelden", "In het Frans", "De hypothese formuleren", "De hypothese is geformuleerd."),
    }[language]
    from application.demo import DEMO_PASSWORD, DEMO_STAFF

    page.get_by_label(words[0]).fill(DEMO_STAFF[Role.FACILITATOR])
    page.get_by_label(words[1]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words[2]).click()
    page.goto(f"{base}/p/{site.pid}/research")
    hypothesis = page.get_by_role("group").filter(has=page.locator("#f-text_fr"))
    hypothesis.get_by_label(words[3]).fill(f"Les ateliers renforcent la confiance ({language})")
    page.get_by_role("button", name=words[4]).click()
    page.wait_for_url(f"{base}/p/{site.pid}/research#hypotheses")
    assert page.get_by_text(words[5]).first.is_visible()
    assert page.get_by_text(f"Les ateliers renforcent la confiance ({language})").is_visible()
    axe = Axe()
    fallback = _axe_script()
    if fallback:
        axe.axe_script = fallback
    violations = {}
    if javascript:
        violations["facilitator"] = axe.run(page).response["violations"]
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.screenshot(
            path=str(ARTIFACTS / f"research-facilitator-{language}-{width}.png"), full_page=True
        )
    context.close()
    context = _context(browser, javascript=True)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/p/{site.pid}/research")
    violations["public"] = axe.run(page).response["violations"]
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.screenshot(
            path=str(ARTIFACTS / f"research-public-{language}-{width}.png"), full_page=True
        )
    context.close()
    found = {k: [(v["id"], v["help"]) for v in vs] for k, vs in violations.items() if vs}
    assert not found, found
