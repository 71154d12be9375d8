"""The audit: the event log as shown (ballots, participants redacted), the chain head."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from domain.audit import GENESIS
from projections.queries.base import QueryBase
from projections.tables import (
    audit_chain,
    audit_chain_head,
)


class AuditQueries(QueryBase):
    """The audit: the event log as shown (ballots, participants redacted), the chain head."""

    # --- audit ------------------------------------------------------------------------------------

    def audit_events(self, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        """The event log with positions and chain hashes, after a position.

        Ballot secrecy: a ballot event is shown only as "a ballot event" at its position
        (no ballot id, no version, not whether it was a cast, a recast or a withdrawal),
        and a participant event without the participant's id, so that the log never
        links a registration, a contribution's author or a ballot to one another.
        """
        limit = max(1, min(int(limit), 1000))
        rows = self._rows(
            sa.select(audit_chain)
            .where(audit_chain.c.position > int(after))
            .order_by(audit_chain.c.position)
            .limit(limit)
        )
        return [redacted(row) for row in rows]

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
