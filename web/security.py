"""Security headers, cookie flags and request limits for every response."""

from __future__ import annotations

from flask import Flask


def init_security(app: Flask) -> None:
    """Install security headers, cookie flags and body-size limits."""
