"""Processes: create, read, move through the phases, axes, invitations and joining."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from application import Actor
from web.api.auth import requires, views, voisinage
from web.api.reading import one
from web.api.schemas import Created, Strict, localised
from web.api.tokens import Token, token_answer

blp = Blueprint("processes", __name__, url_prefix="/api/v1", description="Participatory processes")

METHODS = [
    "approval",
    "dots",
    "schulze",
    "borda",
    "majority_judgment",
    "equal_shares",
    "pav",
]


class VotingRulesSchema(Strict):
    """How ballots are cast and counted (see domain.voting)."""

    method = fields.String(validate=validate.OneOf(METHODS))
    shortlist_size = fields.Integer(strict=True, validate=validate.Range(1, 100))
    max_choices = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 1000))
    budget = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 10_000))
    max_points_per_proposal = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(1, 10_000)
    )
    grades = fields.List(
        fields.String(validate=validate.Length(1, 50)), validate=validate.Length(2, 10)
    )
    hide_results_until_close = fields.Boolean()
    spending_limit = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(1, 10**12),
        metadata={"description": "select proposals within this budget instead of k"},
    )
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"))
    show_running_total = fields.Boolean()
    results_batch_ballots = fields.Integer(
        strict=True,
        validate=validate.Range(2, 100_000),
        metadata={"description": "live results change only after this many ballot changes"},
    )
    results_batch_minutes = fields.Integer(
        strict=True,
        validate=validate.Range(0, 1440),
        metadata={"description": "and only this many minutes after the last batch"},
    )


class NewProcess(Strict):
    title = localised(required=True, validate=validate.Length(min=1))
    description = localised(load_default=None, allow_none=True)
    rules = fields.Nested(VotingRulesSchema, load_default=None, allow_none=True)


class ProcessOut(Schema):
    process_id = fields.String(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)
    phase = fields.String(required=True)
    rules = fields.Dict(allow_none=True)
    axes = fields.List(fields.Dict())
    candidates = fields.List(fields.String(), allow_none=True)
    shortlist_published = fields.Raw(allow_none=True)
    started_at = fields.Raw(allow_none=True)
    updated_at = fields.Raw(allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class PhaseChange(Strict):
    phase = fields.String(required=True, metadata={"description": "the next phase"})


class PhaseOut(Schema):
    phase = fields.String(required=True)


class NewAxis(Strict):
    name = localised(required=True, validate=validate.Length(min=1))


class InvitationRequest(Strict):
    count = fields.Integer(strict=True, required=True, validate=validate.Range(1, 1000))


class Invitations(Schema):
    codes = fields.List(fields.String(), required=True)


class JoinRequest(Strict):
    code = fields.String(required=True, validate=validate.Length(1, 64))
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 200))


@blp.get("/processes")
@blp.response(200, ProcessOut(many=True))
def list_processes() -> Any:
    """Every process, newest first."""
    return views().list_processes()


@blp.post("/processes")
@requires("start a process")
@blp.arguments(NewProcess)
@blp.response(201, Created)
def start_process(body: dict[str, Any], *, actor: Actor) -> Any:
    """Start a process in the draft phase."""
    process_id = voisinage().start_process(
        actor, title=body["title"], description=body["description"], rules=body["rules"]
    )
    location = url_for("processes.get_process", pid=process_id)
    return {"id": str(process_id)}, 201, {"Location": location}


@blp.get("/processes/<uuid:pid>")
@blp.response(200, ProcessOut)
def get_process(pid: UUID) -> Any:
    """One process: phase, axes, voting rules, counts."""
    return one(lambda: views().process(pid), pid, "process")


@blp.post("/processes/<uuid:pid>/phase")
@requires("advance the phase")
@blp.arguments(PhaseChange)
@blp.response(200, PhaseOut)
def advance_phase(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Move to the next phase (a wrong move is 409; the vote ends by publishing)."""
    return {"phase": voisinage().advance_phase(actor, pid, body["phase"]).value}


@blp.post("/processes/<uuid:pid>/axes")
@requires("add an axis")
@blp.arguments(NewAxis)
@blp.response(201, Created)
def add_axis(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Add an action axis."""
    return {"id": str(voisinage().add_axis(actor, pid, body["name"]))}


@blp.post("/processes/<uuid:pid>/invitations")
@requires("issue invitations")
@blp.arguments(InvitationRequest)
@blp.response(201, Invitations)
def issue_invitations(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Issue single-use invitation codes (shown once: only their digests are kept)."""
    return {"codes": voisinage().issue_invitations(actor, pid, body["count"])}


class Entry(Token):
    returning = fields.Boolean(
        required=True, metadata={"description": "the code had signed this resident in before"}
    )


@blp.post("/processes/<uuid:pid>/join")
@blp.arguments(JoinRequest)
@blp.response(201, Entry, description="A new resident, registered by this code")
@blp.alt_response(200, schema=Entry, description="The resident this code registered earlier")
def join(body: dict[str, Any], pid: UUID) -> Any:
    """Sign in with an invitation code: a resident's token (one participant per code).

    The first time a code registers a new resident (201); afterwards the same code signs
    the same resident in again, in any phase, and records nothing (200). Wrong codes are
    rate-limited per client address (429 with Retry-After).
    """
    entry = voisinage().enter_with_code(pid, body["code"], body["name"])
    answer = token_answer(entry.actor) | {"returning": entry.returning}
    return (answer, 200) if entry.returning else answer
