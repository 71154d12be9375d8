"""Questionnaire results over HTTP as JSON and CSV, and their place in the OpenAPI."""

from __future__ import annotations

import csv
import io

from api_support import Api, drive
from routes import prepare_research


def test_results_as_csv_carry_every_number_beside_its_n(api: Api) -> None:
    w = drive(api, "contributions")
    prepare_research(api, w)
    qid = w.ids["questionnaire"]
    api.ok("POST", f"/questionnaires/{qid}/waves/1/closure", {}, "facilitator")
    response = api.flask_app.test_client().get(
        f"/api/v1/questionnaires/{qid}/results.csv", headers={"X-Voisinage-After": api.position}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {"wave": "1", "measure": "responses", "value": "1", "n": "1"}.items() <= rows[0].items()
    sent = next(r for r in rows if r["measure"] == "sent_to")
    assert (sent["value"], sent["n"]) == ("20", "1")
    mean = next(r for r in rows if r["question_id"] == "q1" and r["measure"] == "mean")
    assert (mean["value"], mean["n"]) == ("2.0", "1")
    counts = {
        r["category"]: r["value"]
        for r in rows
        if r["question_id"] == "q1" and r["measure"] == "count"
    }
    assert counts == {"1": "0", "2": "1", "3": "0", "4": "0", "5": "0"}
    json_results = api.ok("GET", f"/questionnaires/{qid}/results")
    assert json_results["waves"][0]["closed"] is True


def test_an_answer_to_a_closed_wave_is_409_and_records_nothing(api: Api) -> None:
    w = drive(api, "contributions")
    prepare_research(api, w)
    qid = w.ids["questionnaire"]
    api.ok("POST", f"/questionnaires/{qid}/waves/1/closure", {}, "facilitator")
    head = api.head()
    answer = api.call(
        "PUT", f"/questionnaires/{qid}/waves/1/response", {"answers": {"q1": 5}}, "resident"
    )
    assert answer.status == 409 and answer.json["error"] == "WaveNotOpen", answer.json
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert api.head() == head


def test_the_openapi_documents_the_questionnaire_routes(api: Api) -> None:
    paths = api.ok("GET", "/openapi.json")["paths"]
    for path in (
        "/api/v1/processes/{pid}/questionnaires",
        "/api/v1/questionnaires/{qid}/waves/{wave}/response",
        "/api/v1/questionnaires/{qid}/results",
        "/api/v1/questionnaires/{qid}/results.csv",
    ):
        assert path in paths, sorted(paths)
    csv_route = paths["/api/v1/questionnaires/{qid}/results.csv"]["get"]
    assert "text/csv" in csv_route["responses"]["200"]["content"]
    answering = paths["/api/v1/questionnaires/{qid}/waves/{wave}/response"]["put"]
    assert answering["requestBody"]["content"]["application/json"]["schema"]


def test_the_change_per_indicator_is_in_the_json_and_the_csv_with_its_n(api: Api) -> None:
    w = drive(api, "contributions")
    prepare_research(api, w)
    qid, fac = w.ids["questionnaire"], "facilitator"
    indicator = api.ok(
        "POST",
        f"/processes/{w.pid}/research/indicators",
        {
            "hypothesis_id": w.ids["hypothesis"],
            "name": {"fr": "Respect ressenti"},
            "how": {"fr": "Échelle de 1 à 5"},
            "direction": "increase",
            "questions": [{"questionnaire_id": qid, "question_id": "q1"}],
        },
        fac,
    )["id"]
    api.ok("POST", f"/questionnaires/{qid}/waves/1/closure", {}, fac)
    api.ok("POST", f"/questionnaires/{qid}/waves", {"label": {"fr": "Après"}, "sent_to": 20}, fac)
    api.ok("PUT", f"/questionnaires/{qid}/waves/2/response", {"answers": {"q1": 4}}, "resident")
    results = api.ok("GET", f"/questionnaires/{qid}/results")
    (found,) = results["indicator_changes"]
    assert found["indicator_id"] == indicator
    (change,) = found["measures"][0]["changes"]
    # One answer per wave: the means with their n, no interval, nothing claimed.
    assert (change["before"]["mean"], change["after"]["mean"]) == (2.0, 4.0)
    assert (change["difference"], change["observed"]) == (None, None)
    response = api.flask_app.test_client().get(
        f"/api/v1/questionnaires/{qid}/results.csv", headers={"X-Voisinage-After": api.position}
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    (row,) = [r for r in rows if r["category"] == f"indicator:{indicator}"]
    assert (row["wave"], row["measure"], row["value"], row["n"]) == (
        "1->2",
        "indicator_difference",
        "",
        "1/1",
    )
    paths = api.ok("GET", "/openapi.json")["paths"]
    assert "/api/v1/questionnaires/{qid}/contributions" in paths


def test_the_same_answer_made_a_contribution_twice_is_409_and_records_nothing(api: Api) -> None:
    w = drive(api, "contributions")
    prepare_research(api, w)
    qid = w.ids["questionnaire"]
    body = {
        "response_id": w.ids["response"],
        "question_id": "q3",
        "workshop_id": w.ids["workshop"],
    }
    api.ok("POST", f"/questionnaires/{qid}/contributions", body, "facilitator")
    head = api.head()
    again = api.call("POST", f"/questionnaires/{qid}/contributions", body, "facilitator")
    assert again.status == 409, again.json
    assert again.json["error"] == "AnswerAlreadyContributed", again.json
    assert again.headers["Content-Type"] == "application/problem+json"
    assert api.head() == head
