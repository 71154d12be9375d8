"""The application, the store and the transparency log as the environment configures them
(DATABASE_URL, VOISINAGE_SECRET_KEY, VOISINAGE_PSEUDONYM_KEY, VOISINAGE_CHECKPOINT_KEY):
what every `voisinage` command opens."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from application import Voisinage
from application.secrets import Secrets
from infrastructure.schema_lock import creating_tables
from infrastructure.storage import Storage

if TYPE_CHECKING:
    from projections.transparency import TransparencyLog


def build_application() -> Voisinage:
    """The application for the configured store (one per process)."""
    storage = configured_storage()
    with creating_tables(storage):
        return Voisinage(storage, Secrets.load(os.environ, storage.secrets_file))


def configured_storage() -> Storage:
    """The store DATABASE_URL names (default: an embedded SQLite file under ./instance)."""
    return Storage.from_url(os.environ.get("DATABASE_URL"))


def transparency() -> tuple[Storage, TransparencyLog]:
    """The store and its TransparencyLog, signing with the configured checkpoint key."""
    from projections.transparency import TransparencyLog
    from projections.view import create_views_engine

    storage = configured_storage()
    secrets = Secrets.load(os.environ, storage.secrets_file)
    engine = create_views_engine(storage.views_url, storage.schema)
    return storage, TransparencyLog(engine, secrets.checkpoint_signer)
