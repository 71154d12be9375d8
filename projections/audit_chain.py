"""The audit hash chain over the notification log, as a projection of the raw stored events.

``hash_n = sha256(hash_{n-1} || canonical bytes of event n)`` (domain.audit). The
chain is computed from the bytes as stored (never from re-encoded events) and kept in
the views database: once written it is the anchor that a later change of the event
table cannot follow silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, ClassVar
from uuid import UUID

from domain.audit import GENESIS, chain_step
from projections.base import RawProjection
from projections.tables import AUDIT_TABLES
from projections.view import UnitOfWork

HEAD = "head"
#: Never indexed by process (ballot secrecy; see projections/queries/audit.py).
UNINDEXED = ("domain.ballot:", "domain.participant:")
PROCESS_TOPIC = "domain.process:Process."


class AuditChainProjection(RawProjection):
    """One row per notification: position, originator, version, topic and chain hash."""

    name = "audit_chain"
    tables = AUDIT_TABLES
    #: At 1,000,000 events, keeping this index during the rebuild wrote 7.4 GB to the
    #: views database and cost 12 CPU s; building it at the end takes about 2 s.
    deferred_indexes: ClassVar[tuple[str, ...]] = ("audit_chain_by_originator",)

    def apply_all(self, unit: UnitOfWork, items: Sequence[tuple[int, Any]]) -> None:
        """Extend the chain with raw notifications, in order; the head is written once."""
        if not items:
            return
        head = unit.get("audit_chain_head", HEAD)
        digest = bytes.fromhex(head["hash"]) if head is not None else GENESIS
        for _, notification in items:
            digest = chain_step(digest, notification)
            if notification.originator_version == 1 and not str(notification.topic).startswith(
                UNINDEXED
            ):  # only a new aggregate that may be indexed is read whole
                self._index(unit, notification, _state(notification))
            unit.append(
                "audit_chain",
                {
                    "position": notification.id,
                    "originator_id": str(notification.originator_id),
                    "originator_version": notification.originator_version,
                    "topic": notification.topic,
                    "hash": digest.hex(),
                    "recorded_at": _recorded_at(notification.state),
                },
            )
        last = items[-1][1].id
        unit.put("audit_chain_head", {"name": HEAD, "position": last, "hash": digest.hex()})

    @staticmethod
    def _index(unit: UnitOfWork, notification: Any, state: dict[str, Any]) -> None:
        """Record the process of a new aggregate (a process is its own; a questionnaire's
        response is its questionnaire's)."""
        topic = str(notification.topic)
        originator = str(notification.originator_id)
        if topic.startswith(PROCESS_TOPIC):
            process: str | None = originator
        else:
            process = _uuid(state.get("process_id"))
            if process is None:
                questionnaire = _uuid(state.get("questionnaire_id"))
                row = unit.get("audit_processes", questionnaire) if questionnaire else None
                process = row["process_id"] if row is not None else None
        if process is not None:
            unit.put("audit_processes", {"originator_id": originator, "process_id": process})


def _state(notification: Any) -> dict[str, Any]:
    """The stored event's attributes (JSON, not compressed: infrastructure/event_store.py),
    or nothing when they cannot be read (the chain covers the bytes all the same)."""
    try:
        state = json.loads(notification.state)
    except (TypeError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _typed(value: Any, kind: str) -> str | None:
    if isinstance(value, dict) and value.get("_type_") == kind:
        data = value.get("_data_")
        return data if isinstance(data, str) else None
    return None


#: The library writes an event's timestamp first: its ISO text is found without parsing
#: the whole state (a rebuild reads a million of them).
_TIMESTAMP = re.compile(
    rb'^\{"timestamp":\{"_type_":"datetime_iso","_data_":"([0-9T:.+\-]{10,40})"\}'
)


def _recorded_at(state: bytes | None) -> str | None:
    """The event's timestamp as stored (ISO text), or None."""
    found = _TIMESTAMP.match(bytes(state or b""))
    return found.group(1).decode() if found else None


def _uuid(value: Any) -> str | None:
    """A stored UUID as canonical text, or None."""
    data = _typed(value, "uuid_hex")
    try:
        return str(UUID(data)) if data is not None else None
    except ValueError:
        return None
