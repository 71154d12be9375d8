"""The process report (its composition and data) and the open data of a process."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import fields, validate

from application import Actor
from domain.errors import NotFound
from domain.phases import Phase, require_phase
from domain.report import MAX_QUOTES, REPORT_LANGUAGES, SECTIONS
from projections.open_data import COLUMNS, open_data_tables, open_data_zip, to_csv
from projections.report import composition, quotable
from web.api.auth import requires, views, voisinage
from web.api.reading import one
from web.api.schemas import Done, Strict
from web.report_document import process_report, questionnaires

blp = Blueprint(
    "reports", __name__, url_prefix="/api/v1", description="The process report and open data"
)


class Composition(Strict):
    introductions = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SECTIONS)),
        values=fields.Dict(
            keys=fields.String(validate=validate.OneOf(REPORT_LANGUAGES)),
            values=fields.String(validate=validate.Length(max=3000)),
        ),
        load_default=dict,
        metadata={"description": "section -> language -> introduction"},
    )
    quotes = fields.List(
        fields.UUID(),
        load_default=list,
        validate=validate.Length(max=MAX_QUOTES),
        metadata={"description": "contributions quoted (only consented ones), in order"},
    )


def past_the_vote(pid: UUID) -> dict[str, Any]:
    """The process read model, or 404; 409 while the vote is not over."""
    process = one(lambda: views().process(pid), pid, "process")
    require_phase("download the open data", Phase(process["phase"]))
    return process


@blp.put("/processes/<uuid:pid>/report/composition")
@requires("compose the report")
@blp.arguments(Composition)
@blp.response(200, Done)
def compose_report(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Choose the quotes and write the section introductions of the report."""
    voisinage().compose_report(
        actor, pid, introductions=body["introductions"], quotes=body["quotes"]
    )
    return {"ok": True}


@blp.get("/processes/<uuid:pid>/report/composition")
@requires("compose the report")
@blp.response(200, description="the composition and the contributions that may be quoted")
def read_composition(pid: UUID, *, actor: Actor) -> Any:
    """The current composition and every quotable (consented, visible) contribution."""
    one(lambda: views().process(pid), pid, "process")
    return {**composition(views(), pid), "quotable": quotable(views(), pid)}


@blp.get("/processes/<uuid:pid>/report.json")
@blp.response(200, description="the report's data (anyone, once the vote is over)")
def report_json(pid: UUID) -> Any:
    """What the process report shows, as JSON."""
    past_the_vote(pid)
    data = process_report(voisinage(), views(), pid) or {}
    if data.get("vote"):
        data["vote"].pop("shortlist_view", None)
        data["vote"].pop("all_tie_breaks", None)
    return data


@blp.get("/processes/<uuid:pid>/open-data.zip")
@blp.response(200, description="a zip: one CSV per table, README.md, data.json")
def open_data(pid: UUID) -> Any:
    """The open data of a process (anyone, once the vote is over)."""
    past_the_vote(pid)
    archive = open_data_zip(views(), pid, questionnaires(voisinage(), pid)) or b""
    return Response(
        archive,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="voisinage-{pid}-open-data.zip"'},
    )


def _table(pid: UUID, table: str, as_csv: bool) -> Any:
    past_the_vote(pid)
    if table not in COLUMNS:
        raise NotFound(f"no open-data table '{table}' (tables: {', '.join(COLUMNS)})")
    # Only this table needs the responses counted (a scan of the event log).
    counted = questionnaires(voisinage(), pid) if table == "questionnaire_aggregates" else None
    rows = open_data_tables(views(), pid, counted).get(table)
    if rows is None:
        raise NotFound(f"this process has no '{table}' data")
    if as_csv:
        return Response(
            to_csv(table, rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{table}.csv"'},
        )
    return rows


@blp.get("/processes/<uuid:pid>/open-data/<string:table>.csv")
@blp.response(200, description="one open-data table as CSV (text/csv)")
def open_data_csv(pid: UUID, table: str) -> Any:
    """One open-data table as CSV."""
    return _table(pid, table, as_csv=True)


@blp.get("/processes/<uuid:pid>/open-data/<string:table>")
@blp.response(200, description="one open-data table: JSON, or CSV with Accept: text/csv")
def open_data_table(pid: UUID, table: str) -> Any:
    """One open-data table, JSON by default, CSV when the client asks for text/csv."""
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return _table(pid, table, as_csv=best == "text/csv")
