"""`voisinage-verify proof`: check a receipt's inclusion proof without the server.

The proof file (``GET /p/<pid>/check/proof.json?receipt=...``, "Download the proof" on the
receipt check page) is one JSON object::

    {"format": "voisinage-inclusion-proof/1",
     "index": I, "size": S,                  # the leaf and the tree it is proved in
     "leaf_hash": base64,                    # SHA-256(0x00 || the ballot's stored event)
     "audit_path": [base64, ...],            # RFC 9162 section 2.1.3 inclusion proof
     "checkpoint": "<C2SP signed note>",     # the signed checkpoint of S leaves
     "public_key": "<name>+<id>+<base64>"}   # the key the server names: shown, never used

The check uses the key given on the command line (obtained out of band, as a witness
does): the note must be signed by it and name its origin, the note's size must be the
proof's, and the audit path must lead from the leaf hash to the note's root hash. A
checkpoint kept by a witness (``--checkpoint``) of the same size must have the same root
hash; one of another size cannot be compared without a consistency proof (the witness
checks those) and is said so.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.checkpoint import Checkpoint, CheckpointError, Verifier, open_checkpoint
from domain.merkle import verify_inclusion

FORMAT = "voisinage-inclusion-proof/1"
#: A proof holds log2(size) hashes: anything bigger is not one.
MAX_BYTES = 1 << 20


class UnusableProof(ValueError):
    """A file that is not a proof (exit 2: nothing was checked)."""


@dataclass(frozen=True)
class InclusionProof:
    """The parsed proof file."""

    index: int
    size: int
    leaf_hash: bytes
    audit_path: tuple[bytes, ...]
    checkpoint: str
    public_key: str


@dataclass(frozen=True)
class ProofReport:
    """The outcome: OK or FAILED, in one line."""

    ok: bool
    line: str


def _digest(value: Any, field: str) -> bytes:
    if not isinstance(value, str):
        raise UnusableProof(f"{field} is not a base64 text")
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error:
        raise UnusableProof(f"{field} is not base64") from None
    if len(raw) != 32:
        raise UnusableProof(f"{field} is not a SHA-256 hash (32 bytes)")
    return raw


def _count(value: Any, field: str, least: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise UnusableProof(f"{field} is not a whole number from {least}")
    return value


def parse_proof(text: str) -> InclusionProof:
    """The proof in a file's text; UnusableProof when it is not one."""
    try:
        value = json.loads(text)
    except ValueError:
        raise UnusableProof("not JSON") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise UnusableProof(f"not a {FORMAT} file")
    path = value.get("audit_path")
    if not isinstance(path, list):
        raise UnusableProof("audit_path is not a list of base64 hashes")
    note, key = value.get("checkpoint"), value.get("public_key", "")
    if not isinstance(note, str):
        raise UnusableProof("checkpoint is not a signed note's text")
    return InclusionProof(
        index=_count(value.get("index"), "index", 0),
        size=_count(value.get("size"), "size", 1),
        leaf_hash=_digest(value.get("leaf_hash"), "leaf_hash"),
        audit_path=tuple(_digest(p, f"audit_path[{i}]") for i, p in enumerate(path)),
        checkpoint=note,
        public_key=key if isinstance(key, str) else "",
    )


def read_proof(path: Path) -> InclusionProof:
    """The proof in the file at `path` (OSError when it cannot be read)."""
    with path.open("rb") as file:
        raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise UnusableProof("too large for an inclusion proof")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnusableProof("not JSON (not UTF-8 text)") from None
    return parse_proof(text)


def _failed(reason: str) -> ProofReport:
    return ProofReport(False, f"FAILED: {reason}")


def verify_proof(proof: InclusionProof, verifier: Verifier, kept: list[str]) -> ProofReport:
    """Check the proof against the given key and the checkpoints kept by a witness."""
    try:
        signed = open_checkpoint(proof.checkpoint, verifier)
    except CheckpointError as error:
        named = ""
        if proof.public_key and proof.public_key != verifier.encode():
            named = f" (the file names another key: {proof.public_key[:200]})"
        return _failed(f"the checkpoint does not verify with the given key: {error}{named}")
    if signed.size != proof.size:
        return _failed(
            f"the proof is for a tree of {proof.size} leaves, "
            f"the signed checkpoint is of {signed.size} leaves"
        )
    if not verify_inclusion(
        proof.leaf_hash, proof.index, proof.size, proof.audit_path, signed.root
    ):
        return _failed(
            f"the audit path does not lead from the leaf hash at index {proof.index} "
            f"to the root hash of the signed checkpoint of {signed.size} leaves"
        )
    compared = _compare_kept(signed, verifier, kept)
    if isinstance(compared, ProofReport):
        return compared
    return ProofReport(
        True,
        f"OK: leaf {proof.index} is in the log {signed.origin} of {signed.size} leaves "
        f"(root {base64.b64encode(signed.root).decode()}, signed by the given key){compared}",
    )


def _compare_kept(signed: Checkpoint, verifier: Verifier, kept: list[str]) -> str | ProofReport:
    """'' without kept checkpoints, else a clause for the OK line, or a FAILED report."""
    if not kept:
        return ""
    same = 0
    for note in kept:
        try:
            checkpoint = open_checkpoint(note, verifier)
        except CheckpointError as error:
            return _failed(f"a kept checkpoint does not verify with the given key: {error}")
        if checkpoint.size != signed.size:
            continue
        if checkpoint.root != signed.root:
            return _failed(
                f"the kept checkpoint of {signed.size} leaves has another root hash than the "
                "proof's: the log was rewritten"
            )
        same += 1
    if same:
        return "; it matches the kept checkpoint"
    return (
        f"; no kept checkpoint of {signed.size} leaves to compare "
        "(one of another size needs a consistency proof: voisinage audit witness checks those)"
    )
