"""The JSON API under /api/v1 (flask-smorest blueprints, one per resource)."""

from __future__ import annotations

from flask import Flask


def register_api(app: Flask) -> None:
    """Register the API blueprints and the OpenAPI document."""
