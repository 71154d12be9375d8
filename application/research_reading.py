"""What the research and questionnaire pages show, each as one call returning plain
values: a questionnaire for the person reading it, its results (with the free answers
a facilitator may turn into contributions), the research record with the questions an
indicator may cite.

Each combines the reads of several groups (questionnaires, their results, the research
record), so each is a function of the whole application, not a group: `Voisinage`
(application/app.py) takes them as its methods."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from application.actors import Actor
from application.authorisation import may
from domain.questionnaire import SCALES

if TYPE_CHECKING:
    from application.app import Voisinage


def questionnaire_for(
    app: Voisinage, actor: Actor | None, questionnaire_id: UUID
) -> dict[str, Any]:
    """A questionnaire as `actor` reads it: its summary, whether they may answer it
    (a resident of its process, when residents are asked) and their own answers
    to the open wave (empty when they have not answered)."""
    found = app.questionnaire_summary(questionnaire_id)
    member = (
        may(actor, "answer a questionnaire", UUID(found["process_id"]))
        and "residents" in found["audience"]
    )
    given: dict[str, Any] = {}
    if member and found["open_wave"] is not None and actor is not None:
        given = app.own_response(actor, questionnaire_id, found["open_wave"]) or {}
    return {**found, "member": member, "given": given}


def results_for(app: Voisinage, actor: Actor | None, questionnaire_id: UUID) -> dict[str, Any]:
    """The results (`questionnaire_results`) and, for whoever may turn an answer into
    a contribution, every free-text answer (`free`; empty for others)."""
    results = app.questionnaire_results(questionnaire_id)
    free: list[dict[str, Any]] = []
    if actor is not None and may(actor, "turn an answer into a contribution"):
        free = app.free_text_answers(actor, questionnaire_id)
    return {**results, "free": free}


def research_page(app: Voisinage, process_id: UUID) -> dict[str, Any]:
    """The research record (`research_record`), and the questions of the process's
    questionnaires an indicator may cite, scale questions first (`questions`, each
    with its questionnaire's title and the value "questionnaire id/question id")."""
    record = app.research_record(process_id)
    questions = [
        {
            "value": f"{q['id']}/{question['id']}",
            "questionnaire_id": q["id"],
            "question_id": question["id"],
            "questionnaire": q["title"],
            "text": question["text"],
            "scale": question["kind"] in SCALES,
        }
        for q in app.questionnaires_of(process_id)
        for question in q["questions"]
    ]
    return {**record, "questions": sorted(questions, key=lambda q: not q["scale"])}
