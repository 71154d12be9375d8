"""For auditors: the event log with chain hashes, verification, the PROV-JSON export."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from application import Actor
from web.api.auth import requires, views, voisinage
from web.api.reading import one
from web.api.schemas import Strict

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Audit")


class EventsQuery(Strict):
    after = fields.Integer(load_default=0, validate=validate.Range(0, 2**62))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


class AuditEvent(Schema):
    position = fields.Integer(required=True)
    originator_id = fields.String(
        allow_none=True, metadata={"description": "not shown for ballot and participant events"}
    )
    originator_version = fields.Integer(allow_none=True)
    topic = fields.String()
    hash = fields.String()
    recorded_at = fields.String(
        allow_none=True, metadata={"description": "when it was recorded (ISO 8601)"}
    )


class AuditEvents(Schema):
    events = fields.List(fields.Nested(AuditEvent), required=True)
    chain_head = fields.Dict(required=True)
    next_after = fields.Integer(allow_none=True)


class VerifyQuery(Strict):
    projections = fields.Boolean(
        load_default=False,
        metadata={"description": "also rebuild every read model and compare (slow)"},
    )


class VerifyReport(Schema):
    ok = fields.Boolean(required=True)
    summary = fields.String()
    first_position = fields.Integer(allow_none=True)
    events = fields.Integer()
    chain_head = fields.Dict()
    anchored_position = fields.Integer()
    unanchored = fields.Integer()
    shortlists = fields.Integer()
    checkpoints = fields.Integer(
        metadata={"description": "signed checkpoints checked (signature and recomputed root)"}
    )
    projections = fields.List(fields.String())
    findings = fields.List(fields.Dict())


@blp.get("/audit/events")
@requires("audit")
@blp.arguments(EventsQuery, location="query")
@blp.response(200, AuditEvents)
def audit_events(query: dict[str, Any], *, actor: Actor) -> Any:
    """The event log after a position, with each event's chain hash (pseudonymous ids only)."""
    events = views().audit_events(after=query["after"], limit=query["limit"])
    full = len(events) == query["limit"]
    return {
        "events": events,
        "chain_head": views().chain_head(),
        "next_after": events[-1]["position"] if full else None,
    }


@blp.get("/audit/verify")
@requires("audit")
@blp.arguments(VerifyQuery, location="query")
@blp.response(200, VerifyReport)
def audit_verify(query: dict[str, Any], *, actor: Actor) -> Any:
    """Recompute the hash chain from the store, recount every published shortlist and
    (if asked) rebuild the read models; name the first position that differs."""
    from audit import verify

    app = voisinage()
    report = verify(
        app.storage, app, projections=None if query["projections"] else [], engine=views().engine
    )
    return report.to_dict()


class ProjectionStatus(Schema):
    name = fields.String(required=True)
    state = fields.String(required=True, metadata={"description": "following, behind or stopped"})
    position = fields.Integer(required=True)
    lag = fields.Integer(required=True, metadata={"description": "events behind the store"})
    failed_position = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    failed_at = fields.String(allow_none=True)


class ServiceStatus(Schema):
    head = fields.Integer(required=True, metadata={"description": "the store's newest position"})
    projections = fields.List(fields.Nested(ProjectionStatus), required=True)


@blp.get("/status")
@requires("read the service status")
@blp.response(200, ServiceStatus)
def service_status(*, actor: Actor) -> Any:
    """Each projection's position and lag, and the event it cannot apply if it stopped."""
    head = voisinage().head_position()
    return {"head": head, "projections": views().status(head)}


@blp.get("/processes/<uuid:pid>/trail.prov.json")
@requires("export the trail")
@blp.response(200, description="a PROV-JSON document (https://www.w3.org/submissions/prov-json/)")
def trail_prov(pid: UUID, *, actor: Actor) -> Any:
    """The decision graph of a process as W3C PROV-JSON."""
    one(lambda: views().process(pid), pid, "process")
    return views().trail_prov(pid)
