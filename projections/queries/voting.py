"""The vote: live ranking (in batches), the frozen shortlist, receipts."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from domain.voting import VotingRules, count, standing_candidates, tallied_live, tie_break_order
from projections.batches import ResultBatches
from projections.queries.base import Ident, QueryBase, _id, _number
from projections.ranking import BALLOT_COUNT, CHANGE_COUNT
from projections.tables import (
    ranking_ballots,
    ranking_processes,
    ranking_receipts,
    ranking_tallies,
)
from projections.trail import shortlist_entries

#: Counts of non-tallied methods kept per worker, keyed by the ballot changes they saw.
COUNT_CACHE_SIZE = 64


class VotingQueries(QueryBase):
    """The vote: live ranking (in batches), the frozen shortlist, receipts."""

    # --- the vote ---------------------------------------------------------------------------------

    def ranking(self, pid: Ident, now: float | None = None) -> dict[str, Any] | None:
        """The ranking anyone is shown (None if there is no such process).

        During the vote it is the last published batch of the live ranking
        (projections/batches.py: it changes only after the process's
        ``results_batch_ballots`` ballot changes and ``results_batch_minutes``);
        once the shortlist is published, the ranking itself.
        """
        live = self.live_ranking(pid)
        if live is None:
            return None
        changes = live.pop("ballot_changes")
        if not live["live"]:
            return live
        rules = self._row(
            sa.select(ranking_processes.c.rules).where(ranking_processes.c.process_id == _id(pid))
        )
        batches = self.__dict__.get("_batches")
        if batches is None:
            batches = self.__dict__["_batches"] = ResultBatches(self.engine)

        def empty() -> dict[str, Any]:
            return {
                **{k: v for k, v in live.items() if k not in ("result", "ranking")},
                "ballots_counted": 0,
                "ranking": [
                    {**entry, "rank": None, "score": None}
                    for entry in sorted(live["ranking"], key=lambda e: e["proposal_id"])
                ],
            }

        def ballots_changed_since(base: int) -> int:
            query = (
                sa.select(sa.func.count())
                .select_from(ranking_ballots)
                .where(
                    ranking_ballots.c.process_id == _id(pid),
                    ranking_ballots.c.changed_at > base,
                )
            )
            with self.engine.connect() as connection:
                return int(connection.execute(query).scalar() or 0)

        return batches.shown(
            _id(pid),
            live,
            changes,
            (rules or {}).get("rules") or {},
            empty,
            now,
            ballots_changed_since=ballots_changed_since,
        )

    def live_ranking(self, pid: Ident) -> dict[str, Any] | None:
        """The live ranking of a process's candidates (None if there is no such process).

        Internal: never shown as such during the vote (see `ranking`).

        Approval and dots: read from the incremental tallies. Other methods, or when
        candidates were merged during the vote: counted now with the process's rules
        over the current ballots (domain.voting.count).
        """
        process_id = _id(pid)
        row = self._row(
            sa.select(ranking_processes).where(ranking_processes.c.process_id == process_id)
        )
        if row is None:
            return None
        method = str(row["rules"].get("method", ""))
        standing = standing_candidates(row["candidates"], row["removed"], row["merged_into"])
        order = tie_break_order(process_id, standing)
        tallies = {
            r["proposal_id"]: r
            for r in self._rows(
                sa.select(ranking_tallies).where(ranking_tallies.c.process_id == process_id)
            )
        }
        ballots_counted = self._ballots_counted(process_id, tallies.pop(BALLOT_COUNT, None))
        change_row = tallies.pop(CHANGE_COUNT, None)
        result: dict[str, Any] = {
            "process_id": process_id,
            "method": method,
            "phase": row["phase"],
            "live": row["shortlist"] is None,
            "ballots_counted": ballots_counted,
            "ballot_changes": int(change_row["ballots"]) if change_row else ballots_counted,
        }
        rules = VotingRules.from_dict(row["rules"])
        if tallied_live(rules.method, within_budget=rules.within_budget) and not row["merged_into"]:
            points = {c: tallies[c]["score"] if c in tallies else 0.0 for c in order}
            position = {c: i for i, c in enumerate(order)}
            ordered = sorted(order, key=lambda c: (-points[c], position[c]))
            scores: dict[str, Any] = {c: _number(points[c]) for c in ordered}
            result["counted_by"] = "tallies"
        else:
            counted = self._count(process_id, row, order, result["ballot_changes"])
            entries = shortlist_entries(counted)
            ordered = [e["proposal_id"] for e in entries]
            ordered += [c for c in order if c not in ordered]
            by_id = {e["proposal_id"]: e["score"] for e in entries}
            scores = {c: by_id.get(c) for c in ordered}
            result["counted_by"] = "count"
            result["result"] = counted
        titles = self._process_titles(process_id)
        result["ranking"] = [
            {"rank": index, "proposal_id": c, "title": titles.get(c, ""), "score": scores[c]}
            for index, c in enumerate(ordered, start=1)
        ]
        return result

    def _count(
        self, process_id: str, row: dict[str, Any], order: list[str], changes: int
    ) -> dict[str, Any]:
        """Count the current ballots with the process's rules, once per state of the
        ballots: a count (0.8-1.6 s at city scale for Schulze or equal shares) is kept
        until a ballot changes or a candidate is removed or merged."""
        key = (process_id, changes, tuple(order), tuple(sorted(row["merged_into"].items())))
        cache: dict[tuple[Any, ...], dict[str, Any]] = self.__dict__.setdefault("_counts", {})
        found = cache.get(key)
        if found is not None:
            return found
        ballots = [
            r["choices"]
            for r in self._rows(
                sa.select(ranking_ballots.c.choices).where(
                    ranking_ballots.c.process_id == process_id,
                    ranking_ballots.c.receipt.is_not(None),
                )
            )
        ]
        result = count(
            VotingRules.from_dict(row["rules"]),
            ballots,
            order,
            merged_into=dict(row["merged_into"]),
        )
        counted = dict(json.loads(json.dumps(result.to_dict(), default=str)))
        if len(cache) >= COUNT_CACHE_SIZE:
            cache.clear()
        cache[key] = counted
        return counted

    def vote(self, pid: Ident) -> dict[str, Any] | None:
        """The vote of a process as its ballot form needs it (None if there is no such
        process): the rules, the candidates a ballot may choose now (in their order),
        those removed and merged during the vote, and whether ballots are still taken."""
        row = self._row(
            sa.select(ranking_processes).where(ranking_processes.c.process_id == _id(pid))
        )
        if row is None:
            return None
        return {
            "process_id": row["process_id"],
            "rules": row["rules"],
            "candidates": standing_candidates(
                row["candidates"], row["removed"], row["merged_into"]
            ),
            "removed": dict(row["removed"]),
            "merged_into": dict(row["merged_into"]),
            "open": row["phase"] == "voting",
        }

    def shortlist(self, pid: Ident) -> dict[str, Any] | None:
        """The frozen shortlist of a process (None until it is published)."""
        row = self._row(
            sa.select(ranking_processes).where(ranking_processes.c.process_id == _id(pid))
        )
        if row is None or row["shortlist"] is None:
            return None
        result = row["shortlist"]
        entries = shortlist_entries(result)
        titles = self._titles(e["proposal_id"] for e in entries)
        for entry in entries:
            entry["title"] = titles.get(entry["proposal_id"], "")
        by_id = {e["proposal_id"]: e for e in entries}
        shortlisted = [str(p) for p in result.get("shortlist") or []]
        return {
            "process_id": row["process_id"],
            "method": result.get("method", row["rules"].get("method")),
            "published_at": row["published_at"],
            "published_position": row["published_position"],
            "chain_head": row["chain_head"],
            "shortlist": [
                by_id.get(p, {"proposal_id": p, "title": titles.get(p, "")}) for p in shortlisted
            ],
            "ranking": entries,
            "result": result,
        }

    def receipt_counted(self, pid: Ident, receipt: str) -> bool:
        """Whether this receipt belongs to a ballot that counts now in this process."""
        row = self._row(
            sa.select(ranking_receipts).where(ranking_receipts.c.receipt == str(receipt))
        )
        return bool(row and row["process_id"] == _id(pid) and row["counted"])
