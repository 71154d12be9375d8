"""Research-action: the research record, questionnaires in waves, answers and results.

Results are computed from the events (only answers stored before each wave's close
count) and served as JSON and as CSV; every rate and mean comes with its n.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from application import Actor
from domain.questionnaire import AUDIENCES, QUESTION_KINDS
from domain.research import DIRECTIONS, METHODS
from web.api.auth import requires, voisinage
from web.api.results_rows import CSV_COLUMNS, results_rows
from web.api.schemas import Created, Done, Empty, Strict, localised

blp = Blueprint(
    "questionnaires",
    __name__,
    url_prefix="/api/v1",
    description="Research-action: hypotheses, indicators, questionnaires in waves, results",
)


class Hypothesis(Strict):
    text = localised(required=True)


class Method(Strict):
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    description = localised(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class QuestionRef(Strict):
    questionnaire_id = fields.UUID(required=True)
    question_id = fields.String(required=True, validate=validate.Length(1, 10))


class Indicator(Strict):
    hypothesis_id = fields.UUID(required=True)
    name = localised(required=True)
    how = localised(required=True)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    questions = fields.List(fields.Nested(QuestionRef), load_default=list)


class Effects(Strict):
    axis_id = fields.UUID(required=True)
    effects = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["people", "publics", "organisations"])),
        values=localised(),
        required=True,
        metadata={"description": "per target (people, publics, organisations): text per language"},
    )


class NewQuestionnaire(Strict):
    title = localised(required=True)
    intro = localised(required=True)
    audience = fields.List(
        fields.String(validate=validate.OneOf(AUDIENCES)),
        required=True,
        validate=validate.Length(1, 2),
    )
    anonymous = fields.Boolean(
        required=True, metadata={"description": "stated to respondents: answers name nobody"}
    )


class NewQuestion(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(QUESTION_KINDS))
    text = localised(required=True)
    options = fields.List(localised(), load_default=None, metadata={"description": "choices only"})
    required = fields.Boolean(load_default=False)
    position = fields.Integer(strict=True, load_default=None, metadata={"description": "1-based"})


class NewWave(Strict):
    label = localised(required=True)
    sent_to = fields.Integer(
        strict=True, load_default=None, metadata={"description": "how many were asked"}
    )


class Answers(Strict):
    answers = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={
            "description": "question id -> option id (single), option ids (multiple), "
            "a whole number (scale5: 1-5, scale10: 0-10) or text"
        },
    )


class AnswersForOrganisation(Answers):
    on_behalf_of_organisation = fields.UUID(
        load_default=None,
        metadata={
            "description": "answer in the name of an organisation one represents "
            "(403 NotRepresentative otherwise)"
        },
    )


class ResponseOf(Schema):
    on_behalf_of_organisation = fields.UUID(
        load_default=None, metadata={"description": "the organisation one answered for"}
    )


class Tag(Strict):
    response_id = fields.UUID(required=True)
    question_id = fields.String(required=True, validate=validate.Length(1, 10))
    axis_id = fields.UUID(required=True)


class AnswerToContribute(Strict):
    response_id = fields.UUID(required=True)
    question_id = fields.String(
        required=True,
        validate=validate.Length(1, 10),
        metadata={"description": "a free-text question of the questionnaire"},
    )
    workshop_id = fields.UUID(
        required=True, metadata={"description": "an open workshop of the same process"}
    )


class Wave(Schema):
    number = fields.Integer(required=True)


class OwnResponse(Schema):
    answers = fields.Dict(allow_none=True)


class ResearchRecordOut(Schema):
    process_id = fields.String(required=True)
    hypotheses = fields.List(fields.Dict(), metadata={"description": "id, text per language"})
    methods = fields.List(
        fields.Dict(), metadata={"description": "method, description, start, end"}
    )
    indicators = fields.List(
        fields.Dict(),
        metadata={"description": "id, hypothesis_id, name, how, direction, questions cited"},
    )
    expected_effects = fields.List(
        fields.Dict(), metadata={"description": "axis_id, effects for people/publics/organisations"}
    )


class QuestionnaireOut(Schema):
    id = fields.String(required=True)
    process_id = fields.String(required=True)
    title = fields.Dict()
    intro = fields.Dict()
    audience = fields.List(fields.String())
    anonymous = fields.Boolean(metadata={"description": "the rule stated to respondents"})
    questions = fields.List(
        fields.Dict(), metadata={"description": "in order: id, kind, text, options, required"}
    )
    waves = fields.List(fields.Dict(), metadata={"description": "number, label, sent_to, closed"})
    open_wave = fields.Integer(allow_none=True)


class ResultsOut(Schema):
    questionnaire = fields.Nested(QuestionnaireOut)
    waves = fields.List(
        fields.Dict(), metadata={"description": "number, label, closed, responses, sent_to, rate"}
    )
    questions = fields.List(
        fields.Dict(),
        metadata={
            "description": "per question and wave: n with the distribution, mean and median "
            "(scales) or texts; for scales, the change from the first to the last wave with "
            "its bootstrap interval (paired on respondents of both waves when there are 2 or more)"
        },
    )
    indicators = fields.List(fields.Dict())
    indicator_changes = fields.List(
        fields.Dict(),
        metadata={
            "description": "per indicator citing scale questions of this questionnaire: per "
            "question and wave n, mean and median; per pair of consecutive waves (and first to "
            "last) the difference of means with its bootstrap interval, paired or not, the n "
            "of both waves, and the direction the interval shows (increase, decrease, unclear)"
        },
    )
    texts_by_axis = fields.Dict(metadata={"description": "axis id -> tagged free-text answers"})


# --- the research record ------------------------------------------------------------------


@blp.get("/processes/<uuid:pid>/research")
@blp.response(200, ResearchRecordOut)
def research_record(pid: UUID) -> Any:
    """Hypotheses, methodology, indicators and expected effects of a process."""
    return voisinage().research_record(pid)


@blp.post("/processes/<uuid:pid>/research/hypotheses")
@requires("write the research record")
@blp.arguments(Hypothesis)
@blp.response(201, Created)
def state_hypothesis(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """State a hypothesis (FR/NL/EN)."""
    return {"id": str(voisinage().state_hypothesis(actor, pid, body["text"]))}


@blp.post("/processes/<uuid:pid>/research/methods")
@requires("write the research record")
@blp.arguments(Method)
@blp.response(201, Done)
def describe_method(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Add a method of the methodology and when it is used."""
    voisinage().describe_method(actor, pid, **body)
    return {"ok": True}


@blp.post("/processes/<uuid:pid>/research/indicators")
@requires("write the research record")
@blp.arguments(Indicator)
@blp.response(201, Created)
def define_indicator(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Tie an indicator to a hypothesis and to the questions that measure it."""
    return {"id": str(voisinage().define_indicator(actor, pid, **body))}


@blp.post("/processes/<uuid:pid>/research/effects")
@requires("write the research record")
@blp.arguments(Effects)
@blp.response(200, Done)
def set_expected_effects(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """The effects expected of an axis for people, publics and organisations."""
    voisinage().set_expected_effects(actor, pid, body["axis_id"], body["effects"])
    return {"ok": True}


# --- questionnaires -------------------------------------------------------------------------


@blp.get("/processes/<uuid:pid>/questionnaires")
@blp.response(200, QuestionnaireOut(many=True))
def questionnaires(pid: UUID) -> Any:
    """The questionnaires of a process with their questions and waves."""
    return voisinage().questionnaires_of(pid)


@blp.post("/processes/<uuid:pid>/questionnaires")
@requires("build a questionnaire")
@blp.arguments(NewQuestionnaire)
@blp.response(201, Created)
def create_questionnaire(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Create an empty questionnaire (then add questions and open a wave)."""
    return {"id": str(voisinage().create_questionnaire(actor, pid, **body))}


@blp.get("/questionnaires/<uuid:qid>")
@blp.response(200, QuestionnaireOut)
def questionnaire(qid: UUID) -> Any:
    """A questionnaire as respondents see it: intro, rule, questions in order, waves."""
    return voisinage().questionnaire_summary(qid)


@blp.post("/questionnaires/<uuid:qid>/questions")
@requires("build a questionnaire")
@blp.arguments(NewQuestion)
@blp.response(201, Created)
def add_question(body: dict[str, Any], qid: UUID, *, actor: Actor) -> Any:
    """Add a question (until the first wave opens); its id is q1, q2, ..."""
    return {"id": voisinage().add_question(actor, qid, **body)}


@blp.post("/questionnaires/<uuid:qid>/waves")
@requires("open or close a wave")
@blp.arguments(NewWave)
@blp.response(201, Wave)
def open_wave(body: dict[str, Any], qid: UUID, *, actor: Actor) -> Any:
    """Open the next wave (a baseline, a follow-up)."""
    return {"number": voisinage().open_wave(actor, qid, **body)}


@blp.post("/questionnaires/<uuid:qid>/waves/<int:wave>/closure")
@requires("open or close a wave")
@blp.arguments(Empty, required=False)
@blp.response(200, Done)
def close_wave(_: dict[str, Any], qid: UUID, wave: int, *, actor: Actor) -> Any:
    """Close a wave: answers stored after the close count for nothing."""
    voisinage().close_wave(actor, qid, wave)
    return {"ok": True}


@blp.put("/questionnaires/<uuid:qid>/waves/<int:wave>/response")
@requires("answer a questionnaire")
@blp.arguments(AnswersForOrganisation)
@blp.response(200, Created)
def answer(body: dict[str, Any], qid: UUID, wave: int, *, actor: Actor) -> Any:
    """Give or change one's answers while the wave is open: one response per resident,
    or per organisation (given by any of its representatives), and wave."""
    response = voisinage().answer_questionnaire(
        actor, qid, wave, body["answers"], organisation_id=body["on_behalf_of_organisation"]
    )
    return {"id": str(response)}


@blp.get("/questionnaires/<uuid:qid>/waves/<int:wave>/response")
@requires("answer a questionnaire")
@blp.arguments(ResponseOf, location="query")
@blp.response(200, OwnResponse)
def own_response(query: dict[str, Any], qid: UUID, wave: int, *, actor: Actor) -> Any:
    """One's own answers to a wave, or one's organisation's (null before answering)."""
    answers = voisinage().own_response(
        actor, qid, wave, organisation_id=query["on_behalf_of_organisation"]
    )
    return {"answers": answers}


@blp.post("/questionnaires/<uuid:qid>/tags")
@requires("tag an answer")
@blp.arguments(Tag)
@blp.response(200, Done)
def tag_answer(body: dict[str, Any], qid: UUID, *, actor: Actor) -> Any:
    """Tag a free-text answer with an axis: the results group free texts by axis."""
    voisinage().tag_answer(
        actor,
        qid,
        response=body["response_id"],
        question_id=body["question_id"],
        axis_id=body["axis_id"],
    )
    return {"ok": True}


@blp.post("/questionnaires/<uuid:qid>/contributions")
@requires("turn an answer into a contribution")
@blp.arguments(AnswerToContribute)
@blp.response(201, Created)
def contribute_answer(body: dict[str, Any], qid: UUID, *, actor: Actor) -> Any:
    """Turn a free-text answer into a contribution of an open workshop, so that it enters
    the trail and proposals can cite it. Attributed as the respondent allowed: the
    resident when the questionnaire is attributed, the organisation by name for one,
    an anonymous group ("questionnaire") otherwise."""
    cid = voisinage().contribute_answer(
        actor,
        qid,
        response=body["response_id"],
        question_id=body["question_id"],
        workshop_id=body["workshop_id"],
    )
    return {"id": str(cid)}


# --- results --------------------------------------------------------------------------------


@blp.get("/questionnaires/<uuid:qid>/results")
@blp.response(200, ResultsOut)
def results(qid: UUID) -> Any:
    """Response rate per wave, distributions, mean and median per wave, the change
    between the first and the last wave with a bootstrap interval, free texts by axis."""
    return voisinage().questionnaire_results(qid)


@blp.get("/questionnaires/<uuid:qid>/results.csv")
@blp.doc(
    responses={
        "200": {
            "description": "The results as CSV rows: " + ", ".join(CSV_COLUMNS),
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
)
def results_csv(qid: UUID) -> Any:
    """The same results as CSV: wave, question, measure, category, value and its n."""
    found = voisinage().questionnaire_results(qid)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(results_rows(found))
    return Response(out.getvalue(), mimetype="text/csv")
