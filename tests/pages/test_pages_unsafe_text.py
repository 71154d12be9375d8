"""Every refused class of character in the text fields of the pages: a refusal in the
reader's language that names the field, and nothing recorded (tests/api does the API)."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from app_support import settle
from pages_support import act_as, csrf_of, open_workshop, page_text, sign_in
from unsafe_text import UNSAFE

from domain.roles import Role

#: The French refusals (web/pages/feedback.py, translated).
UNSAFE_FR = "Ce texte contient un caractère qui ne peut pas être affiché sans risque"
EMPTY_FR = "Ce texte est vide. Écrivez quelque chose, puis envoyez-le à nouveau."
SHORT_ANSWER_FR = "Expliquez votre réponse en au moins 10 caractères : les habitants la liront."

Form = Callable[[str], dict[str, Any]]

#: A form cannot carry a lone surrogate: it has no UTF-8 form, browsers send U+FFFD in
#: its place, and Werkzeug's decoder never turns the bytes of one into one (last test).
TYPABLE = sorted(set(UNSAFE) - {"lone surrogate"})


def _forms(site) -> list[tuple[str, str, str, Role | None, Form]]:
    """(field label shown, form page, form action, who signs in, data with the text)."""
    pid, wid = open_workshop(site)
    capture = f"/p/{pid}/workshops/{wid}/capture"
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    cid = app.record_contribution(
        facilitator, wid, kind="idea", text="Des bancs", language="fr", on_behalf_of_group="t1"
    )
    settle(site.app)
    dashboard, moderation = f"/p/{pid}/facilitate", f"/p/{pid}/moderation"
    workshop = {"on": "2026-04-02", "title": "Atelier", "place": "Salle"}
    return [
        (
            "Titre",
            dashboard,
            f"/p/{pid}/workshops",
            Role.FACILITATOR,
            lambda t: {**workshop, "title": t},
        ),
        (
            "Lieu",
            dashboard,
            f"/p/{pid}/workshops",
            Role.FACILITATOR,
            lambda t: {**workshop, "place": t},
        ),
        (
            "Raison",
            moderation,
            f"/p/{pid}/contributions/{cid}/moderate",
            Role.FACILITATOR,
            lambda t: {"action": "hide", "reason": t},
        ),
        (
            "Texte",
            capture,
            capture,
            Role.FACILITATOR,
            lambda t: {"kind": "idea", "language": "fr", "text": t},
        ),
        (
            "Groupe",
            capture,
            capture,
            Role.FACILITATOR,
            lambda t: {"kind": "idea", "language": "fr", "text": "Des bancs", "group": t},
        ),
        (
            "Titre",
            "/processes/new",
            "/processes/new",
            Role.FACILITATOR,
            lambda t: {"title_fr": t, "method": "approval", "shortlist_size": "3"},
        ),
        (
            "Description",
            "/processes/new",
            "/processes/new",
            Role.FACILITATOR,
            lambda t: {
                "title_fr": "Cour",
                "description_fr": t,
                "method": "approval",
                "shortlist_size": "3",
            },
        ),
        (
            "Nom",
            f"/p/{pid}/facilitate",
            f"/p/{pid}/axes",
            Role.FACILITATOR,
            lambda t: {"axis_fr": t},
        ),
        (
            "Nom",
            f"/p/{site.pid}/join",
            f"/p/{site.pid}/join",
            None,
            lambda t: {"code": site.code(), "name": t},
        ),
    ]


def _in_recommendations(site):
    """A process voted on and moved to recommendations, with one submitted recommendation:
    (pid, rid)."""
    pid, wid = open_workshop(site)
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    cid = app.record_contribution(
        facilitator, wid, kind="idea", text="Des bancs", language="fr", on_behalf_of_group="t1"
    )
    app.advance_phase(facilitator, pid, "proposals")
    proposal = app.submit_proposal(
        facilitator, pid, title="Bancs", body="Des bancs", language="fr", source_ids=[cid]
    )
    app.advance_phase(facilitator, pid, "voting")
    (code,) = app.issue_invitations(facilitator, pid, 1)
    app.cast_ballot(app.join(pid, code), pid, [str(proposal)])
    app.publish_shortlist(facilitator, pid)
    app.advance_phase(facilitator, pid, "recommendations")
    rid = app.draft_recommendation(
        facilitator,
        pid,
        title="Des bancs",
        text="Installer des bancs.",
        language="fr",
        proposal_ids=[proposal],
    )
    app.submit_recommendation(facilitator, rid)
    settle(site.app)
    return pid, rid, proposal


def _refused(client, answer, label: str, value: str, empty: str = EMPTY_FR) -> None:
    if answer.status_code == 303:
        answer = client.get(answer.location)
    html = unescape(page_text(answer))
    expected = empty if value == UNSAFE["only invisible characters"] else UNSAFE_FR
    assert f"<p>{label} : {expected}" in html, html[html.find("<main") :][:1500]  # field named


@pytest.mark.parametrize("kind", TYPABLE)
def test_every_refused_character_class_in_the_staff_and_join_forms(site, kind):
    value = UNSAFE[kind]
    for label, page, action, role, data in _forms(site):
        client = site.client("fr")
        if role is not None:
            sign_in(client, role)
        form = client.get(page)
        before = site.voisinage.head_position()
        answer = client.post(action, data={**data(value), "csrf_token": csrf_of(form)})
        assert answer.status_code in (303, 422), (action, label, answer.status_code)
        _refused(client, answer, label, value)
        assert site.voisinage.head_position() == before, (action, label, kind)


@pytest.mark.parametrize("field", ["title", "body"])
def test_every_refused_character_class_in_a_resident_s_proposal(site, field):
    pid, _ = open_workshop(site)
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    (code,) = app.issue_invitations(facilitator, pid, 1)
    resident = app.join(pid, code)
    app.advance_phase(facilitator, pid, "proposals")
    settle(site.app)
    client = site.client("fr")
    act_as(client, resident)
    for value in (UNSAFE[kind] for kind in TYPABLE):
        form = client.get(f"/p/{pid}/proposals/new")
        good = {"title": "Des bancs", "body": "Deux bancs près de l'arrêt.", "language": "fr"}
        before = app.head_position()
        answer = client.post(
            f"/p/{pid}/proposals/new",
            data={**good, field: value, "csrf_token": csrf_of(form)},
        )
        _refused(client, answer, "Titre" if field == "title" else "Description", value)
        assert app.head_position() == before


def test_the_bytes_of_a_lone_surrogate_never_arrive_as_one(site):
    pid, wid = open_workshop(site)
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    capture = f"/p/{pid}/workshops/{wid}/capture"
    token = csrf_of(client.get(capture))
    answer = client.post(
        capture,
        data=f"kind=idea&language=fr&text=abc+%ED%A0%80+def&csrf_token={token}".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 303
    settle(site.app)
    texts = [c["text"] for c in site.app.extensions["views"].contributions(wid)]
    assert len(texts) == 1 and texts[0].startswith("abc ") and texts[0].endswith(" def")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in texts[0]), texts


@pytest.mark.parametrize("kind", TYPABLE)
def test_every_refused_character_class_in_recommendations_and_answers(site, kind):
    value = UNSAFE[kind]
    pid, rid, proposal = _in_recommendations(site)
    page = f"/p/{pid}/recommendations/{rid}"
    forms = [
        (
            "Titre",
            f"/p/{pid}/recommendations",
            f"/p/{pid}/recommendations",
            Role.FACILITATOR,
            {
                "title": value,
                "text": "Installer des bancs.",
                "language": "fr",
                "proposal": str(proposal),
            },
        ),
        (
            "Texte",
            f"/p/{pid}/recommendations",
            f"/p/{pid}/recommendations",
            Role.FACILITATOR,
            {"title": "Des bancs", "text": value, "language": "fr", "proposal": str(proposal)},
        ),
        (
            "Justification",
            page,
            f"{page}/answer",
            Role.INSTITUTION,
            {"status": "accepted", "justification": f"Nous installerons des bancs {value}"},
        ),
    ]
    if kind == "only invisible characters":  # alone: an answer's text is then too short
        forms[-1][-1]["justification"] = value
    for label, form_page, action, role, data in forms:
        client = site.client("fr")
        sign_in(client, role)
        form = client.get(form_page)
        before = site.voisinage.head_position()
        answer = client.post(action, data={**data, "csrf_token": csrf_of(form)})
        empty = SHORT_ANSWER_FR if label == "Justification" else EMPTY_FR
        _refused(client, answer, label, value, empty=empty)
        assert site.voisinage.head_position() == before, (action, label, kind)
    client = site.client("fr")
    sign_in(client, Role.INSTITUTION)
    site.voisinage.answer_recommendation(
        site.demo.staff[Role.INSTITUTION],
        rid,
        status="accepted",
        justification="Nous installerons des bancs.",
    )
    settle(site.app)
    form = client.get(page)
    before = site.voisinage.head_position()
    answer = client.post(
        f"{page}/progress",
        data={"percent": "20", "note": value, "csrf_token": csrf_of(form)},
    )
    _refused(client, answer, "Note", value)
    assert site.voisinage.head_position() == before
