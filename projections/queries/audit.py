"""The audit: the event log as shown (ballots, participants redacted), the chain head."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from domain.audit import GENESIS
from projections.queries.base import Ident, QueryBase, _id
from projections.tables import (
    audit_chain,
    audit_chain_head,
    audit_processes,
)


class AuditQueries(QueryBase):
    """The audit: the event log as shown (ballots, participants redacted), the chain head."""

    # --- audit ------------------------------------------------------------------------------------

    def audit_events(
        self,
        after: int = 0,
        limit: int = 100,
        *,
        before: int | None = None,
        process_id: Ident | None = None,
        kind: str | None = None,
    ) -> list[dict[str, Any]]:
        """The event log with positions, times and chain hashes, after a position (or the
        `limit` last ones before `before`), of one process and of one kind if asked.

        Ballot secrecy: a ballot event is shown only as "a ballot event" at its position
        (no ballot id, no version, not whether it was a cast, a recast or a withdrawal),
        and a participant event without the participant's id, so that the log never
        links a registration, a contribution's author or a ballot to one another. Nor
        are they ever in one process's log (`audit_processes` does not index them):
        a ballot's place among one process's events would narrow down whose it is.
        """
        limit = max(1, min(int(limit), 1000))
        query = self._filtered(sa.select(audit_chain), process_id, kind)
        if before is not None:
            query = query.where(audit_chain.c.position < int(before))
            rows = self._rows(query.order_by(audit_chain.c.position.desc()).limit(limit))
            rows.reverse()
        else:
            query = query.where(audit_chain.c.position > int(after))
            rows = self._rows(query.order_by(audit_chain.c.position).limit(limit))
        return [redacted(row) for row in rows]

    def audit_page(
        self,
        *,
        after: int = 0,
        before: int | None = None,
        limit: int = 50,
        process_id: Ident | None = None,
        kind: str | None = None,
    ) -> dict[str, Any]:
        """One page of the (filtered) log, with the positions that lead to the pages
        before and after it (None at either end)."""
        limit = max(1, min(int(limit), 1000))
        events = self.audit_events(
            after, limit + 1, before=before, process_id=process_id, kind=kind
        )
        more = len(events) > limit
        if more:  # one beyond the page, at its far end from `before` or `after`
            events = events[1:] if before is not None else events[:limit]
        if not events:  # past either end: lead back to what is there
            start = int(before) if before is not None else int(after) + 1
            back = self._exists(process_id, kind, audit_chain.c.position < start)
            return {"events": [], "previous_before": start if back else None, "next_after": None}
        first, last = int(events[0]["position"]), int(events[-1]["position"])
        if before is not None:
            earlier = more
            later = self._exists(process_id, kind, audit_chain.c.position > last)
        else:
            earlier = after > 0 and self._exists(process_id, kind, audit_chain.c.position < first)
            later = more
        return {
            "events": events,
            "previous_before": first if earlier else None,
            "next_after": last if later else None,
        }

    def audit_stream(
        self, *, process_id: Ident | None = None, kind: str | None = None, page: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every event of the (filtered) log in order, read a page at a time (exports)."""
        after = 0
        while True:
            events = self.audit_events(after, page, process_id=process_id, kind=kind)
            yield from events
            if len(events) < page:
                return
            after = int(events[-1]["position"])

    def _exists(self, process_id: Ident | None, kind: str | None, where: Any) -> bool:
        query = self._filtered(sa.select(audit_chain.c.position), process_id, kind)
        return self._row(query.where(where)) is not None

    @staticmethod
    def _filtered(query: sa.Select[Any], process_id: Ident | None, kind: str | None) -> Any:
        if process_id is not None:
            query = query.join(
                audit_processes, audit_processes.c.originator_id == audit_chain.c.originator_id
            ).where(audit_processes.c.process_id == _id(process_id))
            for prefix, _ in REDACTED_TOPICS:  # never indexed; and never shown by process
                query = query.where(~audit_chain.c.topic.startswith(prefix, autoescape=True))
        if kind is not None:
            group = next((prefix for prefix, shown in REDACTED_KINDS if shown == kind), None)
            if group is not None:
                query = query.where(audit_chain.c.topic.startswith(group, autoescape=True))
            else:
                query = query.where(audit_chain.c.topic == kind)
        return query

    def chain_head(self) -> dict[str, Any]:
        """The newest position of the audit chain and its hash (genesis when empty)."""
        row = self._row(sa.select(audit_chain_head))
        if row is None:
            return {"position": 0, "hash": GENESIS.hex()}
        return {"position": int(row["position"]), "hash": row["hash"]}


REDACTED_TOPICS = (
    ("domain.ballot:Ballot.", "domain.ballot:Ballot"),
    ("domain.participant:Participant.", None),
)


#: The kinds of redacted events as the log names them: one kind for all ballot events, one
#: for all participant events (their topics say no more on the page than that).
REDACTED_KINDS = (
    ("domain.ballot:Ballot.", "domain.ballot:Ballot"),
    ("domain.participant:Participant.", "domain.participant:Participant"),
)


def event_kind(topic: str) -> str:
    """The kind an event is shown and filtered as: its topic, or its redacted group."""
    for prefix, kind in REDACTED_KINDS:
        if str(topic).startswith(prefix):
            return kind
    return str(topic)


def redacted(row: dict[str, Any]) -> dict[str, Any]:
    """An audit chain row as the event log shows it (see Views.audit_events)."""
    for prefix, shown in REDACTED_TOPICS:
        if str(row["topic"]).startswith(prefix):
            return {
                **row,
                "originator_id": None,
                "originator_version": None,
                "topic": shown or row["topic"],
            }
    return row
