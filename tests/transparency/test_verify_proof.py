"""`voisinage-verify proof FILE --key KEY`: a receipt's inclusion proof checked without the
server. OK (exit 0), FAILED with the reason (exit 1), unusable input (exit 2), one line,
never a traceback."""

from __future__ import annotations

import base64
import json

import pytest

from domain.checkpoint import Checkpoint, Signer, sign_note
from domain.merkle import inclusion_proof, leaf_hash, reader, root, tree_from_leaves
from verifier.__main__ import main

ORIGIN = "test.example/log"
SIZE = 13
INDEX = 6


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


@pytest.fixture(scope="module")
def key() -> Signer:
    return Signer.generate(ORIGIN)


def tree(size: int = SIZE) -> tuple[list[bytes], dict]:
    leaves = [leaf_hash(f"event {i}".encode()) for i in range(size)]
    return leaves, tree_from_leaves(leaves)


def document(key: Signer, index: int = INDEX, size: int = SIZE) -> dict:
    leaves, nodes = tree(size)
    read = reader(nodes)
    note = sign_note(Checkpoint(ORIGIN, size, root(read, size)).text(), key)
    return {
        "format": "voisinage-inclusion-proof/1",
        "index": index,
        "size": size,
        "leaf_hash": b64(leaves[index]),
        "audit_path": [b64(p) for p in inclusion_proof(read, index, size)],
        "checkpoint": note,
        "public_key": key.verifier.encode(),
    }


def run(tmp_path, capsys, content: dict | str, *extra: str, key: Signer) -> tuple[int, str]:
    path = tmp_path / "proof.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    status = main(["proof", str(path), "--key", key.verifier.encode(), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.out + captured.err


def flipped(encoded: str, at: int = 5) -> str:
    raw = bytearray(base64.b64decode(encoded))
    raw[at] ^= 0x01
    return b64(bytes(raw))


def test_a_good_proof_says_ok_with_index_size_and_origin(tmp_path, capsys, key):
    status, out = run(tmp_path, capsys, document(key), key=key)
    assert status == 0, out
    assert out.startswith("OK") and len(out.strip().splitlines()) == 1
    assert f"leaf {INDEX}" in out and f"{SIZE} leaves" in out and ORIGIN in out


@pytest.mark.parametrize("size", [1, 2, 3, 8, 9, 31])
def test_every_leaf_of_small_trees(tmp_path, capsys, key, size):
    for index in range(size):
        status, out = run(tmp_path, capsys, document(key, index, size), key=key)
        assert status == 0, (size, index, out)


def test_a_changed_byte_in_the_leaf_hash_fails(tmp_path, capsys, key):
    changed = document(key)
    changed["leaf_hash"] = flipped(changed["leaf_hash"])
    status, out = run(tmp_path, capsys, changed, key=key)
    assert status == 1 and out.startswith("FAILED") and "audit path" in out


@pytest.mark.parametrize("step", [0, 1, 2, -1])
def test_a_changed_byte_in_the_audit_path_fails(tmp_path, capsys, key, step):
    changed = document(key)
    changed["audit_path"][step] = flipped(changed["audit_path"][step], at=31)
    status, out = run(tmp_path, capsys, changed, key=key)
    assert status == 1 and out.startswith("FAILED") and "audit path" in out


def test_a_shortened_path_or_another_index_fails(tmp_path, capsys, key):
    short = document(key)
    short["audit_path"] = short["audit_path"][:-1]
    assert run(tmp_path, capsys, short, key=key)[0] == 1
    moved = document(key)
    moved["index"] = INDEX + 1
    assert run(tmp_path, capsys, moved, key=key)[0] == 1
    outside = document(key)
    outside["index"] = SIZE
    assert run(tmp_path, capsys, outside, key=key)[0] == 1


def test_a_note_signed_by_another_key_fails_even_if_the_file_names_that_key(tmp_path, capsys, key):
    impostor = Signer.generate(ORIGIN)  # same name, another key
    forged = document(impostor)  # a consistent proof and note, but under the impostor's key
    assert forged["public_key"] == impostor.verifier.encode()
    status, out = run(tmp_path, capsys, forged, key=key)
    assert status == 1 and out.startswith("FAILED") and "not signed" in out
    assert impostor.verifier.encode() in out  # the file's key is shown, never used


def test_a_changed_note_fails(tmp_path, capsys, key):
    changed = document(key)
    text, _, signature = changed["checkpoint"].partition("\n\n")
    lines = text.split("\n")
    lines[1] = str(SIZE + 1)
    changed["checkpoint"] = "\n".join(lines) + "\n\n" + signature
    status, out = run(tmp_path, capsys, changed, key=key)
    assert status == 1 and "does not verify" in out


def test_a_note_of_another_size_fails(tmp_path, capsys, key):
    other = document(key)
    other["checkpoint"] = document(key, 0, SIZE + 1)["checkpoint"]
    status, out = run(tmp_path, capsys, other, key=key)
    assert status == 1 and f"{SIZE + 1}" in out and f"{SIZE}" in out


def test_a_kept_checkpoint_of_the_same_size_must_have_the_same_root(tmp_path, capsys, key):
    proof = document(key)
    kept = tmp_path / "kept.txt"
    kept.write_text(proof["checkpoint"])
    status, out = run(tmp_path, capsys, proof, "--checkpoint", str(kept), key=key)
    assert status == 0 and "matches the kept checkpoint" in out, out

    # a witness's state directory: the checkpoints it saw, one of this size
    state = tmp_path / "witness"
    (state / "history").mkdir(parents=True)
    (state / "history" / "00000009.txt").write_text(document(key, 0, 9)["checkpoint"])
    (state / "history" / f"{SIZE:08d}.txt").write_text(proof["checkpoint"])
    (state / "checkpoint").write_text(document(key, 0, 20)["checkpoint"])
    status, out = run(tmp_path, capsys, proof, "--checkpoint", str(state), key=key)
    assert status == 0 and "matches the kept checkpoint" in out, out

    # the log rewritten: another tree of the same size, signed by the same key
    leaves, _ = tree()
    rewritten = tree_from_leaves([leaf_hash(b"rewritten"), *leaves[1:]])
    fork = sign_note(Checkpoint(ORIGIN, SIZE, root(reader(rewritten), SIZE)).text(), key)
    kept.write_text(fork)
    status, out = run(tmp_path, capsys, proof, "--checkpoint", str(kept), key=key)
    assert status == 1 and out.startswith("FAILED") and "another root" in out

    # a kept checkpoint of another size cannot be compared without a consistency proof
    kept.write_text(document(key, 0, SIZE + 4)["checkpoint"])
    status, out = run(tmp_path, capsys, proof, "--checkpoint", str(kept), key=key)
    assert status == 0 and "no kept checkpoint of 13 leaves" in out, out

    # a kept checkpoint of another key is refused
    kept.write_text(document(Signer.generate(ORIGIN))["checkpoint"])
    status, out = run(tmp_path, capsys, proof, "--checkpoint", str(kept), key=key)
    assert status == 1 and "kept checkpoint" in out


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "\x00\xff binary",
        "[1, 2]",
        json.dumps({"format": "voisinage-audit-bundle/1", "kind": "header"}),
        json.dumps({"format": "voisinage-inclusion-proof/1"}),
    ],
)
def test_garbage_is_unusable_input(tmp_path, capsys, key, content):
    status, out = run(tmp_path, capsys, content, key=key)
    assert status == 2 and out.startswith("voisinage-verify:"), out


@pytest.mark.parametrize(
    "field, value",
    [
        ("index", "6"),
        ("index", True),
        ("size", -1),
        ("leaf_hash", "not base64!"),
        ("leaf_hash", b64(b"short")),
        ("audit_path", "AAAA"),
        ("audit_path", [b64(b"short")]),
        ("checkpoint", 12),
    ],
)
def test_malformed_fields_are_unusable_input(tmp_path, capsys, key, field, value):
    broken = document(key)
    broken[field] = value
    status, out = run(tmp_path, capsys, broken, key=key)
    assert status == 2 and field in out, out


def test_a_missing_file_or_a_bad_key_is_unusable_input(tmp_path, capsys, key):
    assert main(["proof", str(tmp_path / "none.json"), "--key", key.verifier.encode()]) == 2
    assert "none.json" in capsys.readouterr().err
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(document(key)))
    assert main(["proof", str(path), "--key", "not-a-key"]) == 2
    assert "verifier key" in capsys.readouterr().err
    assert main(["proof", str(path), "--key", key.encode()]) == 2  # the private key, by mistake
    err = capsys.readouterr().err
    assert err.startswith("voisinage-verify:") and key.encode() not in err
    directory = tmp_path / "a-directory"
    directory.mkdir()
    assert main(["proof", str(directory), "--key", key.verifier.encode()]) == 2
