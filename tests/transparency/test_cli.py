"""The transparency log's CLI on a real SQLite store: keygen, checkpoint, prove."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
from api_support import close_api, drive, make_api
from app_support import settle

from domain.checkpoint import Signer, Verifier, open_checkpoint
from web.cli import main


def test_keygen_checkpoint_and_proofs(tmp_path, monkeypatch):
    runner = CliRunner()
    generated = runner.invoke(main, ["audit", "keygen", "voisinage.example.org/log"])
    assert generated.exit_code == 0
    key_line, public_line = generated.output.splitlines()
    signer = Signer.decode(key_line.removeprefix("VOISINAGE_CHECKPOINT_KEY="))
    assert public_line == f"public key: {signer.verifier.encode()}"

    url = f"sqlite:///{tmp_path / 'voisinage.sqlite'}"
    api = make_api(url)
    try:
        drive(api, "proposals")
        settle(api.flask_app, 10)
        secrets = api.flask_app.config["SECRETS"]
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("VOISINAGE_SECRET_KEY", secrets.secret_key)
        monkeypatch.setenv("VOISINAGE_PSEUDONYM_KEY", secrets.pseudonym_key.hex())
        monkeypatch.setenv("VOISINAGE_CHECKPOINT_KEY", secrets.checkpoint_key)
        public = runner.invoke(main, ["audit", "checkpoint", "--public-key"]).output.strip()
        note = runner.invoke(main, ["audit", "checkpoint"]).output
        checkpoint = open_checkpoint(note, Verifier.decode(public))
        assert checkpoint.size == api.head()

        proved = runner.invoke(main, ["audit", "prove", "--position", "3"])
        assert proved.exit_code == 0, proved.output
        answer = json.loads(proved.output)
        assert answer["verified"] and answer["index"] == 2 and answer["size"] == api.head()
        consistent = runner.invoke(main, ["audit", "prove", "--from", "2", "--size", "5"])
        assert consistent.exit_code == 0 and json.loads(consistent.output)["verified"]
        too_far = runner.invoke(main, ["audit", "prove", "--index", "0", "--size", "100000"])
        assert too_far.exit_code == 1 and "leaves" in too_far.output
        nothing = runner.invoke(main, ["audit", "prove", "--position", "100000"])
        assert nothing.exit_code == 1 and "no event at position 100000" in nothing.output
    finally:
        close_api(api)
