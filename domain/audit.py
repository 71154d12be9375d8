"""The audit hash chain over the notification log: pure functions, no I/O.

``hash_n = sha256(hash_{n-1} || canonical bytes of event n)``, where the canonical
bytes commit to the event's position, originator, version, topic and stored state
(ciphertext for personal fields, so that erasing a key never breaks the chain).
"""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

#: The hash before the first event.
GENESIS = bytes(32)


def canonical_bytes(
    position: int, originator_id: UUID | str, originator_version: int, topic: str, state: bytes
) -> bytes:
    """Length-prefixed, unambiguous bytes of one stored event."""
    header = f"{position}\n{originator_id}\n{originator_version}\n{topic}\n{len(state)}\n"
    return header.encode() + state


def next_hash(
    previous: bytes,
    position: int,
    originator_id: UUID | str,
    originator_version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """The chain hash after appending one event."""
    return hashlib.sha256(
        previous + canonical_bytes(position, originator_id, originator_version, topic, state)
    ).digest()


def stored_bytes(stored: Any) -> bytes:
    """The canonical bytes of one stored event (anything with the notification's ``id``,
    ``originator_id``, ``originator_version``, ``topic`` and ``state``): what the chain
    hashes and what a leaf of the transparency log is."""
    return canonical_bytes(
        stored.id,
        stored.originator_id,
        stored.originator_version,
        stored.topic,
        bytes(stored.state),
    )


def chain_step(previous: bytes, stored: Any) -> bytes:
    """The chain hash after one stored event."""
    return hashlib.sha256(previous + stored_bytes(stored)).digest()
