"""Auditors' pages: the event log with chain hashes (paged, filtered, exported as JSON and
CSV), the verification, the PROV-JSON export, and the decision trail from a
recommendation back to the workshops (the trail is public)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Response, abort, current_app, render_template, request, stream_with_context

from audit import verify
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import as_list, get, process_row
from web.pages.event_names import EVENT_NAMES, event_kinds, event_name
from web.pages.reports import DIRECTIONS
from web.pages.sessions import signed_in

PAGE = 50


def _int(value: str | None, default: int = 0) -> int:
    try:
        return max(0, int(value or default))
    except ValueError:
        return default


@dataclass(frozen=True)
class LogFilter:
    """The event log's filters as the query string gives them (checked)."""

    process_id: UUID | None
    kind: str | None

    def args(self) -> dict[str, str]:
        """The filters as query arguments, to keep them in links."""
        found = {"process": str(self.process_id or ""), "kind": self.kind or ""}
        return {k: v for k, v in found.items() if v}


def _log_filter() -> LogFilter:
    """The ?process= and ?kind= of the request; 400 for a value that is neither."""
    process, kind = request.args.get("process") or None, request.args.get("kind") or None
    try:
        process_id = UUID(process) if process else None
    except ValueError:
        abort(400)
    if kind is not None and kind not in EVENT_NAMES:
        abort(400)
    return LogFilter(process_id, kind)


@bp.get("/audit/events")
@signed_in("audit")
def audit_events() -> str:
    """The event log, 50 at a time, with when, what (in plain words) and each chain hash;
    by process and by kind if asked."""
    chosen = _log_filter()
    before = request.args.get("before")
    page = views().audit_page(
        after=_int(request.args.get("after")),
        before=_int(before) if before else None,
        limit=PAGE,
        process_id=chosen.process_id,
        kind=chosen.kind,
    )
    return render_template(
        "pages/audit_events.html",
        page=page,
        chosen=chosen,
        kinds=event_kinds(),
        head=views().chain_head(),
        processes=as_list(views().list_processes()),
    )


#: The columns of the exports, as the page shows them.
COLUMNS = ("position", "recorded_at", "event", "topic", "item", "version", "hash")


def _export_rows(chosen: LogFilter) -> Iterator[dict[str, Any]]:
    for event in views().audit_stream(process_id=chosen.process_id, kind=chosen.kind):
        yield {
            "position": event["position"],
            "recorded_at": event.get("recorded_at"),
            "event": event_name(event["topic"]),
            "topic": event["topic"],
            "item": event["originator_id"],
            "version": event["originator_version"],
            "hash": event["hash"],
        }


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/audit/events.json")
@signed_in("audit")
def audit_events_json() -> Response:
    """The (filtered) event log as JSON, streamed: the chain head, the filters, the events."""
    chosen = _log_filter()
    head = json.dumps(views().chain_head())

    def document() -> Iterator[str]:
        yield f'{{"chain_head": {head}, "filters": {json.dumps(chosen.args())}, "events": ['
        for index, row in enumerate(_export_rows(chosen)):
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]}\n"

    return Response(
        stream_with_context(document()),
        mimetype="application/json",
        headers=_attachment("voisinage-events.json"),
    )


@bp.get("/audit/events.csv")
@signed_in("audit")
def audit_events_csv() -> Response:
    """The (filtered) event log as CSV (UTF-8, a header row), streamed."""
    chosen = _log_filter()

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in _export_rows(chosen):
            writer.writerow(row)
            if buffer.tell() > 16384:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers=_attachment("voisinage-events.csv"),
    )


@bp.get("/audit/processes/<uuid:pid>/trail.prov.json")
@signed_in("audit")
def audit_trail_prov(pid: UUID) -> Response:
    """A process's decision graph as W3C PROV-JSON (as GET /api/v1/.../trail.prov.json)."""
    process_row(pid)
    return Response(
        json.dumps(views().trail_prov(pid), ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers=_attachment(f"voisinage-trail-{pid}.prov.json"),
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
    from projections.cosignatures import witnesses_seen

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
    return render_template(
        "pages/trail.html", pid=pid, process=row, trail=found, direction_names=DIRECTIONS
    )
