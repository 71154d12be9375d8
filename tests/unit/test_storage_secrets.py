"""Where each store keeps its generated secrets: beside an SQLite file, nowhere on
PostgreSQL (the environment must give them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from application.secrets import Secrets
from infrastructure.storage import Storage


def test_an_sqlite_store_keeps_its_secrets_beside_its_file(tmp_path: Path) -> None:
    storage = Storage.from_url(f"sqlite:///{tmp_path}/v.sqlite")
    assert storage.secrets_file == tmp_path / "secrets.json"
    first = Secrets.load({}, storage.secrets_file)
    again = Secrets.load({}, storage.secrets_file)
    assert (tmp_path / "secrets.json").exists()
    assert first.secret_key == again.secret_key


def test_a_postgres_store_has_no_secrets_file_and_needs_the_environment() -> None:
    storage = Storage.from_url("postgresql://postgres@127.0.0.1:5432/test")
    assert storage.secrets_file is None
    with pytest.raises(RuntimeError, match="VOISINAGE_SECRET_KEY"):
        Secrets.load({}, storage.secrets_file)
