"""`voisinage-verify` on unusable input: a clear message and exit 2 or 1, never a traceback."""

from __future__ import annotations

import json

from domain.checkpoint import Checkpoint, Signer, sign_note
from domain.merkle import EMPTY_ROOT
from verifier.__main__ import main


def test_unusable_input_is_named(tmp_path, capsys):
    key = Signer.generate("test.example/log")
    public = key.verifier.encode()
    missing = main([str(tmp_path / "none.jsonl"), "--key", public])
    assert missing == 2 and "none.jsonl" in capsys.readouterr().err
    assert main([str(tmp_path / "none.jsonl"), "--key", "not-a-key"]) == 2
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("{not json\n")
    assert main([str(garbage), "--key", public]) == 2
    assert "not JSON" in capsys.readouterr().err

    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"kind": "header", "format": "something else"}) + "\n")
    assert main([str(other), "--key", public]) == 1
    assert "not a voisinage-audit-bundle/1 file" in capsys.readouterr().out


def test_an_empty_log_and_a_checkpoint_of_another_key(tmp_path, capsys):
    key = Signer.generate("test.example/log")
    bundle = tmp_path / "bundle.jsonl"
    header = {"kind": "header", "format": "voisinage-audit-bundle/1"}
    bundle.write_text(json.dumps({**header, "public_key": key.verifier.encode()}) + "\n")
    empty = sign_note(Checkpoint("test.example/log", 0, EMPTY_ROOT).text(), key)
    kept = tmp_path / "kept.txt"
    kept.write_text(empty)
    args = [str(bundle), "--key", key.verifier.encode(), "--checkpoint", str(kept)]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("OK: 0 events")
    impostor = Signer.generate("test.example/log")
    kept.write_text(sign_note(Checkpoint("test.example/log", 0, EMPTY_ROOT).text(), impostor))
    assert main(args) == 1
    assert "refused" in capsys.readouterr().out
