"""The facilitators' moderation queue, a page at a time, and the log of their acts."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from projections.queries.base import Ident, _id
from projections.queries.participation import ParticipationQueries
from projections.tables import contributions, moderation_log, proposals

#: What the queue can show: contributions or proposals, to review, hidden, or all of them.
QUEUE_KINDS = ("contributions", "proposals")
QUEUE_STATUSES = ("review", "hidden", "all")


class ModerationQueries(ParticipationQueries):
    """A short moderation page: one filtered page of the queue, one page of the log."""

    def moderation_items(
        self, pid: Ident, *, kind: str, status: str, page: int = 1, per_page: int = 20
    ) -> dict[str, Any]:
        """One page of contributions (newest first) or proposals (in submission order).

        status "review": what residents see now (visible contributions; active, visible
        proposals); "hidden": what moderation hid; "all": everything, merged and
        withdrawn proposals included. Unknown filters fall back to the first choice.
        """
        kind = kind if kind in QUEUE_KINDS else QUEUE_KINDS[0]
        status = status if status in QUEUE_STATUSES else QUEUE_STATUSES[0]
        table = contributions if kind == "contributions" else proposals
        conditions: list[Any] = [table.c.process_id == _id(pid)]
        if status == "hidden":
            conditions.append(table.c.hidden_reason.is_not(None))
        elif status == "review":
            conditions.append(table.c.hidden_reason.is_(None))
            if kind == "proposals":
                conditions.append(proposals.c.status == "active")
        total = int(
            self._rows(sa.select(sa.func.count().label("n")).select_from(table).where(*conditions))[
                0
            ]["n"]
        )
        per_page = max(1, per_page)
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        order = table.c.position.desc() if kind == "contributions" else table.c.position
        rows = self._rows(
            sa.select(table)
            .where(*conditions)
            .order_by(order)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        if kind == "contributions":
            supports = self._supports(r["contribution_id"] for r in rows)
            items = [
                self._contribution_dict(r, supports.get(r["contribution_id"], 0), True)
                for r in rows
            ]
        else:
            items = [self._proposal_dict(r, True) for r in rows]
            targets = self._titles(str(i["merged_into"]) for i in items if i["merged_into"])
            for item in items:
                item["merged_into_title"] = targets.get(str(item["merged_into"] or ""))
        return {
            "kind": kind,
            "status": status,
            "items": items,
            "total": total,
            "page": page,
            "pages": pages,
        }

    def moderation_log(self, pid: Ident, *, page: int = 1, per_page: int = 10) -> dict[str, Any]:
        """The moderation acts of a process, newest first, each with what it acted on
        (a proposal's title, the start of a contribution's text) and who acted (`by`)."""
        process_id = _id(pid)
        total = int(
            self._rows(
                sa.select(sa.func.count().label("n")).where(
                    moderation_log.c.process_id == process_id
                )
            )[0]["n"]
        )
        per_page = max(1, per_page)
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        rows = self._rows(
            sa.select(moderation_log)
            .where(moderation_log.c.process_id == process_id)
            .order_by(moderation_log.c.position.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        merged = self._merged_into(r["item_id"] for r in rows if r["action"] == "merge")
        titles = self._titles(
            [
                *(r["item_id"] for r in rows if r["item_kind"] == "proposal"),
                *merged.values(),
            ]
        )
        texts = self._contribution_texts(
            r["item_id"] for r in rows if r["item_kind"] == "contribution"
        )
        for row in rows:
            target = merged.get(row["item_id"])
            row["target"] = titles.get(target, "") if target else None
            if row["item_kind"] == "proposal":
                row["item"] = titles.get(row["item_id"], "")
            else:
                row["item"] = _excerpt(texts.get(row["item_id"], ""))
        return {"entries": rows, "total": total, "page": page, "pages": pages}

    def _merged_into(self, ids: Any) -> dict[str, str]:
        wanted = list(ids)
        if not wanted:
            return {}
        query = sa.select(proposals.c.proposal_id, proposals.c.merged_into).where(
            proposals.c.proposal_id.in_(wanted), proposals.c.merged_into.is_not(None)
        )
        return {row["proposal_id"]: row["merged_into"] for row in self._rows(query)}

    def _contribution_texts(self, ids: Any) -> dict[str, str]:
        wanted = list(ids)
        if not wanted:
            return {}
        query = sa.select(contributions.c.contribution_id, contributions.c.text).where(
            contributions.c.contribution_id.in_(wanted)
        )
        return {row["contribution_id"]: row["text"] for row in self._rows(query)}

    def merge_targets(self, pid: Ident) -> list[dict[str, Any]]:
        """The proposals another can be merged into: active and visible, by title."""
        return self._rows(
            sa.select(proposals.c.proposal_id, proposals.c.title, proposals.c.language)
            .where(
                proposals.c.process_id == _id(pid),
                proposals.c.status == "active",
                proposals.c.hidden_reason.is_(None),
            )
            .order_by(proposals.c.title)
        )


def _excerpt(text: str, length: int = 80) -> str:
    """The start of a text, cut at a word, with an ellipsis when cut."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"
