"""The service's secrets: never in the repository, never in the event store.

They come from the environment (VOISINAGE_SECRET_KEY, VOISINAGE_PSEUDONYM_KEY). For
the embedded store, when they are not set, they are generated once and kept in a
file beside the database, readable by its owner only.
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


@dataclass(frozen=True)
class Secrets:
    """Keys for signing tokens and for keyed pseudonyms."""

    secret_key: str
    pseudonym_key: bytes

    @classmethod
    def generate(cls) -> Secrets:
        """Fresh random secrets (for tests and first starts)."""
        return cls(secret_key=secrets.token_urlsafe(32), pseudonym_key=secrets.token_bytes(32))

    @classmethod
    def load(cls, environ: Mapping[str, str], fallback_file: Path | None) -> Secrets:
        """Read from the environment, else from (or into) `fallback_file`."""
        secret_key = environ.get("VOISINAGE_SECRET_KEY")
        pseudonym_key = environ.get("VOISINAGE_PSEUDONYM_KEY")
        if secret_key and pseudonym_key:
            return cls(secret_key=secret_key, pseudonym_key=bytes.fromhex(pseudonym_key))
        if fallback_file is None:
            raise RuntimeError(
                "set VOISINAGE_SECRET_KEY and VOISINAGE_PSEUDONYM_KEY (64 hex characters)"
            )
        if fallback_file.exists():
            data = json.loads(fallback_file.read_text())
            return cls(data["secret_key"], bytes.fromhex(data["pseudonym_key"]))
        generated = cls.generate()
        fallback_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(fallback_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(
                {
                    "secret_key": generated.secret_key,
                    "pseudonym_key": generated.pseudonym_key.hex(),
                },
                handle,
            )
        return generated

    def digest(self, purpose: str, value: str) -> str:
        """Keyed digest (HMAC-SHA256) of `value`: nobody recomputes it without the key."""
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self.pseudonym_key, message, hashlib.sha256).hexdigest()
