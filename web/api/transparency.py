"""The transparency log: the latest signed checkpoint (text), its history, RFC 9162 proofs
and the audit bundle for auditors."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from application import Actor
from web.api.auth import requires, voisinage
from web.api.schemas import Strict

blp = Blueprint("transparency", __name__, url_prefix="/api/v1", description="Transparency log")
well_known = Blueprint("checkpoint", __name__, description="Transparency log (plain text)")

BIG = validate.Range(0, 2**62)


def transparency() -> Any:
    """This worker's projections.transparency.TransparencyLog."""
    return current_app.extensions["transparency"]


class InclusionQuery(Strict):
    index = fields.Integer(required=True, validate=BIG, metadata={"description": "leaf index"})
    size = fields.Integer(required=True, validate=BIG, metadata={"description": "tree size"})


class ConsistencyQuery(Strict):
    from_ = fields.Integer(required=True, validate=BIG, data_key="from")
    to = fields.Integer(required=True, validate=BIG)


class InclusionProof(Schema):
    index = fields.Integer(required=True)
    size = fields.Integer(required=True)
    position = fields.Integer(required=True)
    leaf_hash = fields.String(required=True)
    root = fields.String(required=True)
    proof = fields.List(fields.String(), required=True)


class ConsistencyProof(Schema):
    from_ = fields.Integer(required=True, data_key="from", attribute="from")
    to = fields.Integer(required=True)
    from_root = fields.String(required=True)
    to_root = fields.String(required=True)
    proof = fields.List(fields.String(), required=True)


class HistoryQuery(Strict):
    after = fields.Integer(load_default=0, validate=BIG)
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


class SignedCheckpoint(Schema):
    id = fields.Integer(required=True)
    size = fields.Integer(required=True)
    root = fields.String(required=True)
    note = fields.String(required=True)
    created_at = fields.String()
    reason = fields.String()


class CheckpointHistory(Schema):
    public_key = fields.String(required=True)
    origin = fields.String(required=True)
    checkpoints = fields.List(fields.Nested(SignedCheckpoint), required=True)
    next_after = fields.Integer(allow_none=True)


@well_known.route("/checkpoint")
def checkpoint() -> Response:
    """The latest signed checkpoint (C2SP tlog-checkpoint under a signed-note signature)."""
    note = transparency().current()["note"]
    return Response(note, mimetype="text/plain", headers={"Cache-Control": "no-store"})


class WitnessSeen(Schema):
    witness = fields.String(required=True)
    public_key = fields.String(required=True)
    size = fields.Integer(allow_none=True)
    root = fields.String(allow_none=True)
    cosigned_at = fields.String(allow_none=True)
    cosignature = fields.String(allow_none=True)


class Witnesses(Schema):
    witnesses = fields.List(fields.Nested(WitnessSeen), required=True)


@well_known.route("/checkpoint/cosignature", methods=["POST"])
def cosignature() -> Response:
    """A witness hands back one of the log's checkpoints with its cosignature line added
    (text/plain, C2SP tlog-cosignature); kept when the witness is known (403 if not)."""
    from domain.errors import InvalidInput, NotAllowed
    from projections.cosignatures import record_cosignatures

    note = request.get_data(as_text=True)
    try:
        found = record_cosignatures(transparency(), note)
    except InvalidInput as error:
        return Response(f"refused: {error.message}\n", status=422, mimetype="text/plain")
    except NotAllowed as error:
        return Response(f"refused: {error.message}\n", status=403, mimetype="text/plain")
    names = ", ".join(c.name for c in found)
    return Response(f"kept the cosignature of {names}\n", mimetype="text/plain")


@blp.get("/audit/witnesses")
@blp.response(200, Witnesses)
def witnesses() -> Any:
    """The known witnesses and the largest checkpoint each cosigned."""
    from projections.cosignatures import witnesses_seen

    return {"witnesses": witnesses_seen(transparency())}


@blp.get("/audit/checkpoints")
@blp.arguments(HistoryQuery, location="query")
@blp.response(200, CheckpointHistory)
def checkpoint_history(query: dict[str, Any]) -> Any:
    """Every signed checkpoint after an id, oldest first, with the log's public key."""
    log = transparency()
    items = log.history(after=query["after"], limit=query["limit"])
    return {
        "public_key": log.signer.verifier.encode(),
        "origin": log.signer.name,
        "checkpoints": items,
        "next_after": items[-1]["id"] if len(items) == query["limit"] else None,
    }


@blp.get("/audit/proofs/inclusion")
@blp.arguments(InclusionQuery, location="query")
@blp.response(200, InclusionProof)
def inclusion(query: dict[str, Any]) -> Any:
    """RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves (base64 hashes)."""
    return transparency().inclusion(query["index"], query["size"])


@blp.get("/audit/proofs/consistency")
@blp.arguments(ConsistencyQuery, location="query")
@blp.response(200, ConsistencyProof)
def consistency(query: dict[str, Any]) -> Any:
    """RFC 9162 consistency proof from the tree of `from` leaves to the tree of `to` leaves."""
    return transparency().consistency(query["from_"], query["to"])


@blp.get("/audit/bundle")
@requires("audit")
@blp.response(200, description="JSON lines: header, events as stored, checkpoints, results")
def bundle(*, actor: Actor) -> Any:
    """The audit bundle for `voisinage-verify`, streamed."""
    from projections.bundle import bundle_lines

    log = transparency()
    lines = bundle_lines(voisinage().storage, log, log.signer.verifier.encode())
    return Response(
        lines,
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="voisinage-audit-bundle.jsonl"'},
    )
