"""Server-rendered pages for residents, facilitators, institutions and auditors."""

from __future__ import annotations

from flask import Flask


def register_pages(app: Flask) -> None:
    """Register the page blueprints, Flask-Babel and the session-based sign-in."""
