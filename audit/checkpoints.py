"""The checkpoint check of `audit verify`: every signed checkpoint kept in the views
database verifies under the log's key, and its root equals the Merkle root recomputed
from the stored events at its size (`TreeAt`, filled in the chain's own pass)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from audit.report import AuditReport, Finding
from domain.audit import stored_bytes
from domain.checkpoint import (
    Checkpoint,
    CheckpointError,
    Verifier,
    open_checkpoint,
    split_note,
)
from domain.merkle import EMPTY_ROOT, Frontier, leaf_hash
from projections.tables import checkpoints


class TreeAt:
    """The Merkle tree recomputed from the stored events, fed in the chain's pass: its
    root at each of the signed `sizes`, and the positions of the leaves at their edges."""

    def __init__(self, sizes: set[int]) -> None:
        self.sizes = sizes
        self.frontier = Frontier()
        self.roots: dict[int, bytes] = {0: EMPTY_ROOT} if 0 in sizes else {}
        #: leaf index -> position, for the first and last leaf of every signed span
        self.edges = {0} | sizes | {size - 1 for size in sizes if size > 0}
        self.positions: dict[int, int] = {}
        self.last_position = 0

    def add(self, notification: Any) -> None:
        """Append one stored event (leaf bytes = `domain.audit.stored_bytes`)."""
        index = self.frontier.size
        if index in self.edges:
            self.positions[index] = notification.id
        self.frontier.append(leaf_hash(stored_bytes(notification)))
        if self.frontier.size in self.sizes:
            self.roots[self.frontier.size] = self.frontier.root()
        self.last_position = notification.id


@dataclass(frozen=True)
class Signed:
    """One kept checkpoint, as its signed note says."""

    checkpoint_id: int
    size: int
    root: bytes
    created_at: str


def kept_checkpoints(engine: sa.Engine, key: Verifier | None, report: AuditReport) -> list[Signed]:
    """The checkpoints kept in the views, each verified under `key` (a signature that
    fails, a note that cannot be read or a row that is not its note: findings)."""
    with engine.connect() as connection:
        rows = (
            connection.execute(sa.select(checkpoints).order_by(checkpoints.c.checkpoint_id))
            .mappings()
            .all()
        )
    if rows and key is None:
        report.notes.append(
            f"the signatures of the {len(rows)} signed checkpoints were not checked: no "
            "checkpoint key is configured (VOISINAGE_CHECKPOINT_KEY, or --key PUBLIC_KEY); "
            "their roots were"
        )
    signed: list[Signed] = []
    for row in rows:
        name = f"the signed checkpoint {row['checkpoint_id']} (size {row['size']})"
        try:
            checkpoint = (
                Checkpoint.parse(split_note(row["note"])[0])
                if key is None
                else open_checkpoint(row["note"], key)
            )
        except CheckpointError as error:
            report.findings.append(
                Finding(
                    "checkpoint",
                    None,
                    f"{name} does not verify under {key.encode() if key else 'its note'}: "
                    f"{error} (the signature of a kept checkpoint must verify)",
                )
            )
            continue
        if checkpoint.size != int(row["size"]) or checkpoint.root.hex() != row["root"]:
            report.findings.append(
                Finding(
                    "checkpoint",
                    None,
                    f"{name} records size {row['size']} and root {str(row['root'])[:16]}… "
                    f"but its signed note says size {checkpoint.size} and root "
                    f"{checkpoint.root.hex()[:16]}…",
                )
            )
        signed.append(
            Signed(int(row["checkpoint_id"]), checkpoint.size, checkpoint.root, row["created_at"])
        )
    report.checkpoints = len(rows)
    return signed


def check_checkpoints(signed: list[Signed], tree: TreeAt, report: AuditReport) -> None:
    """Each signed root must be the root recomputed from the store at its size.

    A difference lies after the largest signed size that still matches and before the
    smallest that does not: that span's first position is named (the event itself when
    the span is one event). A store shorter than a signed size lost events after its
    last one.
    """
    stored = tree.frontier.size
    within = sorted((c for c in signed if c.size <= stored), key=lambda c: c.size)
    beyond = sorted((c for c in signed if c.size > stored), key=lambda c: c.size)
    differing = [c for c in within if tree.roots.get(c.size) != c.root]
    if differing:
        first = differing[0]
        matching = max(
            (c.size for c in within if c.size < first.size and tree.roots[c.size] == c.root),
            default=0,
        )
        start, end = tree.positions[matching], tree.positions[first.size - 1]
        where = (
            f"the event at position {start} differs from the one it signed"
            if start == end
            else f"the store differs from it in positions {start} to {end} "
            f"(leaves {matching} to {first.size - 1}; the checkpoint of size {matching} "
            "before them matches)"
        )
        later = len(differing) - 1 + len(beyond)
        report.findings.append(
            Finding(
                "checkpoint",
                start,
                f"the signed checkpoint {first.checkpoint_id} (size {first.size}, signed "
                f"{first.created_at}) has root {first.root.hex()[:16]}…; the events in the "
                f"store give {(tree.roots.get(first.size) or b'').hex()[:16]}… at that size: "
                f"{where}" + (f"; {later} later signed checkpoints disagree too" if later else ""),
            )
        )
    elif beyond:
        first = beyond[0]
        report.findings.append(
            Finding(
                "checkpoint",
                tree.last_position + 1,
                f"the signed checkpoint {first.checkpoint_id} (size {first.size}, signed "
                f"{first.created_at}) covers {first.size} events; the store has only "
                f"{stored}: the events after position {tree.last_position} are missing"
                + (f" ({len(beyond)} signed checkpoints go beyond it)" if len(beyond) > 1 else ""),
            )
        )
