"""What the route table does not say: the API's description, its docs page, the brakes
on guessing, hidden results, sign-in failures, reading one's own writes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import Api, close_api, drive, make_api

from domain.phases import Phase


def test_the_openapi_document_describes_every_route_and_the_bearer_scheme(api: Api) -> None:
    spec = api.ok("GET", "/openapi.json")
    assert spec["openapi"].startswith("3.0")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    paths = spec["paths"]
    assert "/api/v1/processes/{pid}/ballot" in paths
    assert set(paths["/api/v1/processes/{pid}/ballot"]) >= {"get", "put", "delete"}
    ballot = paths["/api/v1/processes/{pid}/ballot"]["put"]
    assert ballot["security"] == [{"bearerAuth": []}]
    assert "422" in ballot["responses"]
    schemas = spec["components"]["schemas"]
    assert schemas["NewProcess"]["required"] == ["title"]
    verbs = {"get", "put", "post", "delete", "patch"}
    operations = [op for path in paths.values() for verb, op in path.items() if verb in verbs]
    assert all(op.get("responses") for op in operations)
    # every route but the document itself and its docs page
    routed = {
        (method, rule.rule)
        for rule in api.flask_app.url_map.iter_rules()
        if rule.rule.startswith(("/api/v1/", "/checkpoint"))  # the checkpoint is at the root
        and not rule.rule.startswith(("/api/v1/docs", "/api/v1/openapi.json"))
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert len(operations) == len(routed) >= 35


def test_the_docs_page_runs_swagger_ui_from_this_origin(api: Api) -> None:
    response = api.flask_app.test_client().get("/api/v1/docs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<script src="/api/v1/docs/assets/swagger-ui-bundle.js">' in html
    assert "https://" not in html.split("<body>")[1]  # no CDN
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy.split(";")[1]
    asset = api.flask_app.test_client().get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.get_data()) > 100_000


@pytest.fixture
def strict_api(sqlite_url: str) -> Iterator[Api]:
    client = make_api(
        sqlite_url, LOGIN_FAILURE_LIMIT=3, JOIN_FAILURE_LIMIT=3, LOGIN_FAILURE_WINDOW=60
    )
    yield client
    close_api(client)


def test_guessing_invitation_codes_is_braked(strict_api: Api) -> None:
    w = drive(strict_api, "draft")
    path = f"/processes/{w.pid}/join"
    statuses = [
        strict_api.call("POST", path, {"code": f"WRONG-{i:04d}-CODE"}).status for i in range(3)
    ]
    assert statuses == [422, 422, 422]
    head = strict_api.head()
    braked = strict_api.call("POST", path, {"code": "WRONG-9999-CODE"})  # one failure more
    assert braked.status == 429 and int(braked.headers["Retry-After"]) >= 1
    assert braked.headers["Content-Type"] == "application/problem+json"
    assert strict_api.head() == head
    # a resident with a valid card is never refused for their neighbours' typos
    assert strict_api.call("POST", path, {"code": w.codes[0]}).status == 201


def test_the_same_code_answers_the_same_resident_again(api: Api) -> None:
    w = drive(api, "contributions")
    path = f"/processes/{w.pid}/join"
    first = api.call("POST", path, {"code": w.codes[0]})
    assert first.status == 201 and first.json["returning"] is False
    head = api.head()
    again = api.call("POST", path, {"code": w.codes[0].lower().replace("-", "")})
    assert again.status == 200 and again.json["returning"] is True
    assert again.json["participant_id"] == first.json["participant_id"]
    assert again.json["token"] != ""
    assert api.head() == head  # coming back records nothing


def test_guessing_passwords_is_braked(strict_api: Api) -> None:
    for _ in range(3):
        refused = strict_api.call(
            "POST", "/auth/token", {"email": "admin@api.example", "password": "nope"}
        )
        assert (
            refused.status == 401 and refused.json["detail"] == "unknown e-mail or wrong password"
        )
    blocked = strict_api.call(
        "POST", "/auth/token", {"email": "admin@api.example", "password": "api-tests-password"}
    )
    assert blocked.status == 429
    # another staff member at the same address signs in as usual
    other = {"email": "auditor@api.example", "password": "api-tests-password"}
    assert strict_api.call("POST", "/auth/token", other).status == 201


def test_hidden_results_are_hidden_from_everyone_until_the_vote_closes(api: Api) -> None:
    rules = {"method": "approval", "shortlist_size": 2, "hide_results_until_close": True}
    w = drive(api, "voting", rules=rules)
    ranking = f"/processes/{w.pid}/ranking"
    assert api.call("GET", ranking).status == 403
    for who in ("resident", "facilitator", "institution", "auditor", "admin"):
        assert api.call("GET", ranking, who=who).status == 403, who
    api.ok("POST", f"/processes/{w.pid}/shortlist", {}, "facilitator")
    assert api.call("GET", ranking, who="resident").status == 200


def test_a_bad_token_is_401_not_anonymous(api: Api) -> None:
    w = drive(api, "draft")
    for header in ("Bearer not-a-token", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer "):
        answer = api.flask_app.test_client().get(
            f"/api/v1/processes/{w.pid}/workshops", headers={"Authorization": header}
        )
        assert answer.status_code == 401, header
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_write_is_readable_at_once_with_its_position(api: Api) -> None:
    w = drive(api, "contributions")
    for i in range(5):
        created = api.call(
            "POST",
            f"/workshops/{w.ids['workshop']}/contributions",
            {"kind": "idea", "text": f"Idée {i}", "language": "fr"},
            "resident",
        )
        listed = api.call("GET", f"/workshops/{w.ids['workshop']}/contributions")
        assert created.json["id"] in {c["contribution_id"] for c in listed.json}
    bad = api.call("GET", "/processes", headers={"X-Voisinage-After": "soon"})
    assert bad.status == 400 and "X-Voisinage-After" in bad.json["errors"]


def test_unknown_fields_and_wrong_types_are_named(api: Api) -> None:
    w = drive(api, "draft")
    answer = api.call(
        "POST",
        f"/processes/{w.pid}/axes",
        {"name": {"fr": "Axe"}, "colour": "red", "order": 1},
        "facilitator",
    )
    assert answer.status == 422
    assert set(answer.json["errors"]) == {"colour", "order"}
    wrong = api.call("POST", f"/processes/{w.pid}/invitations", {"count": "ten"}, "facilitator")
    assert wrong.status == 422 and wrong.json["errors"] == {"count": ["Not a valid integer."]}
    assert Phase(api.ok("GET", f"/processes/{w.pid}")["phase"]) is Phase.DRAFT


def test_whole_numbers_only_where_a_count_is_asked(api: Api) -> None:
    """Tried from outside: count 1.5, 2.9, "5" and 1e3 issued 1, 2, 5 and 1000 codes."""
    w = drive(api, "draft")
    before = api.head()
    for count in (1.5, 2.9, "5", 1e3, True, 0, 1001):
        answer = api.call(
            "POST", f"/processes/{w.pid}/invitations", {"count": count}, "facilitator"
        )
        assert answer.status == 422, (count, answer.json)
        assert "count" in answer.json["errors"], (count, answer.json)
    assert api.head() == before
    assert (
        len(api.ok("POST", f"/processes/{w.pid}/invitations", {"count": 3}, "facilitator")["codes"])
        == 3
    )
    for rules in ({"method": "approval", "max_choices": 2.5}, {"method": "dots", "budget": "10"}):
        answer = api.call(
            "POST", "/processes", {"title": {"fr": "Titre"}, "rules": rules}, "facilitator"
        )
        assert answer.status == 422, (rules, answer.json)


def test_only_facilitators_facilitate_workshops(api: Api) -> None:
    """Tried from outside: a resident's id was accepted in facilitator_ids."""
    w = drive(api, "contributions")
    before = api.head()
    workshop = {"title": "Atelier", "on": "2026-05-01", "place": "Salle"}
    for wrong in (w.ids["resident"], "00000000-0000-4000-8000-000000000000"):
        answer = api.call(
            "POST",
            f"/processes/{w.pid}/workshops",
            {**workshop, "facilitator_ids": [wrong]},
            "facilitator",
        )
        assert answer.status == 422 and "facilitator_ids" in answer.json["errors"], answer.json
    assert api.head() == before
    me = api.ok("GET", f"/processes/{w.pid}/workshops")[0]["facilitators"][0]
    created = api.call(
        "POST",
        f"/processes/{w.pid}/workshops",
        {**workshop, "facilitator_ids": [me]},
        "facilitator",
    )
    assert created.status == 201, created.json


def test_an_idempotency_key_names_one_request_of_one_caller(api: Api) -> None:
    """Tried from outside: the same key on DELETE after a PUT executed the DELETE."""
    w = drive(api, "voting")
    key = "one-request-only"
    ballot = {"choices": [w.ids["proposal"]]}
    first = api.call("PUT", f"/processes/{w.pid}/ballot", ballot, "resident", key=key)
    assert first.status == 200
    before = api.head()
    again = api.call("DELETE", f"/processes/{w.pid}/ballot", None, "resident", key=key)
    assert again.status == 422 and "Idempotency-Key" in again.json["errors"], again.json
    other_body = api.call(
        "PUT", f"/processes/{w.pid}/ballot", {"choices": [w.ids["other"]]}, "resident", key=key
    )
    assert other_body.status == 422
    assert api.head() == before
    replay = api.call("PUT", f"/processes/{w.pid}/ballot", ballot, "resident", key=key)
    # a ballot's answer (its receipt) is not kept: the retry runs again, records nothing
    # and answers the same receipt
    assert replay.status == 200 and replay.json == first.json
    assert api.head() == before


def test_waiting_for_a_position_beyond_the_store_is_refused_at_once(api: Api) -> None:
    """Tried from outside: X-Voisinage-After 999999999999 held a thread for 5 s."""
    import time

    drive(api, "draft")
    started = time.monotonic()
    answer = api.call("GET", "/processes", headers={"X-Voisinage-After": "999999999999"})
    elapsed = time.monotonic() - started
    assert answer.status == 400 and "X-Voisinage-After" in answer.json["errors"], answer.json
    assert "beyond" in answer.json["detail"]
    assert elapsed < 2.5  # not the 5 s wait (a generous bound, not a benchmark)
    head = str(api.head())
    assert api.call("GET", "/processes", headers={"X-Voisinage-After": head}).status == 200


def test_a_refusal_names_its_rule_with_a_code_and_its_values(api: Api) -> None:
    """Integrations can say a refusal in their own words: the problem carries the domain's
    code and parameters beside its English detail."""
    w = drive(api, "draft")
    wrong = api.call("POST", f"/processes/{w.pid}/phase", {"phase": "voting"}, "facilitator")
    assert wrong.status == 409, wrong.json
    assert wrong.json["code"] == "phase.next"
    assert wrong.json["params"] == {"expected": "contributions"}
    long = api.call("POST", f"/processes/{w.pid}/axes", {"name": {"fr": "x" * 201}}, "facilitator")
    assert long.status == 422, long.json
    assert long.json["code"] == "text.too_long" and long.json["params"]["max"] == 200
