"""The institution's pages: the to-do list it lands on, answers naming the institution
with localised dates, progress as a bar that cannot go down silently, and the
facilitator's editing of a draft; forms are offered only when they can work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from app_support import build_app, close_app, settle, sqlite_url_in
from pages_support import Site, csrf_of, page_text, sign_in

from application.demo import load_demo
from domain.roles import Role


@pytest.fixture(scope="module")
def recs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, dict[str, UUID]]]:
    """The demo moved on to the recommendations phase: a draft, two sent recommendations
    (one to answer, one answered and carried out at 40 %)."""
    app = build_app(sqlite_url_in(tmp_path_factory.mktemp("institution")))
    demo = load_demo(app.extensions["voisinage"])
    site = Site(app, demo, list(demo.spare_codes))
    v, fac = site.voisinage, demo.staff[Role.FACILITATOR]
    inst = demo.staff[Role.INSTITUTION]
    v.publish_shortlist(fac, site.pid)
    shortlist = [UUID(p) for p in v.process(site.pid).shortlist.shortlist]

    def draft(title: str) -> UUID:
        return v.draft_recommendation(
            fac, site.pid, title=title, text="Un texte.", language="fr", proposal_ids=shortlist[:1]
        )

    ids = {"draft": draft("Brouillon à revoir"), "waiting": draft("Rampes aux blocs A et D")}
    ids["answered"] = draft("Ascenseurs réparés vite")
    v.advance_phase(fac, site.pid, "recommendations")
    v.submit_recommendation(fac, ids["waiting"])
    v.submit_recommendation(fac, ids["answered"])
    v.answer_recommendation(
        inst,
        ids["answered"],
        status="accepted",
        justification="Budget prévu en 2027.",
        institution="Le Logement Molenbeekois",
    )
    v.report_progress(inst, ids["answered"], percent=40, note="Deux ascenseurs.")
    settle(app)
    yield site, ids
    close_app(app)


def _url(site: Site, rid: UUID, tail: str = "") -> str:
    return f"/p/{site.pid}/recommendations/{rid}{tail}"


def test_the_institution_lands_on_its_to_do_list(recs):
    site, ids = recs
    client = site.client("fr")
    form = client.get("/sign-in")
    from application.demo import DEMO_PASSWORD, DEMO_STAFF

    signed = client.post(
        "/sign-in",
        data={
            "email": DEMO_STAFF[Role.INSTITUTION],
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_of(form),
        },
    )
    assert signed.status_code == 303 and signed.location.endswith("/institution")
    html = page_text(client.get(signed.location))
    waiting = html.index("En attente de votre réponse")
    ongoing = html.index("Répondues, encore en cours")
    assert waiting < html.index("Rampes aux blocs A et D") < ongoing
    assert ongoing < html.index("Ascenseurs réparés vite")
    assert f'href="{_url(site, ids["waiting"])}#answer"' in html
    assert f'href="{_url(site, ids["answered"])}#progress"' in html
    assert "Brouillon à revoir" not in html  # a draft is not the institution's to answer
    assert 'max="100" value="40"' in html and "40\u00a0%" in html


def test_the_to_do_list_is_for_the_institution_only(recs):
    site, _ = recs
    assert site.client().get("/institution").status_code == 303  # sign in first
    resident_like = site.client()
    sign_in(resident_like, Role.FACILITATOR)
    assert resident_like.get("/institution").status_code == 403


def test_an_empty_to_do_list_says_so(tmp_path: Path):
    app = build_app(sqlite_url_in(tmp_path))
    try:
        site = Site(app, load_demo(app.extensions["voisinage"], every_phase=False))
        settle(app)
        client = site.client("nl")
        sign_in(client, Role.INSTITUTION)
        html = page_text(client.get("/institution"))
        assert "Niets wacht op uw antwoord" in html
        assert "Geen beantwoorde aanbeveling wacht op een voortgangsverslag." in html
    finally:
        close_app(app)


def test_an_answer_names_the_institution_and_a_localised_day(recs):
    site, ids = recs
    html = page_text(site.client("fr").get(_url(site, ids["answered"])))
    assert "Répondu par Le Logement Molenbeekois le " in html
    assert not re.search(r"\d{4}-\d{2}-\d{2}", html.split("<main", 1)[1])  # no ISO date
    assert re.search(r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} ", html)
    assert '<progress id="progress-now" max="100" value="40"' in html
    assert "Deux ascenseurs." in html


def test_the_institution_answers_naming_itself_and_the_form_goes(recs):
    site, ids = recs
    client = site.client("nl")
    sign_in(client, Role.INSTITUTION)
    page = client.get(_url(site, ids["waiting"]))
    html = page_text(page)
    assert 'name="status" value="accepted"' in html
    # prefilled with the institution named in this process's latest answer
    assert 'name="institution" type="text" value="Le Logement Molenbeekois"' in html
    assert 'name="percent"' not in html  # no progress before an answer
    done = client.post(
        _url(site, ids["waiting"], "/answer"),
        data={
            "status": "under_study",
            "justification": "Étude technique en cours.",
            "institution": "SLRB",
            "csrf_token": csrf_of(page),
        },
    )
    html = page_text(client.get(done.location))
    assert "Beantwoord door SLRB op " in html
    assert 'name="status"' not in html  # answered: the answer form is gone
    assert 'name="percent"' in html  # progress can now be reported


def test_a_lower_progress_needs_a_note_saying_why(recs):
    site, ids = recs
    client = site.client("fr")
    sign_in(client, Role.INSTITUTION)
    page = client.get(_url(site, ids["answered"]))
    head = site.voisinage.head_position()
    refused = client.post(
        _url(site, ids["answered"], "/progress"),
        data={"percent": "20", "note": "Retard", "csrf_token": csrf_of(page)},
    )
    assert refused.status_code == 422  # the page again, what was typed kept
    html = page_text(refused)
    assert ">Retard</textarea>" in html
    said = " ".join(html.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert "Note : Cet avancement (20 %) est plus bas que le dernier indiqué (40 %)." in said
    assert site.voisinage.head_position() == head
    for percent in ("150", "-5", "beaucoup"):
        refused = client.post(
            _url(site, ids["answered"], "/progress"),
            data={"percent": percent, "note": "Un mot", "csrf_token": csrf_of(page)},
        )
        assert refused.status_code == 422
        html = page_text(refused)
        assert "Avancement : L&#39;avancement est un nombre entier de 0 à 100." in html
        assert "justification" not in html.split("<main", 1)[1].split("</form>", 1)[0].lower()
    assert site.voisinage.head_position() == head
    done = client.post(
        _url(site, ids["answered"], "/progress"),
        data={
            "percent": "20",
            "note": "Un ascenseur est retombé en panne.",
            "institution": "SLRB",
            "csrf_token": csrf_of(page),
        },
    )
    html = page_text(client.get(done.location))
    assert 'value="20"' in html and "Un ascenseur est retombé en panne." in html
    assert "Communiqué par SLRB le " in html


def test_a_facilitator_edits_a_draft_until_it_is_sent(recs):
    site, ids = recs
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    page = client.get(_url(site, ids["draft"]))
    html = page_text(page)
    assert 'name="title" type="text" value="Brouillon à revoir"' in html
    assert ">Un texte.</textarea>" in html
    shortlisted = re.findall(r'name="proposal" value="([^"]+)"( checked)?', html)
    assert shortlisted[0][1] == " checked" and not any(c for _, c in shortlisted[1:])
    head = site.voisinage.head_position()
    refused = client.post(
        _url(site, ids["draft"], "/edit"),
        data={
            "title": "Ok",
            "text": "x",
            "proposal": [shortlisted[0][0]],
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 422  # the draft form again, with what was typed
    assert "Title: This text is too short: write at least 3 characters." in page_text(refused)
    assert 'name="title" type="text" value="Ok"' in page_text(refused)
    assert site.voisinage.head_position() == head
    done = client.post(
        _url(site, ids["draft"], "/edit"),
        data={
            "title": "Rampes et ascenseurs",
            "text": "Deux demandes liées.",
            "language": "fr",
            "proposal": [shortlisted[0][0], shortlisted[1][0]],
            "csrf_token": csrf_of(page),
        },
    )
    html = page_text(client.get(done.location))
    assert "The draft is saved." in html and '<h1 lang="fr">Rampes et ascenseurs</h1>' in html
    assert html.count('<li lang="fr"><a href="/p/') == 2  # both cited proposals
    assert site.voisinage.recommendation(ids["draft"]).title == "Rampes et ascenseurs"
    # a sent recommendation offers no edit form, and a forged post is refused
    html = page_text(client.get(_url(site, ids["waiting"])))
    assert "Edit the draft" not in html and "/edit" not in html
    head = site.voisinage.head_position()
    refused = client.post(
        _url(site, ids["waiting"], "/edit"),
        data={
            "title": "Trop tard",
            "text": "x",
            "proposal": [shortlisted[0][0]],
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 409  # the state forbids it, as the API says
    assert (
        "This recommendation was already sent to the institution, so it can no longer change."
        in page_text(refused)
    )
    assert site.voisinage.head_position() == head


def test_the_draft_form_is_only_offered_when_drafting_works(site):
    # the demo process is in the voting phase: nothing can be drafted yet
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    html = page_text(client.get(f"/p/{site.pid}/recommendations"))
    assert "Draft a recommendation" not in html and 'name="proposal"' not in html


def test_the_api_revises_a_draft_and_refuses_once_sent(recs):
    site, ids = recs
    client = site.client()
    from application.demo import DEMO_PASSWORD, DEMO_STAFF

    token = client.post(
        "/api/v1/auth/token",
        json={"email": DEMO_STAFF[Role.FACILITATOR], "password": DEMO_PASSWORD},
    ).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    cited = site.voisinage.recommendation(ids["draft"]).proposal_ids
    body = {
        "title": "Revu par l'API",
        "text": "Texte",
        "language": "nl",
        "proposal_ids": [str(p) for p in cited[:1]],
    }
    ok = client.post(f"/api/v1/recommendations/{ids['draft']}/revisions", json=body, headers=auth)
    assert ok.status_code == 200, ok.get_json()
    assert site.voisinage.recommendation(ids["draft"]).language == "nl"
    head = site.voisinage.head_position()
    sent = client.post(
        f"/api/v1/recommendations/{ids['waiting']}/revisions", json=body, headers=auth
    )
    assert sent.status_code == 409
    assert sent.headers["Content-Type"].startswith("application/problem+json")
    assert site.voisinage.head_position() == head
