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
    assert len(operations) == 34  # every route but the document itself and its docs page


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
    client = make_api(sqlite_url, LOGIN_FAILURE_LIMIT=3, LOGIN_FAILURE_WINDOW=60)
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
    blocked = strict_api.call("POST", path, {"code": w.codes[0]})  # even a right one, now
    assert blocked.status == 429 and int(blocked.headers["Retry-After"]) >= 1
    assert blocked.headers["Content-Type"] == "application/problem+json"
    assert strict_api.head() == head


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


def test_hidden_results_are_for_staff_until_the_vote_closes(api: Api) -> None:
    rules = {"method": "approval", "shortlist_size": 2, "hide_results_until_close": True}
    w = drive(api, "voting", rules=rules)
    ranking = f"/processes/{w.pid}/ranking"
    assert api.call("GET", ranking).status == 401
    assert api.call("GET", ranking, who="resident").status == 403
    assert api.call("GET", ranking, who="facilitator").status == 200
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
