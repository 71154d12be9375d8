"""Voisinage's web layer: the JSON API (/api/v1) and the pages, on one Flask app.

Thin by design: each view parses its input, calls one application method or one
query of the projections, and maps domain errors to HTTP (see web/problems.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from application import Voisinage
from application.secrets import Secrets
from infrastructure.storage import Storage


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app, one Voisinage application and projection service per process.

    Configuration (mapping, else environment): DATABASE_URL, VOISINAGE_SECRET_KEY,
    VOISINAGE_PSEUDONYM_KEY, START_PROJECTIONS (default true: follow the store in a
    background thread; false when a separate `voisinage projections run` does it).
    """
    app = Flask(__name__, instance_relative_config=True)
    settings: dict[str, Any] = {
        "DATABASE_URL": os.environ.get("DATABASE_URL"),
        "START_PROJECTIONS": os.environ.get("VOISINAGE_START_PROJECTIONS", "1") != "0",
    }
    settings.update(config or {})
    app.config.update(settings)

    storage = Storage.from_url(app.config["DATABASE_URL"])
    environ = {**os.environ, **{k: v for k, v in settings.items() if isinstance(v, str)}}
    secrets = settings.get("SECRETS") or Secrets.load(environ, storage.secrets_file)
    secrets.checkpoint_signer  # noqa: B018 (refuse to start without the checkpoint key)
    app.config["SECRET_KEY"] = secrets.secret_key

    from infrastructure.schema_lock import creating_tables
    from web.api import register_api
    from web.security import init_security

    with creating_tables(storage):  # workers starting at once on a fresh database
        _wire_application(app, storage, secrets)
        init_security(app)
        register_api(app)

    from web.pages import register_pages

    register_pages(app)
    return app


def _wire_application(app: Flask, storage: Storage, secrets: Secrets) -> None:
    """Application, projections and their queries, kept in app.extensions."""
    from projections.queries import Views

    views = Views(storage)
    transparency = _transparency_log(app, views, secrets)
    chain_head = transparency.chain_head_with_checkpoint(views.chain_head)
    voisinage = Voisinage(storage, secrets, chain_head=chain_head)
    app.extensions["voisinage"] = voisinage
    app.extensions["views"] = views
    app.extensions["transparency"] = transparency
    if app.config["START_PROJECTIONS"]:
        from projections.queries import ProjectionService
        from projections.transparency import Checkpointer

        service = ProjectionService(storage)
        service.start()
        app.extensions["projections"] = service
        app.extensions["checkpointer"] = Checkpointer(transparency).start()


def _transparency_log(app: Flask, views: Any, secrets: Secrets) -> Any:
    """The Merkle tree's reader and checkpoint signer (CHECKPOINT_EVERY_EVENTS, default
    1000, and CHECKPOINT_EVERY_SECONDS, default 60: a new checkpoint when either is reached;
    WITNESS_KEYS: the witnesses' public keys whose cosignatures are kept)."""
    from projections.transparency import TransparencyLog

    every_events = app.config.get(
        "CHECKPOINT_EVERY_EVENTS", os.environ.get("VOISINAGE_CHECKPOINT_EVERY_EVENTS", 1000)
    )
    every_seconds = app.config.get(
        "CHECKPOINT_EVERY_SECONDS", os.environ.get("VOISINAGE_CHECKPOINT_EVERY_SECONDS", 60)
    )
    from domain.cosignature import CosignerVerifier

    witnesses = app.config.get("WITNESS_KEYS", os.environ.get("VOISINAGE_WITNESS_KEYS", ""))
    return TransparencyLog(
        views.engine,
        secrets.checkpoint_signer,
        every_events=int(every_events),
        every_seconds=float(every_seconds),
        witnesses=[CosignerVerifier.decode(k) for k in witnesses.replace(",", " ").split()],
    )
