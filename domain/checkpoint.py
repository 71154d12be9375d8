"""Signed checkpoints: C2SP tlog-checkpoint text under a C2SP signed-note Ed25519 signature.

A checkpoint's text is three lines (and optional extension lines)::

    <origin>
    <tree size, decimal>
    <root hash, base64>

A signed note is the text, an empty line, then one line per signature:
``— <key name> base64(key ID || signature)``, the key ID being the first four bytes of
``SHA-256(key name || 0x0A || 0x01 || public key)``. Keys are written as Go's
``golang.org/x/mod/sumdb/note`` writes them: ``<name>+<key ID hex>+base64(0x01 || key)``,
the signer key prefixed with ``PRIVATE+KEY+``. Pure computation: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ED25519 = b"\x01"
DASH = "\u2014"
_SPACES = re.compile(r"\s")


class CheckpointError(ValueError):
    """A checkpoint, note or key that cannot be parsed or does not verify."""


def check_key_name(name: str) -> str:
    """A key name: non-empty, no Unicode space, no '+' (signed-note)."""
    if not name or _SPACES.search(name) or "+" in name:
        raise CheckpointError(f"invalid key name {name!r}: non-empty, no spaces, no '+'")
    return name


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 key."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


@dataclass(frozen=True)
class Checkpoint:
    """The state of a log: origin, tree size, root hash (and extension lines)."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """The checkpoint's note text (ends with a newline)."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse a checkpoint's note text (not a signed note: see `open_note`)."""
        if not text.endswith("\n"):
            raise CheckpointError("a checkpoint ends with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3 or not lines[0]:
            raise CheckpointError("a checkpoint has an origin, a size and a root hash")
        origin, size, root = lines[0], lines[1], lines[2]
        if not size.isascii() or not size.isdigit() or (size != "0" and size.startswith("0")):
            raise CheckpointError(f"invalid tree size {size!r}")
        try:
            digest = base64.b64decode(root, validate=True)
        except binascii.Error:
            raise CheckpointError("the root hash is not base64") from None
        if len(digest) != 32:
            raise CheckpointError("the root hash is not 32 bytes")
        if any(not line for line in lines[3:]):
            raise CheckpointError("empty extension line")
        return cls(origin, int(size), digest, tuple(lines[3:]))


@dataclass(frozen=True)
class Verifier:
    """A public Ed25519 note key and its name."""

    name: str
    public_key: bytes

    @property
    def id(self) -> bytes:
        """The 4-byte key ID."""
        return key_id(self.name, self.public_key)

    def encode(self) -> str:
        """``<name>+<key ID hex>+base64(0x01 || public key)``."""
        key = base64.b64encode(ED25519 + self.public_key).decode()
        return f"{self.name}+{self.id.hex()}+{key}"

    @classmethod
    def decode(cls, text: str) -> Verifier:
        """Parse a verifier key string (checks the key ID it states)."""
        parts = text.strip().split("+", 2)  # base64 may hold '+'
        if len(parts) != 3:
            raise CheckpointError("a verifier key is <name>+<key id>+<base64 key>")
        name, hash_hex, encoded = parts
        check_key_name(name)
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise CheckpointError("the verifier key is not base64") from None
        if len(raw) != 33 or raw[:1] != ED25519:
            raise CheckpointError("only Ed25519 verifier keys (type 0x01) are supported")
        verifier = cls(name, raw[1:])
        if verifier.id.hex() != hash_hex.lower():
            raise CheckpointError("the verifier key's ID does not match its name and key")
        return verifier

    def verifies(self, message: bytes, signature: bytes) -> bool:
        """Whether `signature` is this key's Ed25519 signature of `message`."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A private Ed25519 note key and its name."""

    name: str
    seed: bytes

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.seed) != 32:
            raise CheckpointError("an Ed25519 seed is 32 bytes")

    @classmethod
    def generate(cls, name: str) -> Signer:
        """A fresh random key."""
        key = Ed25519PrivateKey.generate()
        seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return cls(name, seed)

    @property
    def verifier(self) -> Verifier:
        """The public half."""
        public = (
            Ed25519PrivateKey.from_private_bytes(self.seed)
            .public_key()
            .public_bytes(Encoding.Raw, PublicFormat.Raw)
        )
        return Verifier(self.name, public)

    def encode(self) -> str:
        """``PRIVATE+KEY+<name>+<key ID hex>+base64(0x01 || seed)``."""
        key = base64.b64encode(ED25519 + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+{key}"

    @classmethod
    def decode(cls, text: str) -> Signer:
        """Parse a signer key string."""
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise CheckpointError("a signer key is PRIVATE+KEY+<name>+<key id>+<base64 key>")
        _, _, name, hash_hex, encoded = parts
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise CheckpointError("the signer key is not base64") from None
        if len(raw) != 33 or raw[:1] != ED25519:
            raise CheckpointError("only Ed25519 signer keys (type 0x01) are supported")
        signer = cls(name, raw[1:])
        if signer.verifier.id.hex() != hash_hex.lower():
            raise CheckpointError("the signer key's ID does not match its name and key")
        return signer

    def signature_line(self, text: str) -> str:
        """The signature line of this key over a note text."""
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(text.encode())
        encoded = base64.b64encode(self.verifier.id + signature).decode()
        return f"{DASH} {self.name} {encoded}\n"


def sign_note(text: str, signer: Signer) -> str:
    """The signed note of `text` (which ends with a newline) under `signer`."""
    _check_text(text)
    return f"{text}\n{signer.signature_line(text)}"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise CheckpointError("a note text ends with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise CheckpointError("a note contains no control characters but newlines")


def split_note(note: str) -> tuple[str, list[tuple[str, bytes, bytes]]]:
    """The text of a signed note and its signatures as (key name, key ID, signature)."""
    cut = note.rfind("\n\n")
    if cut < 0:
        raise CheckpointError("a signed note has a text, an empty line and signatures")
    text, block = note[: cut + 1], note[cut + 2 :]
    _check_text(text)
    if not block.endswith("\n"):
        raise CheckpointError("a signature line ends with a newline")
    signatures = []
    for line in block[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise CheckpointError(f"malformed signature line {line[:60]!r}")
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            raise CheckpointError("a signature is not base64") from None
        if len(raw) < 5:
            raise CheckpointError("a signature is too short")
        signatures.append((parts[1], raw[:4], raw[4:]))
    if not signatures or len(signatures) > 100:
        raise CheckpointError("a signed note has between 1 and 100 signatures")
    return text, signatures


def open_note(note: str, verifier: Verifier) -> str:
    """The text of a note signed by `verifier`; CheckpointError when it is not.

    Signatures of other keys are ignored; a signature of this key that fails rejects
    the note.
    """
    text, signatures = split_note(note)
    verified = False
    for name, identifier, signature in signatures:
        if name != verifier.name or identifier != verifier.id:
            continue
        if not verifier.verifies(text.encode(), signature):
            raise CheckpointError(f"the signature of {name} does not verify")
        verified = True
    if not verified:
        raise CheckpointError(f"the note is not signed by {verifier.name}")
    return text


def open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    """A signed checkpoint, verified, whose origin is the key's name."""
    checkpoint = Checkpoint.parse(open_note(note, verifier))
    if checkpoint.origin != verifier.name:
        raise CheckpointError(
            f"the checkpoint's origin {checkpoint.origin!r} is not the key's name {verifier.name!r}"
        )
    return checkpoint
