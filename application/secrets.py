"""The service's secrets: never in the repository, never in the event store.

They come from the environment (VOISINAGE_SECRET_KEY, VOISINAGE_PSEUDONYM_KEY,
VOISINAGE_CHECKPOINT_KEY). For the embedded store, when they are not set, they are
generated once and kept in a file beside the database, readable by its owner only.

The checkpoint key signs the transparency log's checkpoints (a C2SP note signer key,
``PRIVATE+KEY+<origin>+<key id>+<base64>``); its name is the log's origin line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from domain.checkpoint import Signer

#: The origin (key name) of a generated checkpoint key, followed by a random suffix.
GENERATED_ORIGIN = "voisinage.invalid/log-"


def _generated_signer() -> str:
    return Signer.generate(GENERATED_ORIGIN + secrets.token_hex(4)).encode()


@dataclass(frozen=True)
class Secrets:
    """Keys for signing tokens, for keyed pseudonyms and for signing checkpoints."""

    secret_key: str
    pseudonym_key: bytes
    checkpoint_key: str = ""

    @classmethod
    def generate(cls) -> Secrets:
        """Fresh random secrets (for tests and first starts)."""
        return cls(
            secret_key=secrets.token_urlsafe(32),
            pseudonym_key=secrets.token_bytes(32),
            checkpoint_key=_generated_signer(),
        )

    @property
    def checkpoint_signer(self) -> Signer:
        """The signer of the transparency log's checkpoints."""
        if not self.checkpoint_key:
            raise RuntimeError(
                "set VOISINAGE_CHECKPOINT_KEY: the key that signs the transparency log's "
                "checkpoints (`voisinage audit keygen ORIGIN` prints one)"
            )
        return Signer.decode(self.checkpoint_key)

    @classmethod
    def load(cls, environ: Mapping[str, str], fallback_file: Path | None) -> Secrets:
        """Read from the environment, else from (or into) `fallback_file`.

        Without a fallback file (PostgreSQL) the first two are required here; the
        checkpoint key is required by whatever signs checkpoints (the web app refuses
        to start without it), not by the other commands.
        """
        secret_key = environ.get("VOISINAGE_SECRET_KEY", "")
        pseudonym_key = environ.get("VOISINAGE_PSEUDONYM_KEY", "")
        checkpoint_key = environ.get("VOISINAGE_CHECKPOINT_KEY", "")
        if checkpoint_key:
            Signer.decode(checkpoint_key)  # refuse a malformed key at start
        if fallback_file is None:
            if not (secret_key and pseudonym_key):
                raise RuntimeError(
                    "set VOISINAGE_SECRET_KEY and VOISINAGE_PSEUDONYM_KEY (64 hex characters)"
                )
            return cls(secret_key, bytes.fromhex(pseudonym_key), checkpoint_key)
        existed = fallback_file.exists()
        data: dict[str, str] = json.loads(fallback_file.read_text()) if existed else {}
        changed = False
        if not (secret_key and pseudonym_key):
            if "secret_key" not in data:
                data["secret_key"] = secrets.token_urlsafe(32)
                data["pseudonym_key"] = secrets.token_bytes(32).hex()
                changed = True
            secret_key, pseudonym_key = data["secret_key"], data["pseudonym_key"]
        if not checkpoint_key:
            if "checkpoint_key" not in data:  # also a file from before the transparency log
                data["checkpoint_key"] = _generated_signer()
                changed = True
            checkpoint_key = data["checkpoint_key"]
        if changed:
            fallback_file.parent.mkdir(parents=True, exist_ok=True)
            _write_private(fallback_file, data, replace=existed)
        return cls(secret_key, bytes.fromhex(pseudonym_key), checkpoint_key)

    def digest(self, purpose: str, value: str) -> str:
        """Keyed digest (HMAC-SHA256) of `value`: nobody recomputes it without the key."""
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self.pseudonym_key, message, hashlib.sha256).hexdigest()


def _write_private(path: Path, data: dict[str, str], *, replace: bool = False) -> None:
    """Write a JSON file readable by its owner only (atomically when replacing)."""
    target = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp") if replace else path
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(data, handle)
    if replace:
        os.replace(target, path)
