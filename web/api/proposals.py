"""Proposals: submit citing contributions, revise, withdraw, moderate (hide, restore, merge)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from application import Actor
from application.authorisation import may
from web.api.auth import optional_actor, requires, views, voisinage
from web.api.reading import answer_cache, one
from web.api.schemas import LANGUAGE, Created, Done, Empty, Strict, text

blp = Blueprint("proposals", __name__, url_prefix="/api/v1", description="Proposals")

MODERATION = ["hide", "restore", "merge"]


def cost_field() -> fields.Integer:
    """The estimated cost of a proposal: whole units of the process's currency."""
    return fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(1, 10**12),
        metadata={"description": "estimated cost, whole units of the process's currency"},
    )


class NewProposal(Strict):
    title = text(200, required=True)
    body = text(10_000, required=True)
    language = fields.String(required=True, validate=LANGUAGE)
    source_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 100))
    axis_id = fields.UUID(load_default=None, allow_none=True)
    cost = cost_field()


class Revision(Strict):
    title = text(200, required=True)
    body = text(10_000, required=True)
    source_ids = fields.List(
        fields.UUID(),
        load_default=None,
        validate=validate.Length(1, 100),
        metadata={"description": "default: the sources cited now"},
    )
    axis_id = fields.UUID(load_default=None, allow_none=True)
    cost = cost_field()


class RevisionOut(Schema):
    revision = fields.Integer(required=True)


class ProposalModeration(Strict):
    action = fields.String(required=True, validate=validate.OneOf(MODERATION))
    reason = text(1000, required=True)
    target_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "merge into this proposal"}
    )


class ProposalsQuery(Strict):
    axis_id = fields.UUID(load_default=None)


class ProposalOut(Schema):
    proposal_id = fields.String(required=True)
    process_id = fields.String()
    title = fields.String()
    body = fields.String()
    language = fields.String()
    axis_id = fields.String(allow_none=True)
    source_ids = fields.List(fields.String())
    status = fields.String()
    hidden = fields.Boolean()
    hidden_reason = fields.String(allow_none=True)
    visible = fields.Boolean()
    merged_into = fields.String(allow_none=True)
    merged_from = fields.List(fields.String(), allow_none=True)
    revision = fields.Integer()
    cost = fields.Integer(allow_none=True)
    submitted_at = fields.Raw(allow_none=True)
    updated_at = fields.Raw(allow_none=True)


LISTED = ProposalOut(many=True)


@blp.post("/processes/<uuid:pid>/proposals")
@requires("submit a proposal")
@blp.arguments(NewProposal)
@blp.response(201, Created)
def submit_proposal(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Submit a proposal citing contributions of the same process."""
    return {"id": str(voisinage().submit_proposal(actor, pid, **body))}


@blp.get("/processes/<uuid:pid>/proposals")
@blp.arguments(ProposalsQuery, location="query")
@blp.response(200, ProposalOut(many=True))
def list_proposals(query: dict[str, Any], pid: UUID) -> Any:
    """The proposals of a process (withdrawn and merged ones with their status);
    facilitators also see hidden ones."""
    one(lambda: views().process(pid), pid, "process")
    actor = optional_actor()
    moderator = may(actor, "see hidden items")
    axis_id = query["axis_id"]
    return answer_cache().get(
        ("proposals", pid, axis_id, moderator),
        views().proposals_version(pid),
        lambda: LISTED.dump(views().proposals(pid, axis_id=axis_id, include_hidden=moderator)),
    )


@blp.post("/proposals/<uuid:proposal_id>/revisions")
@requires("revise a proposal")
@blp.arguments(Revision)
@blp.response(201, RevisionOut)
def revise_proposal(body: dict[str, Any], proposal_id: UUID, *, actor: Actor) -> Any:
    """The author (or a facilitator for them) revises the proposal."""
    return {"revision": voisinage().revise_proposal(actor, proposal_id, **body)}


@blp.post("/proposals/<uuid:proposal_id>/withdrawal")
@requires("withdraw a proposal")
@blp.arguments(Empty, required=False)
@blp.response(200, Done)
def withdraw_proposal(_: dict[str, Any], proposal_id: UUID, *, actor: Actor) -> Any:
    """The author (or a facilitator for them) withdraws the proposal."""
    voisinage().withdraw_proposal(actor, proposal_id)
    return {"ok": True}


@blp.post("/proposals/<uuid:proposal_id>/moderation")
@requires("moderate a proposal")
@blp.arguments(ProposalModeration)
@blp.response(200, Done)
def moderate_proposal(body: dict[str, Any], proposal_id: UUID, *, actor: Actor) -> Any:
    """Hide or restore a proposal, or merge it into another, always with a reason."""
    voisinage().moderate_proposal(actor, proposal_id, **body)
    return {"ok": True}
