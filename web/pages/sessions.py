"""Who is signed in on the pages: an actor kept in the server-side session.

The session (web/server_sessions.py: the cookie is an opaque id) holds the participant
id, role and (for residents) process id. Each
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
from application.authorisation import RULES, may
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


def _new_session_id() -> None:
    """Server-side sessions get a new id: the old cookie opens nothing any more."""
    regenerate = getattr(session, "regenerate", None)
    if regenerate is not None:
        regenerate()


def sign_in(actor: Actor) -> None:
    """Start a fresh session for this actor (a new id and CSRF token too)."""
    language = session.get("lang")
    session.clear()
    _new_session_id()
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
    """End the session on the server (a replayed cookie is refused) and forget it all."""
    session.clear()
    _new_session_id()
    rotate_csrf_token()
    g.page_actor = None


def signed_in(act: str, *, in_process: bool = False) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Only the roles that may perform `act` (application/authorisation.py RULES); with
    `in_process`, a resident only in the process of the page's ``pid``.

    Anonymous visitors are sent to sign in (staff) or to join (resident pages).
    """

    def decorate(view: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            actor = page_actor()
            pid = kwargs.get("pid")
            if actor is None:
                if RULES[act] == {Role.RESIDENT}:
                    target = url_for("pages.join", pid=pid) if pid else url_for("pages.home")
                else:
                    target = url_for("pages.sign_in", next=request.full_path.rstrip("?"))
                return redirect(target, code=303)  # type: ignore[return-value]
            scope = pid if in_process and isinstance(pid, UUID) else None
            if in_process and scope is None:
                raise TypeError(f"{view.__name__}: in_process needs a 'pid' in the route")
            if not may(actor, act, scope):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def template_context() -> dict[str, Any]:
    """What every template may use about the signed-in actor."""
    actor = page_actor()
    return {
        "actor": actor,
        "is_resident": may(actor, "take part as a resident"),
        "is_facilitator": may(actor, "facilitate a process"),
        "may_start_process": may(actor, "start a process"),
        "is_institution": may(actor, "answer a recommendation"),
        "is_auditor": may(actor, "audit"),
        "Role": Role,
    }
