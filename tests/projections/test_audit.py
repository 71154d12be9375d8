"""`audit verify` on a real SQLite file and on real PostgreSQL: untouched, then tampered."""

from __future__ import annotations

import json

import pytest
from app_support import sync
from click.testing import CliRunner

from audit import verify


@pytest.fixture
def published(app, world, storage, views):
    """A process with a published shortlist, anchored by the audit chain projection."""
    made = world.small_process()
    app.publish_shortlist(world.facilitator, made["pid"])
    world.advance(made["pid"], "recommendations")
    sync(storage, views)
    return made


def test_an_untouched_store_passes(app, storage, views, published, monkeypatch, database_url):
    report = verify(storage, app)
    assert report.ok, report.summary()
    assert report.shortlists == 1
    assert report.chain_head == views.chain_head()
    assert report.summary().startswith("OK")
    json.dumps(report.to_dict())
    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("VOISINAGE_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("VOISINAGE_PSEUDONYM_KEY", "00" * 32)
    for options in ([], ["--projections"]):
        result = CliRunner().invoke(main, ["audit", "verify", *options])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("OK")
        assert ("match a fresh rebuild" in result.output) == bool(options), result.output


def test_one_changed_byte_is_found_at_its_position(app, storage, events, published):
    target = events.first("Contribution.Recorded", nth=1)
    state = bytearray(target["state"])
    index = state.index(b"Des bancs") + 4
    state[index] = ord("B")  # "Des Bancs": still valid, only one byte differs
    events.set_state(target["position"], bytes(state))
    report = verify(storage, app)
    assert not report.ok
    assert report.first_position == target["position"]
    assert report.findings[0].check == "chain"
    assert f"at position {target['position']}" in report.summary()


def test_a_deleted_event_is_found_at_its_position(app, storage, events, published):
    target = events.first("Contribution.Tagged")
    events.delete(target["position"])
    report = verify(storage, app)
    assert not report.ok
    assert report.first_position == target["position"]
    assert "missing from the store" in report.summary()


def test_two_swapped_events_are_found_at_the_first(app, storage, events, published):
    first = events.first("Contribution.Recorded", nth=0)
    second = events.first("Contribution.Recorded", nth=2)
    events.set_state(first["position"], bytes(second["state"]))
    events.set_state(second["position"], bytes(first["state"]))
    report = verify(storage, app)
    assert not report.ok
    assert report.first_position == first["position"]
    assert report.findings[0].check == "chain"


def test_a_falsified_shortlist_is_caught(app, storage, events, published, views):
    target = events.first("Process.ShortlistPublished")

    def swap_winners(data):
        shortlist = data["result"]["shortlist"]
        shortlist[0], shortlist[1] = shortlist[1], shortlist[0]

    events.edit_json(target["position"], swap_winners)
    report = verify(storage, app)
    assert not report.ok
    assert {f.check for f in report.findings} >= {"chain", "recount"}
    recount = next(f for f in report.findings if f.check == "recount")
    assert recount.position == target["position"]


def test_a_shortlist_falsified_before_it_was_anchored_fails_the_recount(
    app, world, storage, events, views
):
    made = world.small_process()
    app.publish_shortlist(world.facilitator, made["pid"])
    target = events.first("Process.ShortlistPublished")

    def swap_winners(data):
        shortlist = data["result"]["shortlist"]
        shortlist[0], shortlist[1] = shortlist[1], shortlist[0]

    events.edit_json(target["position"], swap_winners)
    sync(storage, views)  # the chain now anchors the falsified event
    report = verify(storage, app)
    assert [f.check for f in report.findings] == ["recount"]
    assert report.first_position == target["position"]


def test_a_projection_changed_behind_its_back_is_found(app, storage, views, published):
    import sqlalchemy as sa

    from projections.tables import proposals

    with views.engine.begin() as connection:
        connection.execute(
            proposals.update()
            .where(proposals.c.proposal_id == str(published["proposals"][1]))
            .values(title="Autre chose")
        )
        position = connection.execute(
            sa.select(proposals.c.position).where(
                proposals.c.proposal_id == str(published["proposals"][1])
            )
        ).scalar()
    report = verify(storage, app)
    assert [f.check for f in report.findings] == ["projections"]
    assert report.first_position == position


def test_a_store_whose_views_were_never_built_gets_a_report(app, world, database_url, monkeypatch):
    """`voisinage demo` then `voisinage audit verify` printed a traceback (no such table)."""
    made = world.small_process()
    app.publish_shortlist(world.facilitator, made["pid"])
    report = verify(app.storage, app)
    assert report.ok, report.summary()
    assert report.shortlists == 1 and report.events == app.head_position()
    assert report.unanchored == report.events
    assert any("no anchors" in note for note in report.notes)
    assert "no anchors" in report.summary()
    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("VOISINAGE_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("VOISINAGE_PSEUDONYM_KEY", "00" * 32)
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.output.startswith("OK"), result.output


def test_views_of_another_store_are_said_to_be_so(app, storage, views, published, tmp_path):
    from application import Voisinage
    from application.secrets import Secrets
    from infrastructure.storage import Storage

    other = Voisinage(
        Storage.from_url(f"sqlite:///{tmp_path}/other/voisinage.sqlite"), Secrets.generate()
    )
    try:
        other.start_process(
            world_facilitator(other), title={"fr": "Un autre processus"}, rules=None
        )
        report = verify(other.storage, other, engine=views.engine)
    finally:
        other.close()
    assert not report.ok
    assert report.headline is not None and report.headline.check == "views"
    assert "another store" in report.summary()
    assert report.summary().startswith("FAILED: [views]")


def world_facilitator(app):
    from application import Actor
    from domain.roles import Role

    participant_id = app.bootstrap_staff(
        email="fac@other.example",
        password="correct horse battery",
        role="facilitator",
        name="Other",
    )
    return Actor(participant_id, Role.FACILITATOR)


def test_a_non_json_byte_is_named_at_its_own_position(
    app, storage, events, published, database_url, monkeypatch
):
    """The headline named the recount of an earlier shortlist, not the changed event."""
    target = events.first("Ballot.Cast", nth=1)
    state = bytearray(target["state"])
    state[0] = 0xFF  # no longer JSON: the event cannot be decoded
    events.set_state(target["position"], bytes(state))
    report = verify(storage, app)
    assert not report.ok
    assert report.first_position == target["position"]
    assert report.headline is not None and report.headline.check == "chain"
    assert report.summary().startswith(f"FAILED at position {target['position']}: [chain]")
    recount = [f for f in report.findings if f.check == "recount"]
    assert recount and recount[0].position == target["position"]
    assert "cannot be decoded" in recount[0].message
    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("VOISINAGE_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("VOISINAGE_PSEUDONYM_KEY", "00" * 32)
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"FAILED at position {target['position']}: [chain]")
    assert "Traceback" not in result.output


def test_views_left_beside_a_new_store_with_the_same_secrets_are_named(tmp_path, monkeypatch):
    """The store's identity is recorded with the views: a new event file beside old views
    (same secrets, so the same staff ids come first) is another store, not a changed event."""
    from web.cli import main

    folder = tmp_path / "instance"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder}/voisinage.sqlite")
    monkeypatch.delenv("VOISINAGE_SECRET_KEY", raising=False)
    monkeypatch.delenv("VOISINAGE_PSEUDONYM_KEY", raising=False)
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(main, list(args))
        assert "Traceback" not in result.output, result.output
        return result

    def create_admin():  # the same staff id in both stores: same secrets, same e-mail
        created = run(
            "users",
            "create",
            "--role",
            "admin",
            "--email",
            "a@example.org",
            "--password",
            "correct horse battery",
        )
        assert created.exit_code == 0, created.output

    create_admin()
    assert run("projections", "rebuild").exit_code == 0
    assert run("audit", "verify").exit_code == 0
    for name in ("voisinage.sqlite", "voisinage-keys.sqlite"):
        (folder / name).unlink()
    for leftover in folder.glob("voisinage.sqlite-*"):
        leftover.unlink()
    create_admin()
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert result.output.startswith("FAILED: [views] the read models belong to another store"), (
        result.output
    )


def test_a_store_that_cannot_be_opened_gets_a_report_not_a_traceback(monkeypatch):
    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("VOISINAGE_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("VOISINAGE_PSEUDONYM_KEY", "00" * 32)
    monkeypatch.setenv("VOISINAGE_CHECKPOINT_KEY", "")
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("FAILED: [store] the store cannot be opened"), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
