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


def note_key_id(name: str, key_type: bytes, public_key: bytes) -> bytes:
    """The 4-byte key ID of a signed-note key: SHA-256(name || 0x0A || type || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + key_type + public_key).digest()[:4]


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 note key (type 0x01)."""
    return note_key_id(name, ED25519, public_key)


# --- key strings, shared by note keys (0x01) and witness cosigner keys (0x04) -----------


def encode_key(name: str, identifier: bytes, key_type: bytes, key: bytes, *, private: bool) -> str:
    """``[PRIVATE+KEY+]<name>+<key ID hex>+base64(type || key)``."""
    encoded = base64.b64encode(key_type + key).decode()
    return f"{'PRIVATE+KEY+' if private else ''}{name}+{identifier.hex()}+{encoded}"


def decode_key(
    text: str, key_type: bytes, *, private: bool, what: str, kind: str
) -> tuple[str, str, bytes]:
    """A key string's name, stated key ID (hex) and 32-byte key; `what` names the key in
    errors ("verifier", "witness"), `kind` its type ("verifier keys (type 0x01)")."""
    if private:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise CheckpointError(f"a {what} key is PRIVATE+KEY+<name>+<key id>+<base64 key>")
        name, hash_hex, encoded = parts[2:]
    else:
        parts = text.strip().split("+", 2)  # base64 may hold '+'
        if len(parts) != 3:
            raise CheckpointError(f"a {what} key is <name>+<key id>+<base64 key>")
        name, hash_hex, encoded = parts
        check_key_name(name)
    try:
        raw = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise CheckpointError(f"the {what} key is not base64") from None
    if len(raw) != 33 or raw[:1] != key_type:
        raise CheckpointError(f"only Ed25519 {kind} are supported")
    return name, hash_hex, raw[1:]


def check_key_id(stated_hex: str, identifier: bytes, what: str) -> None:
    """The key ID a key string states must be the one its name and key give."""
    if identifier.hex() != stated_hex.lower():
        raise CheckpointError(f"the {what} key's ID does not match its name and key")


def check_seed(name: str, seed: bytes) -> None:
    """A private key's name and 32-byte Ed25519 seed."""
    check_key_name(name)
    if len(seed) != 32:
        raise CheckpointError("an Ed25519 seed is 32 bytes")


def new_seed() -> bytes:
    """A fresh random Ed25519 seed."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def public_key_of(seed: bytes) -> bytes:
    """The raw Ed25519 public key of a seed."""
    private = Ed25519PrivateKey.from_private_bytes(seed)
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def ed25519_verifies(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether `signature` is the Ed25519 signature of `message` by `public_key`."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


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
        return encode_key(self.name, self.id, ED25519, self.public_key, private=False)

    @classmethod
    def decode(cls, text: str) -> Verifier:
        """Parse a verifier key string (checks the key ID it states)."""
        kind = "verifier keys (type 0x01)"
        name, stated, key = decode_key(text, ED25519, private=False, what="verifier", kind=kind)
        verifier = cls(name, key)
        check_key_id(stated, verifier.id, "verifier")
        return verifier

    def verifies(self, message: bytes, signature: bytes) -> bool:
        """Whether `signature` is this key's Ed25519 signature of `message`."""
        return ed25519_verifies(self.public_key, message, signature)


@dataclass(frozen=True)
class Signer:
    """A private Ed25519 note key and its name."""

    name: str
    seed: bytes

    def __post_init__(self) -> None:
        check_seed(self.name, self.seed)

    @classmethod
    def generate(cls, name: str) -> Signer:
        """A fresh random key."""
        return cls(name, new_seed())

    @property
    def verifier(self) -> Verifier:
        """The public half."""
        return Verifier(self.name, public_key_of(self.seed))

    def encode(self) -> str:
        """``PRIVATE+KEY+<name>+<key ID hex>+base64(0x01 || seed)``."""
        return encode_key(self.name, self.verifier.id, ED25519, self.seed, private=True)

    @classmethod
    def decode(cls, text: str) -> Signer:
        """Parse a signer key string."""
        kind = "signer keys (type 0x01)"
        name, stated, seed = decode_key(text, ED25519, private=True, what="signer", kind=kind)
        signer = cls(name, seed)
        check_key_id(stated, signer.verifier.id, "signer")
        return signer

    def signature_line(self, text: str) -> str:
        """The signature line of this key over a note text."""
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(text.encode())
        return signature_line(self.name, self.verifier.id + signature)


def sign_note(text: str, signer: Signer) -> str:
    """The signed note of `text` (which ends with a newline) under `signer`."""
    _check_text(text)
    return f"{text}\n{signer.signature_line(text)}"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise CheckpointError("a note text ends with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise CheckpointError("a note contains no control characters but newlines")


def signature_line(name: str, raw: bytes) -> str:
    """A signed-note signature line: ``— <key name> base64(key ID || signature)``."""
    return f"{DASH} {name} {base64.b64encode(raw).decode()}\n"


def read_signature_line(
    line: str, what: str, *, name: str | None = None
) -> tuple[str, bytes] | None:
    """A signature line's key name and bytes; None if it is not ``— <name> <base64>``
    (or, given `name`, is another key's), CheckpointError (naming `what`) if its last part
    is not base64."""
    parts = line.rstrip("\n").split(" ")
    if len(parts) != 3 or parts[0] != DASH or name not in (None, parts[1]):
        return None
    try:
        return parts[1], base64.b64decode(parts[2], validate=True)
    except binascii.Error:
        raise CheckpointError(f"a {what} is not base64") from None


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
        parsed = read_signature_line(line, "signature")
        if parsed is None:
            raise CheckpointError(f"malformed signature line {line[:60]!r}")
        name, raw = parsed
        if len(raw) < 5:
            raise CheckpointError("a signature is too short")
        signatures.append((name, raw[:4], raw[4:]))
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
