"""Witness cosignatures, C2SP tlog-cosignature (Ed25519, type 0x04): pure computation, no I/O.

A cosignature is a signed-note signature line over the checkpoint, by the witness's
key: ``— <witness name> base64(key ID || u64 timestamp || Ed25519 signature)``, the
signature covering ``cosignature/v1\\ntime <timestamp>\\n`` followed by the checkpoint
text, and the key ID being ``SHA-256(name || 0x0A || 0x04 || public key)[:4]``. It says:
at that time, this was the largest consistent tree the witness had seen of that log.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from domain.checkpoint import DASH, CheckpointError, check_key_name

COSIGNATURE = b"\x04"


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    """What a v1 cosignature signs."""
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


def cosigner_key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 cosigner."""
    return hashlib.sha256(name.encode() + b"\n" + COSIGNATURE + public_key).digest()[:4]


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
        key = base64.b64encode(COSIGNATURE + self.public_key).decode()
        return f"{self.name}+{self.id.hex()}+{key}"

    @classmethod
    def decode(cls, text: str) -> CosignerVerifier:
        """Parse a cosigner's verifier key (checks the key ID it states)."""
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise CheckpointError("a witness key is <name>+<key id>+<base64 key>")
        name, hash_hex, encoded = parts
        check_key_name(name)
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise CheckpointError("the witness key is not base64") from None
        if len(raw) != 33 or raw[:1] != COSIGNATURE:
            raise CheckpointError("only Ed25519 cosigner keys (type 0x04) are supported")
        verifier = cls(name, raw[1:])
        if verifier.id.hex() != hash_hex.lower():
            raise CheckpointError("the witness key's ID does not match its name and key")
        return verifier

    def verify(self, checkpoint_text: str, line: str) -> Cosignature | None:
        """The cosignature if `line` is this witness's valid cosignature of the checkpoint;
        None if the line is another key's; CheckpointError if it is this key's and fails."""
        parts = line.rstrip("\n").split(" ")
        if len(parts) != 3 or parts[0] != DASH or parts[1] != self.name:
            return None
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            raise CheckpointError("a cosignature is not base64") from None
        if raw[:4] != self.id:
            return None
        if len(raw) != 4 + 8 + 64:
            raise CheckpointError(f"the cosignature of {self.name} has the wrong length")
        (timestamp,) = struct.unpack(">Q", raw[4:12])
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(
                raw[12:], cosigned_message(checkpoint_text, timestamp)
            )
        except InvalidSignature:
            raise CheckpointError(f"the cosignature of {self.name} does not verify") from None
        return Cosignature(self.name, timestamp, line.rstrip("\n") + "\n")


@dataclass(frozen=True)
class Cosigner:
    """A witness's private key and name."""

    name: str
    seed: bytes

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.seed) != 32:
            raise CheckpointError("an Ed25519 seed is 32 bytes")

    @classmethod
    def generate(cls, name: str) -> Cosigner:
        """A fresh random witness key."""
        key = Ed25519PrivateKey.generate()
        return cls(name, key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))

    @property
    def verifier(self) -> CosignerVerifier:
        """The public half."""
        public = (
            Ed25519PrivateKey.from_private_bytes(self.seed)
            .public_key()
            .public_bytes(Encoding.Raw, PublicFormat.Raw)
        )
        return CosignerVerifier(self.name, public)

    def encode(self) -> str:
        """``PRIVATE+KEY+<name>+<key ID hex>+base64(0x04 || seed)``."""
        key = base64.b64encode(COSIGNATURE + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+{key}"

    @classmethod
    def decode(cls, text: str) -> Cosigner:
        """Parse a witness's signer key."""
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise CheckpointError("a witness key is PRIVATE+KEY+<name>+<key id>+<base64 key>")
        try:
            raw = base64.b64decode(parts[4], validate=True)
        except binascii.Error:
            raise CheckpointError("the witness key is not base64") from None
        if len(raw) != 33 or raw[:1] != COSIGNATURE:
            raise CheckpointError("only Ed25519 cosigner keys (type 0x04) are supported")
        cosigner = cls(parts[2], raw[1:])
        if cosigner.verifier.id.hex() != parts[3].lower():
            raise CheckpointError("the witness key's ID does not match its name and key")
        return cosigner

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """The cosignature line of this witness over a checkpoint text."""
        if not 0 <= timestamp < 2**63:
            raise CheckpointError("a cosignature's timestamp is 0 to 2**63 - 1")
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(
            cosigned_message(checkpoint_text, timestamp)
        )
        raw = self.verifier.id + struct.pack(">Q", timestamp) + signature
        return f"{DASH} {self.name} {base64.b64encode(raw).decode()}\n"
