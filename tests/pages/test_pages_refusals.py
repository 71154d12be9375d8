"""A refused act says what and why in the reader's language; French and Dutch pages never
show the domain's English wording."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from app_support import settle
from pages_support import csrf_of, open_workshop, page_text, sign_in

from domain.phases import PERMITTED
from domain.roles import Role
from web.pages.presentation import ACT_NAMES
from web.pages.refusals import SENTENCES

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r'\bcode="([a-z_]+\.[a-z_]+)"')


def test_every_act_that_a_phase_can_refuse_has_a_name_for_people():
    assert set(PERMITTED) <= set(ACT_NAMES)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "fr",
            "Donner un thème à une contribution n'est pas possible à l'étape « Vote ». "
            "C'est possible aux étapes : « Ateliers », « Propositions ».",
        ),
        (
            "nl",
            "Een bijdrage een thema geven kan niet in de fase ‘Stemming’. "
            "Het kan in de fasen: ‘Workshops’, ‘Voorstellen’.",
        ),
    ],
)
def test_a_wrong_phase_refusal_names_the_act_and_the_stages(site, language, sentence):
    pid, cid = site.pid, site.demo.contribution_ids[0]
    axis = site.demo.axis_ids[0]
    client = site.client(language)
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{pid}/moderation")
    before = site.voisinage.head_position()
    answer = client.post(
        f"/p/{pid}/contributions/{cid}/moderate",
        data={"action": "tag", "axis_id": str(axis), "csrf_token": csrf_of(page)},
    )
    assert answer.status_code == 303
    html = unescape(page_text(client.get(answer.location)))
    assert sentence in html, html[html.find("<main") :][:1500]
    assert "not possible in phase" not in html and "allowed in" not in html
    assert site.voisinage.head_position() == before


def test_every_coded_refusal_has_a_sentence_for_people():
    """Each code the domain or the application raises is said in plain words (or by its
    class: a wrong phase names the act and the stages, unsafe text its own sentence)."""
    by_class = {"phase.wrong", "text.unsafe"}
    raised: set[str] = set()
    for folder in ("domain", "application"):
        for path in (ROOT / folder).rglob("*.py"):
            raised |= set(CODE.findall(path.read_text(encoding="utf-8")))
    assert len(raised) > 40
    said = {key.split("/")[0] for key in SENTENCES}
    assert raised - by_class <= said, sorted(raised - by_class - said)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "fr",
            "Une proposition masquée pendant le vote ne peut pas revenir sur le bulletin : "
            "ses votes ont été retirés du décompte.",
        ),
        (
            "nl",
            "Een voorstel dat tijdens de stemming verborgen is, kan niet terug op het "
            "stembiljet: de stemmen ervoor zijn uit de telling gehaald.",
        ),
    ],
)
def test_a_proposal_hidden_in_the_vote_is_refused_back_in_words(fresh_site, language, sentence):
    site = fresh_site
    pid, proposal = site.pid, site.demo.proposal_ids[0]
    site.voisinage.moderate_proposal(
        site.demo.staff[Role.FACILITATOR], proposal, action="hide", reason="Hors sujet, doublon"
    )
    client = site.client(language)
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{pid}/moderation?kind=proposals")
    before = site.voisinage.head_position()
    answer = client.post(
        f"/p/{pid}/proposals/{proposal}/moderate",
        data={"action": "restore", "reason": "Par erreur", "csrf_token": csrf_of(page)},
    )
    assert answer.status_code == 303
    html = unescape(page_text(client.get(answer.location)))
    assert sentence in html, html[html.find("<main") :][:1500]
    assert "cannot come back onto the ballot" not in html
    assert site.voisinage.head_position() == before


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "fr",
            "Nom : Ce texte est trop long : 1 201 caractères, 200 au plus. Raccourcissez-le, "
            "puis envoyez-le à nouveau.",
        ),
        (
            "nl",
            "Naam: Deze tekst is te lang: 1.201 tekens, hoogstens 200. Maak hem korter en "
            "verstuur hem opnieuw.",
        ),
    ],
)
def test_a_too_long_text_says_its_length_and_the_limit(site, language, sentence):
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    pid = app.start_process(facilitator, title={"fr": "Un processus neuf"})
    settle(site.app)
    client = site.client(language)
    sign_in(client, Role.FACILITATOR)
    dashboard = client.get(f"/p/{pid}/facilitate")
    before = app.head_position()
    answer = client.post(
        f"/p/{pid}/axes", data={"axis_fr": "x" * 1201, "csrf_token": csrf_of(dashboard)}
    )
    assert answer.status_code == 422
    html = unescape(page_text(answer))
    said = " ".join(html.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert sentence in said, said[said.find("<main") :][:1500]
    assert "must have at most" not in html
    assert app.head_position() == before


def test_a_refused_capture_marks_the_field_after_the_redirect(site):
    """The capture form goes back to itself (POST, redirect, GET): the refused field is
    still marked and linked to its message there, and the typed words are kept."""
    pid, wid = open_workshop(site)
    client = site.client("nl")
    sign_in(client, Role.FACILITATOR)
    form = client.get(f"/p/{pid}/workshops/{wid}/capture")
    before = site.voisinage.head_position()
    answer = client.post(
        f"/p/{pid}/workshops/{wid}/capture",
        data={
            "text": "Meer licht in de gang",
            "kind": "idea",
            "language": "nl",
            "resident_code": "ZZZZ-ZZZZ-ZZZZ",
            "csrf_token": csrf_of(form),
        },
    )
    assert answer.status_code == 303
    html = page_text(client.get(answer.location))
    assert re.search(
        r'id="f-resident_code"[^>]*aria-invalid="true" '
        r'aria-describedby="f-resident_code-hint f-resident_code-error"',
        html,
    ), html[html.find("<form") :][:2000]
    assert 'id="f-resident_code-error"' in html and ">Meer licht in de gang</textarea>" in html
    assert html.count('aria-invalid="true"') == 1  # the code only, not the words
    assert site.voisinage.head_position() == before
    again = client.get(f"/p/{pid}/workshops/{wid}/capture")  # shown once, not for ever
    assert "aria-invalid" not in page_text(again)
