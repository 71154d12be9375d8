"""Tampering with a copy of the store after a witness kept checkpoints, then a routine
`voisinage projections rebuild`: the witness and `voisinage-verify` both name the position.

Real SQLite files, a real HTTP server (werkzeug) for the witness, the real CLI commands.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
from api_support import close_api, drive, make_api
from app_support import build_app, close_app, settle, sqlite_url_in

from application.secrets import Secrets
from domain.checkpoint import Verifier
from verifier.witness import Inconsistent, witness

ROOT = Path(__file__).parents[2]
BALLOT_CAST = "domain.ballot:Ballot.Cast"


class Served:
    """A Flask app served over real HTTP in a thread."""

    def __init__(self, flask_app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, flask_app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()


def env_for(directory: Path, secrets: Secrets) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOISINAGE_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=f"sqlite:///{directory / 'voisinage.sqlite'}",
        VOISINAGE_SECRET_KEY=secrets.secret_key,
        VOISINAGE_PSEUDONYM_KEY=secrets.pseudonym_key.hex(),
        VOISINAGE_CHECKPOINT_KEY=secrets.checkpoint_key,
        PYTHONPATH=str(ROOT),
    )
    return env


def cli(directory: Path, secrets: Secrets, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        env=env_for(directory, secrets),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A process voted by three residents and shortlisted; a witness ran after every write."""
    directory = tmp_path_factory.mktemp("store")
    secrets = Secrets.generate()
    state = directory / "witness"
    api = make_api(
        f"sqlite:///{directory / 'voisinage.sqlite'}",
        SECRETS=secrets,
        CHECKPOINT_EVERY_EVENTS=1,
        CHECKPOINT_EVERY_SECONDS=0,
    )
    served = Served(api.flask_app)
    key = Verifier.decode(secrets.checkpoint_signer.verifier.encode())
    try:
        w = drive(api, "voting")
        witness(served.url, key, state)
        for code, choice in zip(w.codes[:2], ("other", "own_proposal"), strict=True):
            token = api.ok("POST", f"/processes/{w.pid}/join", {"code": code})["token"]
            api.tokens["voter"] = token
            settle(api.flask_app, 30)
            witness(served.url, key, state)  # so that the ballot alone lies between two
            api.ok("PUT", f"/processes/{w.pid}/ballot", {"choices": [w.ids[choice]]}, "voter")
            settle(api.flask_app, 30)
            witness(served.url, key, state)
        settle(api.flask_app, 30)
        witness(served.url, key, state)
        api.ok("POST", f"/processes/{w.pid}/shortlist", {}, "facilitator")
        settle(api.flask_app, 30)
        witness(served.url, key, state)
        proposals = [w.ids["proposal"], w.ids["other"], w.ids["own_proposal"]]
    finally:
        served.close()
        close_api(api)
    yield {"dir": directory, "secrets": secrets, "state": state, "proposals": proposals}


def ballots(db: sqlite3.Connection) -> list[tuple[int, bytes]]:
    return db.execute(
        "SELECT rowid, state FROM stored_events WHERE topic = ? ORDER BY rowid",
        (BALLOT_CAST,),
    ).fetchall()


def change_receipt_byte(db: sqlite3.Connection, store: dict[str, Any]) -> int:
    position, state = ballots(db)[1]  # [0] is cast while driving; [1:] between witness runs
    data = json.loads(state)
    receipt = data["receipt"]
    data["receipt"] = ("B" if receipt[0] != "B" else "C") + receipt[1:]
    db.execute(
        "UPDATE stored_events SET state = ? WHERE rowid = ?",
        (json.dumps(data, separators=(",", ":")).encode(), position),
    )
    return position


def swap_two_ballots(db: sqlite3.Connection, store: dict[str, Any]) -> int:
    (p1, s1), (p2, s2) = ballots(db)[1:3]
    db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (s2, p1))
    db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (s1, p2))
    return p1


def rewrite_choices(db: sqlite3.Connection, store: dict[str, Any]) -> int:
    position, state = ballots(db)[-1]
    data = json.loads(state)
    data["choices"] = [store["proposals"][0]]
    db.execute(
        "UPDATE stored_events SET state = ? WHERE rowid = ?",
        (json.dumps(data, separators=(",", ":")).encode(), position),
    )
    return position


def delete_last_event(db: sqlite3.Connection, store: dict[str, Any]) -> int:
    (last,) = db.execute("SELECT max(rowid) FROM stored_events").fetchone()
    db.execute("DELETE FROM stored_events WHERE rowid = ?", (last,))
    return int(last)


def rewrite_the_shortlist(db: sqlite3.Connection, store: dict[str, Any]) -> int:
    position, state = db.execute(
        "SELECT rowid, state FROM stored_events WHERE topic = ?",
        ("domain.process:Process.ShortlistPublished",),
    ).fetchone()
    data = json.loads(state)
    data["chain_head"]["hash"] = "0" * 64
    db.execute(
        "UPDATE stored_events SET state = ? WHERE rowid = ?",
        (json.dumps(data, separators=(",", ":")).encode(), position),
    )
    return int(position)


@pytest.mark.slow
@pytest.mark.parametrize(
    "tamper",
    [
        change_receipt_byte,
        swap_two_ballots,
        rewrite_choices,
        delete_last_event,
        rewrite_the_shortlist,
    ],
    ids=lambda f: f.__name__,
)
def test_tampering_is_detected_at_its_position(store, tamper, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(store["dir"], copy, ignore=shutil.ignore_patterns("witness"))
    state = tmp_path / "witness"
    shutil.copytree(store["state"], state)
    secrets: Secrets = store["secrets"]
    with sqlite3.connect(copy / "voisinage.sqlite") as db:
        position = tamper(db, store)
    rebuilt = cli(copy, secrets, "projections", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr

    flask_app = build_app(
        sqlite_url_in(copy),
        SECRETS=secrets,
        START_PROJECTIONS=False,
        TESTING=False,
        CHECKPOINT_EVERY_EVENTS=1,
        CHECKPOINT_EVERY_SECONDS=0,
    )
    served = Served(flask_app)
    key = secrets.checkpoint_signer.verifier.encode()
    try:
        with pytest.raises(Inconsistent) as refused:
            witness(served.url, Verifier.decode(key), state)
        # leaf i is the event at position i + 1 on SQLite. The witness names the leaf, or
        # the leaves between two checkpoints it kept (publishing writes two events, the
        # close of the vote and the shortlist, between two runs of the witness)
        leaf = position - 1
        said = str(refused.value)
        span = re.search(r"leaves (\d+) to (\d+)", said)
        assert f"leaf {leaf}" in said or (
            span is not None
            and int(span[1]) <= leaf <= int(span[2])
            and int(span[2]) - int(span[1]) <= 1
        ), said
        kept_before = (state / "checkpoint").read_text()
        command = cli(
            copy, secrets, "audit", "witness", served.url, "--key", key, "--state", str(state)
        )
        assert command.returncode == 1 and "INCONSISTENT" in command.stderr
        assert (state / "checkpoint").read_text() == kept_before  # nothing kept
    finally:
        served.close()
        close_app(flask_app)

    bundle = tmp_path / "bundle.jsonl"
    exported = cli(copy, secrets, "audit", "export", "--out", str(bundle))
    assert exported.returncode == 0, exported.stderr
    verified = subprocess.run(
        [sys.executable, "-m", "verifier", str(bundle), "--checkpoint", str(state), "--key", key],
        env=env_for(copy, secrets),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 1, verified.stdout + verified.stderr
    # the first position named is the changed event, or the one just before it when
    # the kept checkpoints cover both (publishing writes the close and the shortlist);
    # the changed event itself is then named by a finding of its own
    first = re.match(r"FAILED at position (\d+):", verified.stdout)
    assert first is not None and position - 1 <= int(first[1]) <= position, verified.stdout
    assert f"at {position}" in verified.stdout or int(first[1]) == position, verified.stdout


@pytest.mark.slow
def test_the_untouched_store_verifies_and_a_log_rewritten_with_a_new_key_is_refused(
    store, tmp_path
):
    copy = tmp_path / "store"
    shutil.copytree(store["dir"], copy, ignore=shutil.ignore_patterns("witness"))
    secrets: Secrets = store["secrets"]
    key = secrets.checkpoint_signer.verifier.encode()
    bundle = tmp_path / "bundle.jsonl"
    assert cli(copy, secrets, "audit", "export", "--out", str(bundle)).returncode == 0
    verified = subprocess.run(
        [
            sys.executable,
            "-m",
            "verifier",
            str(bundle),
            "--checkpoint",
            str(store["state"]),
            "--key",
            key,
        ],
        env=env_for(copy, secrets),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stdout
    assert "1 shortlists recounted" in verified.stdout

    fresh = tmp_path / "rewritten"
    flask_app = build_app(
        sqlite_url_in(fresh),
        SECRETS=Secrets.generate(),  # a new key: the old one was not available
        START_PROJECTIONS=False,
        TESTING=False,
    )
    served = Served(flask_app)
    state = tmp_path / "witness"
    shutil.copytree(store["state"], state)
    try:
        with pytest.raises(Inconsistent, match="refused"):
            witness(served.url, Verifier.decode(key), state)
    finally:
        served.close()
        close_app(flask_app)


@pytest.mark.slow
def test_a_published_result_that_is_not_the_count_is_found_by_the_recount(store, tmp_path):
    """A log that published a wrong count from the start (signed consistently, no kept
    checkpoint to contradict it): only the recount with the recorded method finds it."""
    import base64

    copy = tmp_path / "store"
    shutil.copytree(store["dir"], copy, ignore=shutil.ignore_patterns("witness"))
    secrets: Secrets = store["secrets"]
    bundle = tmp_path / "bundle.jsonl"
    assert cli(copy, secrets, "audit", "export", "--out", str(bundle)).returncode == 0
    lines = [json.loads(line) for line in bundle.read_text().splitlines()]
    kept = []
    for line in lines:
        if line["kind"] == "checkpoint":
            continue  # an operator who also withheld its signed checkpoints
        if line.get("topic") == "domain.process:Process.ShortlistPublished":
            state = json.loads(base64.b64decode(line["state"]))
            state["result"]["shortlist"] = list(reversed(state["result"]["shortlist"]))
            line["state"] = base64.b64encode(json.dumps(state).encode()).decode()
            position = line["position"]
        kept.append(line)
    bundle.write_text("".join(json.dumps(line) + "\n" for line in kept))
    key = secrets.checkpoint_signer.verifier.encode()
    verified = subprocess.run(
        [sys.executable, "-m", "verifier", str(bundle), "--key", key],
        env=env_for(copy, secrets),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 1, verified.stdout
    assert verified.stdout.startswith(f"FAILED at position {position}: [recount]"), verified.stdout
