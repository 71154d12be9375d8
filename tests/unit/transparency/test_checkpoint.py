"""Signed notes and checkpoints against the reference vectors of golang.org/x/mod/sumdb/note
and the C2SP signed-note specification."""

from __future__ import annotations

import base64

import pytest

from domain.checkpoint import (
    Checkpoint,
    CheckpointError,
    Signer,
    Verifier,
    check_key_name,
    open_checkpoint,
    open_note,
    sign_note,
)

GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
    "qfqdngotpRZb6KE6RyyBwJnAM=\n"
)
SPEC_VERIFIER = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppz"
    "i2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)


def test_the_go_reference_key_signs_the_reference_note_byte_for_byte():
    signer = Signer.decode(GO_SIGNER)
    assert signer.encode() == GO_SIGNER
    assert signer.verifier.encode() == GO_VERIFIER
    assert sign_note(GO_TEXT, signer) == GO_NOTE
    assert open_note(GO_NOTE, Verifier.decode(GO_VERIFIER)) == GO_TEXT


def test_the_specification_example_verifies():
    assert open_note(SPEC_NOTE, Verifier.decode(SPEC_VERIFIER)) == "This is an example message.\n"


def test_changed_texts_wrong_keys_and_malformed_notes_are_refused():
    verifier = Verifier.decode(GO_VERIFIER)
    with pytest.raises(CheckpointError, match="does not verify"):
        open_note(GO_NOTE.replace("cryptography", "cryptographY"), verifier)
    other = Signer.generate("PeterNeumann")
    with pytest.raises(CheckpointError, match="not signed"):
        open_note(sign_note(GO_TEXT, other), verifier)  # same name, other key: ignored
    for broken in (GO_TEXT, GO_NOTE[:-1], GO_NOTE.replace("\u2014", "-"), "x\x01\n\n" + GO_NOTE):
        with pytest.raises(CheckpointError):
            open_note(broken, verifier)
    with pytest.raises(CheckpointError):
        Verifier.decode(GO_VERIFIER.replace("c74f20a3", "c74f20a4"))
    for name in ("", "a b", "a+b", "a\u00a0b"):
        with pytest.raises(CheckpointError):
            check_key_name(name)


def test_a_signed_checkpoint_round_trips_and_its_origin_is_the_key_name():
    signer = Signer.generate("voisinage.example/log")
    checkpoint = Checkpoint("voisinage.example/log", 42, bytes(range(32)))
    text = checkpoint.text()
    assert text == f"voisinage.example/log\n42\n{base64.b64encode(bytes(range(32))).decode()}\n"
    note = sign_note(text, signer)
    assert open_checkpoint(note, signer.verifier) == checkpoint
    impostor = Signer.generate("elsewhere.example/log")
    with pytest.raises(CheckpointError, match="origin"):
        open_checkpoint(sign_note(text, impostor), impostor.verifier)
    for bad in ("o\n01\n" + text.split("\n")[2] + "\n", "o\n1\nAAAA\n", "o\n1\n"):
        with pytest.raises(CheckpointError):
            Checkpoint.parse(bad)
    with_extension = Checkpoint("o", 1, bytes(32), ("Timestamp: 1",))
    assert Checkpoint.parse(with_extension.text()) == with_extension
