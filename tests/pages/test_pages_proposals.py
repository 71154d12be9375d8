"""Residents write, revise and withdraw their own proposals in the pages (no JavaScript)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from app_support import settle
from pages_support import act_as, csrf_of, open_workshop, page_text

from domain.roles import Role


@pytest.fixture
def proposals_phase(site: Any) -> dict[str, Any]:
    """A process in the proposals phase; a resident said two things in its workshop."""
    pid, wid = open_workshop(site)
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    first, second = app.issue_invitations(facilitator, pid, 2)
    resident, neighbour = app.join(pid, first), app.join(pid, second)
    bench = app.record_contribution(
        resident, wid, kind="idea", text="Un banc près de l'arrêt du 48", language="fr"
    )
    light = app.record_contribution(
        neighbour, wid, kind="concern", text="Le parking est trop sombre le soir", language="fr"
    )
    app.advance_phase(facilitator, pid, "proposals")
    settle(site.app)
    return {
        "pid": pid,
        "resident": resident,
        "neighbour": neighbour,
        "bench": bench,
        "light": light,
    }


def test_a_resident_writes_revises_and_withdraws_a_proposal(site, proposals_phase):
    pid = proposals_phase["pid"]
    client = site.client("fr")
    act_as(client, proposals_phase["resident"])
    listing = page_text(client.get(f"/p/{pid}/proposals"))
    assert f'href="/p/{pid}/proposals/new"' in listing and "Écrire une proposition" in listing

    form = client.get(f"/p/{pid}/proposals/new?q=banc")
    html = page_text(form)
    assert "Un banc près de l" in html and "trop sombre" not in html  # the search narrows
    created = client.post(
        f"/p/{pid}/proposals/new",
        data={
            "title": "Des bancs à l'arrêt",
            "body": "Deux bancs abrités près de l'arrêt du 48.",
            "language": "fr",
            "source_ids": [str(proposals_phase["bench"])],
            "csrf_token": csrf_of(form),
        },
    )
    assert created.status_code == 303
    proposal_url = created.location
    page = page_text(client.get(proposal_url, follow_redirects=True))
    assert "Des bancs à l" in page and "Un banc près de l" in page  # cites the words
    assert "Modifier ma proposition" in page and "Retirer ma proposition" in page
    proposal_id = UUID(proposal_url.rstrip("/").split("/")[-1])

    edit = client.get(f"/p/{pid}/proposals/{proposal_id}/edit")
    assert 'value="Des bancs à l&#39;arrêt"' in page_text(edit)
    revised = client.post(
        f"/p/{pid}/proposals/{proposal_id}/edit",
        data={
            "title": "Des bancs et de la lumière",
            "body": "Deux bancs abrités et un éclairage du parking.",
            "source_ids": [str(proposals_phase["bench"]), str(proposals_phase["light"])],
            "csrf_token": csrf_of(edit),
        },
    )
    assert revised.status_code == 303
    stored = site.app.extensions["views"].proposal(proposal_id)
    assert stored["title"] == "Des bancs et de la lumière" and stored["revision"] == 2
    assert {str(s) for s in stored["source_ids"]} == {
        str(proposals_phase["bench"]),
        str(proposals_phase["light"]),
    }

    warning = client.get(f"/p/{pid}/proposals/{proposal_id}/withdraw")
    assert "Cela ne peut pas être annulé." in page_text(warning)
    withdrawn = client.post(
        f"/p/{pid}/proposals/{proposal_id}/withdraw", data={"csrf_token": csrf_of(warning)}
    )
    assert withdrawn.status_code == 303
    assert site.app.extensions["views"].proposal(proposal_id)["status"] == "withdrawn"


def test_a_refused_proposal_keeps_the_text_names_the_field_and_records_nothing(
    site, proposals_phase
):
    pid = proposals_phase["pid"]
    client = site.client("nl")
    act_as(client, proposals_phase["resident"])
    form = client.get(f"/p/{pid}/proposals/new")
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{pid}/proposals/new",
        data={
            "title": "",
            "body": "Een tekst die ik niet wil verliezen",
            "language": "nl",
            "csrf_token": csrf_of(form),
        },
    )
    assert refused.status_code == 422
    html = page_text(refused)
    assert "Titel:" in html and "Een tekst die ik niet wil verliezen" in html
    assert site.voisinage.head_position() == head


def test_only_the_author_may_change_a_proposal(site, proposals_phase):
    pid = proposals_phase["pid"]
    proposal_id = site.voisinage.submit_proposal(
        proposals_phase["resident"],
        pid,
        title="Des bancs",
        body="Dans la cour",
        language="fr",
        source_ids=[proposals_phase["bench"]],
    )
    settle(site.app)
    client = site.client()
    act_as(client, proposals_phase["neighbour"])
    page = page_text(client.get(f"/p/{pid}/proposals/{proposal_id}"))
    assert "Change my proposal" not in page and "Withdraw my proposal" not in page
    assert client.get(f"/p/{pid}/proposals/{proposal_id}/edit").status_code == 404
    assert client.get(f"/p/{pid}/proposals/{proposal_id}/withdraw").status_code == 404


def test_proposals_are_written_only_in_their_phase(site):
    pid, _ = open_workshop(site)  # contributions phase
    (code,) = site.voisinage.issue_invitations(site.demo.staff[Role.FACILITATOR], pid, 1)
    client = site.client()
    act_as(client, site.voisinage.join(pid, code))
    assert "Write a proposal" not in page_text(client.get(f"/p/{pid}/proposals"))
    answer = client.get(f"/p/{pid}/proposals/new", follow_redirects=True)
    assert "Proposals can be written only during the proposals phase." in page_text(answer)
