"""Witnesses' cosignatures of the log's signed checkpoints: keeping them (the log's
`POST` endpoint) and reading which checkpoint each known witness cosigned last."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from domain.checkpoint import CheckpointError, open_checkpoint
from domain.cosignature import Cosignature
from domain.errors import InvalidInput, NotAllowed
from projections.tables import (
    checkpoints,
    cosignatures,
)
from projections.transparency import TransparencyLog, b64


def record_cosignatures(log: TransparencyLog, note: str) -> list[Cosignature]:
    """Keep the known witnesses' cosignatures of one of this log's signed checkpoints.

    `note` is the checkpoint as signed by the log with the witnesses' signature lines
    added. InvalidInput when it is not a checkpoint this log signed; NotAllowed when no
    known witness cosigned it.
    """
    if log.signer is None:
        raise RuntimeError("no checkpoint key")
    try:
        checkpoint = open_checkpoint(note, log.signer.verifier)
    except CheckpointError as error:
        raise InvalidInput(f"not a checkpoint of this log: {error}", field="note") from None
    text = checkpoint.text()
    root_hex = checkpoint.root.hex()
    with log.engine.connect() as connection:
        signed = connection.execute(
            sa.select(checkpoints.c.checkpoint_id).where(
                checkpoints.c.size == checkpoint.size, checkpoints.c.root == root_hex
            )
        ).first()
    if signed is None:
        raise InvalidInput("this log never signed a checkpoint of that size and root", field="note")
    found: list[Cosignature] = []
    lines = note[len(text) + 1 :].splitlines()
    for witness in log.witnesses:
        for line in lines:
            try:
                cosignature = witness.verify(text, line)
            except CheckpointError as error:
                raise InvalidInput(str(error), field="note") from None
            if cosignature is not None:
                found.append(cosignature)
    if not found:
        raise NotAllowed("no known witness cosigned this checkpoint")
    received = datetime.now(UTC).isoformat()
    with log.engine.begin() as connection:
        for cosignature in found:
            connection.execute(
                cosignatures.insert().values(
                    witness=cosignature.name,
                    size=checkpoint.size,
                    root=root_hex,
                    timestamp=cosignature.timestamp,
                    line=cosignature.line,
                    received_at=received,
                )
            )
    return found


def witnesses_seen(log: TransparencyLog) -> list[dict[str, Any]]:
    """Each known witness and the largest checkpoint it cosigned (None if none yet)."""
    seen = []
    with log.engine.connect() as connection:
        for witness in log.witnesses:
            row = (
                connection.execute(
                    sa.select(cosignatures)
                    .where(cosignatures.c.witness == witness.name)
                    .order_by(cosignatures.c.size.desc(), cosignatures.c.timestamp.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
            seen.append(
                {
                    "witness": witness.name,
                    "public_key": witness.encode(),
                    "size": None if row is None else int(row["size"]),
                    "root": None if row is None else b64(bytes.fromhex(row["root"])),
                    "cosigned_at": None
                    if row is None
                    else datetime.fromtimestamp(int(row["timestamp"]), UTC).isoformat(),
                    "cosignature": None if row is None else row["line"],
                }
            )
    return seen
