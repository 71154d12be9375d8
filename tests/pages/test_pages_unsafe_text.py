"""Every refused class of character in the text fields of the pages: a refusal in the
reader's language that names the field, and nothing recorded (tests/api does the API)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pages_support import act_as, csrf_of, open_workshop, page_text, settle, sign_in
from unsafe_text import UNSAFE

from domain.roles import Role

#: The French refusals (web/pages/feedback.py, translated).
UNSAFE_FR = "Ce texte contient un caractère qui ne peut pas être affiché sans risque"
EMPTY_FR = "Un texte manque, ou il est trop court ou trop long."

Form = Callable[[str], dict[str, Any]]

#: A form cannot carry a lone surrogate: it has no UTF-8 form, browsers send U+FFFD in
#: its place, and Werkzeug's decoder never turns the bytes of one into one (last test).
TYPABLE = sorted(set(UNSAFE) - {"lone surrogate"})


def _forms(site) -> list[tuple[str, str, str, Role | None, Form]]:
    """(field label shown, form page, form action, who signs in, data with the text)."""
    pid, wid = open_workshop(site)
    capture = f"/p/{pid}/workshops/{wid}/capture"
    return [
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


def _refused(client, answer, label: str, value: str) -> None:
    if answer.status_code == 303:
        answer = client.get(answer.location)
    html = page_text(answer)
    expected = EMPTY_FR if value == UNSAFE["only invisible characters"] else UNSAFE_FR
    assert f"<p>{label} : {expected}" in html, html[:1500]  # the field is named


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
