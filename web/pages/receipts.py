"""The receipt of one's ballot (the page and a text file to keep) and the check anyone can
make that a receipt is in the counted set, with its inclusion proof in the transparency
log (a file for `voisinage-verify proof`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import (
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from werkzeug.wrappers import Response

from web.context import receipt_counted, views, voisinage
from web.pages import ballots
from web.pages.blueprint import bp
from web.pages.data import (
    process_row,
    process_view,
)
from web.pages.feedback import attempt
from web.pages.sessions import page_actor, signed_in


@bp.get("/p/<uuid:pid>/receipt")
@signed_in("take part as a resident", in_process=True)
def receipt(pid: UUID) -> str:
    """One's receipt, and what one chose (only the voter sees this page)."""
    actor = page_actor()
    assert actor is not None
    state = process_view(pid)
    own = attempt(lambda: voisinage().own_ballot(actor, pid))
    chosen = []
    if own is not None and own.counted:
        proposals = views().proposals_by_id(list(own.choices))
        chosen = ballots.describe(state.rules, own.choices, proposals)
    shown = own.receipt if own is not None else None
    return render_template(
        "pages/receipt.html",
        pid=pid,
        process=state.row,
        ballot=own,
        receipt=shown,
        chosen=chosen,
    )


@bp.get("/p/<uuid:pid>/receipt.txt")
@signed_in("take part as a resident", in_process=True)
def receipt_file(pid: UUID) -> Any:
    """One's receipt as a small text file to keep (no choices in it)."""
    actor = page_actor()
    assert actor is not None
    own = attempt(lambda: voisinage().own_ballot(actor, pid))
    shown = own.receipt if own is not None else None
    if shown is None:
        abort(404)
    check = url_for("pages.check_receipt", pid=pid, _external=True)
    text = "\n".join(
        [
            gettext("My Voisinage vote receipt"),
            "",
            shown,
            "",
            gettext("Check that it is counted at: %(url)s", url=check),
            "",
        ]
    )
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": 'attachment; filename="voisinage-receipt.txt"'},
    )


@bp.get("/p/<uuid:pid>/check")
def check_receipt(pid: UUID) -> str:
    """Anyone can check that a receipt is in the counted set (it says nothing of the vote)."""
    row = process_row(pid)
    given = (request.args.get("receipt") or "").strip()
    counted: bool | None = None
    if given:
        counted = receipt_counted(pid, given)
    # the events and views keep the receipt's keyed digest: look the ballot up by it
    inclusion = _log().receipt_inclusion(*_ballot(pid, given)) if counted else None
    return render_template(
        "pages/check.html",
        pid=pid,
        process=row,
        receipt=given,
        counted=counted,
        inclusion=inclusion,
        public_key=_log().signer.verifier.encode(),
    )


@bp.get("/p/<uuid:pid>/check/proof.json")
def check_receipt_proof(pid: UUID) -> Response:
    """The counted ballot's inclusion proof as a file for `voisinage-verify proof` (same
    rules as the check page; 404 when the receipt is not counted or not covered yet)."""
    process_row(pid)
    given = (request.args.get("receipt") or "").strip()
    proof = _log().receipt_proof(*_ballot(pid, given)) if receipt_counted(pid, given) else None
    if proof is None:
        abort(404)
    return Response(
        json.dumps(proof, indent=2) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="voisinage-proof.json"'},
    )


def _log() -> Any:
    """The transparency log (projections/transparency.py)."""
    return current_app.extensions["transparency"]


def _ballot(pid: UUID, given: str) -> tuple[str, str, Callable[[int], bytes | None]]:
    """The arguments of the log's receipt lookups: the process, the receipt's keyed digest
    and a reader of stored events' state."""
    recorder = voisinage().recorder

    def state_at(position: int) -> bytes | None:
        found = recorder.select_notifications(start=position, limit=1)
        return bytes(found[0].state) if found and found[0].id == position else None

    return str(pid), voisinage().receipt_digest(given), state_at
