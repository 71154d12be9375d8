"""Live tallies, the current ballot of each voter, receipts and the frozen shortlist.

For approval and dot voting the tallies are incremental: each ballot's current
choices are kept under the ballot's id, so a recast subtracts the old choices and
adds the new ones. Other methods are counted on read (``domain.voting.count``) over
the stored current ballots. The published shortlist is the one frozen in the
``Process.ShortlistPublished`` event, never a recount.
"""

from __future__ import annotations

from typing import Any

from domain.ballot import Ballot
from domain.process import Process
from domain.voting import ballot_points
from projections.base import SQLProjection, on
from projections.events import jsonable, texts, when
from projections.tables import RANKING_TABLES
from projections.view import UnitOfWork

#: The row of ranking_tallies that counts a process's counted ballots (its `ballots`),
#: so that reading the number is one row, not a COUNT(*) over every ballot.
BALLOT_COUNT = "*ballots*"
#: The row of ranking_tallies whose `ballots` counts every ballot change (cast, recast,
#: withdrawal) of a process: live results are shown in batches of such changes
#: (projections/batches.py).
CHANGE_COUNT = "*changes*"


class RankingProjection(SQLProjection):
    """Tallies per proposal, ballots by id, receipts, and the published shortlist."""

    name = "ranking"
    tables = RANKING_TABLES

    # --- the process's rules, candidates and shortlist ---------------------------------------

    @on(Process, "Started")
    def _started(self, unit: UnitOfWork, event: Any, position: int) -> None:
        unit.put(
            "ranking_processes",
            {
                "process_id": str(event.originator_id),
                "rules": jsonable(event.rules),
                "phase": "draft",
                "candidates": [],
                "removed": {},
                "merged_into": {},
                "shortlist": None,
                "chain_head": None,
                "published_position": None,
                "published_at": None,
            },
        )

    def _change(self, unit: UnitOfWork, event: Any, **changes: Any) -> None:
        row = unit.get("ranking_processes", str(event.originator_id))
        if row is not None:
            unit.put("ranking_processes", {**row, **changes})

    @on(Process, "VotingRulesSet")
    def _rules_set(self, unit: UnitOfWork, event: Any, position: int) -> None:
        self._change(unit, event, rules=jsonable(event.rules))

    @on(Process, "PhaseOpened")
    def _phase_opened(self, unit: UnitOfWork, event: Any, position: int) -> None:
        if event.phase == "voting":
            self._change(unit, event, phase=event.phase, candidates=texts(event.candidates))
        else:
            self._change(unit, event, phase=event.phase)

    @on(Process, "CandidateRemoved")
    def _candidate_removed(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = unit.get("ranking_processes", str(event.originator_id))
        if row is not None:
            removed = {**row["removed"], str(event.proposal_id): event.reason}
            unit.put("ranking_processes", {**row, "removed": removed})

    @on(Process, "CandidateMerged")
    def _candidate_merged(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = unit.get("ranking_processes", str(event.originator_id))
        if row is not None:
            merged = {**row["merged_into"], str(event.source_id): str(event.target_id)}
            unit.put("ranking_processes", {**row, "merged_into": merged})

    @on(Process, "VoteClosed")
    def _vote_closed(self, unit: UnitOfWork, event: Any, position: int) -> None:
        # Ballot events after this position count for nothing (see _counts).
        self._change(unit, event, phase="counting")

    @on(Process, "ShortlistPublished")
    def _shortlist_published(self, unit: UnitOfWork, event: Any, position: int) -> None:
        self._change(
            unit,
            event,
            phase="shortlisted",
            shortlist=jsonable(event.result),
            chain_head=jsonable(event.chain_head),
            published_position=position,
            published_at=when(event),
        )

    # --- ballots ------------------------------------------------------------------------------

    def _add(self, unit: UnitOfWork, process_id: str, choices: Any, sign: int) -> None:
        for proposal_id, points in [*ballot_points(choices).items(), (BALLOT_COUNT, 0.0)]:
            row = unit.get("ranking_tallies", process_id, proposal_id) or {
                "process_id": process_id,
                "proposal_id": proposal_id,
                "score": 0.0,
                "ballots": 0,
            }
            unit.put(
                "ranking_tallies",
                {**row, "score": row["score"] + sign * points, "ballots": row["ballots"] + sign},
            )

    def _changed(self, unit: UnitOfWork, process_id: str) -> int:
        """Count one more ballot change of the process; return the new count."""
        row = unit.get("ranking_tallies", process_id, CHANGE_COUNT) or {
            "process_id": process_id,
            "proposal_id": CHANGE_COUNT,
            "score": 0.0,
            "ballots": 0,
        }
        unit.put("ranking_tallies", {**row, "ballots": row["ballots"] + 1})
        return int(row["ballots"]) + 1

    def _receipt(
        self, unit: UnitOfWork, receipt: str | None, process_id: str, ballot_id: str, counted: bool
    ) -> None:
        if receipt:
            unit.put(
                "ranking_receipts",
                {
                    "receipt": receipt,
                    "process_id": process_id,
                    "ballot_id": ballot_id,
                    "counted": counted,
                },
            )

    def _counts(self, unit: UnitOfWork, process_id: str) -> bool:
        """Whether a ballot event of this process, at this point of the log, counts: only
        while the vote is open (a ballot stored after the close was refused)."""
        row = unit.get("ranking_processes", process_id)
        return row is not None and row["phase"] == "voting"

    @on(Ballot, "Cast")
    def _cast(self, unit: UnitOfWork, event: Any, position: int) -> None:
        ballot_id, process_id = str(event.originator_id), str(event.process_id)
        if not self._counts(unit, process_id):
            return
        choices = jsonable(event.choices)
        self._add(unit, process_id, choices, +1)
        unit.put(
            "ranking_ballots",
            {
                "ballot_id": ballot_id,
                "process_id": process_id,
                "choices": choices,
                "receipt": event.receipt,
                "changed_at": self._changed(unit, process_id),
            },
        )
        self._receipt(unit, event.receipt, process_id, ballot_id, True)

    @on(Ballot, "Recast", "Withdrawn")
    def _recast(self, unit: UnitOfWork, event: Any, position: int) -> None:
        ballot = unit.get("ranking_ballots", str(event.originator_id))
        if ballot is None:
            return
        ballot_id, process_id = ballot["ballot_id"], ballot["process_id"]
        if not self._counts(unit, process_id):
            return
        changed_at = self._changed(unit, process_id)
        if ballot["choices"] is not None:
            self._add(unit, process_id, ballot["choices"], -1)
        self._receipt(unit, ballot["receipt"], process_id, ballot_id, False)
        if type(event).__name__ == "Recast":
            choices, receipt = jsonable(event.choices), event.receipt
            self._add(unit, process_id, choices, +1)
            self._receipt(unit, receipt, process_id, ballot_id, True)
        else:
            choices, receipt = None, None
        unit.put(
            "ranking_ballots",
            {**ballot, "choices": choices, "receipt": receipt, "changed_at": changed_at},
        )
