"""Auditors' pages: the event log with chain hashes (paged), the verification, and the
decision trail from a recommendation back to the workshops (the trail is public)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, abort, current_app, render_template, request

from audit import verify
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import as_list, get, process_row
from web.pages.sessions import signed_in

PAGE = 50


def _int(value: str | None, default: int = 0) -> int:
    try:
        return max(0, int(value or default))
    except ValueError:
        return default


@bp.get("/audit/events")
@signed_in("audit")
def audit_events() -> str:
    """The event log, 50 at a time after a position, with each chain hash."""
    after = _int(request.args.get("after"))
    events = as_list(views().audit_events(after=after, limit=PAGE))
    last = int(get(events[-1], "position")) if events else after
    return render_template(
        "pages/audit_events.html",
        events=events,
        after=after,
        next_after=last if len(events) == PAGE else None,
        previous_after=max(0, after - PAGE) if after > 0 else None,
        head=views().chain_head(),
        processes=as_list(views().list_processes()),
    )


@bp.get("/audit/verify")
@signed_in("audit")
def audit_verify() -> str:
    """Run the verification on request: chain, anchors, recounts (and, if asked, a
    rebuild of every read model compared with the live one)."""
    report: dict[str, Any] | None = None
    if request.args.get("run"):
        full = request.args.get("full") == "1"
        result = verify(
            voisinage().storage,
            voisinage(),
            projections=None if full else [],
            engine=getattr(views(), "engine", None),
        )
        report = result.to_dict()
    from projections.transparency import witnesses_seen

    log = current_app.extensions["transparency"]
    return render_template(
        "pages/audit_verify.html",
        report=report,
        head=views().chain_head(),
        checkpoint=log.latest(),
        public_key=log.signer.verifier.encode(),
        witnesses=witnesses_seen(log),
    )


@bp.get("/audit/bundle")
@signed_in("audit")
def audit_bundle() -> Response:
    """The audit bundle for voisinage-verify, streamed (as GET /api/v1/audit/bundle)."""
    from projections.bundle import bundle_lines

    log = current_app.extensions["transparency"]
    lines = bundle_lines(voisinage().storage, log, log.signer.verifier.encode())
    return Response(
        lines,
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="voisinage-audit-bundle.jsonl"'},
    )


@bp.get("/p/<uuid:pid>/trail")
def trails(pid: UUID) -> str:
    """The submitted recommendations of a process, each leading to its trail."""
    row = process_row(pid)
    items = [r for r in as_list(views().recommendations(pid)) if get(r, "submitted")]
    return render_template("pages/trails.html", pid=pid, process=row, items=items)


@bp.get("/p/<uuid:pid>/trail/<uuid:rid>")
def trail(pid: UUID, rid: UUID) -> str:
    """Recommendation -> proposals (rank, score) -> contributions -> workshops."""
    row = process_row(pid)
    found = views().trail(rid)
    if found is None or str(get(get(found, "recommendation"), "process_id")) != str(pid):
        abort(404)
    return render_template("pages/trail.html", pid=pid, process=row, trail=found)
