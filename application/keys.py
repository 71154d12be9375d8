"""Per-participant keys: personal fields are sealed with them, erasing one shreds the data.

The keys live in their own table, outside the event store. On SQLite that table is
in its own file with ``secure_delete`` on, so a deleted key is overwritten on disk.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

metadata = sa.MetaData()
participant_keys = sa.Table(
    "participant_keys",
    metadata,
    sa.Column("participant_id", sa.Uuid, primary_key=True),
    sa.Column("key", sa.LargeBinary(32), nullable=False),
)


class KeyErased(LookupError):
    """The participant's key was deleted: their personal fields are gone."""


class KeyStore:
    """Creates, uses and deletes participants' keys (AES-256-GCM)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        if engine.dialect.name == "postgresql":
            schema = engine.get_execution_options().get("schema_translate_map", {}).get(None)
            if schema:
                with engine.begin() as connection:
                    connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        metadata.create_all(engine)

    def create(self, *participant_ids: UUID) -> None:
        """Give participants (or organisations) a fresh random key each, in one
        transaction (idempotent)."""
        with self.engine.begin() as connection:
            for participant_id in participant_ids:
                exists = connection.execute(
                    sa.select(participant_keys.c.participant_id).where(
                        participant_keys.c.participant_id == participant_id
                    )
                ).first()
                if exists is None:
                    connection.execute(
                        participant_keys.insert().values(
                            participant_id=participant_id,
                            key=AESGCM.generate_key(bit_length=256),
                        )
                    )

    def _key(self, participant_id: UUID) -> bytes:
        with self.engine.connect() as connection:
            key = connection.execute(
                sa.select(participant_keys.c.key).where(
                    participant_keys.c.participant_id == participant_id
                )
            ).scalar()
        if key is None:
            raise KeyErased(f"no key for participant {participant_id}")
        return bytes(key)

    def seal(self, participant_id: UUID, fields: dict[str, Any]) -> str:
        """Encrypt personal fields for the event payload (base64 of nonce + ciphertext)."""
        nonce = os.urandom(12)
        plain = json.dumps(fields, sort_keys=True).encode()
        sealed = AESGCM(self._key(participant_id)).encrypt(nonce, plain, participant_id.bytes)
        return base64.b64encode(nonce + sealed).decode()

    def unseal(self, participant_id: UUID, sealed: str) -> dict[str, Any]:
        """Decrypt personal fields; raises KeyErased once the key is gone."""
        raw = base64.b64decode(sealed)
        plain = AESGCM(self._key(participant_id)).decrypt(raw[:12], raw[12:], participant_id.bytes)
        result: dict[str, Any] = json.loads(plain)
        return result

    def erase(self, participant_id: UUID) -> None:
        """Delete the key for good: every sealed field of this participant is unreadable."""
        with self.engine.begin() as connection:
            connection.execute(
                participant_keys.delete().where(participant_keys.c.participant_id == participant_id)
            )
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
