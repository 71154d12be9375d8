"""The research record of a process: hypotheses, methodology, indicators citing the
questionnaire questions that measure them, expected effects per axis."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from domain.errors import InvalidInput, NotFound
from domain.identities import research_record_id
from domain.questionnaire import Questionnaire
from domain.research import ResearchRecord


def research_record(app: VoisinageBase, process_id: UUID) -> dict[str, Any]:
    """The research record as plain values (everyone may read it)."""
    app.process(process_id, copy=False)
    try:
        record = app.load(research_record_id(process_id), ResearchRecord, "research record")
    except NotFound:
        record = ResearchRecord.begin(process_id)
    return {
        "process_id": str(process_id),
        "hypotheses": [{"id": str(k), "text": v} for k, v in record.hypotheses.items()],
        "methods": [
            {**m, "start": m["start"].isoformat(), "end": m["end"].isoformat()}
            for m in record.methods
        ],
        "indicators": [
            {
                "id": str(k),
                **v,
                "hypothesis_id": str(v["hypothesis_id"]),
                "questions": [
                    {
                        "questionnaire_id": str(q["questionnaire_id"]),
                        "question_id": q["question_id"],
                    }
                    for q in v["questions"]
                ],
            }
            for k, v in record.indicators.items()
        ],
        "expected_effects": [
            {"axis_id": str(k), "effects": v} for k, v in record.expected_effects.items()
        ],
    }


class ResearchRecordCommands(VoisinageBase):
    """Writing the research record (facilitators) and reading it (everyone)."""

    def _record_for_writing(self, actor: Actor, process_id: UUID) -> ResearchRecord:
        authorise(actor, "write the research record")
        self.process(process_id, copy=False).require("write the research record")
        try:
            return self.load(research_record_id(process_id), ResearchRecord, "research record")
        except NotFound:
            return ResearchRecord.begin(process_id)

    @retrying
    def state_hypothesis(self, actor: Actor, process_id: UUID, text: dict[str, str]) -> UUID:
        """Add a hypothesis (FR/NL/EN) to the process's research record."""
        record = self._record_for_writing(actor, process_id)
        hypothesis_id = record.state_hypothesis(text)
        self.save(record)
        return hypothesis_id

    @retrying
    def describe_method(
        self,
        actor: Actor,
        process_id: UUID,
        *,
        method: str,
        description: dict[str, str],
        start: date,
        end: date,
    ) -> None:
        """Add a method of the methodology (workshops, questionnaire, ...) and when."""
        record = self._record_for_writing(actor, process_id)
        record.describe_method(method=method, description=description, start=start, end=end)
        self.save(record)

    @retrying
    def define_indicator(
        self,
        actor: Actor,
        process_id: UUID,
        *,
        hypothesis_id: UUID,
        name: dict[str, str],
        how: dict[str, str],
        direction: str,
        questions: list[dict[str, Any]],
    ) -> UUID:
        """Tie an indicator to a hypothesis and to the questions that measure it
        (``[{"questionnaire_id": ..., "question_id": "q1"}]``, questions of this process)."""
        record = self._record_for_writing(actor, process_id)
        cited = self._cited_questions(process_id, questions)
        indicator_id = record.define_indicator(
            hypothesis_id=hypothesis_id, name=name, how=how, direction=direction, questions=cited
        )
        self.save(record)
        return indicator_id

    def _cited_questions(self, process_id: UUID, questions: object) -> list[dict[str, Any]]:
        if not isinstance(questions, list):
            raise InvalidInput(
                "questions must be a list", field="questions", code="research.question_unknown"
            )
        cited: list[dict[str, Any]] = []
        for reference in questions:
            try:
                questionnaire_id = UUID(str(reference["questionnaire_id"]))
                question_id = str(reference["question_id"])
                questionnaire = self.load(questionnaire_id, Questionnaire, "questionnaire")
                questionnaire.question(question_id)
            except (KeyError, TypeError, ValueError, NotFound, InvalidInput):
                raise InvalidInput(
                    f"{reference!r} is not a question of a questionnaire of this process",
                    field="questions",
                    code="research.question_unknown",
                ) from None
            if questionnaire.process_id != process_id:
                raise InvalidInput(
                    "an indicator cites questions of its own process only",
                    field="questions",
                    code="research.question_unknown",
                )
            cited.append({"questionnaire_id": questionnaire_id, "question_id": question_id})
        return cited

    @retrying
    def set_expected_effects(
        self, actor: Actor, process_id: UUID, axis_id: UUID, effects: dict[str, Any]
    ) -> None:
        """State the effects expected of an axis for people, publics and organisations."""
        record = self._record_for_writing(actor, process_id)
        self.process(process_id, copy=False).require_axis(axis_id)
        record.set_expected_effects(axis_id, effects)
        self.save(record)

    research_record = research_record
