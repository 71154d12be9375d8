"""Who is calling the API: the actor behind an ``Authorization: Bearer`` token.

Staff get a token from ``POST /auth/token`` (e-mail and password), residents from
``POST /processes/{pid}/join`` (an invitation code). The API reads bearer tokens only,
never the pages' session cookie, so a browser's cookies cannot be used to act through
the API from another site (no CSRF surface).

``@requires(act)`` checks the token and the role against application.authorisation
before the body is read: a refused caller learns nothing about the body's validity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request
from flask_smorest import Blueprint

from application import Actor
from application.authorisation import RULES, authorise
from domain.errors import NotAuthenticated
from web.api.problems import is_api_request
from web.context import views, voisinage

__all__ = ["optional_actor", "required_actor", "requires", "views", "voisinage"]

F = TypeVar("F", bound=Callable[..., Any])

#: The OpenAPI security requirement of routes that need a token.
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def bearer_token() -> str | None:
    """The bearer token of this request, None without an Authorization header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("use 'Authorization: Bearer <token>'")
    return token.strip()


def optional_actor() -> Actor | None:
    """The caller if a token is given (an invalid token is refused, not ignored)."""
    if "api_actor" not in g:
        token = bearer_token()
        g.api_actor = voisinage().actor_from_token(token) if token else None
    actor: Actor | None = g.api_actor
    return actor


def required_actor() -> Actor:
    """The caller, or NotAuthenticated (401)."""
    actor = optional_actor()
    if actor is None:
        raise NotAuthenticated("this request needs 'Authorization: Bearer <token>'")
    return actor


def check_presented_token() -> None:
    """Before every API request: a token that is presented must be valid (401 if not),
    even on routes anyone may call, so that a client never mistakes a refused token for
    an anonymous answer."""
    if is_api_request() and "Authorization" in request.headers:
        optional_actor()


def requires(act: str) -> Callable[[F], F]:
    """Authenticate and authorise `act` first, then call the view with ``actor=``."""
    if act not in RULES:
        raise KeyError(f"no authorisation rule named {act!r}")

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            actor = authorise(required_actor(), act)
            return view(*args, actor=actor, **kwargs)

        documented: F = Blueprint.doc(security=BEARER)(wrapper)
        return documented

    return decorator


def authenticated(view: F) -> F:
    """Any signed-in caller (the view checks the finer rule): ``actor=`` is passed."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return view(*args, actor=required_actor(), **kwargs)

    documented: F = Blueprint.doc(security=BEARER)(wrapper)
    return documented
