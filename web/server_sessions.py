"""Server-side sessions: the cookie holds only an opaque random id, the data stays here.

* The cookie is a 256-bit random id (``secrets.token_urlsafe(32)``): nothing in it can
  be read (no actor id, role or CSRF token) and nothing can be forged.
* The data lives in table ``web_sessions`` of the read-model database, shared by every
  worker, under the SHA-256 of the id: a copy of the table gives no usable cookie.
* Signing out deletes the row (``session.clear()`` empties the session): a replay of
  the old cookie finds nothing and is anonymous. Signing in starts a new id (no
  session fixation).
* Idle expiry: a session whose actor is staff ends after ``SESSION_STAFF_IDLE_SECONDS``
  (30 minutes) without a request; a resident's after ``SESSION_RESIDENT_IDLE_SECONDS``
  (30 days: residents come back with their phone); an anonymous one (language, CSRF
  token) after a day. ``last_seen`` is written at most once a minute per session.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any

import sqlalchemy as sa
from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

metadata = sa.MetaData()
web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("staff", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_seen", sa.Float, nullable=False, index=True),
)

STAFF_IDLE_SECONDS = 30 * 60
RESIDENT_IDLE_SECONDS = 30 * 24 * 3600
ANONYMOUS_IDLE_SECONDS = 24 * 3600
TOUCH_EVERY_SECONDS = 60.0
#: Where pages keep the signed-in actor (web.pages.sessions.SESSION_KEY).
ACTOR_KEY = "actor"


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class ServerSession(CallbackDict[str, Any], SessionMixin):
    """A session's data; `sid` is None until it is first stored."""

    def __init__(
        self, data: dict[str, Any] | None = None, sid: str | None = None, last_seen: float = 0.0
    ) -> None:
        def changed(_: Any) -> None:
            self.modified = True

        super().__init__(data or {}, changed)
        self.sid = sid
        self.last_seen = last_seen
        self.modified = False
        self.renew = False

    def regenerate(self) -> None:
        """Give the session a new id when it is next saved (after signing in)."""
        self.renew = True
        self.modified = True


def is_staff(data: dict[str, Any]) -> bool:
    """Whether the session holds a signed-in staff member."""
    actor = data.get(ACTOR_KEY)
    return isinstance(actor, dict) and actor.get("r") not in (None, "resident")


class ServerSessionInterface(SessionInterface):
    """Flask sessions kept in one SQL table; the cookie carries a random id only."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        metadata.create_all(engine, checkfirst=True)
        self._saves = 0

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured, or when this request is https."""
        from flask import request

        configured = bool(app.config.get("SESSION_COOKIE_SECURE"))
        try:
            return configured or request.is_secure
        except RuntimeError:  # outside a request
            return configured

    def idle_limit(self, app: Flask, data: dict[str, Any]) -> float:
        """Seconds without a request after which this session ends."""
        if is_staff(data):
            return float(app.config.get("SESSION_STAFF_IDLE_SECONDS", STAFF_IDLE_SECONDS))
        if isinstance(data.get(ACTOR_KEY), dict):
            return float(app.config.get("SESSION_RESIDENT_IDLE_SECONDS", RESIDENT_IDLE_SECONDS))
        return float(app.config.get("SESSION_ANONYMOUS_IDLE_SECONDS", ANONYMOUS_IDLE_SECONDS))

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        """The stored session of the cookie's id, or a new empty one."""
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid or len(sid) > 100:
            return ServerSession()
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(web_sessions.c.data, web_sessions.c.last_seen).where(
                    web_sessions.c.digest == _digest(sid)
                )
            ).first()
        if row is None:
            return ServerSession()
        data = json.loads(row.data)
        if time.time() - float(row.last_seen) > self.idle_limit(app, data):
            self._delete(sid)
            return ServerSession()
        return ServerSession(data, sid, float(row.last_seen))

    def _delete(self, sid: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(web_sessions.delete().where(web_sessions.c.digest == _digest(sid)))

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Store, touch or delete the session and set or remove the cookie."""
        assert isinstance(session, ServerSession)
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        now = time.time()
        if not session:
            if session.sid is not None:
                self._delete(session.sid)
                response.delete_cookie(name, domain=domain, path=path)
            return
        if session.sid is not None and not session.modified:
            if now - session.last_seen >= TOUCH_EVERY_SECONDS:
                with self.engine.begin() as connection:
                    connection.execute(
                        web_sessions.update()
                        .where(web_sessions.c.digest == _digest(session.sid))
                        .values(last_seen=now)
                    )
            return
        if session.sid is not None and session.renew:
            self._delete(session.sid)
            session.sid = None
        data = json.dumps(dict(session))
        with self.engine.begin() as connection:
            if session.sid is None:
                session.sid = secrets.token_urlsafe(32)
                connection.execute(
                    web_sessions.insert().values(
                        digest=_digest(session.sid),
                        data=data,
                        staff=is_staff(session),
                        created_at=now,
                        last_seen=now,
                    )
                )
            else:
                connection.execute(
                    web_sessions.update()
                    .where(web_sessions.c.digest == _digest(session.sid))
                    .values(data=data, staff=is_staff(session), last_seen=now)
                )
        self._saves += 1
        if self._saves % 500 == 1:
            self.purge(app, now)
        response.set_cookie(
            name,
            session.sid,
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=domain,
            path=path,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")

    def purge(self, app: Flask, now: float) -> None:
        """Forget sessions idle longer than any limit allows."""
        staff = float(app.config.get("SESSION_STAFF_IDLE_SECONDS", STAFF_IDLE_SECONDS))
        longest = float(app.config.get("SESSION_RESIDENT_IDLE_SECONDS", RESIDENT_IDLE_SECONDS))
        with self.engine.begin() as connection:
            connection.execute(
                web_sessions.delete().where(
                    sa.or_(
                        web_sessions.c.last_seen < now - longest,
                        sa.and_(web_sessions.c.staff, web_sessions.c.last_seen < now - staff),
                    )
                )
            )
