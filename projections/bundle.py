"""The audit bundle: the stored events as stored, the signed checkpoints, the public key and
every published result, as JSON lines (one object per line, streamable).

Lines, in order: one ``header`` (format, origin, public key, events), one ``event`` per
stored notification (position, originator id and version, topic, state in base64: the
bytes the Merkle leaves commit to), one ``checkpoint`` per signed checkpoint (the note),
one ``result`` per published shortlist. `verifier` reads it without the server.

Ballot secrecy: a participant's events (registration, data export, erasure) are given
only as their position, their Merkle leaf hash and the chain hash after them, under
the topic ``domain.participant:Participant``. Their content is not needed to recount
and would link a registration to the ballot cast just after it (an audit linked 8 of
8 join-then-vote residents); the leaf still commits to every byte, so the signed tree
and its checkpoints check them all the same.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

from eventsourcing.utils import get_topic

from domain.audit import GENESIS, chain_step, stored_bytes
from domain.merkle import leaf_hash
from domain.process import Process
from infrastructure.storage import Storage
from projections.events import EventLog, jsonable
from projections.transparency import TransparencyLog

FORMAT = "voisinage-audit-bundle/1"
SHORTLIST_TOPIC = get_topic(Process.ShortlistPublished)  # type: ignore[attr-defined]
#: Events given without their content (see the module's docstring).
WITHHELD_PREFIX = "domain.participant:Participant."
WITHHELD_TOPIC = "domain.participant:Participant"


def _event_line(n: Any, chain: bytes) -> dict[str, Any]:
    """The bundle's line for one stored notification (`chain`: the hash after it)."""
    if n.topic.startswith(WITHHELD_PREFIX):
        return {
            "kind": "event",
            "position": n.id,
            "topic": WITHHELD_TOPIC,
            "leaf": base64.b64encode(leaf_hash(stored_bytes(n))).decode(),
            "chain": chain.hex(),
        }
    return {
        "kind": "event",
        "position": n.id,
        "originator_id": str(n.originator_id),
        "originator_version": n.originator_version,
        "topic": n.topic,
        "state": base64.b64encode(bytes(n.state)).decode(),
    }


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
        chain = GENESIS
        for page in events.notifications():
            for n in page:
                chain = chain_step(chain, n)
                yield _line(_event_line(n, chain))
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
