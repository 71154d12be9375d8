"""Organisations over HTTP: what a representative gives in an organisation's name, the
named refusal when one does not represent it, and the routes in the OpenAPI."""

from __future__ import annotations

from api_support import Api, drive
from organisation_routes import prepare_organisation


def _second_resident(api: Api, pid: str, code: str) -> str:
    joined = api.ok("POST", f"/processes/{pid}/join", {"code": code})
    api.tokens["other"] = joined["token"]
    return str(joined["participant_id"])


def test_a_representative_contributes_in_the_organisations_name(api: Api) -> None:
    w = drive(api, "contributions")
    prepare_organisation(api, w)
    wid, oid = w.ids["workshop"], w.ids["organisation"]
    idea = {"kind": "idea", "text": "Un lieu partagé", "language": "fr"}
    body = {**idea, "on_behalf_of_organisation": oid}
    cid = api.ok("POST", f"/workshops/{wid}/contributions", body, "resident")["id"]
    listed = api.ok("GET", f"/workshops/{wid}/contributions")
    found = next(c for c in listed if c["contribution_id"] == cid)
    assert (found["on_behalf_of_organisation"], found["organisation_name"]) == (oid, "Bota75")


def test_a_resident_who_does_not_represent_it_is_refused_by_name(api: Api) -> None:
    w = drive(api, "contributions")
    prepare_organisation(api, w)
    _second_resident(api, w.pid, w.codes[0])
    oid, qid = w.ids["organisation"], w.ids["questionnaire"]
    head = api.head()
    body = {"kind": "idea", "text": "Pas moi", "language": "fr", "on_behalf_of_organisation": oid}
    refused = api.call("POST", f"/workshops/{w.ids['workshop']}/contributions", body, "other")
    assert refused.status == 403
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json["error"] == "NotRepresentative"
    assert refused.json["code"] == "organisation.not_representative"
    assert "on_behalf_of_organisation" in refused.json["errors"]
    answer = {"answers": {"q1": "1"}, "on_behalf_of_organisation": oid}
    refused = api.call("PUT", f"/questionnaires/{qid}/waves/1/response", answer, "other")
    assert (refused.status, refused.json["error"]) == (403, "NotRepresentative")
    assert api.head() == head


def test_a_representative_answers_for_the_organisation_and_the_rate_counts_organisations(
    api: Api,
) -> None:
    w = drive(api, "contributions")
    prepare_organisation(api, w)
    oid, qid = w.ids["organisation"], w.ids["questionnaire"]
    for name in ("Asbl A", "Asbl B", "Asbl C"):
        api.ok(
            "POST",
            f"/processes/{w.pid}/organisations",
            {"name": name, "sector": "culture", "commune": "Ixelles"},
            "facilitator",
        )
    answer = {"answers": {"q1": "1"}, "on_behalf_of_organisation": oid}
    api.ok("PUT", f"/questionnaires/{qid}/waves/1/response", answer, "resident")
    own = api.ok(
        "GET",
        f"/questionnaires/{qid}/waves/1/response?on_behalf_of_organisation={oid}",
        who="resident",
    )
    assert own["answers"] == {"q1": "1"}
    refused = api.call(
        "PUT", f"/questionnaires/{qid}/waves/1/response", {"answers": {"q1": "1"}}, "resident"
    )
    assert refused.status == 403  # an organisations questionnaire: answer in its name
    results = api.ok("GET", f"/questionnaires/{qid}/results")
    assert results["waves"][0]["by_audience"] == {
        "organisations": {"responses": 1, "of": 4, "rate": 0.25}
    }


def test_the_organisation_routes_are_in_the_openapi(api: Api) -> None:
    spec = api.flask_app.test_client().get("/api/v1/openapi.json").get_json()
    for path in (
        "/api/v1/processes/{pid}/organisations",
        "/api/v1/organisations/{oid}",
        "/api/v1/organisations/{oid}/representatives",
    ):
        assert path in spec["paths"], sorted(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert {"name", "sector", "commune", "contact"} <= set(schemas["NewOrganisation"]["properties"])
    contribution = schemas["NewContribution"]["properties"]
    assert "on_behalf_of_organisation" in contribution
    assert "on_behalf_of_organisation" in schemas["AnswersForOrganisation"]["properties"]


def test_an_admin_erases_the_contact_and_others_are_refused_recording_nothing(api: Api) -> None:
    w = drive(api, "contributions")
    prepare_organisation(api, w)
    oid = w.ids["organisation"]
    path = f"/organisations/{oid}/contact/erasure"
    assert api.ok("GET", f"/organisations/{oid}")["contact_status"] == "sealed"
    head = api.head()
    for who, status in (("facilitator", 403), ("resident", 403), (None, 401)):
        refused = api.call("POST", path, {"confirm": True}, who)
        assert refused.status == status, (who, refused.json)
        assert refused.headers["Content-Type"] == "application/problem+json"
    unconfirmed = api.call("POST", path, {"confirm": False}, "admin")
    assert unconfirmed.status == 422 and "confirm" in unconfirmed.json["errors"]
    assert api.head() == head, "a refused erasure recorded something"
    assert api.ok("POST", path, {"confirm": True}, "admin") == {"ok": True}
    shown = api.ok("GET", f"/organisations/{oid}", who="facilitator")
    assert (shown["name"], shown["contact_status"]) == ("Bota75", "erased")
    again = api.call("POST", path, {"confirm": True}, "admin")
    assert again.status == 409 and again.json["code"] == "organisation.contact_erased"
