"""The decision trail: recommendations back to contributions, and the reverse."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from projections.queries.base import Ident, QueryBase, _id
from projections.tables import (
    trail_edges,
    trail_nodes,
)
from projections.trail import shortlist_node
from projections.trail_graph import hypothesis_node


class TrailQueries(QueryBase):
    """The decision trail: recommendations back to contributions, and the reverse."""

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
            "hypothesis_ids": data.get("hypothesis_ids", []),
            "drafted_at": data["drafted_at"],
            "submitted_at": data.get("submitted_at"),
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

    def institution_to_do(self) -> dict[str, list[dict[str, Any]]]:
        """The institution's to-do list over every process: the submitted recommendations
        not answered yet (oldest sent first), then the answered ones still being carried
        out (accepted, partly accepted or under study, below 100 %), each with its process."""
        rows = self._rows(sa.select(trail_nodes).where(trail_nodes.c.kind == "recommendation"))
        items = [self._recommendation_dict(node) for node in rows]
        awaiting = [r for r in items if r["submitted"] and not r["answer"]]
        awaiting.sort(key=lambda r: r["submitted_at"] or r["drafted_at"])
        ongoing = [
            r
            for r in items
            if r["answer"] and r["answer"] != "rejected" and (r["progress"] or 0) < 100
        ]
        ongoing.sort(key=lambda r: (r["progress"] or 0, r["drafted_at"]))
        return {"awaiting": awaiting, "in_progress": ongoing}

    def _organisations_of(self, contributions: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """The organisation nodes the contributions were given for, by id."""
        return self._nodes(
            organisation
            for node in contributions
            if (organisation := node["data"].get("on_behalf_of_organisation"))
        )

    def _contribution_entry(
        self,
        node: dict[str, Any],
        workshops_by_id: dict[str, dict[str, Any]],
        organisations: dict[str, dict[str, Any]],
    ) -> dict[str, Any]:
        data = node["data"]
        workshop = workshops_by_id.get(data["workshop_id"])
        hidden = bool(data.get("hidden"))
        organisation = organisations.get(data.get("on_behalf_of_organisation") or "")
        return {
            "contribution_id": node["node_id"],
            "text": None if hidden else node["label"],
            "hidden": hidden,
            "kind": data["kind"],
            "language": data["language"],
            "captured": data["captured"],
            "organisation": None
            if organisation is None
            else {"organisation_id": organisation["node_id"], "name": organisation["label"]},
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
        organisation_nodes = self._organisations_of(contribution_nodes.values())
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
                        self._contribution_entry(
                            contribution_nodes[c], workshop_nodes, organisation_nodes
                        )
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
            "hypotheses": self._hypotheses(node["data"].get("hypothesis_ids", [])),
        }

    def hypotheses(self, pid: Ident) -> list[dict[str, Any]]:
        """The hypotheses of a process's research record, in the order stated."""
        rows = self._rows(
            sa.select(trail_nodes)
            .where(trail_nodes.c.process_id == _id(pid), trail_nodes.c.kind == "hypothesis")
            .order_by(trail_nodes.c.position)
        )
        return [
            {"hypothesis_id": row["node_id"].partition(":")[2], "text": row["data"]["text"]}
            for row in rows
        ]

    def _hypotheses(self, hypothesis_ids: list[str]) -> list[dict[str, Any]]:
        """The hypotheses a recommendation addresses, each with the indicators testing
        it and the questionnaire questions that measure them."""
        wanted = [hypothesis_node(h) for h in hypothesis_ids]
        nodes = self._nodes(wanted)
        tests = self._edges(trail_edges.c.relation == "tests", trail_edges.c.dst.in_(wanted))
        indicators = self._nodes(e["src"] for e in tests)
        questions = self._nodes(q for i in indicators.values() for q in i["data"]["questions"])
        found = []
        for hypothesis_id, node_id in zip(hypothesis_ids, wanted, strict=True):
            node = nodes.get(node_id)
            if node is None:
                continue
            found.append(
                {
                    "hypothesis_id": hypothesis_id,
                    "text": node["data"]["text"],
                    "indicators": [
                        {
                            "indicator_id": i["node_id"].partition(":")[2],
                            "name": i["data"]["name"],
                            "how": i["data"]["how"],
                            "direction": i["data"]["direction"],
                            "questions": [
                                {
                                    "questionnaire_id": q["data"]["questionnaire_id"],
                                    "question_id": q["data"]["question_id"],
                                    "text": q["data"]["text"],
                                }
                                for q in (questions.get(n) for n in i["data"]["questions"])
                                if q is not None
                            ],
                        }
                        for i in sorted(indicators.values(), key=lambda n: n["position"])
                        if i["data"]["hypothesis_id"] == hypothesis_id
                    ],
                }
            )
        return found

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
        workshops = {workshop["node_id"]: workshop} if workshop else {}
        return {
            "contribution": self._contribution_entry(
                node, workshops, self._organisations_of([node])
            ),
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
