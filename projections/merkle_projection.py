"""The Merkle tree's projection: one leaf per stored notification, in notification order
(leaf = ``domain.audit.canonical_bytes`` of the event as stored: position, originator id
and version, topic, state bytes, ciphertext included). It stores the leaf hashes and
positions in chunks of 256 leaves (one row each), every perfect node of 256 leaves or
more, and the frontier (at most log2 n hashes). A smaller node is computed from its
chunk: a root or a proof is O(log n) indexed reads, and a rebuild writes about 2 rows
per 256 events. `projections.transparency.TransparencyLog` reads it.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

from domain.audit import stored_bytes
from domain.merkle import (
    Frontier,
    leaf_hash,
    node_hash,
)
from projections.base import RawProjection
from projections.tables import (
    MERKLE_TABLES,
)
from projections.view import UnitOfWork

HEAD = "head"
#: Leaves per chunk row (a power of two): nodes below this size are not stored.
CHUNK = 256
CHUNK_LEVEL = CHUNK.bit_length() - 1


def notification_leaf_hash(notification: Any) -> bytes:
    """The leaf hash of one stored notification."""
    return leaf_hash(stored_bytes(notification))


class MerkleProjection(RawProjection):
    """The Merkle tree: leaf hashes, perfect nodes and the frontier."""

    name = "merkle"
    tables = MERKLE_TABLES

    def apply_all(self, unit: UnitOfWork, items: Sequence[tuple[int, Any]]) -> None:
        """Append raw notifications in order; the frontier is written once."""
        if not items:
            return
        head = unit.get("merkle_head", HEAD)
        frontier = (
            Frontier(head["size"], [bytes.fromhex(h) for h in head["frontier"]])
            if head is not None
            else Frontier()
        )
        chunk: dict[str, Any] | None = None
        nodes: list[dict[str, Any]] = []
        for _, notification in items:
            digest = notification_leaf_hash(notification)
            completed = frontier.append(digest)
            index = completed[0][1]
            if chunk is None or index // CHUNK != chunk["chunk_index"]:
                if chunk is not None:
                    unit.put("merkle_chunks", _packed(chunk))
                chunk = _open_chunk(unit, index // CHUNK, notification.id)
            chunk["hashes"].append(digest)
            chunk["positions"].append(notification.id)
            nodes.extend(
                {"level": level, "node_index": node, "hash": value}
                for level, node, value in completed[1:]
                if level >= CHUNK_LEVEL
            )
        if chunk is not None:
            unit.put("merkle_chunks", _packed(chunk))
        for row in nodes:
            unit.append("merkle_nodes", row)
        unit.put(
            "merkle_head",
            {
                "name": HEAD,
                "size": frontier.size,
                "position": items[-1][1].id,
                "frontier": [h.hex() for h in frontier.hashes],
            },
        )


def _open_chunk(unit: UnitOfWork, chunk_index: int, first_position: int) -> dict[str, Any]:
    """A chunk being filled: its hashes and positions as lists."""
    row = unit.get("merkle_chunks", chunk_index)
    if row is None:
        return {
            "chunk_index": chunk_index,
            "first_position": first_position,
            "hashes": [],
            "positions": [],
        }
    return {
        "chunk_index": chunk_index,
        "first_position": row["first_position"],
        "hashes": chunk_hashes(row["hashes"]),
        "positions": chunk_positions(row["positions"]),
    }


def _packed(chunk: dict[str, Any]) -> dict[str, Any]:
    return {
        "chunk_index": chunk["chunk_index"],
        "first_position": chunk["first_position"],
        "hashes": b"".join(chunk["hashes"]),
        "positions": struct.pack(f">{len(chunk['positions'])}q", *chunk["positions"]),
    }


def chunk_hashes(blob: bytes) -> list[bytes]:
    blob = bytes(blob)
    return [blob[i : i + 32] for i in range(0, len(blob), 32)]


def chunk_positions(blob: bytes) -> list[int]:
    blob = bytes(blob)
    return list(struct.unpack(f">{len(blob) // 8}q", blob))


def perfect_root(hashes: list[bytes]) -> bytes:
    """The root of a perfect subtree over these leaf hashes (a power of two of them)."""
    level = hashes
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]
