"""The trail's graph writes (nodes, edges) and the research record's part of the trail:
hypotheses, indicators testing them, and the questionnaire questions measuring those.

* ``indicator -tests-> hypothesis``
* ``indicator -measured_by-> question`` (node id ``question:<questionnaire id>-<question id>``)
* organisations of the process (node id: the organisation's id; public fields only),
  which contributions are ``given_for`` (written by `projections.trail`)

`projections.trail.TrailProjection` builds on this class (one projection, one table pair).
"""

from __future__ import annotations

from typing import Any

from domain.organisation import Organisation
from domain.questionnaire import Questionnaire
from domain.research import ResearchRecord
from projections.base import SQLProjection, on
from projections.events import jsonable, when
from projections.view import UnitOfWork


def hypothesis_node(hypothesis_id: object) -> str:
    """The node id of a research hypothesis."""
    return f"hypothesis:{hypothesis_id}"


def indicator_node(indicator_id: object) -> str:
    """The node id of a research indicator."""
    return f"indicator:{indicator_id}"


def question_node(questionnaire_id: object, question_id: object) -> str:
    """The node id of a questionnaire's question."""
    return f"question:{questionnaire_id}-{question_id}"


def _first(localised: Any) -> str:
    return next(iter(localised.values()), "") if isinstance(localised, dict) else str(localised)


class TrailGraph(SQLProjection):
    """Writing nodes and edges of the trail, and the research record's nodes."""

    def _node(
        self,
        unit: UnitOfWork,
        node_id: str,
        kind: str,
        process_id: str,
        label: str,
        data: dict[str, Any],
        position: int,
    ) -> None:
        unit.put(
            "trail_nodes",
            {
                "node_id": node_id,
                "kind": kind,
                "process_id": process_id,
                "label": label,
                "data": data,
                "position": position,
            },
        )

    def _update(self, unit: UnitOfWork, node_id: str, position: int, **data: Any) -> None:
        row = unit.get("trail_nodes", node_id)
        if row is not None:
            unit.put("trail_nodes", {**row, "data": {**row["data"], **data}, "position": position})

    def _edge(
        self,
        unit: UnitOfWork,
        src: str,
        relation: str,
        dst: str,
        process_id: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        unit.put(
            "trail_edges",
            {
                "src": src,
                "relation": relation,
                "dst": dst,
                "process_id": process_id,
                "data": data or {},
            },
        )

    @on(Organisation, "Registered")
    def _organisation(self, unit: UnitOfWork, event: Any, position: int) -> None:
        self._node(
            unit, str(event.originator_id), "organisation", str(event.process_id), event.name,
            {"sector": event.sector, "commune": event.commune}, position,
        )  # fmt: skip

    @on(ResearchRecord, "Begun")
    def _record(self, unit: UnitOfWork, event: Any, position: int) -> None:
        process_id = str(event.process_id)
        self._node(
            unit, str(event.originator_id), "research_record", process_id, "research record",
            {}, position,
        )  # fmt: skip

    def _process_of_record(self, unit: UnitOfWork, event: Any) -> str | None:
        record = unit.get("trail_nodes", str(event.originator_id))
        return None if record is None else str(record["process_id"])

    @on(ResearchRecord, "HypothesisStated")
    def _hypothesis(self, unit: UnitOfWork, event: Any, position: int) -> None:
        process_id = self._process_of_record(unit, event)
        if process_id is None:
            return
        statement = jsonable(event.text)
        self._node(
            unit, hypothesis_node(event.hypothesis_id), "hypothesis", process_id,
            _first(statement), {"text": statement, "stated_at": when(event)}, position,
        )  # fmt: skip

    @on(ResearchRecord, "IndicatorDefined")
    def _indicator(self, unit: UnitOfWork, event: Any, position: int) -> None:
        process_id = self._process_of_record(unit, event)
        if process_id is None:
            return
        node_id = indicator_node(event.indicator_id)
        questions = [
            question_node(q["questionnaire_id"], q["question_id"]) for q in event.questions
        ]
        self._node(
            unit,
            node_id,
            "indicator",
            process_id,
            _first(jsonable(event.name)),
            {
                "name": jsonable(event.name),
                "how": jsonable(event.how),
                "direction": event.direction,
                "hypothesis_id": str(event.hypothesis_id),
                "questions": questions,
                "defined_at": when(event),
            },
            position,
        )
        self._edge(unit, node_id, "tests", hypothesis_node(event.hypothesis_id), process_id)
        for question in questions:
            self._edge(unit, node_id, "measured_by", question, process_id)

    @on(Questionnaire, "Created")
    def _questionnaire(self, unit: UnitOfWork, event: Any, position: int) -> None:
        title = jsonable(event.title)
        self._node(
            unit, str(event.originator_id), "questionnaire", str(event.process_id),
            _first(title), {"title": title}, position,
        )  # fmt: skip

    @on(Questionnaire, "QuestionAdded")
    def _question(self, unit: UnitOfWork, event: Any, position: int) -> None:
        questionnaire = unit.get("trail_nodes", str(event.originator_id))
        if questionnaire is None:
            return
        statement = jsonable(event.text)
        self._node(
            unit,
            question_node(event.originator_id, event.question_id),
            "question",
            questionnaire["process_id"],
            _first(statement),
            {
                "text": statement,
                "kind": event.kind,
                "questionnaire_id": questionnaire["node_id"],
                "question_id": event.question_id,
            },
            position,
        )
