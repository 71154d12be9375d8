"""Security headers, cookie flags and request limits for every response.

`init_security(app)` installs, before any blueprint is registered (the headers themselves
in web/headers.py):

* headers on every response: a strict Content-Security-Policy (no inline script, no
  framing, no plugins), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
  same-origin``, ``X-Frame-Options: DENY``, a ``Permissions-Policy`` that turns off
  powerful features, cross-origin isolation headers, HSTS over https, and
  ``Cache-Control: no-store`` on answers to authenticated requests;
* session cookie flags: HttpOnly, SameSite=Lax, Secure when configured
  (``SESSION_COOKIE_SECURE``) or whenever the request came over https;
* limits checked before a body is parsed: ``MAX_CONTENT_LENGTH`` (256 KiB by default,
  413) and a JSON nesting depth (``MAX_JSON_DEPTH``, 32 by default, 400) measured on
  the raw bytes, so a hostile document never reaches the JSON parser's recursion;
* brakes on guessing, shared by every worker (web/rate_limits.py): failed sign-ins
  (401) per (address, e-mail) — past ``LOGIN_FAILURE_LIMIT`` within
  ``LOGIN_FAILURE_WINDOW`` seconds that e-mail gets 429 from that address; failed joins
  (422) on ``/api/v1/processes/<pid>/join`` and ``/p/<pid>/join`` per (address,
  process), in their own budget — past ``JOIN_FAILURE_LIMIT`` a wrong code gets 429, a
  valid one still gets in (refused beforehand only past ``JOIN_HARD_LIMIT``).

Refusals under the API prefix (``/api/``) are ``application/problem+json`` (RFC 9457)
with ``type``, ``title``, ``status`` and ``detail``; elsewhere the usual error page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from flask import Flask, Response, abort, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from web.api.problems import is_api_request, problem
from web.headers import DEFAULT_DOCS_PATHS, add_headers

DEFAULT_MAX_CONTENT_LENGTH = 256 * 1024
DEFAULT_MAX_JSON_DEPTH = 32

JSON_MIMETYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json$")

#: A JSON string, from its opening quote to its closing quote or the end of the input.
#: Every alternative consumes input and the match cannot fail once started, so the scan
#: is linear even on hostile input (no backtracking from unterminated strings).
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.|\\$)*(?:"|$)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth_exceeds(data: bytes, limit: int) -> bool:
    """Whether a JSON text nests arrays/objects deeper than `limit`, without parsing it.

    Brackets inside strings do not count. Malformed input is measured all the same
    (the parser refuses it later anyway).
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    if brackets.count(b"[") + brackets.count(b"{") <= limit:
        return False
    depth = 0
    for byte in brackets:
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the Secure flag also set whenever the
    request itself came over https (behind a proxy: see PROXY_FIX)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured, or when this request is https."""
        configured = bool(app.config.get("SESSION_COOKIE_SECURE"))
        try:
            return configured or request.is_secure
        except RuntimeError:  # outside a request
            return configured


def _env_flag(name: str) -> bool | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


def _configure(app: Flask) -> None:
    config = app.config
    if not config.get("MAX_CONTENT_LENGTH"):
        config["MAX_CONTENT_LENGTH"] = int(
            os.environ.get("VOISINAGE_MAX_CONTENT_LENGTH", DEFAULT_MAX_CONTENT_LENGTH)
        )
    config.setdefault(
        "MAX_JSON_DEPTH", int(os.environ.get("VOISINAGE_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH))
    )
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    secure = _env_flag("VOISINAGE_SESSION_COOKIE_SECURE")
    if secure is None:
        secure = _env_flag("SESSION_COOKIE_SECURE")
    if secure is not None and not config.get("SESSION_COOKIE_SECURE"):
        config["SESSION_COOKIE_SECURE"] = secure
    config.setdefault("SECURITY_DOCS_PATHS", DEFAULT_DOCS_PATHS)
    config.setdefault("LOGIN_PATHS", ("/api/v1/auth/token", "/login", "/sign-in", "/signin"))
    config.setdefault(
        "LOGIN_FAILURE_LIMIT", int(os.environ.get("VOISINAGE_LOGIN_FAILURE_LIMIT", "20"))
    )
    config.setdefault("LOGIN_FAILURE_WINDOW", 300)
    config.setdefault("HSTS_MAX_AGE", 365 * 24 * 3600)
    proxies = int(config.get("PROXY_FIX") or os.environ.get("VOISINAGE_PROXY_FIX", "0") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    views = app.extensions.get("views")
    if views is not None and hasattr(views, "engine"):
        # Server-side sessions: the cookie is an opaque random id (web/server_sessions.py).
        from web.server_sessions import ServerSessionInterface

        app.session_interface = ServerSessionInterface(views.engine)
    else:
        app.session_interface = SessionInterface()


# --- limits on the request -------------------------------------------------------------


def _refuse(status: int, title: str, detail: str) -> Response:
    if is_api_request():
        return problem(status, title, detail)
    abort(status, description=detail)


def _too_large_detail(limit: int | None) -> str:
    return f"the request body is larger than the limit of {limit} bytes"


def _check_request() -> Response | None:
    """Refuse oversized bodies and deeply nested JSON before any view parses them."""
    from flask import current_app

    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    length = request.content_length
    if limit is not None and length is not None and length > limit:
        return _refuse(413, "Content Too Large", _too_large_detail(limit))
    mimetype = request.mimetype or ""
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and JSON_MIMETYPE.match(mimetype):
        try:
            data = request.get_data(cache=True)
        except RequestEntityTooLarge:
            return _refuse(413, "Content Too Large", _too_large_detail(limit))
        depth = int(current_app.config["MAX_JSON_DEPTH"])
        if data and json_depth_exceeds(data, depth):
            return _refuse(
                400,
                "JSON Too Deeply Nested",
                f"the JSON body nests arrays or objects more than {depth} levels deep",
            )
    return None


def _on_too_large(error: RequestEntityTooLarge) -> Response | HTTPException:
    """A body that turned out too large while being read (e.g. chunked uploads)."""
    from flask import current_app

    if is_api_request():
        return problem(
            413, "Content Too Large", _too_large_detail(current_app.config["MAX_CONTENT_LENGTH"])
        )
    return error


# --- password guessing -----------------------------------------------------------------


#: Where invitation codes are tried: the API's and the pages' join.
JOIN_PATH = re.compile(r"^(?:/api/v1/processes|/p)/[^/]+/join/?$")


def _is_login(paths: Iterable[str]) -> bool:
    return request.method == "POST" and request.path.rstrip("/") in {p.rstrip("/") for p in paths}


def _is_join() -> bool:
    return request.method == "POST" and JOIN_PATH.match(request.path) is not None


def _is_guess(paths: Iterable[str]) -> bool:
    """A request that tries a secret: a password or an invitation code."""
    return _is_login(paths) or _is_join()


def _failed_guess(response: Response, paths: Iterable[str]) -> bool:
    if _is_login(paths):
        return response.status_code == 401
    return _is_join() and response.status_code == 422


# --- installation ----------------------------------------------------------------------


def _limit(config: Any, name: str, default: int) -> int:
    if config.get(name):
        return int(config[name])
    return int(os.environ.get(f"VOISINAGE_{name}") or default)


def _target() -> str:
    """What a guess is aimed at: the e-mail of a sign-in, the process of a join."""
    if _is_join():
        return request.path.rstrip("/").rsplit("/", 2)[-2]
    body = request.get_json(silent=True) if request.is_json else None
    email = body.get("email") if isinstance(body, dict) else request.form.get("email")
    return str(email or "").strip().lower()[:320]


def _too_many(wait: float) -> Response:
    response = (
        problem(
            429,
            "Too Many Requests",
            "too many failed attempts from this address: try again later",
        )
        if is_api_request()
        else Response("Too many failed attempts: try again later.", 429)
    )
    response.headers["Retry-After"] = str(int(max(1.0, wait)))
    return response


def init_security(app: Flask) -> None:
    """Install security headers, cookie flags, body-size and nesting limits."""
    _configure(app)
    from web.rate_limits import LocalThrottle, SharedThrottle

    views = app.extensions.get("views")
    throttle: SharedThrottle | LocalThrottle = (
        SharedThrottle(views.engine, str(app.config.get("SECRET_KEY") or ""))
        if views is not None and hasattr(views, "engine")
        else LocalThrottle()
    )
    app.extensions["login_throttle"] = throttle

    def guess_key() -> str:
        kind = "join" if _is_join() else "sign-in"
        return throttle.key(kind, request.remote_addr or "?", _target())

    def before() -> Response | None:
        config = app.config
        refused = _check_request()  # size and depth first: _target() may parse the body
        if refused is not None:
            return refused
        if _is_guess(config["LOGIN_PATHS"]):
            window = float(config["LOGIN_FAILURE_WINDOW"])
            if _is_join():  # a valid code always gets through, short of a flood
                limit = _limit(config, "JOIN_HARD_LIMIT", 500)
            else:
                limit = _limit(config, "LOGIN_FAILURE_LIMIT", 20)
            wait = throttle.blocked(guess_key(), limit, window)
            if wait:
                return _too_many(wait)
        return None

    def after(response: Response) -> Response:
        config = app.config
        if _failed_guess(response, config["LOGIN_PATHS"]):
            window = float(config["LOGIN_FAILURE_WINDOW"])
            key = guess_key()
            throttle.failed(key, window)
            if _is_join():
                failures = throttle.failures(key, window)
                if failures > _limit(config, "JOIN_FAILURE_LIMIT", 20):
                    response = _too_many(min(window, 30.0))  # slow down: the code was wrong
        return add_headers(response)

    # First in line: runs before any blueprint's own hooks (idempotency, auth).
    app.before_request_funcs.setdefault(None, []).insert(0, before)
    app.after_request(after)
    app.register_error_handler(RequestEntityTooLarge, _on_too_large)
