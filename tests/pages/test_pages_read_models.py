"""Pages read the read models (projections/queries), never the aggregates: a page that
loaded a Process or a Proposal from the store would answer what the API does not."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from app_support import settle
from pages_support import csrf_of, join, page_text, sign_in

from domain.roles import Role

#: The application's loaders of aggregates the pages used to call.
LOADERS = ("process", "proposal")


@pytest.fixture
def loaded(site, monkeypatch) -> list[tuple[str, str]]:
    """(loader, module) of every aggregate a web module loads while the test runs (the
    application's own loads, behind a command or own_ballot, are not counted)."""
    calls: list[tuple[str, str]] = []
    for name in LOADERS:
        original = getattr(site.voisinage, name)

        def spy(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            caller = str(sys._getframe(1).f_globals.get("__name__", ""))
            if caller.startswith("web."):
                calls.append((_name, caller))
            return _original(*args, **kwargs)

        monkeypatch.setattr(site.voisinage, name, spy)
    return calls


def test_the_resident_ballot_and_receipt_read_the_read_models(site, loaded):
    client = site.client()
    join(client, site, name="Lina")
    pid, proposals = site.pid, site.demo.proposal_ids
    form = client.get(f"/p/{pid}/ballot")
    assert form.status_code == 200
    assert page_text(form).count('type="checkbox" name="choice"') == len(proposals)
    cast = client.post(
        f"/p/{pid}/ballot", data={"choice": [str(proposals[1])], "csrf_token": csrf_of(form)}
    )
    assert cast.status_code == 303
    receipt = client.get(f"/p/{pid}/receipt")
    assert receipt.status_code == 200 and 'id="receipt">' in page_text(receipt)
    again = page_text(client.get(f"/p/{pid}/ballot"))
    assert f'value="{proposals[1]}" checked' in again
    assert loaded == []


def test_the_facilitators_pages_read_the_read_models(site, loaded):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    pid, proposal = site.pid, site.demo.proposal_ids[2]
    for page in (
        "facilitate",
        "phase/confirm",
        "shortlist/confirm",
        "moderation?kind=proposals",
        f"proposals/{proposal}/hide",
    ):
        response = client.get(f"/p/{pid}/{page}")
        assert response.status_code in (200, 303), (page, response.status_code)
        assert response.status_code == 200 or "shortlist/confirm" in response.location, page
    assert loaded == []


def test_the_questionnaire_results_read_the_process_from_the_read_models(site, loaded):
    app, fac = site.voisinage, site.demo.staff[Role.FACILITATOR]
    qid = app.create_questionnaire(
        fac,
        site.pid,
        title={"fr": "Un mot", "nl": "Een woord"},
        intro={"fr": "Une question.", "nl": "Een vraag."},
        audience=["residents"],
        anonymous=True,
    )
    app.add_question(fac, qid, kind="text", text={"fr": "Un mot ?", "nl": "Een woord?"})
    settle(site.app)
    loaded.clear()
    response = site.client().get(f"/q/{qid}/results")
    assert response.status_code == 200
    assert loaded == []
