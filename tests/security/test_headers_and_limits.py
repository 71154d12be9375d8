"""web.security: headers on every response, cookie flags, size and nesting limits.

First on a bare Flask app (the mechanism alone), then on the real application: every
GET route of its url_map answers with the headers, and its API refuses oversized and
deeply nested bodies with problem+json before any view runs.
"""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
from flask import Flask, request, session

from web.headers import CONTENT_SECURITY_POLICY, docs_policy
from web.security import init_security, json_depth_exceeds

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def check_headers(response: Any, where: str) -> None:
    """The headers every response must carry."""
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{where}: {name}"
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in csp.split(";") if part.strip()
    )
    assert directives.get("default-src") == "'self'", f"{where}: {csp}"
    assert directives.get("frame-ancestors") == "'none'", f"{where}: {csp}"
    assert directives.get("object-src") == "'none'", f"{where}: {csp}"
    assert directives.get("base-uri") == "'self'", f"{where}: {csp}"
    assert directives.get("form-action") == "'self'", f"{where}: {csp}"
    assert "unsafe-inline" not in directives.get("script-src", ""), f"{where}: {csp}"
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where


@pytest.fixture
def bare() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", TESTING=False)
    init_security(app)

    @app.post("/api/v1/echo")
    def echo() -> Any:
        return {"length": len(request.get_data())}

    @app.post("/api/v1/auth/token")
    def token() -> Any:
        return {"title": "Unauthorized", "status": 401}, 401

    @app.get("/page")
    def page() -> str:
        session["seen"] = True
        return "<p>page</p>"

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    @app.get("/api/v1/docs")
    def docs() -> str:
        return (
            '<script src="https://cdn.example.net/ui.js"></script>'
            "<script>\n window.ui = 1\n</script>"
        )

    return app


def test_headers_on_every_kind_of_response(bare: Flask, report: Any) -> None:
    client = bare.test_client()
    checked = 0
    for method, path, status in [
        ("GET", "/page", 200),
        ("GET", "/missing", 404),
        ("GET", "/boom", 500),
        ("POST", "/page", 405),
        ("POST", "/api/v1/echo", 200),
    ]:
        response = client.open(path, method=method)
        assert response.status_code == status, path
        check_headers(response, f"{method} {path}")
        checked += 1
    assert client.get("/page").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    report("headers/bare", responses_checked=checked)


def test_session_cookie_flags(bare: Flask) -> None:
    cookie = bare.test_client().get("/page").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    over_https = bare.test_client().get("/page", base_url="https://voisinage.example")
    assert "Secure" in over_https.headers["Set-Cookie"]
    assert over_https.headers["Strict-Transport-Security"].startswith("max-age=")
    bare.config["SESSION_COOKIE_SECURE"] = True
    assert "Secure" in bare.test_client().get("/page").headers["Set-Cookie"]


def test_authenticated_answers_are_not_cached(bare: Flask) -> None:
    response = bare.test_client().post("/api/v1/echo", headers={"Authorization": "Bearer x"})
    assert response.headers["Cache-Control"] == "no-store"


def test_oversized_body_is_413_problem_before_the_view(bare: Flask, report: Any) -> None:
    client = bare.test_client()
    limit = bare.config["MAX_CONTENT_LENGTH"]
    assert limit == 256 * 1024
    response = client.post(
        "/api/v1/echo", data=b"[" + b"1," * limit + b"1]", content_type="application/json"
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 413 and body["title"] and str(limit) in body["detail"]
    # A body without Content-Length (chunked) is cut at the limit while being read.
    chunked = client.post(
        "/api/v1/echo",
        input_stream=io.BytesIO(b" " * (limit + 10)),
        content_type="text/plain",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert chunked.status_code == 413 and chunked.mimetype == "application/problem+json"
    # Outside the API, the usual error page.
    assert client.post("/page", data=b"x" * (limit + 1)).status_code == 413
    report("limits/size", limit=limit, declared_413=True, chunked_413=True)


def test_deep_json_is_400_problem_and_fast(bare: Flask, report: Any) -> None:
    client = bare.test_client()
    deep = client.post("/api/v1/echo", data=b"[" * 33 + b"]" * 33, content_type="application/json")
    assert deep.status_code == 400 and deep.mimetype == "application/problem+json"
    assert deep.get_json()["title"] and "32" in deep.get_json()["detail"]
    merge_patch = client.post(
        "/api/v1/echo", data=b'{"a":' * 40 + b"1" + b"}" * 40, content_type="application/vnd+json"
    )
    assert merge_patch.status_code == 400
    ok = client.post("/api/v1/echo", data=b"[" * 32 + b"]" * 32, content_type="application/json")
    assert ok.status_code == 200
    in_strings = b'{"text": "' + b"[{" * 5000 + b'"}'
    assert not json_depth_exceeds(in_strings, 32)
    assert (
        client.post("/api/v1/echo", data=in_strings, content_type="application/json").status_code
        == 200
    )
    hostile = {
        "escaped quotes, unterminated": b'"' + b'\\"' * 120_000 + b"\\",
        "brackets only": b"[" * 250_000,
        "quotes only": b'"' * 250_000,
        "alternating": b'"[' * 120_000,
        "objects": b'{"a":' * 50_000,
    }
    slowest = 0.0
    for name, data in hostile.items():
        started = time.perf_counter()
        json_depth_exceeds(data, 32)
        slowest = max(slowest, time.perf_counter() - started)
        assert slowest < 0.5, name
    report("limits/depth", limit=32, hostile_inputs=len(hostile), slowest_ms=round(slowest * 1e3))


def test_failed_sign_ins_are_throttled(bare: Flask) -> None:
    bare.config["LOGIN_FAILURE_LIMIT"] = 3
    client = bare.test_client()
    statuses = [client.post("/api/v1/auth/token").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    refused = client.post("/api/v1/auth/token")
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) >= 1


def test_docs_page_admits_only_its_own_inline_script(bare: Flask) -> None:
    response = bare.test_client().get("/api/v1/docs")
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is not None
    assert "https://cdn.example.net" in script_src.group(1)
    assert "'sha256-" in script_src.group(1) and "unsafe-inline" not in script_src.group(1)
    assert "frame-ancestors 'none'" in csp
    # A page outside the docs paths never gets hashes, whatever it contains.
    assert "sha256" not in docs_policy(b"<p>no script</p>")


# --- on the real application -----------------------------------------------------------


def _get_routes(flask_app: Any) -> list[str]:
    return sorted(
        rule.rule
        for rule in flask_app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
    )


def test_every_route_of_the_application_has_the_headers(flask_app: Any, report: Any) -> None:
    client = flask_app.test_client()
    routes = _get_routes(flask_app)
    checked = 0
    for path in routes:
        response = client.get(path)
        check_headers(response, f"GET {path} -> {response.status_code}")
        checked += 1
    # a page with a form and a not-found page too
    check_headers(client.get("/no/such/page"), "404")
    report("headers/app", routes_checked=checked)
    assert checked > 0


def test_api_refuses_oversized_and_deep_bodies(flask_app: Any, report: Any) -> None:
    client = flask_app.test_client()
    head = flask_app.extensions["voisinage"].head_position()
    big = client.post(
        "/api/v1/processes", data=b"{" + b" " * 300_000 + b"}", content_type="application/json"
    )
    deep = client.post(
        "/api/v1/processes",
        data=b'{"title":' + b"[" * 100 + b"]" * 100 + b"}",
        content_type="application/json",
    )
    report("limits/app", oversized=big.status_code, deep=deep.status_code)
    assert big.status_code == 413 and big.mimetype == "application/problem+json"
    assert deep.status_code == 400 and deep.mimetype == "application/problem+json"
    for response in (big, deep):
        body = response.get_json()
        assert {"title", "status", "detail"} <= set(body)
    assert flask_app.extensions["voisinage"].head_position() == head
