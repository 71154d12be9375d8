"""Recommendations, the institution's answers and progress, and the decision trail."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from application import Actor
from web.api.auth import requires, views, voisinage
from web.api.reading import one
from web.api.schemas import LANGUAGE, Created, Done, Empty, Strict, text

blp = Blueprint(
    "recommendations",
    __name__,
    url_prefix="/api/v1",
    description="Recommendations, answers and the decision trail",
)

ANSWERS = ["accepted", "partially_accepted", "under_study", "rejected"]


class NewRecommendation(Strict):
    title = text(200, required=True)
    text = text(10_000, required=True)
    language = fields.String(required=True, validate=LANGUAGE)
    proposal_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 100))
    hypothesis_ids = fields.List(
        fields.UUID(),
        validate=validate.Length(0, 50),
        metadata={
            "description": "hypotheses of the process's research record that the "
            "recommendation addresses (on a revision, omitted: those cited before)"
        },
    )


class RevisedRecommendation(NewRecommendation):
    """The whole draft again: title, text, language and cited shortlisted proposals."""


class Answer(Strict):
    """An answer (status and justification), a progress report (progress and note), or both."""

    status = fields.String(validate=validate.OneOf(ANSWERS))
    justification = text(10_000)
    progress = fields.Integer(strict=True, validate=validate.Range(0, 100))
    note = text(5_000)
    on = fields.Date(metadata={"description": "date of the progress report (default: today)"})
    institution = text(
        200, metadata={"description": "the institution answering, as residents will read it"}
    )

    @validates_schema
    def _complete(self, data: dict[str, Any], **_: Any) -> None:
        if "status" not in data and "progress" not in data:
            raise ValidationError("give a status (an answer) or a progress (a report)", "status")
        if "status" in data and "justification" not in data:
            raise ValidationError("an answer needs a justification", "justification")
        if "progress" in data and "note" not in data:
            raise ValidationError("a progress report needs a note", "note")


@blp.post("/processes/<uuid:pid>/recommendations")
@requires("draft a recommendation")
@blp.arguments(NewRecommendation)
@blp.response(201, Created)
def draft_recommendation(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Draft a recommendation citing shortlisted proposals."""
    return {"id": str(voisinage().draft_recommendation(actor, pid, **body))}


@blp.post("/recommendations/<uuid:rid>/revisions")
@requires("revise a recommendation")
@blp.arguments(RevisedRecommendation)
@blp.response(200, Done)
def revise_recommendation(body: dict[str, Any], rid: UUID, *, actor: Actor) -> Any:
    """Edit a draft before it is sent to the institution (409 once it was sent)."""
    voisinage().revise_recommendation(actor, rid, **body)
    return {"ok": True}


@blp.post("/recommendations/<uuid:rid>/submission")
@requires("submit a recommendation")
@blp.arguments(Empty, required=False)
@blp.response(200, Done)
def submit_recommendation(_: dict[str, Any], rid: UUID, *, actor: Actor) -> Any:
    """Send a drafted recommendation to the institution."""
    voisinage().submit_recommendation(actor, rid)
    return {"ok": True}


@blp.post("/recommendations/<uuid:rid>/answers")
@requires("answer a recommendation")
@blp.arguments(Answer)
@blp.response(201, Done)
def answer_recommendation(body: dict[str, Any], rid: UUID, *, actor: Actor) -> Any:
    """The institution answers (always with a justification) and/or reports progress."""
    voisinage().respond_to_recommendation(
        actor,
        rid,
        status=body.get("status"),
        justification=body.get("justification"),
        percent=body.get("progress"),
        note=body.get("note"),
        on=body.get("on"),
        institution=body.get("institution") or "",
    )
    return {"ok": True}


class Trail(Schema):
    recommendation = fields.Dict(required=True)
    shortlist = fields.Dict(allow_none=True)
    proposals = fields.List(fields.Dict())
    hypotheses = fields.List(
        fields.Dict(),
        metadata={
            "description": "the research hypotheses it addresses, each with the indicators "
            "testing it and the questionnaire questions measuring them"
        },
    )


class Outcome(Schema):
    contribution = fields.Dict(required=True)
    proposals = fields.List(fields.Dict())
    recommendations = fields.List(fields.Dict())


@blp.get("/recommendations/<uuid:rid>/trail")
@blp.response(200, Trail)
def trail(rid: UUID) -> Any:
    """Recommendation -> proposals (rank, tallies) -> contributions -> workshops."""
    return one(lambda: views().trail(rid), rid, "recommendation")


@blp.get("/contributions/<uuid:cid>/outcome")
@blp.response(200, Outcome)
def outcome(cid: UUID) -> Any:
    """What became of a contribution: the proposals citing it, their ranks, the
    recommendations and the institution's answers."""
    return one(lambda: views().outcome(cid), cid, "contribution")
