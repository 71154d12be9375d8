"""Processes, workshops, contributions and proposals as residents and facilitators see them."""

from __future__ import annotations

from typing import Any

from domain.contribution import Contribution
from domain.process import Process
from domain.proposal import Proposal
from domain.report import Report
from domain.workshop import Workshop
from projections.base import SQLProjection, on
from projections.events import jsonable, text, texts, when
from projections.organisations import OrganisationHandlers
from projections.tables import PARTICIPATION_TABLES
from projections.view import UnitOfWork


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class ParticipationProjection(OrganisationHandlers, SQLProjection):
    """Moderation applied, axes, statuses, sources; a moderation log for facilitators."""

    name = "participation"
    tables = PARTICIPATION_TABLES

    # --- processes -------------------------------------------------------------------------

    @on(Process, "Started")
    def _started(self, unit: UnitOfWork, event: Any, position: int) -> None:
        unit.put(
            "processes",
            {
                "process_id": str(event.originator_id),
                "title": jsonable(event.title),
                "description": jsonable(event.description),
                "phase": "draft",
                "rules": jsonable(event.rules),
                "axes": [],
                "candidates": [],
                "shortlist_published": False,
                "started_at": when(event),
                "updated_at": when(event),
                "position": position,
            },
        )

    def _process(self, unit: UnitOfWork, event: Any, position: int) -> dict[str, Any] | None:
        row = unit.get("processes", str(event.originator_id))
        if row is not None:
            row = {**row, "updated_at": when(event), "position": position}
        return row

    @on(Process, "PhaseOpened")
    def _phase_opened(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._process(unit, event, position)
        if row is not None:
            row["phase"] = event.phase
            if event.phase == "voting":
                row["candidates"] = texts(event.candidates)
            unit.put("processes", row)

    @on(Process, "AxisAdded")
    def _axis_added(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._process(unit, event, position)
        if row is not None:
            row["axes"] = [
                *row["axes"],
                {"axis_id": str(event.axis_id), "name": jsonable(event.name)},
            ]
            unit.put("processes", row)

    @on(Process, "VotingRulesSet")
    def _rules_set(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._process(unit, event, position)
        if row is not None:
            row["rules"] = jsonable(event.rules)
            unit.put("processes", row)

    @on(Process, "ShortlistPublished")
    def _shortlist_published(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._process(unit, event, position)
        if row is not None:
            row["phase"] = "shortlisted"
            row["shortlist_published"] = True
            unit.put("processes", row)

    # --- workshops -------------------------------------------------------------------------

    @on(Workshop, "Scheduled")
    def _scheduled(self, unit: UnitOfWork, event: Any, position: int) -> None:
        unit.put(
            "workshops",
            {
                "workshop_id": str(event.originator_id),
                "process_id": str(event.process_id),
                "title": event.title,
                "on": jsonable(event.on),
                "place": event.place,
                "facilitators": texts(event.facilitators),
                "status": "scheduled",
                "position": position,
            },
        )

    @on(Workshop, "Opened", "Closed")
    def _workshop_status(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = unit.get("workshops", str(event.originator_id))
        if row is not None:
            status = "open" if type(event).__name__ == "Opened" else "closed"
            unit.put("workshops", {**row, "status": status, "position": position})

    # --- contributions -------------------------------------------------------------------------

    @on(Contribution, "Recorded")
    def _recorded(self, unit: UnitOfWork, event: Any, position: int) -> None:
        unit.put(
            "contributions",
            {
                "contribution_id": str(event.originator_id),
                "process_id": str(event.process_id),
                "workshop_id": str(event.workshop_id),
                "kind": str(event.kind),
                "text": event.text,
                "language": event.language,
                "author_id": str(event.author_id),
                "on_behalf_of_participant": text(event.on_behalf_of_participant),
                "on_behalf_of_group": event.on_behalf_of_group,
                "axis_id": text(event.axis_id),
                "hidden_reason": None,
                "recorded_at": when(event),
                "position": position,
                "on_behalf_of_organisation": text(
                    getattr(event, "on_behalf_of_organisation", None)
                ),
            },
        )
        if getattr(event, "quote_consent", False):
            unit.put(
                "quote_consents",
                {"contribution_id": str(event.originator_id), "process_id": str(event.process_id)},
            )

    @on(Contribution, "Tagged")
    def _tagged(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = unit.get("contributions", str(event.originator_id))
        if row is not None:
            unit.put("contributions", {**row, "axis_id": text(event.axis_id), "position": position})
            self._log(unit, row["process_id"], "contribution", event, position, "tag", None)

    @on(Contribution, "Hidden", "Restored")
    def _contribution_moderated(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = unit.get("contributions", str(event.originator_id))
        if row is not None:
            hidden = type(event).__name__ == "Hidden"
            reason = event.reason if hidden else None
            unit.put("contributions", {**row, "hidden_reason": reason, "position": position})
            action = "hide" if hidden else "restore"
            self._log(
                unit, row["process_id"], "contribution", event, position, action, event.reason
            )

    @on(Report, "Composed")
    def _report_composed(self, unit: UnitOfWork, event: Any, position: int) -> None:
        unit.put(
            "report_compositions",
            {
                "process_id": str(event.process_id),
                "introductions": jsonable(event.introductions),
                "quotes": texts(event.quotes),
                "composed_by": text(event.by),
                "composed_at": when(event),
                "position": position,
            },
        )

    # --- proposals -------------------------------------------------------------------------------

    @on(Proposal, "Submitted")
    def _submitted(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = {
            "proposal_id": str(event.originator_id),
            "process_id": str(event.process_id),
            "title": event.title,
            "body": event.body,
            "language": event.language,
            "axis_id": text(event.axis_id),
            "source_ids": [],
            "inherited_source_ids": [],
            "author_id": str(event.author_id),
            "status": "active",
            "hidden_reason": None,
            "merged_into": None,
            "merged_from": [],
            "revision": 1,
            "submitted_at": when(event),
            "updated_at": when(event),
            "position": position,
            "cost": getattr(event, "cost", None),
        }
        self._set_sources(unit, row, _unique(texts(event.source_ids)))

    def _set_sources(self, unit: UnitOfWork, row: dict[str, Any], sources: list[str]) -> None:
        """Replace the proposal's cited contributions and their links."""
        for old in row["source_ids"]:
            if old not in sources:
                unit.delete("proposal_sources", row["proposal_id"], old)
        for new in sources:
            if new not in row["source_ids"]:
                unit.put(
                    "proposal_sources",
                    {
                        "proposal_id": row["proposal_id"],
                        "contribution_id": new,
                        "process_id": row["process_id"],
                    },
                )
        row["source_ids"] = sources
        unit.put("proposals", row)

    def _proposal(self, unit: UnitOfWork, event: Any, position: int) -> dict[str, Any] | None:
        row = unit.get("proposals", str(event.originator_id))
        if row is not None:
            row = {**row, "updated_at": when(event), "position": position}
        return row

    @on(Proposal, "Revised")
    def _revised(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._proposal(unit, event, position)
        if row is not None:
            row.update(
                title=event.title,
                body=event.body,
                axis_id=text(event.axis_id),
                revision=row["revision"] + 1,
            )
            if getattr(event, "cost", None) is not None:
                row["cost"] = event.cost
            sources = _unique([*texts(event.source_ids), *row["inherited_source_ids"]])
            self._set_sources(unit, row, sources)

    @on(Proposal, "Withdrawn")
    def _withdrawn(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._proposal(unit, event, position)
        if row is not None:
            unit.put("proposals", {**row, "status": "withdrawn"})
            self._log(unit, row["process_id"], "proposal", event, position, "withdraw", None)

    @on(Proposal, "Hidden", "Restored")
    def _proposal_moderated(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._proposal(unit, event, position)
        if row is not None:
            hidden = type(event).__name__ == "Hidden"
            unit.put("proposals", {**row, "hidden_reason": event.reason if hidden else None})
            action = "hide" if hidden else "restore"
            self._log(unit, row["process_id"], "proposal", event, position, action, event.reason)

    @on(Proposal, "MergedInto")
    def _merged_into(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._proposal(unit, event, position)
        if row is not None:
            unit.put("proposals", {**row, "status": "merged", "merged_into": str(event.target_id)})
            self._log(unit, row["process_id"], "proposal", event, position, "merge", event.reason)

    @on(Proposal, "Absorbed")
    def _absorbed(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = self._proposal(unit, event, position)
        if row is not None:
            absorbed = texts(event.source_ids)
            row["merged_from"] = [*row["merged_from"], str(event.source_id)]
            row["inherited_source_ids"] = _unique([*row["inherited_source_ids"], *absorbed])
            self._set_sources(unit, row, _unique([*row["source_ids"], *absorbed]))

    # --- moderation log ------------------------------------------------------------------------

    def _log(
        self,
        unit: UnitOfWork,
        process_id: str,
        kind: str,
        event: Any,
        position: int,
        action: str,
        reason: str | None,
    ) -> None:
        unit.append(
            "moderation_log",
            {
                "position": position,
                "process_id": process_id,
                "item_kind": kind,
                "item_id": str(event.originator_id),
                "action": action,
                "reason": reason,
                "by": text(getattr(event, "by", None)),
                "at": when(event),
            },
        )
