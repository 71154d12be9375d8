"""Fault tolerance: a real server killed mid-load loses nothing and counts nothing twice.

* gunicorn (2 workers, a SQLite file) is killed with SIGKILL — master and workers — while
  32 client threads cast ballots through the API (PUT /processes/{pid}/ballot with an
  Idempotency-Key per logical request; clients retry on connection errors and 5xx until
  acknowledged), then restarted. The ballots are then counted from the events
  (`counted_ballots`): acknowledged, counted, lost (0), double-counted (0).
  SECURITY_FT_BALLOTS (default 10,000) sets the load; the kill always happens mid-load.
* a `voisinage projections run` subprocess killed with SIGKILL mid-way resumes to the
  same view as a projection that was never interrupted.
* PostgreSQL: the server's backend connections are terminated between requests; the
  next request gets a clean 503 problem or succeeds (retry), and the one after works.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from app_support import open_voisinage
from live_server import Server, free_port, server_env
from security_support import build_cast, env_int

from application.secrets import Secrets
from domain.ballot import Ballot

pytestmark = pytest.mark.slow

THREADS = 32


def call(
    port: int, method: str, path: str, body: Any, token: str | None, key: str
) -> tuple[int, Any]:
    """One HTTP request; (status, parsed body). Raises OSError on connection failures."""
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}",
        data=json.dumps(body).encode(),
        method=method,
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        payload = error.read()
        try:
            return error.code, json.loads(payload or b"null")
        except ValueError:
            return error.code, payload.decode(errors="replace")


def until_acknowledged(
    port: int, method: str, path: str, body: Any, token: str | None, stats: Counter[str]
) -> Any:
    """Retry one logical request (same Idempotency-Key) until the server answers it."""
    key = str(uuid.uuid4())
    delay = 0.01
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, answer = call(port, method, path, body, token, key)
        except (OSError, urllib.error.URLError, http.client.HTTPException):
            # refused, reset, or cut mid-answer (IncompleteRead): the server died
            stats["connection_errors"] += 1
        else:
            if status < 300:
                return answer
            if status >= 500 or (status == 409 and "progress" in str(answer).lower()):
                stats[f"retried_{status}"] += 1
            else:
                raise AssertionError(f"{method} {path} -> {status}: {answer}")
        stats["retries"] += 1
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    raise AssertionError(f"{method} {path} never acknowledged")


def _token_of(answer: Any) -> str:
    for key in ("token", "access_token"):
        if isinstance(answer, dict) and answer.get(key):
            return str(answer[key])
    raise AssertionError(f"no token in the join answer: {answer}")


def _receipt_of(answer: Any) -> str:
    if isinstance(answer, dict) and answer.get("receipt"):
        return str(answer["receipt"])
    raise AssertionError(f"no receipt in the ballot answer: {answer}")


def _env(database_url: str, secrets: Secrets) -> dict[str, str]:
    # the web workers only write here; projections are not what is under test
    projections = os.environ.get("SECURITY_FT_PROJECTIONS", "0")
    return server_env(database_url, secrets, VOISINAGE_START_PROJECTIONS=projections)


def test_sigkill_mid_load_loses_no_ballot_and_counts_none_twice(
    tmp_path: Path, report: Any
) -> None:
    total = env_int("SECURITY_FT_BALLOTS", 10_000)
    url = f"sqlite:///{tmp_path}/voisinage.sqlite"
    secrets = Secrets.generate()
    v = open_voisinage(url, secrets)
    try:
        cast = build_cast(v, residents=1, spare_codes=0)
        fac = cast.staff["facilitator"]
        codes: list[str] = []
        while len(codes) < total:
            codes += v.issue_invitations(fac, cast.process_id, min(1000, total - len(codes)))
    finally:
        v.close()
    # The process is in the voting phase; residents join through the API (before the kill).
    server = Server(_env(url, secrets), free_port(), tmp_path / "gunicorn.log")
    server.start()
    stats: Counter[str] = Counter()
    try:
        server.wait_ready()
        pid = cast.process_id
        started = time.monotonic()
        tokens: list[str | None] = [None] * total

        def join_some(indexes: range) -> None:
            for i in indexes:
                answer = until_acknowledged(
                    server.port, "POST", f"/processes/{pid}/join", {"code": codes[i]}, None, stats
                )
                tokens[i] = _token_of(answer)

        _run_threads(join_some, total)
        joined_seconds = time.monotonic() - started

        candidates = [str(p) for p in cast.proposals]
        rng = random.Random(2026)
        choices = [[rng.choice(candidates)] for _ in range(total)]
        acknowledged: dict[int, str] = {}
        lock = threading.Lock()
        kill_at = total // 3
        killed = threading.Event()

        def vote_some(indexes: range) -> None:
            for i in indexes:
                answer = until_acknowledged(
                    server.port,
                    "PUT",
                    f"/processes/{pid}/ballot",
                    {"choices": choices[i]},
                    tokens[i],
                    stats,
                )
                with lock:
                    acknowledged[i] = _receipt_of(answer)

        restart_failed: list[BaseException] = []

        def killer() -> None:
            while len(acknowledged) < kill_at:
                time.sleep(0.005)
            server.kill()
            killed.set()
            stats["acknowledged_at_kill"] = len(acknowledged)
            time.sleep(0.5)
            try:
                server.restart()
            except BaseException as error:  # reported by the main thread
                restart_failed.append(error)

        started = time.monotonic()
        chaos = threading.Thread(target=killer, daemon=True)
        chaos.start()
        _run_threads(vote_some, total)
        chaos.join(timeout=60)
        assert not restart_failed, restart_failed
        voted_seconds = time.monotonic() - started
        assert killed.is_set(), "the server was never killed"
    finally:
        server.stop()

    v = open_voisinage(url, secrets)
    try:
        counted = v.counted_ballots(pid)
        participants = [v.actor_from_token(t).participant_id for t in tokens if t]
        expected = {v.ballot_id_of(pid, p): choices[i] for i, p in enumerate(participants)}
        lost = [i for i in acknowledged if v.ballot_id_of(pid, participants[i]) not in counted]
        wrong = [
            i
            for i, p in enumerate(participants)
            if i in acknowledged
            and counted.get(v.ballot_id_of(pid, p)) not in (None, expected[v.ballot_id_of(pid, p)])
        ]
        receipt_mismatch = [
            i
            for i, p in enumerate(participants)
            if i in acknowledged
            and v.receipt_of(v.load(v.ballot_id_of(pid, p), Ballot, "ballot")) != acknowledged[i]
        ]
        events = Counter(type(event).__name__ for _, event in v.scan(_ballot_topics()))
        # a ballot counted twice would show as a second Cast of one ballot, a ballot
        # nobody acknowledged, or more choices in the tally than ballots (one choice each)
        phantom = set(counted) - set(expected)
        double_counted = (
            max(0, events.get("Cast", 0) - len(counted))
            + len(phantom)
            + sum(len(c) for c in counted.values())
            - len(counted)
        )
        recast = events.get("Recast", 0)
    finally:
        v.close()
    line = report(
        "fault-tolerance/sigkill",
        ballots=total,
        threads=THREADS,
        acknowledged=len(acknowledged),
        counted=len(counted),
        lost=len(lost),
        wrong_choices=len(wrong),
        double_counted=double_counted,
        recast_events=recast,
        receipt_mismatches=len(receipt_mismatch),
        acknowledged_at_kill=stats["acknowledged_at_kill"],
        connection_errors=stats["connection_errors"],
        retries=stats["retries"],
        server_errors_retried=sum(n for k, n in stats.items() if k.startswith("retried_5")),
        join_seconds=round(joined_seconds, 1),
        vote_seconds=round(voted_seconds, 1),
    )
    assert len(acknowledged) == total, line
    assert 0 < stats["acknowledged_at_kill"] < total, line
    assert not lost and not wrong, line
    assert len(counted) == total, line
    assert double_counted == 0 and recast == 0, line
    assert not receipt_mismatch, line


def _ballot_topics() -> tuple[str, ...]:
    from application.voting import BALLOT_TOPICS

    return BALLOT_TOPICS


def _run_threads(work: Any, total: int) -> None:
    errors: list[BaseException] = []

    def guarded(indexes: range) -> None:
        try:
            work(indexes)
        except BaseException as error:  # collected and re-raised in the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=guarded, args=(range(k, total, THREADS),), daemon=True)
        for k in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# --- projections killed mid-way ---------------------------------------------------------


def _projections_command() -> list[str] | None:
    from click.testing import CliRunner

    from web.cli import main

    result = CliRunner().invoke(main, ["projections", "run", "--help"])
    if result.exit_code != 0:
        return None
    return [sys.executable, "-c", "from web.cli import main; main()", "projections", "run"]


def test_projection_killed_mid_way_resumes_to_the_same_view(tmp_path: Path, report: Any) -> None:
    command = _projections_command()
    if command is None:
        pytest.skip("no `voisinage projections run` command (yet): nothing to kill")
    url = f"sqlite:///{tmp_path}/voisinage.sqlite"
    secrets = Secrets.generate()
    v = open_voisinage(url, secrets)
    try:
        cast = build_cast(v, residents=1, spare_codes=0)
        residents = env_int("SECURITY_FT_PROJECTION_RESIDENTS", 3000)
        codes: list[str] = []
        while len(codes) < residents:
            codes += v.issue_invitations(
                cast.staff["facilitator"], cast.process_id, min(1000, residents - len(codes))
            )
        for i, code in enumerate(codes):
            actor = v.join(cast.process_id, code)
            v.cast_ballot(actor, cast.process_id, [str(cast.proposals[i % 3])])
        head = v.head_position()
    finally:
        v.close()
    env = _env(url, secrets)
    log = tmp_path / "projections.log"
    with log.open("ab") as out:
        first = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    views_file = tmp_path / "voisinage-views.sqlite"
    positions = _tracking_positions
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = positions(views_file)
        if done and min(done.values()) > 0 and max(done.values()) < head:
            break
        if done and min(done.values()) >= head:
            break
        time.sleep(0.02)
    at_kill = positions(views_file)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    with log.open("ab") as out:
        second = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = positions(views_file)
            if done and min(done.values()) >= head:
                break
            time.sleep(0.1)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=15)
    resumed = _dump_views(views_file)
    # A projection that was never interrupted, into a fresh views file.
    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    for name in ("voisinage.sqlite", "voisinage-keys.sqlite"):
        _copy_sqlite(tmp_path / name, fresh_dir / name)
    fresh_env = _env(f"sqlite:///{fresh_dir}/voisinage.sqlite", secrets)
    third = subprocess.Popen(
        command,
        env=fresh_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = positions(fresh_dir / "voisinage-views.sqlite")
            if done and min(done.values()) >= head:
                break
            time.sleep(0.1)
    finally:
        os.killpg(third.pid, signal.SIGTERM)
        third.wait(timeout=15)
    fresh = _dump_views(fresh_dir / "voisinage-views.sqlite")
    line = report(
        "fault-tolerance/projection",
        events=head,
        tracked_at_kill=at_kill,
        tables=len(fresh),
        rows=sum(len(rows) for rows in fresh.values()),
        same_view=resumed == fresh,
    )
    assert at_kill and min(at_kill.values()) < head, f"killed too late: {line}"
    assert resumed == fresh, line


def _tracking_positions(path: Path) -> dict[str, int]:
    import sqlite3

    if not path.exists():
        return {}
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            names = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE '%tracking'"
                )
            ]
            return {
                name: int(
                    connection.execute(f'SELECT max(notification_id) FROM "{name}"').fetchone()[0]
                    or 0
                )
                for name in names
            }
        finally:
            connection.close()
    except sqlite3.Error:
        return {}


def _dump_views(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in sorted(names)
            # checkpoints and cosignatures are signed when they are made (a timestamp),
            # not a projection of the events: they are kept across rebuilds
            if "tracking" not in name and name not in ("checkpoints", "cosignatures")
        }
    finally:
        connection.close()


def _copy_sqlite(source: Path, target: Path) -> None:
    import sqlite3

    if not source.exists():
        return
    with sqlite3.connect(source) as a, sqlite3.connect(target) as b:
        a.backup(b)


# --- PostgreSQL connections dropped -------------------------------------------------------


@pytest.mark.postgres
def test_postgres_connections_dropped_mid_request_give_503_then_work(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, report: Any
) -> None:
    import psycopg
    from app_support import build_app, close_app

    application_name = f"voisinage-sec-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("PGAPPNAME", application_name)
    flask_app = build_app(postgres_url)
    outcomes: list[int] = []
    stalls: list[float] = []
    terminated = 0
    try:
        v = flask_app.extensions["voisinage"]
        cast = build_cast(v, residents=1)
        client = flask_app.test_client()
        headers = {"Authorization": f"Bearer {cast.token('facilitator')}"}
        base = postgres_url.split("?")[0]
        for round_ in range(3):
            with psycopg.connect(base, autocommit=True, application_name="killer") as admin:
                terminated += len(
                    admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND application_name = %s",
                        (application_name,),
                    ).fetchall()
                )
            began = time.monotonic()
            first = client.post(
                "/api/v1/processes",
                json={"title": {"fr": f"Processus {round_}", "nl": f"Proces {round_}"}},
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            )
            outcomes.append(first.status_code)
            stalls.append(round(time.monotonic() - began, 1))
            assert first.status_code in (201, 200, 503), first.get_data(as_text=True)
            if first.status_code == 503:
                assert first.mimetype == "application/problem+json"
                assert {"title", "status"} <= set(first.get_json())
            after = client.get(f"/api/v1/processes/{cast.process_id}")
            assert after.status_code == 200, after.get_data(as_text=True)
            again = client.post(
                "/api/v1/processes",
                json={"title": {"fr": f"Encore {round_}", "nl": f"Nog {round_}"}},
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            )
            assert again.status_code in (200, 201), again.get_data(as_text=True)
    finally:
        close_app(flask_app)
    report(
        "fault-tolerance/postgres",
        backends_terminated=terminated,
        first_request_statuses=outcomes,
        first_request_seconds=stalls,
        clean=all(s in (200, 201, 503) for s in outcomes),
    )
    assert terminated > 0
    assert max(stalls) < 30, f"a request stalled {max(stalls)} s after the connections dropped"
