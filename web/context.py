"""The objects of this worker process that every request uses, kept in app.extensions."""

from __future__ import annotations

from typing import Any

from flask import current_app

from application import Voisinage
from projections.queries import Views


def voisinage() -> Voisinage:
    """The application of this worker process."""
    app: Voisinage = current_app.extensions["voisinage"]
    return app


def views() -> Views:
    """The read models' queries of this worker process."""
    found: Views = current_app.extensions["views"]
    return found


def receipt_counted(pid: Any, given: str) -> bool:
    """Whether a typed receipt (any case, spaces and dashes ignored) is counted in `pid`.

    The read models hold only keyed digests of receipts (application/receipts.py);
    receipts issued before that format are looked up as they were stored.
    """
    from application.receipts import is_legacy

    if not given or len(given) > 100:
        return False
    if views().receipt_counted(pid, voisinage().receipt_digest(given)):
        return True
    return is_legacy(given.strip()) and bool(views().receipt_counted(pid, given.strip()))
