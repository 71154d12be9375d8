"""Participatory budgets: the closed vote in the Pabulib ``.pb`` format."""

from __future__ import annotations

from uuid import UUID

from flask import Response
from flask_smorest import Blueprint

from application.budgets import export_pb
from web.api.auth import voisinage

blp = Blueprint("budgets", __name__, url_prefix="/api/v1", description="Participatory budgets")

PB_MIMETYPE = "text/plain"


@blp.get("/processes/<uuid:pid>/export.pb")
@blp.doc(
    responses={
        "200": {
            "description": "the vote as a Pabulib .pb file (pabulib.org/format)",
            "content": {PB_MIMETYPE: {"schema": {"type": "string"}}},
        },
        "409": {"description": "the vote is not closed, or its ballots are not approvals"},
    }
)
def export_pb_file(pid: UUID) -> Response:
    """The published vote as a .pb file: projects with costs, counted ballots (anyone,
    once the shortlist is published)."""
    text = export_pb(voisinage(), pid)
    return Response(
        text,
        mimetype=PB_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="voisinage-{pid}.pb"'},
    )
