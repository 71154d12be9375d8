"""The JSON API under /api/v1: flask-smorest blueprints, one module per resource.

    processes.py        processes, phases, axes, invitations, joining
    tokens.py           staff sign-in
    workshops.py        workshops and contributions
    proposals.py        proposals and their moderation
    voting.py           ballots, receipts, ranking, shortlist
    recommendations.py  recommendations, answers, trail, outcome
    audit.py            event log, verification, PROV export
    budgets.py          participatory budgets: the closed vote as a Pabulib .pb file
    privacy.py          one's own data (download), erasure of a participant
    transparency.py     GET /checkpoint, checkpoint history, RFC 9162 proofs, audit bundle
    reports.py          the process report's composition and data, open data (zip, CSV)
    questionnaires.py   research record, questionnaires in waves, answers, results

Cross-cutting: auth.py (bearer tokens, ``@requires(act)``), problems.py (RFC 9457
errors), idempotency.py (``Idempotency-Key``), reading.py (read your own writes).
The OpenAPI document is at /api/v1/openapi.json and Swagger UI at /api/v1/docs,
served from this origin (flask-swagger-ui's files; no CDN).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint as FlaskBlueprint
from flask import Flask
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError
from web.api import (
    audit,
    budgets,
    organisations,
    privacy,
    processes,
    proposals,
    questionnaires,
    recommendations,
    reports,
    tokens,
    transparency,
    voting,
    workshops,
)
from web.api.auth import check_presented_token
from web.api.idempotency import init_idempotency
from web.api.problems import from_domain_error, from_http_exception, init_problems, is_api_request
from web.api.reading import init_reading

PREFIX = "/api/v1"
BLUEPRINTS = (
    tokens,
    processes,
    workshops,
    organisations,
    proposals,
    voting,
    recommendations,
    audit,
    budgets,
    privacy,
    transparency,
    reports,
    questionnaires,
)


class VoisinageApi(Api):
    """flask-smorest's Api answering errors under /api/ as problem+json."""

    def handle_http_exception(self, error: HTTPException) -> Any:
        """problem+json for the API; pages keep their own error pages."""
        if is_api_request():
            return from_http_exception(error)
        return error


def _swagger_assets() -> FlaskBlueprint:
    from pathlib import Path

    import flask_swagger_ui

    folder = Path(flask_swagger_ui.__file__).parent / "dist"
    return FlaskBlueprint(
        "swagger_assets",
        __name__,
        static_folder=str(folder),
        static_url_path=f"{PREFIX}/docs/assets",
    )


def register_api(app: Flask) -> None:
    """Register the API blueprints, its error handling and the OpenAPI document."""
    app.config.setdefault("API_TITLE", "Voisinage")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("OPENAPI_SWAGGER_UI_PATH", "docs")
    app.config.setdefault("OPENAPI_SWAGGER_UI_URL", f"{PREFIX}/docs/assets/")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": (
                    "Event-sourced participation and deliberation. Errors are "
                    "application/problem+json (RFC 9457). Mutating requests accept an "
                    "Idempotency-Key header; their answers carry X-Voisinage-Position, which "
                    "a read may send back as X-Voisinage-After to see its own writes."
                )
            },
        },
    )
    api = VoisinageApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for module in BLUEPRINTS:
        api.register_blueprint(module.blp)
    api.register_blueprint(transparency.well_known)
    app.register_blueprint(_swagger_assets())
    app.extensions["api"] = api

    init_problems(app)
    # Idempotency before reading: its answer hook then runs after the position is set.
    init_idempotency(app, app.extensions["views"].engine)
    init_reading(app)
    app.before_request(check_presented_token)

    @app.errorhandler(DomainError)
    def refused(error: DomainError) -> Any:
        if is_api_request():
            return from_domain_error(error)
        raise error
