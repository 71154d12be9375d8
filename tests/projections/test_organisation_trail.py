"""The decision trail, its PROV-JSON export and the open data name the organisation a
contribution was given for, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app_support import sync
from organisation_support import ORGANISATION, organisation_trail
from prov.model import PROV, ProvDocument

from projections.open_data import COLUMNS, open_data_tables, to_csv


def test_the_trail_names_the_organisation_each_contribution_was_given_for(
    app: Any, world: Any, storage: Any, views: Any
) -> None:
    t = organisation_trail(world)
    sync(storage, views)
    (proposal,) = views.trail(t.recommendation_id)["proposals"]
    given = {c["contribution_id"]: c["organisation"] for c in proposal["contributions"]}
    expected = {"organisation_id": str(t.organisation_id), "name": ORGANISATION}
    assert given == {
        str(t.by_representative): expected,
        str(t.captured): expected,
        str(t.for_no_one): None,
    }
    assert views.outcome(t.captured)["contribution"]["organisation"] == expected
    graph = views.trail_json(t.pid)
    (node,) = [n for n in graph["nodes"] if n["kind"] == "organisation"]
    assert node["id"] == str(t.organisation_id) and node["label"] == ORGANISATION
    given_for = {(e["src"], e["dst"]) for e in graph["edges"] if e["relation"] == "given_for"}
    assert given_for == {
        (str(t.by_representative), str(t.organisation_id)),
        (str(t.captured), str(t.organisation_id)),
    }


def test_prov_attributes_the_contribution_to_the_organisation_and_its_representative(
    app: Any, world: Any, storage: Any, views: Any
) -> None:
    t = organisation_trail(world)
    sync(storage, views)
    document = ProvDocument.deserialize(content=json.dumps(views.trail_prov(t.pid)), format="json")
    organisation = f"vsn:organisation-{t.organisation_id}"
    agents = {str(r.identifier): r for r in document.get_records() if r.is_element()}
    agent = agents[organisation]
    assert agent.get_type().uri.endswith("Agent")
    assert PROV["Organization"] in agent.get_attribute("prov:type")
    assert ORGANISATION in {str(v) for v in agent.get_attribute("prov:label")}
    relations = [r for r in document.get_records() if r.is_relation()]

    def pairs(kind: str) -> set[tuple[str, str]]:
        return {
            (str(r.args[0]), str(r.args[1])) for r in relations if r.get_type().localpart == kind
        }

    attributed = pairs("Attribution")
    for contribution in (t.by_representative, t.captured):
        assert (f"vsn:contribution-{contribution}", organisation) in attributed
    assert not any(str(t.for_no_one) in a for a, _ in attributed)
    delegations = pairs("Delegation")
    representatives = {d for d, o in delegations if o == organisation}
    assert len(representatives) == 2, "one representative per contribution given for it"
    for representative in representatives:
        assert PROV["Person"] in agents[representative].get_attribute("prov:type")
        assert (
            f"vsn:contribution-{t.by_representative}",
            representative,
        ) in attributed or (f"vsn:contribution-{t.captured}", representative) in attributed


def test_open_data_names_the_organisation_in_csv_and_json(
    app: Any, world: Any, storage: Any, views: Any
) -> None:
    t = organisation_trail(world)
    sync(storage, views)
    names = [name for name, _ in COLUMNS["contributions"]]
    assert "organisation_id" in names and "organisation" in names
    rows = open_data_tables(views, t.pid)["contributions"]
    by_id = {row["contribution_id"]: row for row in rows}
    assert by_id[str(t.captured)]["organisation"] == ORGANISATION
    assert by_id[str(t.by_representative)]["organisation_id"] == str(t.organisation_id)
    assert by_id[str(t.for_no_one)]["organisation"] == ""
    parsed = list(csv.DictReader(io.StringIO(to_csv("contributions", rows))))
    read = {row["contribution_id"]: row for row in parsed}
    assert read[str(t.by_representative)]["organisation"] == ORGANISATION
    assert read[str(t.for_no_one)]["organisation_id"] == ""
    assert "Nadia" not in json.dumps(open_data_tables(views, t.pid), default=str)
