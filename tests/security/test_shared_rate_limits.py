"""Rate limits shared by every worker, separate for sign-in and joining, shaped for a
workshop on one Wi-Fi: two real gunicorn servers (one worker each, as two machines)
on one store count failures together; a valid code or password is never refused
because someone else at the same address mistyped."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_support import open_voisinage
from live_server import Server, free_port, server_env

from application.secrets import Secrets

LIMIT = 4
PASSWORD = "limits-password-123"
CLI = (sys.executable, "-m", "web.cli")
STAFF = {"facilitator": "anim@limits.example", "auditor": "audit@limits.example"}


def call(base: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    secrets = Secrets.generate()
    env = server_env(
        database_url,
        secrets,
        VOISINAGE_START_PROJECTIONS="0",
        VOISINAGE_LOGIN_FAILURE_LIMIT=str(LIMIT),
        VOISINAGE_JOIN_FAILURE_LIMIT=str(LIMIT),
    )
    for role, email in STAFF.items():
        subprocess.run(
            [*CLI, "users", "create", "--role", role, "--email", email, "--password", PASSWORD],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
    app = open_voisinage(database_url, secrets)
    facilitator = app.authenticate(STAFF["facilitator"], PASSWORD)
    pid = app.start_process(facilitator, title={"fr": "Atelier"})
    codes = app.issue_invitations(facilitator, pid, 3)
    head = app.head_position()
    app.close()
    with (
        Server(env, free_port(), tmp_path / "a.log", workers=1) as a,
        Server(env, free_port(), tmp_path / "b.log", workers=1) as b,
    ):
        yield {"servers": [a.url, b.url], "pid": pid, "codes": codes, "head": head, "env": env}


def test_limits_are_shared_separate_and_spare_valid_codes(two_servers: dict[str, Any]) -> None:
    a, b = two_servers["servers"]
    pid = two_servers["pid"]
    join = f"/processes/{pid}/join"
    # wrong codes, alternating between the two servers: counted together
    statuses = [
        call((a, b)[i % 2], "POST", join, {"code": f"WRONG-{i:04d}-CODE"})[0] for i in range(LIMIT)
    ]
    assert statuses == [422] * LIMIT
    assert call(b, "POST", join, {"code": "WRONG-9999-CODE"})[0] == 429  # not 2 x LIMIT
    # the resident with a valid card still gets in, from the same address
    status, joined = call(a, "POST", join, {"code": two_servers["codes"][0]})
    assert status == 201 and joined["token"]
    # joining has its own budget: staff sign in as usual
    good = {"email": STAFF["facilitator"], "password": PASSWORD}
    assert call(b, "POST", "/auth/token", good)[0] == 201

    # wrong passwords for one e-mail, alternating between the servers
    wrong = {"email": STAFF["facilitator"], "password": "not-the-password"}
    assert [call((a, b)[i % 2], "POST", "/auth/token", wrong)[0] for i in range(LIMIT)] == [
        401
    ] * LIMIT
    assert call(a, "POST", "/auth/token", good)[0] == 429  # that e-mail waits
    # a colleague at the same address is not locked out by someone else's typos
    colleague = {"email": STAFF["auditor"], "password": PASSWORD}
    assert call(b, "POST", "/auth/token", colleague)[0] == 201
    # and joining is not affected by the sign-in failures
    status, _ = call(b, "POST", join, {"code": two_servers["codes"][1]})
    assert status == 201
