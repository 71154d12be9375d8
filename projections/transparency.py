"""The transparency log: an RFC 9162 Merkle tree over the notification log, and its checkpoints.

* `MerkleProjection` (projections/merkle_projection.py) appends one leaf per stored
  notification and stores the tree in chunks of 256 leaves.
* `TransparencyLog` reads the tree (roots, inclusion and consistency proofs), signs
  checkpoints (C2SP tlog-checkpoint under a signed-note Ed25519 signature) and keeps
  them in the ``checkpoints`` table, which no rebuild empties: a rebuilt tree that no
  longer matches the checkpoints it signed before is visible to every witness;
  `Checkpointer` signs them when due. Witnesses' cosignatures: projections/cosignatures.py.
"""

from __future__ import annotations

import base64
import bisect
import json
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from domain.checkpoint import Checkpoint, Signer, sign_note
from domain.cosignature import CosignerVerifier
from domain.errors import InvalidInput
from domain.merkle import (
    Frontier,
    NodeReader,
    consistency_proof,
    inclusion_proof,
    root,
)
from projections.merkle_projection import (
    CHUNK,
    CHUNK_LEVEL,
    chunk_hashes,
    chunk_positions,
    perfect_root,
)
from projections.tables import (
    audit_chain,
    checkpoints,
    merkle_chunks,
    merkle_head,
    merkle_nodes,
    ranking_receipts,
)
from projections.view import create_tables

#: The format of a receipt's inclusion proof file (checked by verifier/proof.py).
PROOF_FORMAT = "voisinage-inclusion-proof/1"


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


class TransparencyLog:
    """Reads the tree and signs its checkpoints (one per process, thread-safe)."""

    def __init__(
        self,
        engine: sa.Engine,
        signer: Signer | None = None,
        *,
        every_events: int = 1000,
        every_seconds: float = 60.0,
        witnesses: Sequence[CosignerVerifier] = (),
    ) -> None:
        self.engine = engine
        self.signer = signer
        self.witnesses = list(witnesses)
        self.every_events = every_events
        self.every_seconds = every_seconds
        self._lock = threading.Lock()
        create_tables(engine)

    # --- the tree -----------------------------------------------------------------------------

    def head(self) -> dict[str, Any]:
        """The tree now: size, root (base64), last position."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(merkle_head)).mappings().first()
        if row is None:
            return {"size": 0, "position": 0, "root": b64(Frontier().root())}
        frontier = Frontier(int(row["size"]), [bytes.fromhex(h) for h in row["frontier"]])
        return {
            "size": frontier.size,
            "position": int(row["position"]),
            "root": b64(frontier.root()),
        }

    @staticmethod
    def _chunk(connection: sa.Connection, chunk_index: int) -> dict[str, Any] | None:
        row = (
            connection.execute(
                sa.select(merkle_chunks).where(merkle_chunks.c.chunk_index == chunk_index)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return {
            "hashes": chunk_hashes(row["hashes"]),
            "positions": chunk_positions(row["positions"]),
        }

    def _reader(self, connection: sa.Connection) -> NodeReader:
        """Perfect nodes: stored from CHUNK leaves up, computed from a chunk below."""
        node = sa.select(merkle_nodes.c.hash).where(
            merkle_nodes.c.level == sa.bindparam("l"),
            merkle_nodes.c.node_index == sa.bindparam("i"),
        )
        chunks: dict[int, list[bytes]] = {}
        seen: dict[tuple[int, int], bytes] = {}

        def read(level: int, index: int) -> bytes:
            if (level, index) in seen:
                return seen[level, index]
            if level >= CHUNK_LEVEL:
                value = connection.execute(node, {"l": level, "i": index}).scalar()
                if value is None:
                    raise LookupError(f"the tree has no node ({level}, {index})")
                seen[level, index] = bytes(value)
            else:
                first = index << level
                number = first // CHUNK
                if number not in chunks:
                    found = self._chunk(connection, number)
                    chunks[number] = found["hashes"] if found else []
                offset = first % CHUNK
                hashes = chunks[number][offset : offset + (1 << level)]
                if len(hashes) != 1 << level:
                    raise LookupError(f"the tree has no node ({level}, {index})")
                seen[level, index] = perfect_root(hashes)
            return seen[level, index]

        return read

    @staticmethod
    def _check_size(connection: sa.Connection, size: int, field: str) -> None:
        current = int(connection.execute(sa.select(merkle_head.c.size)).scalar() or 0)
        if not 0 < size <= current:
            raise InvalidInput(
                f"the tree has {current} leaves: {field} must be 1 to {current}", field=field
            )

    def inclusion(self, index: int, size: int) -> dict[str, Any]:
        """The inclusion proof of leaf `index` in the tree of `size` leaves (one connection,
        O(log n) indexed reads)."""
        with self.engine.connect() as connection:
            self._check_size(connection, size, "size")
            if not 0 <= index < size:
                raise InvalidInput(f"index must be 0 to {size - 1}", field="index")
            read = self._reader(connection)
            proof = inclusion_proof(read, index, size)
            top = root(read, size)
            chunk = self._chunk(connection, index // CHUNK)
            assert chunk is not None  # the size was checked
            leaf, position = chunk["hashes"][index % CHUNK], chunk["positions"][index % CHUNK]
        return {
            "index": index,
            "size": size,
            "position": position,
            "leaf_hash": b64(leaf),
            "root": b64(top),
            "proof": [b64(p) for p in proof],
        }

    def consistency(self, old: int, new: int) -> dict[str, Any]:
        """The consistency proof from the tree of `old` leaves to the tree of `new` leaves."""
        with self.engine.connect() as connection:
            self._check_size(connection, new, "to")
            if not 0 < old <= new:
                raise InvalidInput(f"from must be 1 to {new}", field="from")
            read = self._reader(connection)
            proof = consistency_proof(read, old, new)
            old_root, new_root = root(read, old), root(read, new)
        return {
            "from": old,
            "to": new,
            "from_root": b64(old_root),
            "to_root": b64(new_root),
            "proof": [b64(p) for p in proof],
        }

    def leaf_index(self, position: int) -> int | None:
        """The leaf index of the event at notification `position` (None if not in the tree)."""
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    sa.select(merkle_chunks)
                    .where(merkle_chunks.c.first_position <= position)
                    .order_by(merkle_chunks.c.first_position.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        positions = chunk_positions(row["positions"])
        offset = bisect.bisect_left(positions, position)
        if offset == len(positions) or positions[offset] != position:
            return None
        return int(row["chunk_index"]) * CHUNK + offset

    def receipt_inclusion(
        self, process_id: str, receipt: str, state_at: Callable[[int], bytes | None]
    ) -> dict[str, Any] | None:
        """Where the counted ballot with this receipt is in the log, and its inclusion proof
        in the latest signed checkpoint (``covered`` False when it is newer than that).

        `state_at(position)` reads the stored state of an event (the receipt is in the
        ballot's stored event, found among the ballot's few events by the audit chain).
        None when the receipt is not counted in this process.
        """
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    sa.select(ranking_receipts).where(ranking_receipts.c.receipt == receipt)
                )
                .mappings()
                .first()
            )
            if row is None or row["process_id"] != str(process_id) or not row["counted"]:
                return None
            positions = connection.execute(
                sa.select(audit_chain.c.position)
                .where(audit_chain.c.originator_id == row["ballot_id"])
                .order_by(audit_chain.c.position.desc())
            ).scalars()
            candidates = [int(p) for p in positions]
        position = next(
            (p for p in candidates if _receipt_of(state_at(p)) == receipt),
            None,
        )
        if position is None:
            return None
        latest, index = self.latest(), self.leaf_index(position)
        if latest is None or index is None or index >= latest["size"]:
            return {"position": position, "covered": False}
        return {
            **self.inclusion(index, latest["size"]),
            "covered": True,
            "checkpoint": latest["note"],
        }

    def receipt_proof(
        self, process_id: str, receipt: str, state_at: Callable[[int], bytes | None]
    ) -> dict[str, Any] | None:
        """The inclusion proof file of the counted ballot with this receipt (the format of
        `voisinage-verify proof`): the leaf, the audit path to the latest signed
        checkpoint, that note and the log's public key; nothing else of the ballot.

        None when the receipt is not counted here or no signed checkpoint covers it yet.
        """
        found = self.receipt_inclusion(process_id, receipt, state_at)
        if found is None or not found["covered"] or self.signer is None:
            return None
        return {
            "format": PROOF_FORMAT,
            "index": found["index"],
            "size": found["size"],
            "leaf_hash": found["leaf_hash"],
            "audit_path": found["proof"],
            "checkpoint": found["checkpoint"],
            "public_key": self.signer.verifier.encode(),
        }

    # --- checkpoints --------------------------------------------------------------------------

    def checkpoint(self, reason: str = "requested", *, force: bool = False) -> dict[str, Any]:
        """Sign the tree as it is now (the latest checkpoint again if nothing changed,
        unless `force`)."""
        if self.signer is None:
            raise RuntimeError("no checkpoint key: checkpoints cannot be signed")
        with self._lock:
            head = self.head()
            latest = None if force else self.latest()
            if (
                latest is not None
                and latest["size"] == head["size"]
                and latest["root"] == head["root"]
            ):
                return latest
            text = Checkpoint(self.signer.name, head["size"], base64.b64decode(head["root"])).text()
            row = {
                "size": head["size"],
                "root": base64.b64decode(head["root"]).hex(),
                "note": sign_note(text, self.signer),
                "created_at": datetime.now(UTC).isoformat(),
                "reason": reason,
            }
            with self.engine.begin() as connection:
                inserted = connection.execute(checkpoints.insert().values(**row))
                row["checkpoint_id"] = inserted.inserted_primary_key[0]  # type: ignore[index]
            return self._public(row)

    @staticmethod
    def _public(row: Any) -> dict[str, Any]:
        return {
            "id": int(row["checkpoint_id"]),
            "size": int(row["size"]),
            "root": b64(bytes.fromhex(row["root"])),
            "note": row["note"],
            "created_at": row["created_at"],
            "reason": row["reason"],
        }

    def latest(self) -> dict[str, Any] | None:
        """The newest signed checkpoint, or None."""
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    sa.select(checkpoints).order_by(checkpoints.c.checkpoint_id.desc()).limit(1)
                )
                .mappings()
                .first()
            )
        return None if row is None else self._public(row)

    def history(self, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        """Signed checkpoints after an id, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(checkpoints)
                .where(checkpoints.c.checkpoint_id > after)
                .order_by(checkpoints.c.checkpoint_id)
                .limit(max(1, min(limit, 1000)))
            ).mappings()
            return [self._public(row) for row in rows]

    def due(self, now: float | None = None) -> bool:
        """Whether a new checkpoint is due: `every_events` new leaves, or `every_seconds`
        since the last one and the tree grew (or there is none yet)."""
        head, latest = self.head(), self.latest()
        if latest is None:
            return True
        if head["size"] == latest["size"] and head["root"] == latest["root"]:
            return False
        if head["size"] - latest["size"] >= self.every_events:
            return True
        made = datetime.fromisoformat(latest["created_at"]).timestamp()
        return (now if now is not None else time.time()) - made >= self.every_seconds

    def current(self) -> dict[str, Any]:
        """The checkpoint to serve: a new one when due, else the latest."""
        latest = self.latest()
        if latest is None or self.due():
            return self.checkpoint("periodic")
        return latest

    def chain_head_with_checkpoint(
        self, chain_head: Callable[[], dict[str, Any]]
    ) -> Callable[[], dict[str, Any]]:
        """A chain-head hook for the application that also signs and records a checkpoint."""

        def hook() -> dict[str, Any]:
            head = dict(chain_head())
            head["checkpoint"] = self.checkpoint("shortlist")["note"]
            return head

        return hook


def _receipt_of(state: bytes | None) -> str | None:
    """The receipt recorded in a ballot event's stored state (None if none)."""
    try:
        value = json.loads(state or b"null")
    except ValueError:
        return None
    return value.get("receipt") if isinstance(value, dict) else None


class Checkpointer:
    """Signs a checkpoint whenever one is due, in a background thread."""

    def __init__(self, log: TransparencyLog, poll: float = 1.0) -> None:
        self.log = log
        self.poll = poll
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Checkpointer:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="voisinage-checkpoints", daemon=True
            )
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.poll):
            try:
                if self.log.due():
                    self.log.checkpoint("periodic")
            except Exception:  # the views are unreachable: try again at the next poll
                continue

    def stop(self) -> None:
        """Stop the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
