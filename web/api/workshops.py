"""Workshops and the contributions recorded in them (typed or captured on paper)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from application import Actor
from application.authorisation import may
from web.api.auth import optional_actor, requires, views, voisinage
from web.api.reading import one
from web.api.schemas import LANGUAGE, Created, Done, Strict, text

blp = Blueprint(
    "workshops", __name__, url_prefix="/api/v1", description="Workshops and contributions"
)

KINDS = ["testimony", "idea", "concern", "question"]
MODERATION = ["hide", "restore", "tag"]


class NewWorkshop(Strict):
    title = text(200, required=True)
    on = fields.Date(required=True)
    place = text(200, required=True)
    facilitator_ids = fields.List(fields.UUID(), load_default=None, allow_none=True)


class WorkshopOut(Schema):
    workshop_id = fields.String(required=True)
    process_id = fields.String(required=True)
    title = fields.String()
    on = fields.Raw(allow_none=True)
    place = fields.String(allow_none=True)
    facilitators = fields.List(fields.String(), allow_none=True)
    status = fields.String()
    contribution_count = fields.Integer()


class WorkshopStatus(Strict):
    status = fields.String(required=True, validate=validate.OneOf(["open", "closed"]))


class NewContribution(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    text = text(5000, required=True)
    language = fields.String(required=True, validate=LANGUAGE)
    on_behalf_of_participant = fields.UUID(load_default=None, allow_none=True)
    on_behalf_of_group = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(1, 200)
    )
    axis_id = fields.UUID(load_default=None, allow_none=True)
    quote_consent = fields.Boolean(
        load_default=False,
        metadata={"description": "the speaker agrees to be quoted, anonymised, in the report"},
    )
    on_behalf_of_organisation = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "an organisation of the process: a resident must represent it "
            "(403 NotRepresentative otherwise); a facilitator captures for any of them"
        },
    )


class ContributionOut(Schema):
    contribution_id = fields.String(required=True)
    process_id = fields.String()
    workshop_id = fields.String()
    kind = fields.String()
    text = fields.String()
    language = fields.String()
    axis_id = fields.String(allow_none=True)
    captured = fields.Boolean()
    on_behalf_of_group = fields.String(allow_none=True)
    on_behalf_of_organisation = fields.String(allow_none=True)
    organisation_name = fields.String(allow_none=True)
    hidden = fields.Boolean()
    hidden_reason = fields.String(allow_none=True)
    supports = fields.Integer()
    recorded_at = fields.Raw(allow_none=True)
    position = fields.Integer(allow_none=True)


class ContributionModeration(Strict):
    action = fields.String(required=True, validate=validate.OneOf(MODERATION))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 1000))
    axis_id = fields.UUID(load_default=None, allow_none=True)


@blp.post("/processes/<uuid:pid>/workshops")
@requires("schedule a workshop")
@blp.arguments(NewWorkshop)
@blp.response(201, Created)
def schedule_workshop(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Schedule a workshop (the scheduling facilitator runs it unless others are named)."""
    workshop_id = voisinage().schedule_workshop(
        actor,
        pid,
        title=body["title"],
        on=body["on"],
        place=body["place"],
        facilitator_ids=body["facilitator_ids"],
    )
    return {"id": str(workshop_id)}


@blp.get("/processes/<uuid:pid>/workshops")
@blp.response(200, WorkshopOut(many=True))
def list_workshops(pid: UUID) -> Any:
    """The workshops of a process, by date."""
    one(lambda: views().process(pid), pid, "process")
    return views().workshops(pid)


@blp.post("/workshops/<uuid:wid>/status")
@requires("open or close a workshop")
@blp.arguments(WorkshopStatus)
@blp.response(200, Done)
def set_workshop_status(body: dict[str, Any], wid: UUID, *, actor: Actor) -> Any:
    """Open a workshop to residents' contributions, or close it."""
    if body["status"] == "open":
        voisinage().open_workshop(actor, wid)
    else:
        voisinage().close_workshop(actor, wid)
    return {"ok": True}


@blp.post("/workshops/<uuid:wid>/contributions")
@requires("record a contribution")
@blp.arguments(NewContribution)
@blp.response(201, Created)
def record_contribution(body: dict[str, Any], wid: UUID, *, actor: Actor) -> Any:
    """Record a contribution; facilitators may capture it on behalf of someone or a group."""
    return {"id": str(voisinage().record_contribution(actor, wid, **body))}


@blp.get("/workshops/<uuid:wid>/contributions")
@blp.response(200, ContributionOut(many=True))
def list_contributions(wid: UUID) -> Any:
    """The visible contributions of a workshop (facilitators also see hidden ones)."""
    one(lambda: views().workshop(wid), wid, "workshop")
    actor = optional_actor()
    moderator = may(actor, "see hidden items")
    return views().contributions(wid, include_hidden=moderator)


@blp.post("/contributions/<uuid:cid>/moderation")
@requires("moderate a contribution")
@blp.arguments(ContributionModeration)
@blp.response(200, Done)
def moderate_contribution(body: dict[str, Any], cid: UUID, *, actor: Actor) -> Any:
    """Hide or restore a contribution with a reason, or tag it with an axis."""
    voisinage().moderate_contribution(actor, cid, **body)
    return {"ok": True}
