"""GDPR rights as features: a resident downloads their own data (page and API), an admin
erases a participant through the page, the CLI and the API, each after a confirmation;
both acts are events. After erasure, the raw SQLite files and every PostgreSQL row hold
neither the names nor the e-mail, and `audit verify` passes (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from app_support import build_app, close_app, settle
from live_server import server_env
from security_support import PASSWORD, build_cast
from test_crypto_shredding import scan_postgres, scan_sqlite_files

from application import Voisinage
from application.secrets import Secrets

NAME_PAGE = "Philomène Ardouin-Vasconcelos"
NAME_CLI = "Anastazja Kowalczyk-Brenneman"
STAFF_NAME = "Théodule Marchetti-Okonkwo"
STAFF_EMAIL = "t.marchetti.q9z@voisinage-gdpr.example"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def needles() -> list[bytes]:
    found = []
    for text in (NAME_PAGE, NAME_CLI, STAFF_NAME, STAFF_EMAIL, "Vasconcelos", "Kowalczyk"):
        found += [text.encode(), text.lower().encode()]
    found += [b"Philom\\u00e8ne", b"Th\\u00e9odule", b"marchetti.q9z", b"voisinage-gdpr.example"]
    return found


def scan(url: str) -> dict[str, Any]:
    if url.startswith("sqlite:///"):
        return scan_sqlite_files(Path(url.removeprefix("sqlite:///")).parent, needles())
    return scan_postgres(url, url.split("schema=", 1)[1], needles())


def topics(v: Voisinage, name: str) -> int:
    return sum(
        1
        for n in v.recorder.select_notifications(start=1, limit=100_000)
        if n.topic.endswith(f"Participant.{name}")
    )


def csrf(response: Any) -> str:
    match = CSRF.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:500]
    return match.group(1)


def test_download_and_erasure_through_page_cli_and_api(database_url: str, tmp_path: Path) -> None:
    secrets = Secrets.generate()
    flask_app = build_app(database_url, SECRETS=secrets)
    try:
        v: Voisinage = flask_app.extensions["voisinage"]
        cast = build_cast(
            v,
            residents=2,
            spare_codes=1,
            resident_name=NAME_PAGE,
            names={"facilitator": f"{STAFF_NAME} <{STAFF_EMAIL}>"},
        )
        pid, (first, second) = cast.process_id, cast.residents
        third = v.join(pid, cast.spare_codes[0], NAME_CLI)
        receipt = v.cast_ballot(first, pid, [str(cast.proposals[0])])
        v.cast_ballot(third, pid, [str(cast.proposals[1])])
        settle(flask_app)

        # --- download: the resident's page (a JSON file) and the API -----------------------
        page = flask_app.test_client()
        with page.session_transaction() as session:
            session["actor"] = {"p": str(first.participant_id), "r": "resident", "x": str(pid)}
        answer = page.get(f"/p/{pid}/my-data.json")
        assert answer.status_code == 200
        assert "attachment" in answer.headers["Content-Disposition"]
        mine = answer.get_json()
        assert mine["personal"] == {"name": NAME_PAGE}
        assert mine["ballot"] == {"receipt": receipt, "counted": True}
        assert [c["contribution_id"] for c in mine["contributions"]] == [str(cast.contribution_id)]
        assert [p["proposal_id"] for p in mine["proposals"]] == [str(cast.resident_proposal)]
        text = answer.get_data(as_text=True)
        assert NAME_CLI not in text and STAFF_NAME not in text and "choices" not in text
        api = flask_app.test_client()
        third_token = {"Authorization": f"Bearer {v.issue_token(third)}"}
        other = api.get("/api/v1/me/data", headers=third_token).get_json()
        assert other["personal"] == {"name": NAME_CLI} and other["contributions"] == []
        staff = {"Authorization": f"Bearer {cast.token('facilitator')}"}
        assert api.get("/api/v1/me/data", headers=staff).status_code == 403
        assert topics(v, "DataExported") == 2

        # --- erasure through the admin's page: ask, confirm, erase --------------------------
        admin_page = flask_app.test_client()
        form = admin_page.get("/sign-in")
        signed = admin_page.post(
            "/sign-in",
            data={
                "email": "admin@security-test.example",
                "password": PASSWORD,
                "csrf_token": csrf(form),
            },
        )
        assert signed.status_code == 303
        ask = admin_page.get("/admin/erase")
        assert ask.status_code == 200
        head = v.head_position()
        confirm = admin_page.post(
            "/admin/erase",
            data={"participant_id": str(first.participant_id), "csrf_token": csrf(ask)},
        )
        assert confirm.status_code == 200 and 'name="confirm" value="yes"' in confirm.get_data(
            as_text=True
        )
        assert v.head_position() == head, "asking recorded something"
        done = admin_page.post(
            "/admin/erase",
            data={
                "participant_id": str(first.participant_id),
                "confirm": "yes",
                "csrf_token": csrf(confirm),
            },
        )
        assert done.status_code == 303
        assert v.participant(first.participant_id).erased
        # the erased resident is signed out; another resident may not reach the page
        assert page.get(f"/p/{pid}/my-data.json").status_code == 303
        neighbour = flask_app.test_client()
        with neighbour.session_transaction() as session:
            session["actor"] = {"p": str(second.participant_id), "r": "resident", "x": str(pid)}
        assert neighbour.get("/admin/erase").status_code == 403

        # --- erasure through the CLI: a "no" erases nothing, --yes erases --------------------
        env = server_env(database_url, secrets)
        cli = [sys.executable, "-m", "web.cli", "participants", "erase", str(third.participant_id)]
        refused = subprocess.run(
            cli, env=env, input="n\n", capture_output=True, text=True, timeout=60
        )
        assert refused.returncode != 0 and "Aborted" in refused.stderr, refused.stderr
        assert not v.participant(third.participant_id).erased
        erased = subprocess.run(
            [*cli, "--yes"], env=env, capture_output=True, text=True, timeout=60
        )
        assert erased.returncode == 0, erased.stderr
        assert v.participant(third.participant_id).erased

        # --- erasure through the API: without confirm 422 naming it, then done -------------
        admin = {"Authorization": f"Bearer {cast.token('admin')}"}
        url = f"/api/v1/participants/{cast.staff['facilitator'].participant_id}/erasure"
        head = v.head_position()
        missing = api.post(url, json={}, headers=admin)
        assert missing.status_code == 422 and "confirm" in missing.get_data(as_text=True)
        unconfirmed = api.post(url, json={"confirm": False}, headers=admin)
        assert unconfirmed.status_code == 422 and "confirm" in unconfirmed.get_data(as_text=True)
        assert api.post(url, json={"confirm": True}, headers=staff).status_code == 403
        assert v.head_position() == head, "a refused erasure recorded something"
        assert api.post(url, json={"confirm": True}, headers=admin).status_code == 200
        assert topics(v, "Erased") == 3
        assert v.personal_data(cast.staff["admin"], third.participant_id) == {}

        # --- nothing left in clear anywhere, the audit verifies ---------------------------
        settle(flask_app)
        found = scan(database_url)
        assert not found["found"], found["found"]
        auditor = {"Authorization": f"Bearer {cast.token('auditor')}"}
        report = api.get("/api/v1/audit/verify", headers=auditor).get_json()
        assert report["ok"] is True, report
        # the erased residents' ballots still count
        assert len(v.counted_ballots(pid)) == 2
    finally:
        close_app(flask_app)


@pytest.mark.parametrize("confirm", ["", "no"])
def test_the_page_erases_nothing_without_the_confirmation(sqlite_url: str, confirm: str) -> None:
    flask_app = build_app(sqlite_url)
    try:
        v: Voisinage = flask_app.extensions["voisinage"]
        cast = build_cast(v, residents=1)
        client = flask_app.test_client()
        with client.session_transaction() as session:
            session["actor"] = {"p": str(cast.staff["admin"].participant_id), "r": "admin"}
        form = client.get("/admin/erase")
        head = v.head_position()
        answer = client.post(
            "/admin/erase",
            data={
                "participant_id": str(cast.residents[0].participant_id),
                "confirm": confirm,
                "csrf_token": csrf(form),
            },
        )
        assert answer.status_code == 200
        assert v.head_position() == head
        assert not v.participant(cast.residents[0].participant_id).erased
    finally:
        close_app(flask_app)
