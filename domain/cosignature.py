"""Witness cosignatures, C2SP tlog-cosignature (Ed25519, type 0x04): pure computation, no I/O.

A cosignature is a signed-note signature line over the checkpoint, by the witness's
key: ``— <witness name> base64(key ID || u64 timestamp || Ed25519 signature)``, the
signature covering ``cosignature/v1\\ntime <timestamp>\\n`` followed by the checkpoint
text, and the key ID being ``SHA-256(name || 0x0A || 0x04 || public key)[:4]``. It says:
at that time, this was the largest consistent tree the witness had seen of that log.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.checkpoint import (
    CheckpointError,
    check_key_id,
    check_seed,
    decode_key,
    ed25519_verifies,
    encode_key,
    new_seed,
    note_key_id,
    public_key_of,
    read_signature_line,
    signature_line,
)

COSIGNATURE = b"\x04"
KIND = "cosigner keys (type 0x04)"


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    """What a v1 cosignature signs."""
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


def cosigner_key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 cosigner."""
    return note_key_id(name, COSIGNATURE, public_key)


@dataclass(frozen=True)
class Cosignature:
    """One verified cosignature: who, when (POSIX seconds), and the signature line."""

    name: str
    timestamp: int
    line: str


@dataclass(frozen=True)
class CosignerVerifier:
    """A witness's public key and name."""

    name: str
    public_key: bytes

    @property
    def id(self) -> bytes:
        """The 4-byte key ID."""
        return cosigner_key_id(self.name, self.public_key)

    def encode(self) -> str:
        """``<name>+<key ID hex>+base64(0x04 || public key)``."""
        return encode_key(self.name, self.id, COSIGNATURE, self.public_key, private=False)

    @classmethod
    def decode(cls, text: str) -> CosignerVerifier:
        """Parse a cosigner's verifier key (checks the key ID it states)."""
        name, stated, key = decode_key(text, COSIGNATURE, private=False, what="witness", kind=KIND)
        verifier = cls(name, key)
        check_key_id(stated, verifier.id, "witness")
        return verifier

    def verify(self, checkpoint_text: str, line: str) -> Cosignature | None:
        """The cosignature if `line` is this witness's valid cosignature of the checkpoint;
        None if the line is another key's; CheckpointError if it is this key's and fails."""
        parsed = read_signature_line(line, "cosignature", name=self.name)
        if parsed is None:
            return None
        raw = parsed[1]
        if raw[:4] != self.id:
            return None
        if len(raw) != 4 + 8 + 64:
            raise CheckpointError(f"the cosignature of {self.name} has the wrong length")
        (timestamp,) = struct.unpack(">Q", raw[4:12])
        if not ed25519_verifies(
            self.public_key, cosigned_message(checkpoint_text, timestamp), raw[12:]
        ):
            raise CheckpointError(f"the cosignature of {self.name} does not verify")
        return Cosignature(self.name, timestamp, line.rstrip("\n") + "\n")


@dataclass(frozen=True)
class Cosigner:
    """A witness's private key and name."""

    name: str
    seed: bytes

    def __post_init__(self) -> None:
        check_seed(self.name, self.seed)

    @classmethod
    def generate(cls, name: str) -> Cosigner:
        """A fresh random witness key."""
        return cls(name, new_seed())

    @property
    def verifier(self) -> CosignerVerifier:
        """The public half."""
        return CosignerVerifier(self.name, public_key_of(self.seed))

    def encode(self) -> str:
        """``PRIVATE+KEY+<name>+<key ID hex>+base64(0x04 || seed)``."""
        return encode_key(self.name, self.verifier.id, COSIGNATURE, self.seed, private=True)

    @classmethod
    def decode(cls, text: str) -> Cosigner:
        """Parse a witness's signer key."""
        name, stated, seed = decode_key(text, COSIGNATURE, private=True, what="witness", kind=KIND)
        cosigner = cls(name, seed)
        check_key_id(stated, cosigner.verifier.id, "witness")
        return cosigner

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """The cosignature line of this witness over a checkpoint text."""
        if not 0 <= timestamp < 2**63:
            raise CheckpointError("a cosignature's timestamp is 0 to 2**63 - 1")
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(
            cosigned_message(checkpoint_text, timestamp)
        )
        raw = self.verifier.id + struct.pack(">Q", timestamp) + signature
        return signature_line(self.name, raw)
