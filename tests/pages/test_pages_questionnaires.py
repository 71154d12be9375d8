"""Questionnaire pages: answering a wave with a plain form (FR, NL), the refusals in
the resident's language, and the results with their SVG bars and numbers; in a real
browser with and without JavaScript, checked by axe-core."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from app_support import settle
from pages_support import Site, csrf_of, join, page_text
from test_pages_browser import ARTIFACTS, _axe_script, _context, _join, browser, server

from domain.roles import Role

__all__ = ["browser", "server"]  # the browser tests' fixtures, shared


def questionnaire(site: Site) -> UUID:
    """A questionnaire of the demo process with its first wave open."""
    app, fac = site.voisinage, site.demo.staff[Role.FACILITATOR]
    qid = app.create_questionnaire(
        fac,
        site.pid,
        title={"fr": "Se sentir respecté", "nl": "Zich gerespecteerd voelen"},
        intro={"fr": "Trois questions, deux minutes.", "nl": "Drie vragen, twee minuten."},
        audience=["residents"],
        anonymous=True,
    )
    app.add_question(
        fac,
        qid,
        kind="scale5",
        text={"fr": "Vous sentez-vous respecté ici ?", "nl": "Voelt u zich hier gerespecteerd?"},
        required=True,
    )
    app.add_question(
        fac,
        qid,
        kind="multiple",
        text={"fr": "Où vous sentez-vous bien ?", "nl": "Waar voelt u zich goed?"},
        options=[{"fr": "Le hall", "nl": "De hal"}, {"fr": "La cour", "nl": "De binnenplaats"}],
    )
    app.add_question(fac, qid, kind="text", text={"fr": "Un mot ?", "nl": "Een woord?"})
    app.open_wave(
        fac, qid, label={"fr": "Avant les ateliers", "nl": "Voor de workshops"}, sent_to=50
    )
    settle(site.app)
    return qid


def test_a_resident_answers_and_changes_the_answers_with_the_plain_form(site: Site) -> None:
    qid = questionnaire(site)
    client = site.client("fr")
    join(client, site)
    page = client.get(f"/q/{qid}")
    html = page_text(page)
    assert "Vos réponses sont anonymes" in html and 'type="radio" name="q1" value="5"' in html
    head = site.voisinage.head_position()
    refused = client.post(
        f"/q/{qid}/answers", data={"wave": "1", "q1": "9", "csrf_token": csrf_of(page)}
    )
    assert refused.status_code == 422
    assert "Choisissez un nombre entier de 1 à 5." in page_text(refused)
    assert site.voisinage.head_position() == head
    sent = client.post(
        f"/q/{qid}/answers",
        data={
            "wave": "1",
            "q1": "2",
            "q2": ["1", "2"],
            "q3": "Le hall",
            "csrf_token": csrf_of(page),
        },
    )
    assert sent.status_code == 303
    again = client.get(f"/q/{qid}")
    html = page_text(again)
    assert "Merci : vos réponses sont enregistrées" in html
    assert re.search(r'name="q1" value="2" checked', html) and "Changer mes réponses" in html
    client.post(f"/q/{qid}/answers", data={"wave": "1", "q1": "4", "csrf_token": csrf_of(again)})
    results = site.client("nl").get(f"/q/{qid}/results")
    html = page_text(results)
    assert "Wie antwoordde" in html and "Zich gerespecteerd voelen" in html
    assert "2% (1/50)" in html, "the rate with its n"
    assert 'role="img"' in html and "n = 1" in html
    assert "Gemiddelde 4,0, mediaan 4,0 (n = 1)" in html


def test_staff_cannot_answer_and_a_closed_wave_says_so(site: Site) -> None:
    qid = questionnaire(site)
    client = site.client("nl")
    join(client, site)
    page = client.get(f"/q/{qid}")
    site.voisinage.close_wave(site.demo.staff[Role.FACILITATOR], qid, 1)
    settle(site.app)
    closed = client.post(
        f"/q/{qid}/answers", data={"wave": "1", "q1": "3", "csrf_token": csrf_of(page)}
    )
    assert closed.status_code == 422
    assert "Deze vragenlijst is gesloten voor antwoorden" in page_text(closed)
    assert "staat nu niet open" in page_text(client.get(f"/q/{qid}"))


@pytest.mark.browser
@pytest.mark.parametrize(("javascript", "language"), [(False, "fr"), (True, "nl")])
def test_answering_and_reading_in_a_browser(server, browser, javascript, language) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, site = server
    qid = questionnaire(site)
    context = _context(browser, javascript=javascript)
    page = context.new_page()
    _join(page, base, site)
    if language == "nl":
        page.goto(f"{base}/language/nl?next=/q/{qid}")
    page.goto(f"{base}/q/{qid}")
    words = {
        "fr": ("Vous sentez-vous respecté ici ?", "La cour", "Envoyer mes réponses", "Merci"),
        "nl": (
            "Voelt u zich hier gerespecteerd?",
            "De binnenplaats",
            "Mijn antwoorden versturen",
            "Bedankt",
        ),
    }[language]
    page.get_by_role("group", name=words[0]).get_by_label("3").check()
    page.get_by_label(words[1]).check()
    page.get_by_role("button", name=words[2]).click()
    page.wait_for_url(f"{base}/q/{qid}")
    assert page.get_by_text(words[3]).first.is_visible()
    page.screenshot(path=str(ARTIFACTS / f"questionnaire-{language}.png"), full_page=True)
    context.close()
    # axe-core runs in the page: a context with JavaScript, signed in, in the same language.
    context = _context(browser, javascript=True)
    page = context.new_page()
    _join(page, base, site)
    page.goto(f"{base}/language/{language}?next=/q/{qid}")
    axe = Axe()
    fallback = _axe_script()
    if fallback:
        axe.axe_script = fallback
    violations = {}
    for url in (f"{base}/q/{qid}", f"{base}/q/{qid}/results"):
        page.goto(url)
        found = axe.run(page).response["violations"]
        if found:
            violations[url] = [(v["id"], v["impact"], v["help"]) for v in found]
    page.screenshot(path=str(ARTIFACTS / f"questionnaire-results-{language}.png"), full_page=True)
    context.close()
    assert not violations, violations


def test_a_facilitator_builds_and_sends_a_questionnaire_with_the_forms(site: Site) -> None:
    from pages_support import sign_in

    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{site.pid}/questionnaires")
    assert "Nouveau questionnaire" in page_text(page)
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{site.pid}/questionnaires",
        data={
            "title_fr": "",
            "intro_fr": "Deux minutes",
            "audience": "residents",
            "anonymous": "yes",
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    created = client.post(
        f"/p/{site.pid}/questionnaires",
        data={
            "title_fr": "Besoins d'un lieu",
            "title_nl": "Noden van een plek",
            "intro_fr": "Deux minutes",
            "audience": "residents",
            "anonymous": "no",
            "csrf_token": csrf_of(page),
        },
    )
    assert created.status_code == 303
    build = created.headers["Location"]
    qid = UUID(build.split("/q/")[1].split("/")[0])
    form = client.get(build)
    client.post(
        f"/q/{qid}/build/questions",
        data={
            "kind": "single",
            "text_fr": "Un lieu partagé ?",
            "text_nl": "Een gedeelde plek?",
            "options_fr": "Oui\nNon",
            "options_nl": "Ja\nNee",
            "required": "yes",
            "csrf_token": csrf_of(form),
        },
    )
    bad = client.post(
        f"/q/{qid}/build/questions",
        data={
            "kind": "single",
            "text_fr": "Un seul choix ?",
            "options_fr": "Oui",
            "csrf_token": csrf_of(form),
        },
    )
    assert bad.status_code == 422
    built = site.voisinage.questionnaire(qid)
    assert built.anonymous is False
    assert built.questions[0]["options"] == [
        {"id": "1", "text": {"fr": "Oui", "nl": "Ja"}},
        {"id": "2", "text": {"fr": "Non", "nl": "Nee"}},
    ]
    client.post(
        f"/q/{qid}/build/waves",
        data={
            "label_fr": "Avant",
            "label_nl": "Voor",
            "sent_to": "100",
            "csrf_token": csrf_of(form),
        },
    )
    assert site.voisinage.questionnaire(qid).waves[0]["sent_to"] == 100
    nl = site.client("nl")
    sign_in(nl, Role.FACILITATOR)
    html = page_text(nl.get(f"/q/{qid}/build"))
    assert "De open ronde sluiten" in html and "Eén keuze" in html
    resident = site.client("fr")
    join(resident, site)
    assert "Vos réponses sont nominatives" in page_text(resident.get(f"/q/{qid}"))
    assert resident.get(f"/q/{qid}/build").status_code == 403


@pytest.mark.browser
@pytest.mark.parametrize(("javascript", "language"), [(False, "fr"), (True, "nl")])
def test_building_in_a_browser(server, browser, javascript, language) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from application.demo import DEMO_PASSWORD, DEMO_STAFF

    base, site = server
    context = _context(browser, javascript=javascript)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/sign-in")
    page.fill("input[name=email]", DEMO_STAFF[Role.FACILITATOR])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{base}/p/{site.pid}/questionnaires")
    words = {
        "fr": (
            "Titre en français",
            "Créer le questionnaire",
            "Question en français",
            "Ajouter la question",
            "Ouvrir la vague suivante",
            "Clôturer la vague ouverte",
        ),
        "nl": (
            "Titel in het Nederlands",
            "De vragenlijst aanmaken",
            "Vraag in het Nederlands",
            "De vraag toevoegen",
            "De volgende ronde openen",
            "De open ronde sluiten",
        ),
    }[language]
    page.get_by_label(words[0]).fill(f"Besoins {language}")
    page.get_by_label(
        "Courte introduction en français" if language == "fr" else "Korte inleiding in het Frans"
    ).fill("Deux minutes")
    page.get_by_role("button", name=words[1]).click()
    page.wait_for_url(re.compile(r".*/q/[0-9a-f-]+/build$"))
    page.get_by_label(words[2]).fill("Note de 1 à 5 ?")
    page.get_by_role("button", name=words[3]).click()
    page.wait_for_url(re.compile(r".*/build$"))
    page.get_by_label(
        re.compile("^(Naam van de ronde in het Frans|Nom de la vague en français)")
    ).fill("Avant")
    page.get_by_role("button", name=words[4]).click()
    page.wait_for_url(re.compile(r".*/build$"))
    assert page.get_by_role("button", name=words[5]).is_visible()
    page.screenshot(path=str(ARTIFACTS / f"questionnaire-build-{language}.png"), full_page=True)
    url = page.url
    context.close()
    context = _context(browser, javascript=True)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/sign-in")
    page.fill("input[name=email]", DEMO_STAFF[Role.FACILITATOR])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    axe = Axe()
    fallback = _axe_script()
    if fallback:
        axe.axe_script = fallback
    violations = {}
    for target in (url, f"{base}/p/{site.pid}/questionnaires"):
        page.goto(target)
        found = axe.run(page).response["violations"]
        if found:
            violations[target] = [(v["id"], v["impact"], v["help"]) for v in found]
    context.close()
    assert not violations, violations


@pytest.mark.parametrize(
    ("language", "measure", "rate", "bar"),
    [
        ("fr", "Moyenne 3,5, médiane 3,5 (n = 2)", "4\xa0% (2/50)", "50\xa0% (1/2)"),
        ("nl", "Gemiddelde 3,5, mediaan 3,5 (n = 2)", "4% (2/50)", "50% (1/2)"),
        ("en", "Mean 3.5, median 3.5 (n = 2)", "4% (2/50)", "50% (1/2)"),
    ],
)
def test_the_results_write_numbers_the_readers_way_each_share_with_its_n(
    site: Site, language, measure, rate, bar
) -> None:
    """Means, medians, rates and shares in the reader's number format (Babel); no share
    without its n, in the bars as in the rates."""
    qid = questionnaire(site)
    app = site.voisinage
    for score in (3, 4):
        (code,) = app.issue_invitations(site.demo.staff[Role.FACILITATOR], site.pid, 1)
        app.answer_questionnaire(app.join(site.pid, code), qid, 1, {"q1": score})
    settle(site.app)
    html = page_text(site.client(language).get(f"/q/{qid}/results"))
    assert measure in html, html
    assert rate in html
    svg = html.split('<svg class="chart', 1)[1].split("</svg>")[0]
    shares = re.findall(r"<text[^>]*>([^<]*%[^<]*)</text>", svg)
    assert shares and all(re.search(r"\(\d+/2\)$", s) for s in shares), shares
    assert bar in shares


def test_a_multiple_choice_share_is_of_the_respondents_not_of_the_choices(site: Site) -> None:
    """Two respondents, one choosing both places: the hall is chosen by 2 of 2 (100 %),
    the courtyard by 1 of 2 (50 %), not 2/3 and 1/3 of the choices."""
    qid = questionnaire(site)
    app = site.voisinage
    for places in (["1", "2"], ["1"]):
        (code,) = app.issue_invitations(site.demo.staff[Role.FACILITATOR], site.pid, 1)
        app.answer_questionnaire(app.join(site.pid, code), qid, 1, {"q1": 3, "q2": places})
    settle(site.app)
    html = page_text(site.client("en").get(f"/q/{qid}/results"))
    charts = html.split('<svg class="chart')[1:]
    places = next(c for c in charts if "De hal" in c or "Le hall" in c).split("</svg>")[0]
    shares = re.findall(r"<text[^>]*>([^<]*%[^<]*)</text>", places)
    assert shares == ["100% (2/2)", "50% (1/2)"], shares
