"""Who is signed in on the pages: an actor kept in the signed Flask session.

The session holds the participant id, role and (for residents) process id. Each
request checks the participant still exists and was not erased, then puts the actor
in ``flask.g.page_actor`` where ``web.auth.current_actor`` finds it too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from flask import abort, g, redirect, request, session, url_for

from application import Actor
from domain.errors import NotAuthenticated
from domain.roles import Role
from web.context import voisinage
from web.pages.csrf import rotate_csrf_token

P = ParamSpec("P")
T = TypeVar("T")

SESSION_KEY = "actor"


def _actor_from_session() -> Actor | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        return Actor(
            UUID(str(data["p"])),
            Role(str(data["r"])),
            UUID(str(data["x"])) if data.get("x") else None,
        )
    except (KeyError, ValueError):
        return None


def load_page_actor() -> None:
    """Before each page: the signed-in actor, or None (an erased one is signed out)."""
    actor = _actor_from_session()
    if actor is not None:
        try:
            actor = voisinage().current_actor(actor)
        except NotAuthenticated:
            session.pop(SESSION_KEY, None)
            actor = None
    g.page_actor = actor


def page_actor() -> Actor | None:
    """The actor of this request, if signed in."""
    actor: Actor | None = getattr(g, "page_actor", None)
    return actor


def sign_in(actor: Actor) -> None:
    """Start a fresh session for this actor (a new CSRF token too)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session[SESSION_KEY] = {
        "p": str(actor.participant_id),
        "r": actor.role.value,
        "x": str(actor.process_id) if actor.process_id else None,
    }
    session.permanent = actor.role is Role.RESIDENT
    rotate_csrf_token()
    g.page_actor = actor


def sign_out() -> None:
    """Forget the actor and everything else in the session."""
    session.clear()
    rotate_csrf_token()
    g.page_actor = None


def signed_in(*roles: Role) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Only these roles (admins act as facilitators and auditors where the rules allow).

    Anonymous visitors are sent to sign in (staff) or to join (resident pages).
    """

    def decorate(view: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            actor = page_actor()
            if actor is None:
                if roles == (Role.RESIDENT,):
                    pid = kwargs.get("pid")
                    target = url_for("pages.join", pid=pid) if pid else url_for("pages.home")
                else:
                    target = url_for("pages.sign_in", next=request.full_path.rstrip("?"))
                return redirect(target, code=303)  # type: ignore[return-value]
            if roles and actor.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


STAFF = (Role.FACILITATOR, Role.INSTITUTION, Role.AUDITOR, Role.ADMIN)
FACILITATORS = (Role.FACILITATOR, Role.ADMIN)
AUDITORS = (Role.AUDITOR, Role.ADMIN)


def template_context() -> dict[str, Any]:
    """What every template may use about the signed-in actor."""
    actor = page_actor()
    return {
        "actor": actor,
        "is_resident": actor is not None and actor.role is Role.RESIDENT,
        "is_facilitator": actor is not None and actor.role in FACILITATORS,
        "is_institution": actor is not None and actor.role is Role.INSTITUTION,
        "is_auditor": actor is not None and actor.role in AUDITORS,
        "Role": Role,
    }
