"""Read queries over the projections, for the web layer: JSON-safe dicts and lists.

`Views(storage)` reads the read-model tables; `ProjectionService(storage)` keeps them
up to date in background threads of the web process (see projections.runner)::

    views = Views(storage)
    voisinage = Voisinage(storage, secrets, chain_head=views.chain_head)
    service = ProjectionService(storage).start()   # ... service.stop() at exit
    position = voisinage.last_position()           # after a command
    views.wait_for(position)                        # read your own writes

Ids are accepted as UUIDs or text and returned as text. Queries for one thing return
None when it does not exist (the web layer answers 404).

Privacy: author and speaker ids (pseudonymous participant ids) are only returned with
``include_hidden=True`` (the facilitators' view), so that the public lists never link
the contributions of one resident together.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from application.storage import Storage
from domain.audit import GENESIS
from projections.ranking import BALLOT_COUNT
from projections.runner import PROJECTIONS, ProjectionService
from projections.tables import (
    audit_chain,
    audit_chain_head,
    contributions,
    moderation_log,
    processes,
    proposal_sources,
    proposals,
    ranking_ballots,
    ranking_processes,
    ranking_receipts,
    ranking_tallies,
    trail_edges,
    trail_nodes,
    workshops,
)
from projections.trail import shortlist_entries, shortlist_node
from projections.view import UPSTREAM, create_tables, create_views_engine, tracking_table_of

__all__ = ["ProjectionService", "Views"]

#: Methods whose live ranking is read from the incremental tallies.
INCREMENTAL_METHODS = ("approval", "dots", "dot", "dot_voting", "cumulative")

Ident = UUID | str


def _id(value: Ident | None) -> str:
    return str(value) if value is not None else ""


def tie_break_key(process_id: str, candidate: str) -> str:
    """The documented tie-break order of domain.process (sha256 of process/proposal)."""
    return hashlib.sha256(f"{process_id}/{candidate}".encode()).hexdigest()


class Views:
    """Read methods over the projections of one store."""

    def __init__(self, storage: Storage, engine: sa.Engine | None = None) -> None:
        self.storage = storage
        self.engine = engine or create_views_engine(storage.views_url, storage.schema)
        create_tables(self.engine)
        self._tracking = [tracking_table_of(name) for name in PROJECTIONS]

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def _rows(self, query: sa.Select[Any]) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    def _row(self, query: sa.Select[Any]) -> dict[str, Any] | None:
        rows = self._rows(query.limit(1))
        return rows[0] if rows else None

    # --- processes ---------------------------------------------------------------------------

    def _process_dict(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "process_id": row["process_id"],
            "title": row["title"],
            "description": row["description"],
            "phase": row["phase"],
            "rules": row["rules"],
            "axes": row["axes"],
            "candidates": row["candidates"],
            "shortlist_published": row["shortlist_published"],
            "started_at": row["started_at"],
            "updated_at": row["updated_at"],
        }

    def list_processes(self) -> list[dict[str, Any]]:
        """Every process, newest first."""
        rows = self._rows(sa.select(processes).order_by(processes.c.started_at.desc()))
        return [self._process_dict(row) for row in rows]

    def process(self, pid: Ident) -> dict[str, Any] | None:
        """One process with its phase, axes, rules and counts."""
        row = self._row(sa.select(processes).where(processes.c.process_id == _id(pid)))
        if row is None:
            return None
        result = self._process_dict(row)
        with self.engine.connect() as connection:

            def count(table: sa.Table, *conditions: Any) -> int:
                query = sa.select(sa.func.count()).select_from(table).where(*conditions)
                return int(connection.execute(query).scalar() or 0)

            result["counts"] = {
                "workshops": count(workshops, workshops.c.process_id == row["process_id"]),
                "contributions": count(
                    contributions,
                    contributions.c.process_id == row["process_id"],
                    contributions.c.hidden_reason.is_(None),
                ),
                "proposals": count(
                    proposals,
                    proposals.c.process_id == row["process_id"],
                    proposals.c.status == "active",
                    proposals.c.hidden_reason.is_(None),
                ),
            }
        counter = self._row(
            sa.select(ranking_tallies).where(
                ranking_tallies.c.process_id == row["process_id"],
                ranking_tallies.c.proposal_id == BALLOT_COUNT,
            )
        )
        result["counts"]["ballots"] = self._ballots_counted(row["process_id"], counter)
        return result

    # --- workshops and contributions -------------------------------------------------------

    def workshops(self, pid: Ident) -> list[dict[str, Any]]:
        """The workshops of a process, by date, with their number of visible contributions."""
        counts = (
            sa.select(contributions.c.workshop_id, sa.func.count().label("n"))
            .where(contributions.c.hidden_reason.is_(None))
            .group_by(contributions.c.workshop_id)
            .subquery()
        )
        query = (
            sa.select(workshops, sa.func.coalesce(counts.c.n, 0).label("contribution_count"))
            .outerjoin(counts, counts.c.workshop_id == workshops.c.workshop_id)
            .where(workshops.c.process_id == _id(pid))
            .order_by(workshops.c.on, workshops.c.position)
        )
        return [self._workshop_dict(row) for row in self._rows(query)]

    @staticmethod
    def _workshop_dict(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "workshop_id": row["workshop_id"],
            "process_id": row["process_id"],
            "title": row["title"],
            "on": row["on"],
            "place": row["place"],
            "facilitators": row["facilitators"],
            "status": row["status"],
            "contribution_count": int(row.get("contribution_count") or 0),
        }

    def workshop(self, workshop_id: Ident) -> dict[str, Any] | None:
        """One workshop."""
        row = self._row(sa.select(workshops).where(workshops.c.workshop_id == _id(workshop_id)))
        return self._workshop_dict(row) if row is not None else None

    def _supports(self, contribution_ids: Iterable[str] | None = None) -> dict[str, int]:
        """Number of visible proposals citing each contribution."""
        query = (
            sa.select(proposal_sources.c.contribution_id, sa.func.count().label("n"))
            .join(proposals, proposals.c.proposal_id == proposal_sources.c.proposal_id)
            .where(proposals.c.status == "active", proposals.c.hidden_reason.is_(None))
            .group_by(proposal_sources.c.contribution_id)
        )
        if contribution_ids is not None:
            query = query.where(proposal_sources.c.contribution_id.in_(list(contribution_ids)))
        return {row["contribution_id"]: int(row["n"]) for row in self._rows(query)}

    @staticmethod
    def _contribution_dict(row: dict[str, Any], supports: int, private: bool) -> dict[str, Any]:
        result = {
            "contribution_id": row["contribution_id"],
            "process_id": row["process_id"],
            "workshop_id": row["workshop_id"],
            "kind": row["kind"],
            "text": row["text"],
            "language": row["language"],
            "axis_id": row["axis_id"],
            "captured": row["on_behalf_of_participant"] is not None
            or row["on_behalf_of_group"] is not None,
            "on_behalf_of_group": row["on_behalf_of_group"],
            "hidden": row["hidden_reason"] is not None,
            "supports": supports,
            "recorded_at": row["recorded_at"],
            "position": row["position"],
        }
        if private:
            result["author_id"] = row["author_id"]
            result["on_behalf_of_participant"] = row["on_behalf_of_participant"]
            result["hidden_reason"] = row["hidden_reason"]
        return result

    def contributions(
        self, workshop_id: Ident, include_hidden: bool = False
    ) -> list[dict[str, Any]]:
        """The contributions of a workshop in recording order (hidden ones for facilitators)."""
        query = sa.select(contributions).where(contributions.c.workshop_id == _id(workshop_id))
        if not include_hidden:
            query = query.where(contributions.c.hidden_reason.is_(None))
        rows = self._rows(query.order_by(contributions.c.position))
        supports = self._supports(row["contribution_id"] for row in rows)
        return [
            self._contribution_dict(row, supports.get(row["contribution_id"], 0), include_hidden)
            for row in rows
        ]

    def contribution(self, cid: Ident, include_hidden: bool = True) -> dict[str, Any] | None:
        """One contribution (hidden ones too, marked hidden, with the reason when asked)."""
        row = self._row(sa.select(contributions).where(contributions.c.contribution_id == _id(cid)))
        if row is None:
            return None
        supports = self._supports([row["contribution_id"]]).get(row["contribution_id"], 0)
        result = self._contribution_dict(row, supports, private=False)
        if include_hidden:
            result["hidden_reason"] = row["hidden_reason"]
        return result

    # --- proposals -------------------------------------------------------------------------------

    @staticmethod
    def _proposal_dict(row: dict[str, Any], private: bool) -> dict[str, Any]:
        result = {
            "proposal_id": row["proposal_id"],
            "process_id": row["process_id"],
            "title": row["title"],
            "body": row["body"],
            "language": row["language"],
            "axis_id": row["axis_id"],
            "source_ids": row["source_ids"],
            "status": row["status"],
            "hidden": row["hidden_reason"] is not None,
            "visible": row["status"] == "active" and row["hidden_reason"] is None,
            "merged_into": row["merged_into"],
            "merged_from": row["merged_from"],
            "revision": row["revision"],
            "submitted_at": row["submitted_at"],
            "updated_at": row["updated_at"],
            "position": row["position"],
        }
        if private:
            result["author_id"] = row["author_id"]
            result["hidden_reason"] = row["hidden_reason"]
        return result

    def proposals(
        self, pid: Ident, axis_id: Ident | None = None, include_hidden: bool = False
    ) -> list[dict[str, Any]]:
        """The proposals of a process in submission order.

        Hidden proposals only with `include_hidden`; withdrawn and merged ones are
        listed with their status (and `merged_into`), so residents can follow a merge.
        """
        query = sa.select(proposals).where(proposals.c.process_id == _id(pid))
        if axis_id is not None:
            query = query.where(proposals.c.axis_id == _id(axis_id))
        if not include_hidden:
            query = query.where(proposals.c.hidden_reason.is_(None))
        rows = self._rows(query.order_by(proposals.c.position))
        rows.sort(key=lambda row: row["submitted_at"])
        return [self._proposal_dict(row, include_hidden) for row in rows]

    def proposals_version(self, pid: Ident) -> tuple[int, int]:
        """(number, newest position) of a process's proposal rows: it changes whenever a
        proposal of the process does, so it keys a cache of the list."""
        query = sa.select(sa.func.count(), sa.func.max(proposals.c.position)).where(
            proposals.c.process_id == _id(pid)
        )
        with self.engine.connect() as connection:
            number, newest = connection.execute(query).one()
        return int(number or 0), int(newest or 0)

    def proposal(self, proposal_id: Ident, include_hidden: bool = True) -> dict[str, Any] | None:
        """One proposal (hidden ones too, marked hidden)."""
        row = self._row(sa.select(proposals).where(proposals.c.proposal_id == _id(proposal_id)))
        if row is None:
            return None
        result = self._proposal_dict(row, private=False)
        if include_hidden:
            result["hidden_reason"] = row["hidden_reason"]
        return result

    def _titles(self, proposal_ids: Iterable[str]) -> dict[str, str]:
        ids = list(proposal_ids)
        if not ids:
            return {}
        query = sa.select(proposals.c.proposal_id, proposals.c.title).where(
            proposals.c.proposal_id.in_(ids)
        )
        return {row["proposal_id"]: row["title"] for row in self._rows(query)}

    def _process_titles(self, process_id: str) -> dict[str, str]:
        """Every proposal title of a process, memoised per proposals version (titles do
        not change while ballots pour in, and the ranking needs all of them)."""
        version = self.proposals_version(process_id)
        memo: dict[str, tuple[tuple[int, int], dict[str, str]]] = self.__dict__.setdefault(
            "_titles_memo", {}
        )
        found = memo.get(process_id)
        if found is None or found[0] != version:
            query = sa.select(proposals.c.proposal_id, proposals.c.title).where(
                proposals.c.process_id == process_id
            )
            if len(memo) > 64:
                memo.clear()
            found = memo[process_id] = (
                version,
                {row["proposal_id"]: row["title"] for row in self._rows(query)},
            )
        return found[1]

    def shortlist_version(self, pid: Ident) -> int | None:
        """The position at which the shortlist was published (None before): it keys a
        cache of the frozen shortlist."""
        with self.engine.connect() as connection:
            value = connection.execute(
                sa.select(ranking_processes.c.published_position).where(
                    ranking_processes.c.process_id == _id(pid)
                )
            ).scalar()
        return int(value) if value is not None else None

    # --- the vote ---------------------------------------------------------------------------------

    def ranking(self, pid: Ident) -> dict[str, Any] | None:
        """The live ranking of a process's candidates (None if there is no such process).

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
        candidates = [
            c for c in row["candidates"] if c not in row["removed"] and c not in row["merged_into"]
        ]
        order = sorted(candidates, key=lambda c: tie_break_key(process_id, c))
        tallies = {
            r["proposal_id"]: r
            for r in self._rows(
                sa.select(ranking_tallies).where(ranking_tallies.c.process_id == process_id)
            )
        }
        ballots_counted = self._ballots_counted(process_id, tallies.pop(BALLOT_COUNT, None))
        result: dict[str, Any] = {
            "process_id": process_id,
            "method": method,
            "phase": row["phase"],
            "live": row["shortlist"] is None,
            "ballots_counted": ballots_counted,
        }
        if method in INCREMENTAL_METHODS and not row["merged_into"]:
            points = {c: tallies[c]["score"] if c in tallies else 0.0 for c in order}
            position = {c: i for i, c in enumerate(order)}
            ordered = sorted(order, key=lambda c: (-points[c], position[c]))
            scores: dict[str, Any] = {c: _number(points[c]) for c in ordered}
            result["counted_by"] = "tallies"
        else:
            counted = self._count(process_id, row, order)
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

    def _ballots_counted(self, process_id: str, counter: dict[str, Any] | None) -> int:
        """Counted ballots: the projection's counter row, else (a store projected
        before the counter existed) a COUNT over the ballots."""
        if counter is not None:
            return int(counter["ballots"])
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(ranking_ballots)
                    .where(
                        ranking_ballots.c.process_id == process_id,
                        ranking_ballots.c.receipt.is_not(None),
                    )
                ).scalar()
                or 0
            )

    def _count(self, process_id: str, row: dict[str, Any], order: list[str]) -> dict[str, Any]:
        from domain.voting import VotingRules, count

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
        return dict(json.loads(json.dumps(result.to_dict(), default=str)))

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

    # --- moderation -----------------------------------------------------------------------------

    def moderation_queue(self, pid: Ident, recent: int = 50) -> dict[str, Any]:
        """For facilitators: what is hidden and why, the newest contributions, the last acts."""
        process_id = _id(pid)
        hidden_contributions = self._rows(
            sa.select(contributions)
            .where(
                contributions.c.process_id == process_id, contributions.c.hidden_reason.is_not(None)
            )
            .order_by(contributions.c.position)
        )
        hidden_proposals = self._rows(
            sa.select(proposals)
            .where(proposals.c.process_id == process_id, proposals.c.hidden_reason.is_not(None))
            .order_by(proposals.c.position)
        )
        newest = self._rows(
            sa.select(contributions)
            .where(contributions.c.process_id == process_id)
            .order_by(contributions.c.position.desc())
            .limit(recent)
        )
        log = self._rows(
            sa.select(moderation_log)
            .where(moderation_log.c.process_id == process_id)
            .order_by(moderation_log.c.position.desc())
            .limit(recent)
        )
        supports = self._supports(r["contribution_id"] for r in [*hidden_contributions, *newest])
        return {
            "process_id": process_id,
            "hidden_contributions": [
                self._contribution_dict(r, supports.get(r["contribution_id"], 0), True)
                for r in hidden_contributions
            ],
            "hidden_proposals": [self._proposal_dict(r, True) for r in hidden_proposals],
            "recent_contributions": [
                self._contribution_dict(r, supports.get(r["contribution_id"], 0), True)
                for r in newest
            ],
            "recent_actions": log,
        }

    # --- the decision trail ----------------------------------------------------------------------

    def _nodes(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        rows = self._rows(sa.select(trail_nodes).where(trail_nodes.c.node_id.in_(wanted)))
        return {row["node_id"]: row for row in rows}

    def _edges(self, *conditions: Any) -> list[dict[str, Any]]:
        return self._rows(sa.select(trail_edges).where(*conditions))

    def _ranks(self, proposal_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(proposal_ids)
        if not ids:
            return {}
        edges = self._edges(trail_edges.c.relation == "ranks", trail_edges.c.dst.in_(ids))
        return {edge["dst"]: edge["data"] for edge in edges}

    @staticmethod
    def _recommendation_dict(node: dict[str, Any]) -> dict[str, Any]:
        data = node["data"]
        return {
            "recommendation_id": node["node_id"],
            "process_id": node["process_id"],
            "title": node["label"],
            "text": data["text"],
            "language": data["language"],
            "proposal_ids": data["proposal_ids"],
            "submitted": data["submitted"],
            "answer": data["answer"],
            "justification": data["justification"],
            "answers": data["answers"],
            "progress": data["progress"],
            "progress_notes": data["progress_notes"],
            "drafted_at": data["drafted_at"],
        }

    def recommendations(self, pid: Ident) -> list[dict[str, Any]]:
        """The recommendations of a process, in drafting order."""
        rows = self._rows(
            sa.select(trail_nodes)
            .where(trail_nodes.c.process_id == _id(pid), trail_nodes.c.kind == "recommendation")
            .order_by(trail_nodes.c.position)
        )
        rows.sort(key=lambda node: node["data"]["drafted_at"])
        return [self._recommendation_dict(node) for node in rows]

    def recommendation(self, recommendation_id: Ident) -> dict[str, Any] | None:
        """One recommendation with its answers and progress."""
        node = self._nodes([_id(recommendation_id)]).get(_id(recommendation_id))
        if node is None or node["kind"] != "recommendation":
            return None
        return self._recommendation_dict(node)

    def _contribution_entry(
        self, node: dict[str, Any], workshops_by_id: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        data = node["data"]
        workshop = workshops_by_id.get(data["workshop_id"])
        hidden = bool(data.get("hidden"))
        return {
            "contribution_id": node["node_id"],
            "text": None if hidden else node["label"],
            "hidden": hidden,
            "kind": data["kind"],
            "language": data["language"],
            "captured": data["captured"],
            "workshop": {
                "workshop_id": data["workshop_id"],
                "title": workshop["label"] if workshop else None,
                "on": workshop["data"]["on"] if workshop else None,
                "place": workshop["data"]["place"] if workshop else None,
            },
        }

    def trail(self, recommendation_id: Ident) -> dict[str, Any] | None:
        """Recommendation -> proposals (rank, tallies) -> contributions -> workshops."""
        rid = _id(recommendation_id)
        node = self._nodes([rid]).get(rid)
        if node is None or node["kind"] != "recommendation":
            return None
        proposal_ids = node["data"]["proposal_ids"]
        proposal_nodes = self._nodes(proposal_ids)
        # proposals merged into the cited ones are part of their trail too
        merged = self._edges(
            trail_edges.c.relation == "merged_into", trail_edges.c.dst.in_(proposal_ids)
        )
        merged_nodes = self._nodes(edge["src"] for edge in merged)
        cites = self._edges(trail_edges.c.relation == "cites", trail_edges.c.src.in_(proposal_ids))
        contribution_nodes = self._nodes(edge["dst"] for edge in cites)
        workshop_nodes = self._nodes(n["data"]["workshop_id"] for n in contribution_nodes.values())
        ranks = self._ranks(proposal_ids)
        entries = []
        for proposal_id in proposal_ids:
            proposal = proposal_nodes.get(proposal_id)
            sources = [e["dst"] for e in cites if e["src"] == proposal_id]
            entries.append(
                {
                    "proposal_id": proposal_id,
                    "title": proposal["label"] if proposal else None,
                    "status": proposal["data"]["status"] if proposal else None,
                    "rank": ranks.get(proposal_id, {}).get("rank"),
                    "score": ranks.get(proposal_id, {}).get("score"),
                    "shortlisted": ranks.get(proposal_id, {}).get("shortlisted", False),
                    "merged_from": [
                        {"proposal_id": e["src"], "title": merged_nodes[e["src"]]["label"]}
                        for e in merged
                        if e["dst"] == proposal_id and e["src"] in merged_nodes
                    ],
                    "contributions": [
                        self._contribution_entry(contribution_nodes[c], workshop_nodes)
                        for c in sources
                        if c in contribution_nodes
                    ],
                }
            )
        shortlist = self._nodes([shortlist_node(node["process_id"])]).get(
            shortlist_node(node["process_id"])
        )
        return {
            "recommendation": self._recommendation_dict(node),
            "shortlist": None
            if shortlist is None
            else {
                "method": shortlist["data"]["method"],
                "ballots_counted": shortlist["data"]["ballots_counted"],
                "published_at": shortlist["data"]["published_at"],
                "chain_head": shortlist["data"]["chain_head"],
            },
            "proposals": entries,
        }

    def outcome(self, contribution_id: Ident) -> dict[str, Any] | None:
        """What became of a contribution: the proposals citing it (also through merges),
        their rank, the recommendations citing them, the answers and the progress."""
        cid = _id(contribution_id)
        node = self._nodes([cid]).get(cid)
        if node is None or node["kind"] != "contribution":
            return None
        citing = [e["src"] for e in self._edges(
            trail_edges.c.relation == "cites", trail_edges.c.dst == cid
        )]  # fmt: skip
        # follow merges: a merged proposal lives on in its target
        seen: list[str] = []
        frontier = [p for p in citing if p]
        while frontier:
            current = frontier.pop(0)
            if current in seen:
                continue
            seen.append(current)
            for edge in self._edges(
                trail_edges.c.relation == "merged_into", trail_edges.c.src == current
            ):
                frontier.append(edge["dst"])
        proposal_nodes = self._nodes(seen)
        proposal_ids = [p for p in seen if p in proposal_nodes]
        ranks = self._ranks(proposal_ids)
        recommending = self._edges(
            trail_edges.c.relation == "cites",
            trail_edges.c.dst.in_(proposal_ids),
            trail_edges.c.src.not_in(proposal_ids),
        )
        recommendation_nodes = {
            k: v
            for k, v in self._nodes(e["src"] for e in recommending).items()
            if v["kind"] == "recommendation"
        }
        workshop = self._nodes([node["data"]["workshop_id"]]).get(node["data"]["workshop_id"])
        recommendations = []
        for rid, rec in recommendation_nodes.items():
            entry = self._recommendation_dict(rec)
            entry["via_proposals"] = [
                e["dst"] for e in recommending if e["src"] == rid and e["dst"] in proposal_ids
            ]
            recommendations.append(entry)
        recommendations.sort(key=lambda r: r["drafted_at"])
        return {
            "contribution": self._contribution_entry(node, {workshop["node_id"]: workshop})
            if workshop
            else self._contribution_entry(node, {}),
            "proposals": [
                {
                    "proposal_id": p,
                    "title": proposal_nodes[p]["label"],
                    "status": proposal_nodes[p]["data"]["status"],
                    "cites_directly": p in citing,
                    "merged_into": proposal_nodes[p]["data"]["merged_into"],
                    "rank": ranks.get(p, {}).get("rank"),
                    "score": ranks.get(p, {}).get("score"),
                    "shortlisted": ranks.get(p, {}).get("shortlisted", False),
                }
                for p in proposal_ids
            ],
            "recommendations": recommendations,
        }

    def trail_json(self, pid: Ident) -> dict[str, Any]:
        """The whole decision graph of a process: nodes and edges."""
        process_id = _id(pid)
        nodes = self._rows(
            sa.select(trail_nodes)
            .where(trail_nodes.c.process_id == process_id)
            .order_by(trail_nodes.c.position, trail_nodes.c.node_id)
        )
        edges = self._rows(
            sa.select(trail_edges)
            .where(trail_edges.c.process_id == process_id)
            .order_by(trail_edges.c.src, trail_edges.c.relation, trail_edges.c.dst)
        )
        for node in nodes:
            node["id"] = node.pop("node_id")
            if node["kind"] == "contribution" and node["data"].get("hidden"):
                node["label"] = ""
        return {"process_id": process_id, "nodes": nodes, "edges": edges}

    def trail_prov(self, pid: Ident) -> dict[str, Any]:
        """The decision graph as W3C PROV-JSON (built and serialised with `prov`)."""
        from projections.prov import to_prov

        return to_prov(self.trail_json(pid))

    # --- audit ------------------------------------------------------------------------------------

    def audit_events(self, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        """The event log with positions and chain hashes, after a position."""
        limit = max(1, min(int(limit), 1000))
        return self._rows(
            sa.select(audit_chain)
            .where(audit_chain.c.position > int(after))
            .order_by(audit_chain.c.position)
            .limit(limit)
        )

    def chain_head(self) -> dict[str, Any]:
        """The newest position of the audit chain and its hash (genesis when empty)."""
        row = self._row(sa.select(audit_chain_head))
        if row is None:
            return {"position": 0, "hash": GENESIS.hex()}
        return {"position": int(row["position"]), "hash": row["hash"]}

    # --- read your writes -------------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        """The last notification id each projection processed."""
        result = {}
        with self.engine.connect() as connection:
            for name, table in zip(PROJECTIONS, self._tracking, strict=True):
                value = connection.execute(
                    sa.select(table.c.notification_id).where(table.c.application_name == UPSTREAM)
                ).scalar()
                result[name] = int(value or 0)
        return result

    def wait_for(self, position: int | None, timeout: float = 2.0) -> bool:
        """Block until every projection has processed notification `position` (True),
        or until `timeout` seconds have passed (False)."""
        if not position:
            return True
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            if min(self.positions().values()) >= position:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.05)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
