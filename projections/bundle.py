"""The audit bundle: the stored events as stored, the signed checkpoints, the public key and
every published result, as JSON lines (one object per line, streamable).

Lines, in order: one ``header`` (format, origin, public key, events), one ``event`` per
stored notification (position, originator id and version, topic, state in base64: the
bytes the Merkle leaves commit to), one ``checkpoint`` per signed checkpoint (the note),
one ``result`` per published shortlist. `verifier` reads it without the server.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

from eventsourcing.utils import get_topic

from domain.process import Process
from infrastructure.storage import Storage
from projections.events import EventLog, jsonable
from projections.transparency import TransparencyLog

FORMAT = "voisinage-audit-bundle/1"
SHORTLIST_TOPIC = get_topic(Process.ShortlistPublished)  # type: ignore[attr-defined]


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True) + "\n"


def bundle_lines(storage: Storage, log: TransparencyLog, public_key: str) -> Iterator[str]:
    """The bundle, line by line (reads the store page by page)."""
    events = EventLog.open(storage)
    try:
        yield _line(
            {
                "kind": "header",
                "format": FORMAT,
                "public_key": public_key,
                "events": events.head_position(),
            }
        )
        shortlists: list[Any] = []
        for page in events.notifications():
            for n in page:
                yield _line(
                    {
                        "kind": "event",
                        "position": n.id,
                        "originator_id": str(n.originator_id),
                        "originator_version": n.originator_version,
                        "topic": n.topic,
                        "state": base64.b64encode(bytes(n.state)).decode(),
                    }
                )
                if n.topic == SHORTLIST_TOPIC:
                    shortlists.append(n)
        after = 0
        while True:
            page_of_checkpoints = log.history(after=after, limit=1000)
            for checkpoint in page_of_checkpoints:
                yield _line({"kind": "checkpoint", "note": checkpoint["note"]})
            if len(page_of_checkpoints) < 1000:
                break
            after = page_of_checkpoints[-1]["id"]
        for n in shortlists:
            event: Any = events.mapper.to_domain_event(n)
            yield _line(
                {
                    "kind": "result",
                    "position": n.id,
                    "process_id": str(n.originator_id),
                    "result": jsonable(event.result),
                    "chain_head": jsonable(event.chain_head),
                }
            )
    finally:
        events.close()
