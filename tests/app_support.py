"""The one builder of the application and of the whole web app for the tests, their
closing, and the one way to let the read models catch up (importable from every test
folder: tests/ is on the path). Processes are built by `World` (tests/builders.py).

* ``open_voisinage(database_url, secrets=None)``: the application alone on the store
  (fresh secrets unless given: a second worker on the same store passes the first's);
* ``build_app(database_url, **config)``: ``create_app`` on the store with fresh secrets,
  the projections following it in threads, and ``TESTING`` (``config`` overrides any);
* ``close_app(flask_app)``: stop the projections, close the views and the application;
* ``settle(flask_app)``: wait until the app's projections have processed every stored
  event (the test fails when they do not within the timeout);
* ``sync(storage, views)``: for tests of the application without the web app: run every
  projection now, in the test's thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from application import Voisinage
from application.secrets import Secrets
from infrastructure.schema_lock import creating_tables
from infrastructure.storage import Storage
from projections.queries import Views
from projections.runner import update


def sqlite_url_in(directory: Path) -> str:
    """A DATABASE_URL for the SQLite file ``voisinage.sqlite`` in `directory`."""
    return f"sqlite:///{directory}/voisinage.sqlite"


def open_voisinage(database_url: str, secrets: Secrets | None = None) -> Voisinage:
    """The application on the store at `database_url` (close it after use), started
    under the store's start-up lock as the service starts it: a second worker (or a
    projections process) may be creating the same tables at that moment."""
    storage = Storage.from_url(database_url)
    with creating_tables(storage):
        return Voisinage(storage, secrets or Secrets.generate())


def build_app(database_url: str, **config: Any) -> Flask:
    """The whole web app (API, pages, security) on the store at `database_url`."""
    from web import create_app

    settings: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "SECRETS": Secrets.generate(),
        "START_PROJECTIONS": True,
        "TESTING": True,
    }
    settings.update(config)
    return create_app(settings)


def close_app(flask_app: Flask) -> None:
    """Stop the projection threads, close the views and the store."""
    service = flask_app.extensions.get("projections")
    if service is not None:
        service.stop()
    views = flask_app.extensions.get("views")
    if views is not None:
        views.close()
    flask_app.extensions["voisinage"].close()


def settle(flask_app: Flask, timeout: float = 20.0) -> None:
    """Wait until the read models have caught up with every stored event."""
    voisinage: Voisinage = flask_app.extensions["voisinage"]
    head = voisinage.head_position()
    reached = flask_app.extensions["views"].wait_for(head, timeout)
    assert reached, f"the projections did not reach position {head} in {timeout} s"


def sync(storage: Storage, views: Views | None = None) -> int:
    """Bring every projection up to date, synchronously."""
    return update(storage, engine=views.engine if views is not None else None)
