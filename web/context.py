"""The objects of this worker process that every request uses, kept in app.extensions."""

from __future__ import annotations

from typing import Any

from flask import current_app

from application import Voisinage


def voisinage() -> Voisinage:
    """The application of this worker process."""
    app: Voisinage = current_app.extensions["voisinage"]
    return app


def views() -> Any:
    """The read models' queries (projections.queries.Views)."""
    return current_app.extensions["views"]
