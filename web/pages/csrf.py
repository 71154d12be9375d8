"""CSRF protection of the pages: a per-session token in a hidden field of every POST form.

The token is random, kept in the signed session cookie, and compared in constant time
before any page view runs. A form without it (or with another session's) gets 400.
The JSON API is not concerned: it authenticates with bearer tokens, never cookies.
"""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token() -> str:
    """The session's token, created on first use (templates call this in every form)."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def rotate_csrf_token() -> str:
    """A fresh token (after signing in or out)."""
    session.pop(SESSION_KEY, None)
    return csrf_token()


def check_csrf() -> None:
    """Refuse an unsafe request whose token is missing or does not match (400)."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = session.get(SESSION_KEY)
    given = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not isinstance(expected, str) or not expected or not given:
        abort(400, description="csrf")
    if not hmac.compare_digest(expected.encode(), given.encode()):
        abort(400, description="csrf")
