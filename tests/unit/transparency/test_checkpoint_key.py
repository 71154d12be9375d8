"""The checkpoint key is a secret like the others: generated into the secrets file on SQLite
(also into a file from before the transparency log), from configuration on PostgreSQL."""

from __future__ import annotations

import json
import stat

import pytest

from application.secrets import Secrets
from domain.checkpoint import CheckpointError, Signer


def test_generated_once_into_the_secrets_file_and_kept(tmp_path):
    path = tmp_path / "secrets.json"
    first = Secrets.load({}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.checkpoint_signer.name.startswith("voisinage.invalid/log-")
    assert Secrets.load({}, path) == first


def test_a_secrets_file_from_before_gets_a_key_and_keeps_its_other_secrets(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"secret_key": "s" * 32, "pseudonym_key": "ab" * 32}))
    loaded = Secrets.load({}, path)
    assert loaded.secret_key == "s" * 32 and loaded.pseudonym_key == bytes.fromhex("ab" * 32)
    assert loaded.checkpoint_key and json.loads(path.read_text())["checkpoint_key"] == (
        loaded.checkpoint_key
    )
    assert Secrets.load({}, path) == loaded


def test_configuration_wins_and_postgresql_needs_it_to_sign(tmp_path):
    key = Signer.generate("voisinage.example.org/log").encode()
    environ = {"VOISINAGE_SECRET_KEY": "k" * 32, "VOISINAGE_PSEUDONYM_KEY": "00" * 32}
    configured = Secrets.load({**environ, "VOISINAGE_CHECKPOINT_KEY": key}, None)
    assert configured.checkpoint_signer.name == "voisinage.example.org/log"
    assert Secrets.load({**environ, "VOISINAGE_CHECKPOINT_KEY": key}, tmp_path / "s.json") == (
        configured
    )
    unsigned = Secrets.load(environ, None)
    with pytest.raises(RuntimeError, match="VOISINAGE_CHECKPOINT_KEY"):
        unsigned.checkpoint_signer  # noqa: B018 (the property raises)
    with pytest.raises(CheckpointError):
        Secrets.load({**environ, "VOISINAGE_CHECKPOINT_KEY": "PRIVATE+KEY+x+00+AA"}, None)


def test_the_web_app_refuses_to_start_on_postgresql_without_the_key(monkeypatch):
    from web import create_app

    monkeypatch.setenv("VOISINAGE_SECRET_KEY", "k" * 32)
    monkeypatch.setenv("VOISINAGE_PSEUDONYM_KEY", "00" * 32)
    monkeypatch.delenv("VOISINAGE_CHECKPOINT_KEY", raising=False)
    with pytest.raises(RuntimeError, match="VOISINAGE_CHECKPOINT_KEY"):
        create_app(
            {
                "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
                "START_PROJECTIONS": False,
            }
        )
