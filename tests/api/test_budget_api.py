"""A participatory budget over the API: rules, costs on proposals, the .pb export."""

from __future__ import annotations

from typing import Any

from api_support import Api, drive

from domain import pabulib

BUDGET_RULES = {"method": "equal_shares", "spending_limit": 50_000, "show_running_total": True}


def proposal(w: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Une plaine de jeux",
        "body": "Au pied des logements",
        "language": "fr",
        "source_ids": [w.ids["contribution"]],
        **extra,
    }


def test_budget_rules_are_shown_and_bad_ones_named(api: Api) -> None:
    w = drive(api, "draft", rules=BUDGET_RULES)
    rules = api.ok("GET", f"/processes/{w.pid}")["rules"]
    assert rules["spending_limit"] == 50_000 and rules["currency"] == "EUR"
    assert rules["show_running_total"] is True
    title = {"fr": "Budget participatif"}
    for bad, field in (
        ({"spending_limit": "lots"}, "spending_limit"),
        ({"spending_limit": 0}, "spending_limit"),
        ({"currency": "euros"}, "currency"),
    ):
        head = api.head()
        answer = api.call("POST", "/processes", {"title": title, "rules": bad}, "facilitator")
        assert answer.status == 422 and field in str(answer.json["errors"]), answer.json
        assert api.head() == head
    schulze = {"method": "schulze", "spending_limit": 100}
    answer = api.call("POST", "/processes", {"title": title, "rules": schulze}, "facilitator")
    assert answer.status == 422 and "method" in str(answer.json), answer.json


def test_a_proposal_of_a_budget_needs_its_cost(api: Api) -> None:
    w = drive(api, "contributions", rules=BUDGET_RULES)
    api.ok("POST", f"/processes/{w.pid}/phase", {"phase": "proposals"}, "facilitator")
    head = api.head()
    for bad in ({}, {"cost": 0}, {"cost": "1200"}, {"cost": 12.5}, {"cost": 10**13}):
        answer = api.call("POST", f"/processes/{w.pid}/proposals", proposal(w, **bad), "resident")
        assert answer.status == 422 and "cost" in str(answer.json["errors"]), (bad, answer.json)
        assert api.head() == head
    created = api.ok("POST", f"/processes/{w.pid}/proposals", proposal(w, cost=1200), "resident")
    (listed,) = api.ok("GET", f"/processes/{w.pid}/proposals")
    assert listed["cost"] == 1200
    revision = {"title": "Une plaine de jeux", "body": "Plus grande", "cost": 1500}
    api.ok("POST", f"/proposals/{created['id']}/revisions", revision, "resident")
    (listed,) = api.ok("GET", f"/processes/{w.pid}/proposals")
    assert listed["cost"] == 1500 and listed["revision"] == 2


def test_the_export_of_a_closed_budget_vote(api: Api) -> None:
    w = drive(api, "contributions", rules=BUDGET_RULES)
    api.ok("POST", f"/processes/{w.pid}/phase", {"phase": "proposals"}, "facilitator")
    ids = [
        api.ok("POST", f"/processes/{w.pid}/proposals", proposal(w, cost=c), "facilitator")["id"]
        for c in (30_000, 25_000, 20_000)
    ]
    api.ok("POST", f"/processes/{w.pid}/phase", {"phase": "voting"}, "facilitator")
    api.ok("PUT", f"/processes/{w.pid}/ballot", {"choices": ids[1:]}, "resident")
    early = api.call("GET", f"/processes/{w.pid}/export.pb")
    assert early.status == 409 and early.json["error"] == "WrongPhase"
    published = api.ok("POST", f"/processes/{w.pid}/shortlist", {}, "facilitator")
    assert published["tallies"]["spent"] <= 50_000
    response = api.flask_app.test_client().get(f"/api/v1/processes/{w.pid}/export.pb")
    assert response.status_code == 200
    election = pabulib.parse(response.get_data(as_text=True))
    assert election.budget == 50_000 and election.meta["rule"] == "equalshares/add1"
    assert election.costs() == dict(zip(ids, (30_000, 25_000, 20_000), strict=True))
    assert [v.approved for v in election.votes] == [
        sorted(ids[1:], key=[p.project_id for p in election.projects].index)
    ]
    assert sorted(pabulib.count(election)["selected"]) == sorted(published["shortlist"])
