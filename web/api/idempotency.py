"""``Idempotency-Key`` on mutating API requests: a retry gets the first answer.

The first request with a key reserves it (a row with no answer yet), runs, and stores
its answer (status, headers, body) unless it was a 5xx, in which case the reservation is
dropped so that the retry runs again. A retry with the same key, the same caller and the
same request gets the stored answer and records nothing; the same key with another
request body is refused (422). While the first request is still running, a retry gets
409 with ``Retry-After``. A reservation older than ``IDEMPOTENCY_STALE_SECONDS`` (its
worker died) may be taken over.

Keys are scoped by caller (a digest of the bearer token, or the client address for
anonymous calls): a key names one request (method, path, query and body) of one caller,
and reusing it for another route or body is refused (422). They are kept
``IDEMPOTENCY_TTL_SECONDS`` (24 h), in the read-model database, shared by every worker
of a deployment.

Limit (documented in docs/SECURITY.md): the answer is stored after the events, in
another transaction; if a worker dies between the two, a retry after the stale delay
runs the command again. Casting the same ballot twice is harmless by design (same
choices, same receipt, nothing new recorded).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, g, request

from web.api.problems import is_api_request, problem

HEADER = "Idempotency-Key"
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 200
#: Headers of an answer worth replaying.
KEPT_HEADERS = ("Location", "X-Voisinage-Position", "Retry-After")
#: The stored "answer" of a request whose answer must not be kept (it holds a receipt).
RERUN = "x-voisinage/rerun"

metadata = sa.MetaData()
idempotency_keys = sa.Table(
    "api_idempotency_keys",
    metadata,
    sa.Column("scope", sa.String(64), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status", sa.Integer, nullable=True),  # None: the first request is running
    sa.Column("headers", sa.Text, nullable=True),
    sa.Column("body", sa.LargeBinary, nullable=True),
    sa.Column("mimetype", sa.String(100), nullable=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)


def _digest(key: bytes, *parts: str | bytes) -> str:
    """A keyed digest (HMAC-SHA-256) of the parts: a copy of the table cannot be tested
    against guessed requests (a ballot's choices are a small space to try)."""
    h = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def _holds_a_receipt(response: Response) -> bool:
    """Whether an answer carries a ballot's receipt (never kept: see keep_answer)."""
    if not response.is_json:
        return False
    body = response.get_json(silent=True)
    return isinstance(body, dict) and "receipt" in body


class IdempotencyStore:
    """Reservations and stored answers in one SQL table."""

    def __init__(self, engine: sa.Engine, ttl: float, stale: float) -> None:
        self.engine = engine
        self.ttl = ttl
        self.stale = stale
        metadata.create_all(engine, checkfirst=True)
        self._inserts = 0

    def reserve(self, scope: str, fingerprint: str) -> dict[str, Any] | None:
        """Reserve `scope` (None: go ahead) or return the existing row."""
        now = time.time()
        self._inserts += 1
        if self._inserts % 1000 == 1:
            self.purge(now)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    idempotency_keys.insert().values(
                        scope=scope, fingerprint=fingerprint, created_at=now
                    )
                )
            return None
        except sa.exc.IntegrityError:
            pass
        with self.engine.begin() as connection:
            row = (
                connection.execute(
                    sa.select(idempotency_keys).where(idempotency_keys.c.scope == scope)
                )
                .mappings()
                .first()
            )
            if row is None:  # purged in between: try once more
                return self.reserve(scope, fingerprint)
            if row["status"] is None and row["created_at"] < now - self.stale:
                taken = connection.execute(
                    idempotency_keys.update()
                    .where(
                        idempotency_keys.c.scope == scope,
                        idempotency_keys.c.status.is_(None),
                        idempotency_keys.c.created_at == row["created_at"],
                    )
                    .values(created_at=now, fingerprint=fingerprint)
                )
                if taken.rowcount == 1:
                    return None
            return dict(row)

    def store(self, scope: str, response: Response) -> None:
        """Keep the answer of a reserved request.

        An answer that carries a ballot's receipt is never kept beside its request (the
        choices): the row only marks the key as used (RERUN), and a retry runs the
        command again, which for a ballot records nothing and answers the same receipt
        (application/voting.py).
        """
        headers = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
        if _holds_a_receipt(response):
            with self.engine.begin() as connection:
                connection.execute(
                    idempotency_keys.update()
                    .where(idempotency_keys.c.scope == scope)
                    .values(
                        status=response.status_code,
                        headers=json.dumps(headers),
                        body=b"",
                        mimetype=RERUN,
                    )
                )
            return
        with self.engine.begin() as connection:
            connection.execute(
                idempotency_keys.update()
                .where(idempotency_keys.c.scope == scope)
                .values(
                    status=response.status_code,
                    headers=json.dumps(headers),
                    body=response.get_data(),
                    mimetype=response.mimetype,
                )
            )

    def release(self, scope: str) -> None:
        """Drop a reservation whose request failed on the server's side."""
        with self.engine.begin() as connection:
            connection.execute(
                idempotency_keys.delete().where(
                    idempotency_keys.c.scope == scope, idempotency_keys.c.status.is_(None)
                )
            )

    def purge(self, now: float) -> None:
        """Forget keys older than the time to live."""
        with self.engine.begin() as connection:
            connection.execute(
                idempotency_keys.delete().where(idempotency_keys.c.created_at < now - self.ttl)
            )


def _replay(row: dict[str, Any]) -> Response:
    response = Response(row["body"] or b"", status=row["status"], mimetype=row["mimetype"])
    for name, value in json.loads(row["headers"] or "{}").items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def init_idempotency(app: Flask, engine: sa.Engine) -> None:
    """Install the Idempotency-Key hooks for mutating requests under /api/."""
    store = IdempotencyStore(
        engine,
        ttl=float(app.config.get("IDEMPOTENCY_TTL_SECONDS", 24 * 3600)),
        stale=float(app.config.get("IDEMPOTENCY_STALE_SECONDS", 30)),
    )
    app.extensions["idempotency"] = store
    secret: bytes = app.extensions["voisinage"].secrets.pseudonym_key

    @app.before_request
    def reserve_key() -> Response | None:
        key = request.headers.get(HEADER)
        if key is None or request.method not in MUTATING or not is_api_request():
            return None
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            return problem(
                400,
                "Bad Request",
                f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters",
                errors={HEADER: ["invalid"]},
            )
        caller = request.headers.get("Authorization") or f"anonymous:{request.remote_addr}"
        # A key names one request of one caller: the same key for another method, path
        # or body is a reuse (422), never a second command.
        scope = _digest(secret, key, caller)
        fingerprint = _digest(
            secret, request.method, request.path, request.query_string, request.get_data(cache=True)
        )
        row = store.reserve(scope, fingerprint)
        if row is None:
            g.idempotency_scope = scope
            return None
        if row["fingerprint"] != fingerprint:
            return problem(
                422,
                "Idempotency key reused",
                f"this {HEADER} was already used for a different request",
                errors={HEADER: ["already used for a different request"]},
            )
        if row["mimetype"] == RERUN:  # a ballot: run again (same receipt, nothing recorded)
            g.idempotency_rerun = row
            return None
        if row["status"] is None:
            return problem(
                409,
                "Request in progress",
                f"a request with this {HEADER} is still running: retry shortly",
                headers={"Retry-After": "1"},
            )
        return _replay(row)

    @app.after_request
    def keep_answer(response: Response) -> Response:
        rerun = g.pop("idempotency_rerun", None)
        if rerun is not None and response.status_code < 300:  # the first answer again
            for name, value in json.loads(rerun["headers"] or "{}").items():
                response.headers[name] = value
            response.headers["Idempotent-Replayed"] = "true"
        scope = g.pop("idempotency_scope", None)
        if scope is not None:
            if response.status_code >= 500:
                store.release(scope)
            else:
                store.store(scope, response)
        return response

    @app.teardown_request
    def release_on_error(error: BaseException | None) -> None:
        scope = g.pop("idempotency_scope", None)
        if scope is not None:
            store.release(scope)
