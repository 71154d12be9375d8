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


def test_a_participant_s_event_is_checked_by_its_leaf_alone(tmp_path, capsys):
    """The bundle withholds participants' events (their leaf and chain hashes only): the
    signed tree still covers them, so a changed leaf fails the checkpoint."""
    import base64

    from domain.audit import GENESIS, canonical_bytes, next_hash
    from domain.merkle import Frontier, leaf_hash

    key = Signer.generate("test.example/log")
    state = b'{"title": "x"}'
    first = ("11111111-1111-1111-1111-111111111111", 1, "domain.workshop:Workshop.Opened")
    withheld = canonical_bytes(
        2,
        "22222222-2222-2222-2222-222222222222",
        1,
        "domain.participant:Participant.Registered",
        b'{"secret": 1}',
    )
    frontier = Frontier()
    frontier.append(leaf_hash(canonical_bytes(1, *first, state)))
    frontier.append(leaf_hash(withheld))
    chain = next_hash(GENESIS, 1, *first, state)
    import hashlib

    chain_after = hashlib.sha256(chain + withheld).digest()
    note = sign_note(Checkpoint("test.example/log", 2, frontier.root()).text(), key)

    def write(leaf: bytes) -> list[str]:
        bundle = tmp_path / "bundle.jsonl"
        lines = [
            {
                "kind": "header",
                "format": "voisinage-audit-bundle/1",
                "public_key": key.verifier.encode(),
                "events": 2,
            },
            {
                "kind": "event",
                "position": 1,
                "originator_id": first[0],
                "originator_version": 1,
                "topic": first[2],
                "state": base64.b64encode(state).decode(),
            },
            {
                "kind": "event",
                "position": 2,
                "topic": "domain.participant:Participant",
                "leaf": base64.b64encode(leaf).decode(),
                "chain": chain_after.hex(),
            },
            {"kind": "checkpoint", "note": note},
        ]
        bundle.write_text("".join(json.dumps(line) + "\n" for line in lines))
        return [str(bundle), "--key", key.verifier.encode()]

    assert main(write(leaf_hash(withheld))) == 0
    out = capsys.readouterr().out
    assert (
        out.startswith("OK: 2 events") and "1 participants' events checked by their hashes" in out
    )
    assert main(write(leaf_hash(withheld + b" "))) == 1
    assert "FAILED" in capsys.readouterr().out
