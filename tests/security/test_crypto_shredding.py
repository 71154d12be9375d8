"""Crypto-shredding: personal fields are never stored in clear, and erasing a key erases them.

On a real SQLite file (events, views and keys files, their -wal and -shm files read as
raw bytes) and on PostgreSQL (every row of every table of the schema read back), a
resident's name and a staff member's name and e-mail must be absent even before
erasure. After erasure the key rows are gone (on SQLite the key bytes are gone from the
files too), personal_data is empty, sign-in fails, and the participant's contribution
and ballot remain: tallies and the audit chain up to the erasure are unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from app_support import build_app, close_app, settle
from security_support import PASSWORD, build_cast

from application import Voisinage
from application.keys import participant_keys
from domain.audit import GENESIS, next_hash
from domain.errors import NotAuthenticated

RESIDENT_NAME = "Zénobie Quintavalle-Ostrowska"
STAFF_NAME = "Bartholomée Vandercruyssen-Oyelaran"
STAFF_EMAIL = "b.vandercruyssen.k7q@voisinage-test.example"

#: What must never be found in clear, lower-cased; non-ASCII letters also as JSON escapes.
NEEDLES = [
    n.lower().encode()
    for n in (
        RESIDENT_NAME,
        "Quintavalle",
        "Ostrowska",
        "Z\\u00e9nobie",
        STAFF_NAME,
        "Vandercruyssen",
        "Oyelaran",
        "Barthol\\u00e9m\\u00e9e",
        STAFF_EMAIL,
        "vandercruyssen.k7q",
        "voisinage-test.example",
    )
]


def hits(blob: bytes, extra: list[bytes] | None = None) -> list[bytes]:
    """The needles present in `blob` (case-insensitive); also in hex (bytea dumps)."""
    lowered = blob.lower()
    found = [n for n in NEEDLES if n in lowered or n.hex().encode() in lowered]
    found += [n for n in extra or [] if n in blob or n.hex().encode() in lowered]
    return found


def scan_sqlite_files(directory: Path, extra: list[bytes] | None = None) -> dict[str, Any]:
    """Raw bytes of every file beside the database (events, views, keys, -wal, -shm)."""
    files = sorted(p for p in directory.iterdir() if p.is_file())
    found: dict[str, list[bytes]] = {}
    total = 0
    for path in files:
        data = path.read_bytes()
        total += len(data)
        present = hits(data, extra)
        if present:
            found[path.name] = present
    return {"files": [p.name for p in files], "bytes": total, "found": found}


def scan_postgres(url: str, schema: str, extra: list[bytes] | None = None) -> dict[str, Any]:
    """Every row of every table of the schema (and of public), as text and bytes."""
    import psycopg

    base = url.split("?")[0]
    found: dict[str, list[bytes]] = {}
    tables = rows = 0
    with psycopg.connect(base) as connection:
        names = connection.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN (%s, 'public') AND table_type = 'BASE TABLE'",
            (schema,),
        ).fetchall()
        for table_schema, table_name in names:
            tables += 1
            for row in connection.execute(f'SELECT * FROM "{table_schema}"."{table_name}"'):
                rows += 1
                blob = b"\x00".join(
                    bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row
                )
                present = hits(blob, extra)
                if present:
                    found.setdefault(f"{table_schema}.{table_name}", []).extend(present)
    return {"tables": tables, "rows": rows, "found": found}


def chain_at(voisinage: Voisinage, position: int) -> str:
    """The audit chain hash after `position`, recomputed from the stored events."""
    head = GENESIS
    for notification in voisinage.recorder.select_notifications(start=1, limit=position):
        if notification.id > position:
            break
        head = next_hash(
            head,
            notification.id,
            notification.originator_id,
            notification.originator_version,
            notification.topic,
            notification.state,
        )
    return head.hex()


def key_rows(voisinage: Voisinage, ids: list[UUID]) -> list[tuple[UUID, bytes]]:
    """The participants' key rows."""
    with voisinage.keys.engine.connect() as connection:
        return [
            (row.participant_id, bytes(row.key))
            for row in connection.execute(
                sa.select(participant_keys).where(participant_keys.c.participant_id.in_(ids))
            )
        ]


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_personal_fields_are_encrypted_at_rest_and_shredded_on_erasure(
    kind: str, request: pytest.FixtureRequest, report: Any
) -> None:
    url = str(request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url"))
    flask_app = build_app(url)
    try:
        v: Voisinage = flask_app.extensions["voisinage"]
        cast = build_cast(
            v,
            residents=3,
            names={"facilitator": f"{STAFF_NAME} <{STAFF_EMAIL}>"},
            resident_name=RESIDENT_NAME,
        )
        resident, facilitator = cast.residents[0], cast.staff["facilitator"]
        admin = cast.staff["admin"]
        p1, p2, _ = cast.proposals
        for actor, choices in zip(cast.residents, [[p1], [p1, p2], [p2]], strict=True):
            v.cast_ballot(actor, cast.process_id, [str(c) for c in choices])
        settle(flask_app)

        # The data is there, readable with the key...
        assert v.personal_data(resident, resident.participant_id) == {"name": RESIDENT_NAME}
        assert v.personal_data(admin, facilitator.participant_id) == {
            "name": STAFF_NAME,
            "email": STAFF_EMAIL,
        }
        # ...and nowhere in clear, before any erasure.
        scan_before = _scan(kind, url)
        assert not scan_before["found"], f"personal data in clear before erasure: {scan_before}"

        ids = [resident.participant_id, facilitator.participant_id]
        keys_before = key_rows(v, ids)
        assert len(keys_before) == 2
        ballots_before = v.counted_ballots(cast.process_id)
        tally_before = v.count_votes(v.process(cast.process_id), ballots_before).to_dict()
        position_before = v.head_position()
        chain_before = chain_at(v, position_before)
        contribution_text = v.contribution(cast.contribution_id).text

        v.erase_participant(admin, resident.participant_id)
        v.erase_participant(admin, facilitator.participant_id)
        settle(flask_app)

        keys_after = key_rows(v, ids)
        ballots_after = v.counted_ballots(cast.process_id)
        tally_after = v.count_votes(v.process(cast.process_id), ballots_after).to_dict()
        chain_after = chain_at(v, position_before)
        scan_after = _scan(kind, url, extra=[key for _, key in keys_before])
        line = report(
            f"crypto-shredding/{kind}",
            scanned=scan_after.get("files") or f"{scan_after['tables']} tables",
            bytes_or_rows=scan_after.get("bytes", scan_after.get("rows")),
            needles=len(NEEDLES),
            hits_before=sum(len(x) for x in scan_before["found"].values()),
            hits_after=sum(len(x) for x in scan_after["found"].values()),
            key_rows_before=len(keys_before),
            key_rows_after=len(keys_after),
            ballots_before=len(ballots_before),
            ballots_after=len(ballots_after),
            chain_unchanged=chain_before == chain_after,
        )
        assert keys_after == [], line
        assert not scan_after["found"], f"{line}: {scan_after['found']}"
        assert v.personal_data(admin, resident.participant_id) == {}, line
        assert v.personal_data(admin, facilitator.participant_id) == {}, line
        with pytest.raises(NotAuthenticated):
            v.authenticate(STAFF_EMAIL, PASSWORD)
        with pytest.raises(NotAuthenticated):
            v.actor_from_token(v.issue_token(resident))
        assert v.contribution(cast.contribution_id).text == contribution_text, line
        assert ballots_after == ballots_before, line
        assert tally_after == tally_before, line
        assert chain_after == chain_before, line
        # The erased facilitator's process still counts: an admin publishes the same result.
        published = v.publish_shortlist(admin, cast.process_id).count
        assert published == tally_before, line
    finally:
        close_app(flask_app)


def _scan(kind: str, url: str, extra: list[bytes] | None = None) -> dict[str, Any]:
    if kind == "sqlite":
        return scan_sqlite_files(Path(url.removeprefix("sqlite:///")).parent, extra)
    schema = url.split("schema=", 1)[1]
    return scan_postgres(url, schema, extra)


def test_passwords_are_hashed_with_argon2s_defaults_outside_the_test_suite(monkeypatch):
    """The suite hashes with argon2's cheapest parameters (tests/conftest.py); a server
    never does unless told, and that setting is for tests only."""
    from argon2 import PasswordHasher

    from application.participants import _password_hasher

    monkeypatch.delenv("VOISINAGE_TEST_CHEAP_PASSWORD_HASHING", raising=False)
    default = PasswordHasher()
    hasher = _password_hasher()
    assert (hasher.time_cost, hasher.memory_cost) == (default.time_cost, default.memory_cost)
    assert hasher.memory_cost >= 19 * 1024  # at least OWASP's argon2id floor (19 MiB)
    monkeypatch.setenv("VOISINAGE_TEST_CHEAP_PASSWORD_HASHING", "1")
    assert _password_hasher().memory_cost < default.memory_cost
