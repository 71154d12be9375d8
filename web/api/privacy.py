"""GDPR rights: a resident downloads their own data; an admin erases a participant."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from application import Actor
from web.api.auth import requires, views, voisinage
from web.api.schemas import Done, Strict

blp = Blueprint("privacy", __name__, url_prefix="/api/v1", description="Personal data")


class ErasureIn(Strict):
    confirm = fields.Boolean(
        required=True,
        metadata={"description": "must be true: erasure destroys the personal data for good"},
    )


class OwnData(Schema):
    participant_id = fields.String(required=True)
    role = fields.String()
    process_id = fields.String(allow_none=True)
    personal = fields.Dict()
    ballot = fields.Dict(allow_none=True)
    contributions = fields.List(fields.Dict())
    proposals = fields.List(fields.Dict())


def own_data(actor: Actor) -> dict[str, Any]:
    """The caller's own data (the download is recorded as an event)."""
    data = voisinage().export_own_data(actor)
    return {**data, **views().own_items(actor.participant_id)}


@blp.get("/me/data")
@requires("download one's data")
@blp.response(200, OwnData)
def download_own_data(*, actor: Actor) -> Any:
    """One's own data as JSON: personal fields, contributions, proposals, ballot receipt."""
    return own_data(actor)


@blp.post("/participants/<uuid:participant_id>/erasure")
@requires("erase a participant")
@blp.arguments(ErasureIn)
@blp.response(200, Done)
def erase(body: dict[str, Any], participant_id: UUID, *, actor: Actor) -> Any:
    """Erase a participant's personal data (crypto-shredding) after ``confirm: true``."""
    voisinage().confirm_erasure(actor, participant_id, body["confirm"])
    return {"ok": True}
