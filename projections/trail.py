"""The decision trail as a graph: workshop, contribution, proposal, shortlist, recommendation.

Nodes (workshops, contributions, proposals, shortlists, recommendations, processes)
and labelled edges, each pointing from what came later to what it came from:

* ``contribution -recorded_in-> workshop``
* ``contribution -given_for-> organisation`` (words given in an organisation's name)
* ``proposal -cites-> contribution`` (a merge target inherits the sources' citations)
* ``proposal -merged_into-> proposal``
* ``shortlist -ranks-> proposal`` (data: rank, score, shortlisted)
* ``recommendation -cites-> proposal``
* ``recommendation -addresses-> hypothesis`` (the research record's hypotheses it answers)
* ``indicator -tests-> hypothesis`` and ``indicator -measured_by-> question`` (a
  questionnaire's question, its node id ``question:<questionnaire id>-<question id>``)

Answers and progress reports are kept on the recommendation node.
"""

from __future__ import annotations

from typing import Any

from domain.contribution import Contribution
from domain.process import Process
from domain.proposal import Proposal
from domain.recommendation import Recommendation
from domain.workshop import Workshop
from projections.base import on
from projections.events import jsonable, text, texts, when
from projections.tables import TRAIL_TABLES
from projections.trail_graph import TrailGraph, hypothesis_node
from projections.view import UnitOfWork


def shortlist_node(process_id: str) -> str:
    """The node id of a process's published shortlist."""
    return f"shortlist:{process_id}"


def shortlist_entries(result: dict[str, Any]) -> list[dict[str, Any]]:
    """(proposal id, rank, score, shortlisted) of every ranked proposal of a count.

    `result` is a `CountResult` as frozen in ShortlistPublished: ``ranking`` lists
    every candidate's id in order, ``tallies`` maps an id to its score (equal shares
    and PAV keep the approvals beside their rounds, under ``approvals``).
    """
    shortlisted = {str(p) for p in result.get("shortlist") or []}
    tallies = result.get("tallies") or {}
    if isinstance(tallies.get("approvals"), dict):
        tallies = tallies["approvals"]
    return [
        {
            "proposal_id": proposal_id,
            "rank": rank,
            "score": jsonable(tallies.get(proposal_id)),
            "shortlisted": proposal_id in shortlisted,
        }
        for rank, proposal_id in enumerate(map(str, result.get("ranking") or []), start=1)
    ]


class TrailProjection(TrailGraph):
    """Nodes and edges of the decision trail, per process."""

    name = "trail"
    tables = TRAIL_TABLES

    @on(Process, "Started")
    def _process(self, unit: UnitOfWork, event: Any, position: int) -> None:
        process_id = str(event.originator_id)
        title = jsonable(event.title)
        label = next(iter(title.values()), "") if isinstance(title, dict) else str(title)
        self._node(
            unit, process_id, "process", process_id, label,
            {"title": title, "started_at": when(event)}, position,
        )  # fmt: skip

    @on(Workshop, "Scheduled")
    def _workshop(self, unit: UnitOfWork, event: Any, position: int) -> None:
        self._node(
            unit,
            str(event.originator_id),
            "workshop",
            str(event.process_id),
            event.title,
            {"on": jsonable(event.on), "place": event.place},
            position,
        )

    @on(Contribution, "Recorded")
    def _contribution(self, unit: UnitOfWork, event: Any, position: int) -> None:
        contribution_id, process_id = str(event.originator_id), str(event.process_id)
        organisation = text(getattr(event, "on_behalf_of_organisation", None))
        self._node(
            unit,
            contribution_id,
            "contribution",
            process_id,
            event.text,
            {
                "kind": str(event.kind),
                "language": event.language,
                "workshop_id": str(event.workshop_id),
                "on_behalf_of_group": event.on_behalf_of_group,
                "on_behalf_of_organisation": organisation,
                "captured": event.on_behalf_of_participant is not None
                or event.on_behalf_of_group is not None,
                "hidden": False,
                "recorded_at": when(event),
            },
            position,
        )
        self._edge(unit, contribution_id, "recorded_in", str(event.workshop_id), process_id)
        if organisation:
            self._edge(unit, contribution_id, "given_for", organisation, process_id)

    @on(Contribution, "Hidden", "Restored")
    def _contribution_moderated(self, unit: UnitOfWork, event: Any, position: int) -> None:
        self._update(
            unit, str(event.originator_id), position, hidden=type(event).__name__ == "Hidden"
        )

    # --- proposals ---------------------------------------------------------------------------

    def _cite(
        self, unit: UnitOfWork, proposal_id: str, process_id: str, old: list[str], new: list[str]
    ) -> None:
        for source in old:
            if source not in new:
                unit.delete("trail_edges", proposal_id, "cites", source)
        for source in new:
            if source not in old:
                self._edge(unit, proposal_id, "cites", source, process_id)

    @on(Proposal, "Submitted")
    def _proposal(self, unit: UnitOfWork, event: Any, position: int) -> None:
        proposal_id, process_id = str(event.originator_id), str(event.process_id)
        sources = list(dict.fromkeys(texts(event.source_ids)))
        self._node(
            unit,
            proposal_id,
            "proposal",
            process_id,
            event.title,
            {
                "status": "active",
                "hidden": False,
                "sources": sources,
                "inherited": [],
                "merged_into": None,
                "merged_from": [],
                "submitted_at": when(event),
            },
            position,
        )
        self._cite(unit, proposal_id, process_id, [], sources)

    @on(Proposal, "Revised")
    def _revised(self, unit: UnitOfWork, event: Any, position: int) -> None:
        node = unit.get("trail_nodes", str(event.originator_id))
        if node is None:
            return
        data = node["data"]
        sources = list(dict.fromkeys([*texts(event.source_ids), *data["inherited"]]))
        self._cite(unit, node["node_id"], node["process_id"], data["sources"], sources)
        unit.put(
            "trail_nodes",
            {
                **node,
                "label": event.title,
                "data": {**data, "sources": sources},
                "position": position,
            },
        )

    @on(Proposal, "Withdrawn")
    def _withdrawn(self, unit: UnitOfWork, event: Any, position: int) -> None:
        self._update(unit, str(event.originator_id), position, status="withdrawn")

    @on(Proposal, "Hidden", "Restored")
    def _proposal_moderated(self, unit: UnitOfWork, event: Any, position: int) -> None:
        self._update(
            unit, str(event.originator_id), position, hidden=type(event).__name__ == "Hidden"
        )

    @on(Proposal, "MergedInto")
    def _merged_into(self, unit: UnitOfWork, event: Any, position: int) -> None:
        node = unit.get("trail_nodes", str(event.originator_id))
        if node is None:
            return
        target = str(event.target_id)
        self._update(unit, node["node_id"], position, status="merged", merged_into=target)
        self._edge(
            unit, node["node_id"], "merged_into", target, node["process_id"],
            {"reason": event.reason},
        )  # fmt: skip

    @on(Proposal, "Absorbed")
    def _absorbed(self, unit: UnitOfWork, event: Any, position: int) -> None:
        node = unit.get("trail_nodes", str(event.originator_id))
        if node is None:
            return
        data = node["data"]
        absorbed = texts(event.source_ids)
        sources = list(dict.fromkeys([*data["sources"], *absorbed]))
        self._cite(unit, node["node_id"], node["process_id"], data["sources"], sources)
        unit.put(
            "trail_nodes",
            {
                **node,
                "data": {
                    **data,
                    "sources": sources,
                    "inherited": list(dict.fromkeys([*data["inherited"], *absorbed])),
                    "merged_from": [*data["merged_from"], str(event.source_id)],
                },
                "position": position,
            },
        )

    # --- shortlist and recommendations ---------------------------------------------------

    @on(Process, "ShortlistPublished")
    def _shortlist(self, unit: UnitOfWork, event: Any, position: int) -> None:
        process_id = str(event.originator_id)
        result = jsonable(event.result)
        node_id = shortlist_node(process_id)
        self._node(
            unit,
            node_id,
            "shortlist",
            process_id,
            "shortlist",
            {
                "method": result.get("method"),
                "ballots_counted": result.get("ballots_counted"),
                "shortlist": [str(p) for p in result.get("shortlist") or []],
                "chain_head": jsonable(event.chain_head),
                "published_at": when(event),
                "published_position": position,
            },
            position,
        )
        for entry in shortlist_entries(result):
            proposal_id = entry.pop("proposal_id")
            self._edge(unit, node_id, "ranks", proposal_id, process_id, entry)
        self._edge(unit, node_id, "counted_in", process_id, process_id)

    @on(Recommendation, "Drafted")
    def _recommendation(self, unit: UnitOfWork, event: Any, position: int) -> None:
        recommendation_id, process_id = str(event.originator_id), str(event.process_id)
        cited = list(dict.fromkeys(texts(event.proposal_ids)))
        addressed = texts(getattr(event, "hypothesis_ids", None) or [])
        self._node(
            unit,
            recommendation_id,
            "recommendation",
            process_id,
            event.title,
            {
                "text": event.text,
                "language": event.language,
                "proposal_ids": cited,
                "submitted": False,
                "answer": None,
                "justification": None,
                "answers": [],
                "progress": 0,
                "progress_notes": [],
                "hypothesis_ids": addressed,
                "drafted_at": when(event),
            },
            position,
        )
        for proposal_id in cited:
            self._edge(unit, recommendation_id, "cites", proposal_id, process_id)
        for hypothesis_id in addressed:
            self._edge(
                unit, recommendation_id, "addresses", hypothesis_node(hypothesis_id), process_id
            )

    @on(Recommendation, "Revised")
    def _recommendation_revised(self, unit: UnitOfWork, event: Any, position: int) -> None:
        node = unit.get("trail_nodes", str(event.originator_id))
        if node is None:
            return
        old = node["data"]["proposal_ids"]
        cited = list(dict.fromkeys(texts(event.proposal_ids)))
        for proposal_id in old:
            if proposal_id not in cited:
                unit.delete("trail_edges", node["node_id"], "cites", proposal_id)
        for proposal_id in cited:
            if proposal_id not in old:
                self._edge(unit, node["node_id"], "cites", proposal_id, node["process_id"])
        addressed = node["data"].get("hypothesis_ids", [])
        if getattr(event, "hypothesis_ids", None) is not None:
            addressed = self._address(unit, node, texts(event.hypothesis_ids))
        unit.put(
            "trail_nodes",
            {
                **node,
                "label": event.title,
                "data": {
                    **node["data"],
                    "text": event.text,
                    "language": event.language,
                    "proposal_ids": cited,
                    "hypothesis_ids": addressed,
                    "revised_at": when(event),
                },
                "position": position,
            },
        )

    def _address(self, unit: UnitOfWork, node: dict[str, Any], new: list[str]) -> list[str]:
        old = node["data"].get("hypothesis_ids", [])
        for hypothesis_id in old:
            if hypothesis_id not in new:
                unit.delete(
                    "trail_edges", node["node_id"], "addresses", hypothesis_node(hypothesis_id)
                )
        for hypothesis_id in new:
            if hypothesis_id not in old:
                self._edge(
                    unit, node["node_id"], "addresses", hypothesis_node(hypothesis_id),
                    node["process_id"],
                )  # fmt: skip
        return new

    @on(Recommendation, "Submitted")
    def _submitted(self, unit: UnitOfWork, event: Any, position: int) -> None:
        self._update(
            unit, str(event.originator_id), position, submitted=True, submitted_at=when(event)
        )

    @on(Recommendation, "Answered")
    def _answered(self, unit: UnitOfWork, event: Any, position: int) -> None:
        node = unit.get("trail_nodes", str(event.originator_id))
        if node is None:
            return
        answer = {
            "status": event.status,
            "justification": event.justification,
            "by": text(event.by),
            "institution": getattr(event, "institution", "") or "",
            "at": when(event),
        }
        self._update(
            unit,
            node["node_id"],
            position,
            answer=event.status,
            justification=event.justification,
            answers=[*node["data"]["answers"], answer],
        )

    @on(Recommendation, "ProgressReported")
    def _progress(self, unit: UnitOfWork, event: Any, position: int) -> None:
        node = unit.get("trail_nodes", str(event.originator_id))
        if node is None:
            return
        note = {
            "percent": event.percent,
            "note": event.note,
            "on": jsonable(event.on),
            "by": text(event.by),
            "institution": getattr(event, "institution", "") or "",
            "at": when(event),
        }
        self._update(
            unit,
            node["node_id"],
            position,
            progress=event.percent,
            progress_notes=[*node["data"]["progress_notes"], note],
        )
