"""`audit verify` checks the signed checkpoints: a store tampered with after a published
shortlist, then rebuilt, no longer passes (real SQLite file and real PostgreSQL).

The read models of a rebuilt store agree with the tampered events (the audit chain and the
Merkle tree are recomputed from them), and the shortlist's anchor covers only what came
before it. The checkpoints signed before the tampering are kept by the rebuild and
contradict the store: `audit verify` recomputes the tree's root at each of their sizes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from app_support import sync
from click.testing import CliRunner
from projection_support import EventTable

from audit import verify
from domain.checkpoint import Signer
from projections.runner import rebuild
from projections.tables import checkpoints, cosignatures
from projections.transparency import TransparencyLog

BALLOT = "Ballot.Cast"


@pytest.fixture
def signed(app, world, storage, views) -> dict[str, Any]:
    """A published shortlist, then a second process whose ballots come after it, each
    ballot alone between two signed checkpoints (as a witness running often keeps them)."""
    first = world.small_process()
    app.publish_shortlist(world.facilitator, first["pid"])
    world.advance(first["pid"], "recommendations")
    log = TransparencyLog(views.engine, Signer.decode(app.secrets.checkpoint_key))

    def checkpoint() -> None:
        sync(storage, views)
        log.checkpoint("test")

    checkpoint()
    second = world.small_process()
    checkpoint()
    for choice in second["proposals"][:2] * 2:
        resident = world.resident(second["pid"])
        checkpoint()  # so that the ballot alone lies between two checkpoints
        app.cast_ballot(resident, second["pid"], [str(choice)])
        checkpoint()
    with views.engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(checkpoints)).scalar()
    return {"first": first, "second": second, "log": log, "checkpoints": count}


def later_ballots(events: EventTable) -> list[dict[str, Any]]:
    """The ballots cast after the shortlist (the last four)."""
    return [row for row in events.rows() if row["topic"].endswith(BALLOT)][-4:]


def change_a_byte(events: EventTable) -> int:
    target = later_ballots(events)[1]
    data = json.loads(target["state"])
    receipt = data["receipt"]
    data["receipt"] = ("B" if receipt[0] != "B" else "C") + receipt[1:]
    events.set_state(target["position"], json.dumps(data, separators=(",", ":")).encode())
    return int(target["position"])


def swap_two_ballots(events: EventTable) -> int:
    one, two = later_ballots(events)[1:3]
    events.set_state(one["position"], bytes(two["state"]))
    events.set_state(two["position"], bytes(one["state"]))
    return int(one["position"])


def rewrite_choices(events: EventTable) -> int:
    target = later_ballots(events)[-1]
    other = later_ballots(events)[0]
    choices = json.loads(other["state"])["choices"]

    def rewrite(data: dict[str, Any]) -> None:
        assert data["choices"] != choices
        data["choices"] = choices

    events.edit_json(target["position"], rewrite)
    return int(target["position"])


def delete_the_last_event(events: EventTable) -> int:
    last = events.rows()[-1]
    assert last["topic"].endswith(BALLOT)
    events.delete(last["position"])
    return int(last["position"])


TAMPERINGS: list[Callable[[EventTable], int]] = [
    change_a_byte,
    swap_two_ballots,
    rewrite_choices,
    delete_the_last_event,
]


def cli_env(monkeypatch: pytest.MonkeyPatch, app: Any, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("VOISINAGE_SECRET_KEY", app.secrets.secret_key)
    monkeypatch.setenv("VOISINAGE_PSEUDONYM_KEY", app.secrets.pseudonym_key.hex())
    monkeypatch.setenv("VOISINAGE_CHECKPOINT_KEY", app.secrets.checkpoint_key)


def test_an_untouched_store_passes_and_says_how_many_checkpoints_it_checked(
    app, storage, signed, monkeypatch, database_url
):
    report = verify(storage, app)
    assert report.ok, report.summary()
    assert report.checkpoints == signed["checkpoints"] >= 10
    assert f"{signed['checkpoints']} signed checkpoints checked" in report.summary()
    assert report.to_dict()["checkpoints"] == signed["checkpoints"]
    rebuild(storage)
    assert verify(storage, app).ok
    from web.cli import main

    cli_env(monkeypatch, app, database_url)
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK"), result.output
    assert f"{signed['checkpoints']} signed checkpoints checked" in result.output


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda f: f.__name__)
def test_tampering_after_the_shortlist_then_a_rebuild_is_found_by_the_checkpoints(
    app, storage, events, signed, tamper, monkeypatch, database_url
):
    position = tamper(events)
    rebuild(storage)  # the chain and the tree now agree with the tampered events
    report = verify(storage, app)
    assert not report.ok, report.summary()
    assert report.headline is not None and report.headline.check == "checkpoint"
    assert report.first_position == position, report.summary()
    assert report.summary().startswith(f"FAILED at position {position}: [checkpoint]")
    from web.cli import main

    cli_env(monkeypatch, app, database_url)
    runner = CliRunner()
    assert runner.invoke(main, ["projections", "rebuild"]).exit_code == 0
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"FAILED at position {position}: [checkpoint]"), result.output
    assert "signed checkpoint" in result.output


def test_a_checkpoint_whose_signature_fails_is_a_finding(app, storage, views, signed):
    with views.engine.begin() as connection:
        row = connection.execute(
            sa.select(checkpoints).order_by(checkpoints.c.checkpoint_id).limit(1)
        ).first()
        assert row is not None
        text, signature = row.note.rsplit(" ", 1)
        forged = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
        connection.execute(
            checkpoints.update()
            .where(checkpoints.c.checkpoint_id == row.checkpoint_id)
            .values(note=f"{text} {forged}")
        )
    report = verify(storage, app)
    assert not report.ok
    (finding,) = [f for f in report.findings if f.check == "checkpoint"]
    assert "signature" in finding.message and f"checkpoint {row.checkpoint_id}" in finding.message


def test_checkpoints_signed_with_another_key_are_refused(app, storage, signed):
    from domain.checkpoint import Signer as NoteSigner

    report = verify(storage, app, key=NoteSigner.generate("another.example/log").verifier)
    assert not report.ok
    assert {f.check for f in report.findings} == {"checkpoint"}
    assert "not signed by another.example/log" in report.findings[0].message


def test_a_rebuild_keeps_the_signed_checkpoints_and_cosignatures(app, storage, views, signed):
    log: TransparencyLog = signed["log"]
    latest = log.latest()
    assert latest is not None
    with views.engine.begin() as connection:
        connection.execute(
            cosignatures.insert().values(
                witness="witness.example",
                size=latest["size"],
                root=bytes(__import__("base64").b64decode(latest["root"])).hex(),
                timestamp=1,
                line="— witness.example AAAA",
                received_at="2026-01-01T00:00:00+00:00",
            )
        )

    def kept() -> tuple[list[Any], list[Any]]:
        with views.engine.connect() as connection:
            return (
                connection.execute(sa.select(checkpoints).order_by("checkpoint_id")).all(),
                connection.execute(sa.select(cosignatures)).all(),
            )

    before = kept()
    assert len(before[0]) == signed["checkpoints"] and len(before[1]) == 1
    rebuild(storage)
    rebuild(storage, ["merkle"])
    assert kept() == before
    assert log.head()["root"] == latest["root"]


def test_between_two_checkpoints_far_apart_the_span_is_named(app, storage, views, events, signed):
    """Without a checkpoint just before the changed event, the finding names the first
    event after the last checkpoint that still matches, and the span to the first that
    does not."""
    position = change_a_byte(events)
    with views.engine.connect() as connection:
        sizes = connection.execute(
            sa.select(checkpoints.c.size).order_by(checkpoints.c.checkpoint_id)
        ).scalars()
        before = [size for size in sizes if size < position]
    with views.engine.begin() as connection:  # keep only an older one below the change
        connection.execute(
            checkpoints.delete().where(
                checkpoints.c.size > before[-3], checkpoints.c.size < position
            )
        )
    rebuild(storage)
    report = verify(storage, app)
    (finding,) = report.findings
    assert finding.check == "checkpoint" and finding.position == before[-3] + 1
    assert f"positions {before[-3] + 1} to {position}" in finding.message


def test_without_a_key_the_roots_are_still_compared_and_the_note_says_so(
    app, storage, events, signed
):
    position = delete_the_last_event(events)
    rebuild(storage)
    report = verify(storage)  # no application: no configured checkpoint key
    assert report.first_position == position and report.headline.check == "checkpoint"
    assert any("were not checked" in note for note in report.notes)
