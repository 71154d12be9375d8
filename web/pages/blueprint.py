"""The one blueprint of the pages; each module of this package adds its routes to it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pages", __name__)
