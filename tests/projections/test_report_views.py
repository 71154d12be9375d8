"""The report's data and the open-data tables, read from the projections (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from app_support import sync

from projections.open_data import COLUMNS, open_data_tables, to_csv
from projections.report import composition, quotable, report_data


def test_report_data_and_open_data_on_either_store(app, world, views, storage):
    pid = world.process({"method": "approval", "max_choices": 2, "shortlist_size": 1})
    axis = app.add_axis(world.facilitator, pid, {"fr": "Cadre de vie", "nl": "Leefomgeving"})
    world.advance(pid, "contributions")
    wid = world.workshop(pid)
    resident = world.resident(pid)

    def say(text: str, consent: bool, **extra: object):
        return app.record_contribution(
            resident,
            wid,
            kind="testimony",
            text=text,
            language="fr",
            quote_consent=consent,
            **extra,
        )

    quoted = say("La cour est fraîche le soir", True, axis_id=axis)
    withdrawn = say("Mon voisin Jean fait du bruit", True)
    private = say("Je préfère ne pas être cité", False)
    captured = world.contribution(wid)  # a facilitator's capture, no consent given
    world.advance(pid, "proposals")
    p1 = app.submit_proposal(
        world.facilitator,
        pid,
        title="Des bancs",
        body="Dans la cour",
        language="fr",
        source_ids=[quoted, withdrawn],
    )
    p2 = app.submit_proposal(
        world.facilitator,
        pid,
        title="Ruimere fietsenstalling",
        body="Overdekt",
        language="nl",
        source_ids=[private],
    )
    app.moderate_contribution(world.facilitator, withdrawn, action="hide", reason="Un nom cité")
    world.advance(pid, "voting")
    app.cast_ballot(resident, pid, [str(p1)])
    app.publish_shortlist(world.facilitator, pid)
    world.answered_recommendation(pid, [p1])
    app.compose_report(
        world.facilitator,
        pid,
        introductions={"vote": {"nl": "Zo werd er gestemd."}},
        quotes=[quoted],
    )
    sync(storage, views)

    assert [q["contribution_id"] for q in quotable(views, pid)] == [str(quoted)]
    assert composition(views, pid)["quotes"] == [str(quoted)]
    data = report_data(views, pid)
    assert data is not None and data["introductions"] == {"vote": {"nl": "Zo werd er gestemd."}}
    (axis_entry,) = data["axes"]
    assert [q["text"] for q in axis_entry["quotes"]] == ["La cour est fraîche le soir"]
    assert "author_id" not in axis_entry["quotes"][0]
    (workshop,) = data["workshops"]
    assert (workshop["contributions"], workshop["captured"], workshop["people"]) == (3, 1, 2)
    assert [e["proposal_id"] for e in data["vote"]["shortlist"]] == [str(p1)]
    assert data["vote"]["ballots_counted"] == 1
    assert data["recommendations"][0]["answer"] == "accepted"
    assert data["methodology"] is None and data["questionnaires"] is None
    json.dumps({k: v for k, v in data.items() if k != "vote"})

    tables = open_data_tables(views, pid)
    assert {r["contribution_id"] for r in tables["contributions"]} == {
        str(quoted),
        str(private),
        str(captured),
    }
    by_id = {r["proposal_id"]: r for r in tables["proposals"]}
    assert by_id[str(p1)]["source_contribution_ids"] == str(quoted)  # the hidden one left out
    assert (
        by_id[str(p2)]["title_nl"] == "Ruimere fietsenstalling" and by_id[str(p2)]["title_fr"] == ""
    )
    first = tables["tallies"][0]
    assert (first["proposal_id"], first["shortlisted"]) == (str(p1), True)
    assert [a["kind"] for a in tables["answers"]] == ["answer", "progress"]
    for table, rows in tables.items():
        header = to_csv(table, rows).splitlines()[0]
        assert header == ",".join(name for name, _ in COLUMNS[table])
        text = to_csv(table, rows)
        assert str(resident.participant_id) not in text and "Jean" not in text
