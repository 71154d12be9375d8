"""Every route of the API: success, bad input, wrong role, wrong phase, idempotent retry.

The routes are listed as data in routes.py; a route of the app without an entry fails
the first test. Every refusal is problem+json and records nothing.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from api_support import Api, DrivenProcess, drive
from routes import ROUTES, Route

MUTATING = ("POST", "PUT", "DELETE")


def prepared(api: Api, w: DrivenProcess, route: Route) -> DrivenProcess:
    """The driven world with what the route needs beyond it (its `prepare`)."""
    if route.prepare is not None:
        route.prepare(api, w)
    return w


def fill(value: Any, w: DrivenProcess) -> Any:
    """Put the driven process's ids in a body ("{prop}", "CODE")."""
    if isinstance(value, dict):
        return {k: fill(v, w) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, w) for v in value]
    if value == "CODE":
        return {"code": w.codes[0]}
    if isinstance(value, str) and re.fullmatch(r"\{[a-z]+\}", value):
        return Route("GET", value, "draft", None).url(w)
    return value


def problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status == status, (answer.status, answer.json)
    assert answer.headers["Content-Type"] == "application/problem+json", answer.headers
    assert answer.json["status"] == status and answer.json["title"]
    return dict(answer.json)


def test_every_route_of_the_app_has_a_scenario(api: Api) -> None:
    routes = set()
    for rule in api.flask_app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1") and not rule.endpoint.endswith("static"):
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
                routes.add((method, re.sub(r"<[^>]+>", "{}", rule.rule.removeprefix("/api/v1"))))
    covered = {(r.method, r.template) for r in ROUTES} | {("GET", "/docs")}
    assert routes == covered, sorted(routes ^ covered)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.label)
def test_success(api: Api, route: Route) -> None:
    w = prepared(api, drive(api, route.phase), route)
    head = api.head()
    answer = api.call(route.method, route.url(w), fill(route.body, w), route.who)
    assert answer.status == route.status, answer.json
    if route.method in MUTATING and route.path != "/auth/token":
        assert api.head() > head, "the command recorded nothing"
        assert answer.headers["X-Voisinage-Position"] == str(api.head())
    if route.check is not None:
        route.check(api, w, answer.json)


BAD = [r for r in ROUTES if r.bad]


@pytest.mark.parametrize("route", BAD, ids=lambda r: r.label)
def test_bad_input_is_422_naming_the_field_and_records_nothing(api: Api, route: Route) -> None:
    w = prepared(api, drive(api, route.phase), route)
    body, field = route.bad
    head = api.head()
    answer = api.call(route.method, route.url(w), fill(body, w), route.who)
    refusal = problem(answer, 422)
    assert field in refusal["errors"], refusal
    assert api.head() == head


@pytest.mark.parametrize("route", [r for r in ROUTES if r.wrong_role], ids=lambda r: r.label)
def test_the_wrong_role_is_403_and_records_nothing(api: Api, route: Route) -> None:
    w = prepared(api, drive(api, route.phase), route)
    head = api.head()
    answer = api.call(route.method, route.url(w), fill(route.body, w), route.wrong_role)
    assert "may not" in problem(answer, 403)["detail"]
    without = api.call(route.method, route.url(w), fill(route.body, w))
    problem(without, 401)
    assert api.head() == head


@pytest.mark.parametrize("route", [r for r in ROUTES if r.wrong_phase], ids=lambda r: r.label)
def test_the_wrong_phase_is_409_and_records_nothing(api: Api, route: Route) -> None:
    w = prepared(api, drive(api, route.wrong_phase), route)
    head = api.head()
    answer = api.call(route.method, route.url(w), fill(route.body, w), route.who)
    refusal = problem(answer, 409)
    assert refusal["error"] in ("WrongPhase", "InvalidTransition"), refusal
    assert api.head() == head


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.method in MUTATING and r.path != "/auth/token"],
    ids=lambda r: r.label,
)
def test_an_idempotent_retry_gets_the_first_answer_and_records_nothing(
    api: Api, route: Route
) -> None:
    w = prepared(api, drive(api, route.phase), route)
    key = str(uuid.uuid4())
    body = fill(route.body, w)
    first = api.call(route.method, route.url(w), body, route.who, key=key)
    assert first.status == route.status, first.json
    head = api.head()
    again = api.call(route.method, route.url(w), body, route.who, key=key)
    assert (again.status, again.json) == (first.status, first.json)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["X-Voisinage-Position"] == first.headers["X-Voisinage-Position"]
    assert api.head() == head
    other = api.call(route.method, route.url(w), {"something": "else"}, route.who, key=key)
    assert "different request" in problem(other, 422)["detail"]


UNKNOWN = [r for r in ROUTES if "{" in r.path and r.path != "/processes/{pid}/receipts/{receipt}"]


@pytest.mark.parametrize("route", UNKNOWN, ids=lambda r: r.label)
def test_unknown_ids_are_404(api: Api, route: Route) -> None:
    w = prepared(api, drive(api, route.phase), route)
    url = re.sub(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        str(uuid.uuid4()),
        route.url(w),
    )
    head = api.head()
    answer = api.call(route.method, url, fill(route.body, w), route.who)
    # a resident acts only in the process they joined: another process is not theirs
    member_only = route.who == "resident" and route.path.startswith("/processes/{pid}")
    problem(answer, 403 if member_only else 404)
    assert api.head() == head
