"""End to end: a whole participatory process over real HTTP, against real gunicorn.

The deployment the README recommends: gunicorn with two workers that only write
(VOISINAGE_START_PROJECTIONS=0) and one ``voisinage projections run`` process that
keeps the read models, on a real SQLite file and on real PostgreSQL. Staff accounts
come from ``voisinage users create``; everything else goes through /api/v1: create,
axes, workshops, contributions (typed and captured on behalf of a group), moderation,
proposals and a revision, invitations and joining, ballots and receipts, the
shortlist, a recommendation, the institution's answer and progress, the trail, the
outcome of a contribution, the audit log and its verification.

Reads after writes send the write's ``X-Voisinage-Position`` back as
``X-Voisinage-After``, since the next request may reach the other worker.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from live_server import Server, free_port, server_env

from application.secrets import Secrets

pytestmark = pytest.mark.slow

PASSWORD = "e2e-password-123"
STAFF = {
    "facilitator": "facilitatrice@e2e.example",
    "institution": "slrb@e2e.example",
    "auditor": "audit@e2e.example",
}


@dataclass
class Http:
    """A small JSON client that remembers the last write's store position."""

    base: str
    position: str | None = None
    calls: list[tuple[str, str, int]] = field(default_factory=list)

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        expect: int | None = None,
        key: str | None = None,
    ) -> Any:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if method == "GET" and self.position:
            headers["X-Voisinage-After"] = self.position
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, payload, answer_headers = error.code, error.read(), error.headers
        self.calls.append((method, path, status))
        if answer_headers.get("X-Voisinage-Position"):
            self.position = answer_headers["X-Voisinage-Position"]
        answer = json.loads(payload) if payload else None
        if expect is not None:
            assert status == expect, f"{method} {path}: {status} {answer}"
        return answer


@pytest.fixture
def deployment(database_url: str, tmp_path: Path) -> Iterator[Http]:
    """Staff accounts, a projections process and gunicorn with two workers."""
    env = server_env(database_url, Secrets.generate(), VOISINAGE_START_PROJECTIONS="0")
    cli = [sys.executable, "-m", "web.cli"]
    for role, email in STAFF.items():
        subprocess.run(
            [*cli, "users", "create", "--role", role, "--email", email, "--password", PASSWORD],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
    with (tmp_path / "projections.log").open("wb") as log:
        projections = subprocess.Popen(
            [*cli, "projections", "run"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        with Server(env, free_port(), tmp_path / "gunicorn.log", workers=2) as server:
            yield Http(server.url)
    finally:
        os.killpg(projections.pid, signal.SIGTERM)
        projections.wait(timeout=30)


def test_a_whole_process_over_http(deployment: Http) -> None:
    http = deployment
    tokens = {
        role: http("POST", "/auth/token", {"email": email, "password": PASSWORD}, expect=201)[
            "token"
        ]
        for role, email in STAFF.items()
    }
    fac, inst, aud = tokens["facilitator"], tokens["institution"], tokens["auditor"]
    http("POST", "/auth/token", {"email": STAFF["auditor"], "password": "wrong-one"}, expect=401)

    # --- a process, its axes and a workshop --------------------------------------------
    # live results in batches of 2 ballot changes, at once: the 4 ballots show together
    rules = {
        "method": "approval",
        "max_choices": 2,
        "shortlist_size": 2,
        "results_batch_ballots": 2,
        "results_batch_minutes": 0,
    }
    title = {"fr": "Vois 1 Voisin.e", "nl": "Gluren bij de buren"}
    pid = http("POST", "/processes", {"title": title, "rules": rules}, fac, 201)["id"]
    http("POST", f"/processes/{pid}/phase", {"phase": "contributions"}, fac, 200)
    axis = http("POST", f"/processes/{pid}/axes", {"name": {"fr": "Cadre de vie"}}, fac, 201)["id"]
    workshop = {"title": "Atelier Peterbos", "on": "2026-03-01", "place": "Salle communautaire"}
    wid = http("POST", f"/processes/{pid}/workshops", workshop, fac, 201)["id"]
    http("POST", f"/workshops/{wid}/status", {"status": "open"}, fac, 200)
    detail = http("GET", f"/processes/{pid}", expect=200)
    assert detail["phase"] == "contributions" and detail["title"] == title
    assert [a["axis_id"] for a in detail["axes"]] == [axis]

    # --- residents join with invitation codes ------------------------------------------
    codes = http("POST", f"/processes/{pid}/invitations", {"count": 5}, fac, 201)["codes"]
    joined = [
        http("POST", f"/processes/{pid}/join", {"code": code}, expect=201) for code in codes[:4]
    ]
    residents = [answer["token"] for answer in joined]
    # A code is one resident's: used again (new phone, cleared cookies) it signs the same
    # resident in again, records nothing, and says so.
    again = http("POST", f"/processes/{pid}/join", {"code": codes[0]}, expect=200)
    assert again["returning"] is True
    assert again["participant_id"] == joined[0]["participant_id"]

    # --- contributions: typed by a resident, captured on paper by a facilitator --------
    typed = http(
        "POST",
        f"/workshops/{wid}/contributions",
        {"kind": "idea", "text": "Des bancs dans la cour", "language": "fr"},
        residents[0],
        201,
    )["id"]
    captured = http(
        "POST",
        f"/workshops/{wid}/contributions",
        {
            "kind": "testimony",
            "text": "De lift is vaak kapot",
            "language": "nl",
            "on_behalf_of_group": "tafel 2",
            "axis_id": axis,
        },
        fac,
        201,
    )["id"]
    spam = http(
        "POST",
        f"/workshops/{wid}/contributions",
        {"kind": "concern", "text": "hors sujet", "language": "fr"},
        residents[1],
        201,
    )["id"]
    http(
        "POST",
        f"/contributions/{spam}/moderation",
        {"action": "hide", "reason": "hors sujet"},
        fac,
        200,
    )
    http("POST", f"/contributions/{typed}/moderation", {"action": "tag", "axis_id": axis}, fac, 200)
    visible = http("GET", f"/workshops/{wid}/contributions", expect=200)
    assert {c["contribution_id"] for c in visible} == {typed, captured}
    assert {c["text"] for c in visible} == {"Des bancs dans la cour", "De lift is vaak kapot"}

    # --- proposals ------------------------------------------------------------------------
    http("POST", f"/processes/{pid}/phase", {"phase": "proposals"}, fac, 200)
    benches = http(
        "POST",
        f"/processes/{pid}/proposals",
        {"title": "Bancs", "body": "Des bancs", "language": "fr", "source_ids": [typed]},
        residents[0],
        201,
    )["id"]
    lift = http(
        "POST",
        f"/processes/{pid}/proposals",
        {
            "title": "Lift herstellen",
            "body": "Binnen een week",
            "language": "nl",
            "source_ids": [captured],
            "axis_id": axis,
        },
        fac,
        201,
    )["id"]
    garden = http(
        "POST",
        f"/processes/{pid}/proposals",
        {"title": "Potager", "body": "Un potager", "language": "fr", "source_ids": [typed]},
        residents[1],
        201,
    )["id"]
    revised = {"title": "Bancs et ombre", "body": "Des bancs à l'ombre"}
    assert http("POST", f"/proposals/{benches}/revisions", revised, residents[0], 201) == {
        "revision": 2
    }
    http("POST", f"/proposals/{benches}/revisions", revised, residents[1], 403)  # not the author
    listed = http("GET", f"/processes/{pid}/proposals", expect=200)
    assert {p["proposal_id"] for p in listed} == {benches, lift, garden}
    assert next(p for p in listed if p["proposal_id"] == benches)["title"] == "Bancs et ombre"

    # --- the vote -------------------------------------------------------------------------
    http("POST", f"/processes/{pid}/phase", {"phase": "voting"}, fac, 200)
    ballots = [[lift, benches], [lift], [garden, lift], [benches, lift]]
    receipts = []
    for token, choices in zip(residents, ballots, strict=True):
        key = str(uuid.uuid4())
        first = http("PUT", f"/processes/{pid}/ballot", {"choices": choices}, token, 200, key)
        again = http("PUT", f"/processes/{pid}/ballot", {"choices": choices}, token, 200, key)
        assert first == again  # an idempotent retry: the same receipt
        receipts.append(first["receipt"])
    assert len(set(receipts)) == len(residents)
    assert http("GET", f"/processes/{pid}/ballot", token=residents[1], expect=200)["choices"] == [
        lift
    ]
    check = http("GET", f"/processes/{pid}/receipts/{receipts[0]}", expect=200)
    assert check == {"receipt": receipts[0], "counted": True}
    ranking = http("GET", f"/processes/{pid}/ranking", expect=200)
    assert [r["proposal_id"] for r in ranking["ranking"]][:2] == [lift, benches]
    assert ranking["ballots_counted"] == 4

    published = http("POST", f"/processes/{pid}/shortlist", {}, fac, 201)
    assert published["shortlist"] == [lift, benches]
    assert published["tallies"][lift] == 4 and published["ballots_counted"] == 4
    http("PUT", f"/processes/{pid}/ballot", {"choices": [garden]}, residents[3], 409)  # closed
    shortlist = http("GET", f"/processes/{pid}/shortlist", expect=200)
    assert [e["proposal_id"] for e in shortlist["shortlist"]] == [lift, benches]
    assert shortlist["chain_head"]["position"] > 0

    # --- recommendation, answer, progress --------------------------------------------------
    http("POST", f"/processes/{pid}/phase", {"phase": "recommendations"}, fac, 200)
    rid = http(
        "POST",
        f"/processes/{pid}/recommendations",
        {
            "title": "Ascenseurs fiables",
            "text": "Réparer les ascenseurs en une semaine",
            "language": "fr",
            "proposal_ids": [lift],
        },
        fac,
        201,
    )["id"]
    http("POST", f"/recommendations/{rid}/submission", {}, fac, 200)
    answer = {"status": "partially_accepted", "justification": "Budget 2027 pour 3 immeubles"}
    http("POST", f"/recommendations/{rid}/answers", answer, fac, 403)  # not the institution
    http("POST", f"/recommendations/{rid}/answers", answer, inst, 201)
    progress = {"progress": 40, "note": "Deux ascenseurs remplacés", "on": "2027-02-01"}
    http("POST", f"/recommendations/{rid}/answers", progress, inst, 201)

    # --- the trail, both ways ----------------------------------------------------------------
    trail = http("GET", f"/recommendations/{rid}/trail", expect=200)
    text = json.dumps(trail)
    assert trail["recommendation"]["recommendation_id"] == rid
    assert lift in text and captured in text and wid in text
    assert "partially_accepted" in text and "Deux ascenseurs" in text
    outcome = http("GET", f"/contributions/{captured}/outcome", expect=200)
    assert [p["proposal_id"] for p in outcome["proposals"]] == [lift]
    assert [r["recommendation_id"] for r in outcome["recommendations"]] == [rid]

    # --- the audit ------------------------------------------------------------------------
    http("GET", f"/processes/{pid}/trail.prov.json", token=residents[0], expect=403)
    prov = http("GET", f"/processes/{pid}/trail.prov.json", token=aud, expect=200)
    assert "entity" in prov and "wasDerivedFrom" in prov
    events = http("GET", "/audit/events?limit=1000", token=aud, expect=200)
    # positions may have gaps on PostgreSQL (an insert refused by the store uses an id)
    assert events["events"][-1]["position"] == events["chain_head"]["position"]
    assert len(events["events"]) > 30
    assert all(len(e["hash"]) == 64 for e in events["events"])
    report = http("GET", "/audit/verify", token=aud, expect=200)
    assert report["ok"], report
    assert report["shortlists"] == 1 and report["events"] == len(events["events"])
    assert not any(status >= 500 for _, _, status in http.calls), http.calls
