"""The audit hash chain over the notification log, as a projection of the raw stored events.

``hash_n = sha256(hash_{n-1} || canonical bytes of event n)`` (domain.audit). The
chain is computed from the bytes as stored (never from re-encoded events) and kept in
the views database: once written it is the anchor that a later change of the event
table cannot follow silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from domain.audit import GENESIS, chain_step
from projections.base import SQLProjection
from projections.tables import AUDIT_TABLES
from projections.view import UnitOfWork

HEAD = "head"


class AuditChainProjection(SQLProjection):
    """One row per notification: position, originator, version, topic and chain hash."""

    name = "audit_chain"
    tables = AUDIT_TABLES
    raw: ClassVar[bool] = True

    def apply(self, unit: UnitOfWork, event: Any, position: int) -> None:
        """Extend the chain with one raw notification."""
        self.apply_all(unit, [(position, event)])

    def apply_all(self, unit: UnitOfWork, items: Sequence[tuple[int, Any]]) -> None:
        """Extend the chain with raw notifications, in order; the head is written once."""
        if not items:
            return
        head = unit.get("audit_chain_head", HEAD)
        digest = bytes.fromhex(head["hash"]) if head is not None else GENESIS
        for _, notification in items:
            digest = chain_step(digest, notification)
            unit.append(
                "audit_chain",
                {
                    "position": notification.id,
                    "originator_id": str(notification.originator_id),
                    "originator_version": notification.originator_version,
                    "topic": notification.topic,
                    "hash": digest.hex(),
                },
            )
        last = items[-1][1].id
        unit.put("audit_chain_head", {"name": HEAD, "position": last, "hash": digest.hex()})
