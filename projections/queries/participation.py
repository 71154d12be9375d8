"""Processes, workshops, contributions, proposals, moderation and one's own items."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from projections.queries.base import Ident, _id
from projections.queries.organisations import OrganisationQueries
from projections.ranking import BALLOT_COUNT
from projections.tables import (
    contributions,
    moderation_log,
    processes,
    proposal_sources,
    proposals,
    ranking_processes,
    ranking_tallies,
    workshops,
)


class ParticipationQueries(OrganisationQueries):
    """Processes, workshops, contributions, proposals, moderation and one's own items."""

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
            "on_behalf_of_organisation": row.get("on_behalf_of_organisation"),
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
        names = self._organisation_names(row.get("on_behalf_of_organisation") for row in rows)
        return [
            {
                **self._contribution_dict(
                    row, supports.get(row["contribution_id"], 0), include_hidden
                ),
                "organisation_name": names.get(row.get("on_behalf_of_organisation") or ""),
            }
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

    def citable_contributions(
        self, pid: Ident, search: str = "", limit: int = 50
    ) -> list[dict[str, Any]]:
        """Visible contributions of a process a proposal can cite, newest first; `search`
        keeps those whose text contains it (case-insensitive)."""
        query = sa.select(contributions).where(
            contributions.c.process_id == _id(pid), contributions.c.hidden_reason.is_(None)
        )
        # printable characters only: a NUL or a lone surrogate would fail on PostgreSQL
        words = "".join(c for c in search if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)
        words = words.strip()[:100]
        if words:
            escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(contributions.c.text.ilike(f"%{escaped}%", escape="\\"))
        rows = self._rows(query.order_by(contributions.c.position.desc()).limit(max(1, limit)))
        supports = self._supports(row["contribution_id"] for row in rows)
        return [
            self._contribution_dict(row, supports.get(row["contribution_id"], 0), False)
            for row in rows
        ]

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
            "cost": row.get("cost"),
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
        targets = self._titles(row["merged_into"] for row in rows if row["merged_into"])
        return [
            {
                **self._proposal_dict(row, include_hidden),
                "merged_into_title": targets.get(row["merged_into"] or ""),
            }
            for row in rows
        ]

    def proposal(self, proposal_id: Ident, include_hidden: bool = True) -> dict[str, Any] | None:
        """One proposal (hidden ones too, marked hidden)."""
        row = self._row(sa.select(proposals).where(proposals.c.proposal_id == _id(proposal_id)))
        if row is None:
            return None
        result = self._proposal_dict(row, private=False)
        if include_hidden:
            result["hidden_reason"] = row["hidden_reason"]
        target = row["merged_into"]
        result["merged_into_title"] = self._titles([target]).get(target) if target else None
        return result

    def proposals_by_id(self, proposal_ids: Iterable[Ident]) -> dict[str, dict[str, Any]]:
        """Proposals by id (hidden, withdrawn and merged ones too), for a ballot's list of
        candidates or choices; ids not found are left out."""
        ids = [_id(p) for p in proposal_ids]
        if not ids:
            return {}
        rows = self._rows(sa.select(proposals).where(proposals.c.proposal_id.in_(ids)))
        return {row["proposal_id"]: self._proposal_dict(row, private=False) for row in rows}

    def proposals_of(self, pid: Ident, author_id: Ident) -> list[dict[str, Any]]:
        """A participant's own proposals in a process, in submission order (hidden ones
        too, with the reason: the author is told)."""
        query = sa.select(proposals).where(
            proposals.c.process_id == _id(pid), proposals.c.author_id == _id(author_id)
        )
        rows = self._rows(query.order_by(proposals.c.position))
        return [self._proposal_dict(row, private=True) for row in rows]

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

    # --- one's own data (GDPR access) ------------------------------------------------------------

    def own_items(self, participant_id: Ident) -> dict[str, list[dict[str, Any]]]:
        """A participant's own contributions (given or captured for them) and proposals."""
        me = _id(participant_id)
        mine = sa.or_(
            contributions.c.author_id == me, contributions.c.on_behalf_of_participant == me
        )
        given = self._rows(sa.select(contributions).where(mine).order_by(contributions.c.position))
        written = self._rows(
            sa.select(proposals).where(proposals.c.author_id == me).order_by(proposals.c.position)
        )
        keep_c = ("contribution_id", "process_id", "workshop_id", "kind", "text", "language")
        keep_p = ("proposal_id", "process_id", "title", "body", "language", "status")
        return {
            "contributions": [
                {
                    **{k: row[k] for k in keep_c},
                    "recorded_at": row["recorded_at"],
                    "hidden": row["hidden_reason"] is not None,
                }
                for row in given
            ],
            "proposals": [
                {**{k: row[k] for k in keep_p}, "submitted_at": row["submitted_at"]}
                for row in written
            ],
        }
