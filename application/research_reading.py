"""What the research and questionnaire pages show, each as one call returning plain
values: a questionnaire for the person reading it, its results (with the free answers
a facilitator may turn into contributions), the research record with the questions an
indicator may cite."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.actors import Actor
from application.authorisation import may
from application.questionnaire_results import ResultsCommands
from domain.questionnaire import SCALES


class ResearchReading(ResultsCommands):
    """Reads for the pages (the API reads the same values, route by route)."""

    def questionnaire_for(self, actor: Actor | None, questionnaire_id: UUID) -> dict[str, Any]:
        """A questionnaire as `actor` reads it: its summary, whether they may answer it
        (a resident of its process, when residents are asked) and their own answers
        to the open wave (empty when they have not answered)."""
        found = self.questionnaire_summary(questionnaire_id)
        member = (
            may(actor, "answer a questionnaire", UUID(found["process_id"]))
            and "residents" in found["audience"]
        )
        given: dict[str, Any] = {}
        if member and found["open_wave"] is not None and actor is not None:
            given = self.own_response(actor, questionnaire_id, found["open_wave"]) or {}
        return {**found, "member": member, "given": given}

    def results_for(self, actor: Actor | None, questionnaire_id: UUID) -> dict[str, Any]:
        """The results (`questionnaire_results`) and, for whoever may turn an answer into
        a contribution, every free-text answer (`free`; empty for others)."""
        results = self.questionnaire_results(questionnaire_id)
        free: list[dict[str, Any]] = []
        if actor is not None and may(actor, "turn an answer into a contribution"):
            free = self.free_text_answers(actor, questionnaire_id)
        return {**results, "free": free}

    def research_page(self, process_id: UUID) -> dict[str, Any]:
        """The research record (`research_record`), and the questions of the process's
        questionnaires an indicator may cite, scale questions first (`questions`, each
        with its questionnaire's title and the value "questionnaire id/question id")."""
        record = self.research_record(process_id)
        questions = [
            {
                "value": f"{q['id']}/{question['id']}",
                "questionnaire_id": q["id"],
                "question_id": question["id"],
                "questionnaire": q["title"],
                "text": question["text"],
                "scale": question["kind"] in SCALES,
            }
            for q in self.questionnaires_of(process_id)
            for question in q["questions"]
        ]
        return {**record, "questions": sorted(questions, key=lambda q: not q["scale"])}
