"""Reading the projections from the API, consistently with one's own writes.

Every mutating answer carries ``X-Voisinage-Position``: the store position of what it
recorded. A client that sends it back as ``X-Voisinage-After`` on a read waits (at
most ``READ_AFTER_TIMEOUT`` seconds) until the read models have caught up with it.
A read of one thing that the store has but the read models do not yet show waits
for them the same way instead of answering a false 404.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from flask import Flask, Response, current_app, json, request

from domain.errors import NotFound
from web.api.auth import views, voisinage
from web.api.problems import is_api_request, problem

T = TypeVar("T")
POSITION_HEADER = "X-Voisinage-Position"
AFTER_HEADER = "X-Voisinage-After"


def _timeout() -> float:
    return float(current_app.config.get("READ_AFTER_TIMEOUT", 5.0))


def one(query: Callable[[], T | None], aggregate_id: UUID, what: str) -> T:
    """The read model of one thing, waiting for the projections if the store has it."""
    found = query()
    if found is None and voisinage().exists(aggregate_id):
        views().wait_for(voisinage().head_position(), timeout=_timeout())
        found = query()
    if found is None:
        raise NotFound(f"no {what} with id {aggregate_id}")
    return found


class AnswerCache:
    """Serialised answers by key, valid while the read model's version is unchanged.

    A list of 1,000 proposals costs ~30 ms to read and serialise and changes only when
    a proposal does, while residents vote: the cache answers the same bytes until the
    version (see Views.proposals_version) moves. Small and per worker process.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._answers: dict[Any, tuple[Any, bytes]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, version: Any, build: Callable[[], Any]) -> Response:
        """The cached JSON answer for `key` at `version`, built (and kept) if needed."""
        with self._lock:
            found = self._answers.get(key)
        if found is not None and found[0] == version:
            body = found[1]
        else:
            body = json.dumps(build()).encode()
            with self._lock:
                if len(self._answers) >= self.size:
                    self._answers.clear()
                self._answers[key] = (version, body)
        return Response(body, mimetype="application/json")


def answer_cache() -> AnswerCache:
    """This worker's answer cache."""
    cache: AnswerCache = current_app.extensions["api_answers"]
    return cache


def init_reading(app: Flask) -> None:
    """Position headers on mutating answers; read-after waits on GETs; answer cache."""
    app.extensions["api_answers"] = AnswerCache()

    @app.before_request
    def read_after() -> Response | None:
        voisinage().forget_position()
        value = request.headers.get(AFTER_HEADER)
        if value is None or request.method != "GET" or not is_api_request():
            return None
        if not value.isdigit() or len(value) > 18:
            return problem(
                400,
                "Bad Request",
                f"{AFTER_HEADER} must be a store position (a whole number)",
                errors={AFTER_HEADER: ["not a whole number"]},
            )
        head = voisinage().head_position()
        if int(value) > head:  # no write of anyone's is there to wait for
            return problem(
                400,
                "Bad Request",
                f"{AFTER_HEADER} {value} is beyond the newest position in the store ({head}): "
                f"send the {POSITION_HEADER} of one of your writes",
                errors={AFTER_HEADER: [f"beyond the store's newest position, {head}"]},
            )
        if not views().wait_for(int(value), timeout=_timeout()):
            return problem(
                503,
                "Read models behind",
                f"the read models have not reached position {value} yet: retry",
                headers={"Retry-After": "1"},
            )
        return None

    @app.after_request
    def position(response: Response) -> Response:
        if (
            request.method in ("POST", "PUT", "PATCH", "DELETE")
            and is_api_request()
            and response.status_code < 300
            and POSITION_HEADER not in response.headers
        ):
            last: Any = voisinage().last_position()
            if last:
                response.headers[POSITION_HEADER] = str(last)
        return response
