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
    assert "Ce texte est vide" in page_text(refused)
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
    assert "Date de fin" in page_text(refused)
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
    assert "Een hypothese formuleren" not in public, "the forms are for facilitators"
    resident = site.client("fr")
    join(resident, site)
    page = resident.get(f"/p/{site.pid}/research")
    assert "Formuler une hypothèse" not in page_text(page)
    head = site.voisinage.head_position()
    forbidden = resident.post(
        f"/p/{site.pid}/research/hypotheses",
        data={
            "text_fr": "Une hypothèse de résident",
            "csrf_token": csrf_of(resident.get("/sign-out")),
        },
    )
    assert forbidden.status_code == 403 and site.voisinage.head_position() == head


def test_a_recommendation_cites_hypotheses_and_its_trail_shows_them(fresh_site: Site) -> None:
    from application.demo_research import load_research_demo

    site = fresh_site
    app, fac = site.voisinage, site.demo.staff[Role.FACILITATOR]
    research = load_research_demo(app, site.demo)
    app.publish_shortlist(fac, site.pid)
    settle(site.app)
    shortlisted = app.process(site.pid).shortlist.shortlist[0]
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{site.pid}/recommendations")
    html = page_text(page)
    assert "Hypothèses de recherche auxquelles elle répond" in html
    assert f'name="hypothesis" value="{research.hypothesis_id}"' in html
    drafted = client.post(
        f"/p/{site.pid}/recommendations",
        data={
            "title": "Des ateliers chaque mois",
            "text": "Pour que chacun soit écouté.",
            "language": "fr",
            "proposal": shortlisted,
            "hypothesis": str(research.hypothesis_id),
            "csrf_token": csrf_of(page),
        },
    )
    assert drafted.status_code == 303, page_text(drafted)
    rid = UUID(drafted.headers["Location"].rstrip("/").split("/")[-1])
    assert app.recommendation(rid).hypothesis_ids == [research.hypothesis_id]
    settle(site.app)
    nl = site.client("nl")
    sign_in(nl, Role.FACILITATOR)
    html = page_text(nl.get(f"/p/{site.pid}/recommendations/{rid}"))
    assert "Onderzoekshypotheses waarop ze ingaat" in html
    assert "Co-creatie met de bewoners vermindert de ervaren discriminatie" in html
    assert f'value="{research.hypothesis_id}" checked' in html, "the edit form keeps it ticked"
    trail = page_text(nl.get(f"/p/{site.pid}/trail/{rid}"))
    assert "Co-creatie met de bewoners vermindert de ervaren discriminatie" in trail
    assert "Ervaren respect" in trail and "Voelt u zich in uw buurt met respect behandeld?" in trail
    # Unticking every hypothesis in the edit form drops them.
    edit = nl.get(f"/p/{site.pid}/recommendations/{rid}")
    revised = nl.post(
        f"/p/{site.pid}/recommendations/{rid}/edit",
        data={
            "title": "Des ateliers chaque mois",
            "text": "Pour que chacun soit écouté.",
            "language": "fr",
            "proposal": shortlisted,
            "csrf_token": csrf_of(edit),
        },
    )
    assert revised.status_code == 303
    assert app.recommendation(rid).hypothesis_ids == []


def test_a_free_answer_becomes_a_contribution_with_its_button(site: Site) -> None:
    from pages_support import act_as, open_workshop

    from application import Actor

    pid, wid = open_workshop(site)
    app, fac = site.voisinage, site.demo.staff[Role.FACILITATOR]
    qid = app.create_questionnaire(
        fac,
        pid,
        title={"fr": "Votre avis", "nl": "Uw mening"},
        intro={"fr": "Une minute.", "nl": "Eén minuut."},
        audience=["residents"],
        anonymous=True,
    )
    app.add_question(fac, qid, kind="text", text={"fr": "Un mot ?", "nl": "Een woord?"})
    app.open_wave(fac, qid, label={"fr": "Avant", "nl": "Voor"}, sent_to=10)
    (code,) = app.issue_invitations(fac, pid, 1)
    resident: Actor = app.join(pid, code)
    app.answer_questionnaire(resident, qid, 1, {"q1": "Le hall est trop sombre"})
    settle(site.app)
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/q/{qid}/results")
    html = page_text(page)
    assert "Réponses libres à transformer en contributions" in html
    assert "En faire une contribution" in html and "Le hall est trop sombre" in html
    head = app.head_position()
    refused = client.post(
        f"/q/{qid}/contributions",
        data={
            "response_id": "nope",
            "question_id": "q1",
            "workshop_id": str(wid),
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 303 and app.head_position() == head
    assert "Cette réponse est introuvable" in page_text(client.get(f"/q/{qid}/results"))
    response = html.split('name="response_id" value="')[1].split('"')[0]
    made = client.post(
        f"/q/{qid}/contributions",
        data={
            "response_id": response,
            "question_id": "q1",
            "workshop_id": str(wid),
            "csrf_token": csrf_of(page),
        },
    )
    assert made.status_code == 303
    settle(site.app)
    workshop = page_text(site.client("fr").get(f"/p/{pid}/workshops/{wid}"))
    assert "Le hall est trop sombre" in workshop
    head = app.head_position()
    twice = client.post(
        f"/q/{qid}/contributions",
        data={
            "response_id": response,
            "question_id": "q1",
            "workshop_id": str(wid),
            "csrf_token": csrf_of(page),
        },
    )
    assert twice.status_code == 303 and app.head_position() == head
    after = page_text(client.get(f"/q/{qid}/results"))
    assert "Cette réponse est déjà une contribution" in after, after
    assert "Déjà une contribution" in after and "En faire une contribution" not in after
    member = site.client("fr")
    act_as(member, resident)
    head = app.head_position()
    forbidden = member.post(
        f"/q/{qid}/contributions",
        data={
            "response_id": response,
            "question_id": "q1",
            "workshop_id": str(wid),
            "csrf_token": csrf_of(member.get("/sign-out")),
        },
    )
    assert forbidden.status_code == 403 and app.head_position() == head


LOADED: dict[str, object] = {}


def _research_demo(site: Site) -> object:
    """The research demo on the browser tests' server, loaded once per module."""
    from application.demo_research import load_research_demo

    if "demo" not in LOADED:
        LOADED["demo"] = load_research_demo(site.voisinage, site.demo)
        settle(site.app)
    return LOADED["demo"]


def _axe(page: object) -> list[tuple[str, str]]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    fallback = _axe_script()
    if fallback:
        axe.axe_script = fallback
    found = axe.run(page).response["violations"]
    return [(v["id"], v["help"]) for v in found]


def _shots(page: object, name: str) -> None:
    """Screenshots at 390 px (nothing scrolls sideways) and 1280 px."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})  # type: ignore[attr-defined]
        if width == 390:
            scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
            assert scroll <= 390, (name, scroll)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]


@pytest.mark.browser
@pytest.mark.parametrize(("javascript", "language"), [(False, "fr"), (True, "nl")])
def test_the_record_and_the_results_in_a_browser(server, browser, javascript, language) -> None:
    from application.demo import DEMO_PASSWORD, DEMO_STAFF

    base, site = server
    research = _research_demo(site)
    qid = research.questionnaire_id  # type: ignore[attr-defined]
    words = {
        "fr": (
            "En français",
            "Formuler l’hypothèse",
            "L’hypothèse est formulée.",
            "Évolution par indicateur",
            "Tout l’intervalle est au-dessus de zéro",
        ),
        "nl": (
            "In het Frans",
            "De hypothese formuleren",
            "De hypothese is geformuleerd.",
            "Verandering per indicator",
            "Het hele interval ligt boven nul",
        ),
    }[language]
    context = _context(browser, javascript=javascript)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/sign-in")
    page.fill("input[name=email]", DEMO_STAFF[Role.FACILITATOR])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{base}/p/{site.pid}/research")
    statement = f"Les ateliers renforcent la confiance ({language})"
    form = page.locator("form").filter(has=page.locator("#f-text_fr"))
    form.get_by_label(words[0]).fill(statement)
    page.get_by_role("button", name=words[1]).click()
    page.wait_for_url(f"{base}/p/{site.pid}/research#hypotheses")
    assert page.get_by_text(words[2]).first.is_visible()
    assert page.locator("p.statement", has_text=statement).is_visible()
    _shots(page, f"research-facilitator-{language}")
    page.goto(f"{base}/q/{qid}/results")
    assert page.get_by_role("heading", name=words[3]).is_visible()
    assert page.get_by_text(words[4]).is_visible()
    _shots(page, f"research-results-{language}")
    context.close()
    # axe-core runs in the page: contexts with JavaScript, signed in and not.
    context = _context(browser, javascript=True)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/sign-in")
    page.fill("input[name=email]", DEMO_STAFF[Role.FACILITATOR])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    violations = {}
    for url in (f"{base}/p/{site.pid}/research", f"{base}/q/{qid}/results"):
        page.goto(url)
        violations[url] = _axe(page)
    context.close()
    context = _context(browser, javascript=True)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/p/{site.pid}/research")
    assert page.get_by_text(statement).is_visible()
    violations["public"] = _axe(page)
    _shots(page, f"research-public-{language}")
    context.close()
    found = {k: v for k, v in violations.items() if v}
    assert not found, found


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        ("fr", "Méthode de recherche : Choisissez une des méthodes de la liste.", "Façon de voter"),
        ("nl", "Onderzoeksmethode: Kies een van de methoden in de lijst.", "Manier van stemmen"),
        ("en", "Research method: Choose one of the methods in the list.", "Voting method"),
    ],
)
def test_a_refused_research_method_is_named_as_one(site: Site, language, said, not_said) -> None:
    """The research record's "method" is a method of the research: its refusal says so
    (not "voting method") in the reader's language, and records nothing."""
    client = site.client(language)
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{site.pid}/research")
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{site.pid}/research/methods",
        data={
            "method": "astrology",
            "description_fr": "Lire les étoiles",
            "start": "2026-01-01",
            "end": "2026-02-01",
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    text = page_text(refused)
    assert said in text, text
    assert not_said not in text
