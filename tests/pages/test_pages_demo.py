"""The demo a newcomer meets: a process in each phase, each with pages that work.

Besides Vois 1 Voisin.e in the voting phase (the other page tests' process), the demo
has one process in contributions with an open workshop, one in proposals and one in
recommendations with the shortlist published and an answered recommendation.
"""

from __future__ import annotations

from uuid import UUID

import pytest
from app_support import settle
from flask.testing import FlaskClient
from pages_support import Site, csrf_of, page_text, sign_in

from domain.roles import Role

PHASES = ("contributions", "proposals", "voting", "recommendations")


def join_process(client: FlaskClient, pid: UUID, code: str) -> None:
    """Join `pid` with one of its spare codes through the form."""
    form = client.get(f"/p/{pid}/join")
    response = client.post(
        f"/p/{pid}/join", data={"code": code, "name": "", "csrf_token": csrf_of(form)}
    )
    assert response.status_code == 303, page_text(response)


def test_the_demo_has_a_process_in_each_phase_listed_on_the_home_page(site: Site) -> None:
    assert set(site.demo.processes) == set(PHASES)
    assert site.demo.processes["voting"].process_id == site.demo.process_id
    home = page_text(site.client().get("/"))
    for phase, process in site.demo.processes.items():
        row = site.app.extensions["views"].process(process.process_id)
        assert row["phase"] == phase
        assert f'href="/p/{process.process_id}"' in home
        assert process.title["en"] in home
        assert len(process.spare_codes) >= 5


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_each_demo_process_page_answers(site: Site, phase: str, language: str) -> None:
    process = site.demo.processes[phase]
    response = site.client(language).get(f"/p/{process.process_id}")
    assert response.status_code == 200
    assert process.title[language] in page_text(response)


def test_the_contributions_process_has_an_open_workshop_to_give_an_idea(site: Site) -> None:
    process = site.demo.processes["contributions"]
    pid, wid = process.process_id, process.open_workshop_id
    assert wid is not None and len(process.workshop_ids) == 2
    resident = site.client()
    join_process(resident, pid, process.spare_codes[0])
    home = page_text(resident.get(f"/p/{pid}"))
    assert "Give my idea" in home and f"/p/{pid}/workshops/{wid}#contribute" in home
    workshop = resident.get(f"/p/{pid}/workshops/{wid}")
    assert workshop.status_code == 200 and "Give your words" in page_text(workshop)
    before = site.voisinage.head_position()
    sent = resident.post(
        f"/p/{pid}/workshops/{wid}/contributions",
        data={
            "kind": "idea",
            "text": "Un banc devant le bloc 3",
            "language": "fr",
            "csrf_token": csrf_of(workshop),
        },
    )
    assert sent.status_code == 303 and site.voisinage.head_position() > before
    settle(site.app)
    assert "Un banc devant le bloc 3" in page_text(resident.get(f"/p/{pid}/workshops/{wid}"))


def test_the_facilitator_can_capture_paper_notes_in_the_open_workshop(site: Site) -> None:
    process = site.demo.processes["contributions"]
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    capture = client.get(f"/p/{process.process_id}/workshops/{process.open_workshop_id}/capture")
    assert capture.status_code == 200
    assert "Record and capture the next one" in page_text(capture)


def test_the_proposals_process_takes_new_proposals(site: Site) -> None:
    process = site.demo.processes["proposals"]
    pid = process.process_id
    listed = page_text(site.client().get(f"/p/{pid}/proposals"))
    assert len(process.proposal_ids) == 3
    assert all(f"/p/{pid}/proposals/{p}" in listed for p in process.proposal_ids)
    resident = site.client()
    join_process(resident, pid, process.spare_codes[0])
    assert resident.get(f"/p/{pid}/proposals/new").status_code == 200


def test_the_recommendations_process_shows_results_answer_and_progress(site: Site) -> None:
    process = site.demo.processes["recommendations"]
    pid = process.process_id
    results = site.client().get(f"/p/{pid}/results")
    assert results.status_code == 200
    shortlist = site.app.extensions["views"].shortlist(pid)
    assert shortlist is not None and len(shortlist["shortlist"]) == 3
    assert all(entry["title"] in page_text(results) for entry in shortlist["shortlist"])
    recommendations = site.client().get(f"/p/{pid}/recommendations")
    text = page_text(recommendations)
    assert recommendations.status_code == 200
    assert "Answer: Accepted" in text
    assert 'max="100" value="40"' in text and '<span class="progress-value">40%</span>' in text
    assert "Waiting for an answer." in text
    answered, waiting = process.recommendation_ids
    assert site.client().get(f"/p/{pid}/recommendations/{answered}").status_code == 200
    assert site.client().get(f"/p/{pid}/trail/{answered}").status_code == 200
    assert site.voisinage.recommendation(waiting).answer is None
