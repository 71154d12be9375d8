"""A refused act says what and why in the reader's language; French and Dutch pages never
show the domain's English wording."""

from __future__ import annotations

from html import unescape

import pytest
from pages_support import csrf_of, page_text, sign_in

from domain.phases import PERMITTED
from domain.roles import Role
from web.pages.presentation import ACT_NAMES


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
