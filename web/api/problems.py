"""Every API refusal as `application/problem+json` (RFC 9457).

One table maps the domain's named errors to HTTP statuses; input that fails a schema
keeps marshmallow's messages per field under ``errors``; a database that cannot be
reached is a 503 with ``Retry-After`` (the client retries with its Idempotency-Key),
never a 500 with a trace.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import sqlalchemy.exc
from eventsourcing import persistence
from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

from domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
)

API_PREFIX = "/api/"
PROBLEM = "application/problem+json"

#: Domain error class -> (status, title). The first matching base class wins.
STATUSES: tuple[tuple[type[DomainError], int, str], ...] = (
    (NotAuthenticated, 401, "Not authenticated"),
    (NotAllowed, 403, "Forbidden"),
    (NotFound, 404, "Not found"),
    (InvalidInput, 422, "Invalid input"),
    (Conflict, 409, "Conflict"),
)

logger = logging.getLogger(__name__)


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="voisinage"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def status_of(error: DomainError) -> tuple[int, str]:
    """The HTTP status and title of a refused command (the API's and the pages')."""
    for cls, code, name in STATUSES:
        if isinstance(error, cls):
            return code, name
    return 409, "Conflict"


def from_domain_error(error: DomainError) -> Response:
    """The problem answer of a refused command: its status, name and field."""
    status, title = status_of(error)
    errors = {error.field: [error.message]} if error.field else None
    coded: dict[str, Any] = {"code": error.code, "params": error.params} if error.code else {}
    return problem(status, title, error.message, errors=errors, error=type(error).__name__, **coded)


def _field_messages(data: Any) -> dict[str, Any] | None:
    """webargs puts messages under the location ({"json": {...}}): lift them up."""
    messages = (data or {}).get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, dict):
        return None
    merged: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            merged.update(fields)
        else:
            merged[location] = fields
    return merged or None


def from_http_exception(error: HTTPException) -> Response:
    """flask-smorest and werkzeug aborts (400, 404, 405, 413, 422, ...) as problems."""
    status = error.code or 500
    errors = _field_messages(getattr(error, "data", None))
    detail = error.description
    if errors:
        detail = "the request does not match the schema: see errors"
    response = problem(status, error.name, detail, errors=errors)
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    return response


def _unavailable_errors() -> tuple[type[Exception], ...]:
    """Errors that mean "the database is not there right now": 503, try again."""
    errors: list[type[Exception]] = [
        sqlite3.OperationalError,
        TimeoutError,
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.InterfaceError,
        sqlalchemy.exc.TimeoutError,
        persistence.OperationalError,
        persistence.InterfaceError,
    ]
    try:
        import psycopg
        import psycopg_pool

        errors += [psycopg.OperationalError, psycopg.InterfaceError, psycopg_pool.PoolTimeout]
    except ImportError:  # psycopg is the `postgres` extra
        pass
    return tuple(errors)


def is_api_request() -> bool:
    """Whether the current request is under the API prefix."""
    return request.path.startswith(API_PREFIX)


def init_problems(app: Flask) -> None:
    """Install the problem+json error handlers for requests under /api/."""
    unavailable = _unavailable_errors()

    def on_unavailable(error: Exception) -> Any:
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, error)
        try:  # renew dead pooled connections now, so that the retry works
            app.extensions["voisinage"].reconnect()
        except Exception:  # still down: the next error tries again
            logger.warning("reconnecting to the event store failed", exc_info=True)
        if not is_api_request():
            return Response("The service is briefly unavailable. Try again.", 503)
        return problem(
            503,
            "Service unavailable",
            "the database cannot be reached right now: retry (with the same Idempotency-Key)",
            headers={"Retry-After": "1"},
        )

    for error_class in unavailable:
        app.register_error_handler(error_class, on_unavailable)
