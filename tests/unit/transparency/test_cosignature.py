"""C2SP tlog-cosignature (Ed25519, type 0x04): the signed message, key IDs, refusals."""

from __future__ import annotations

import base64
import hashlib
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from domain.checkpoint import Checkpoint, CheckpointError
from domain.cosignature import Cosigner, CosignerVerifier, cosigned_message

TEXT = Checkpoint("example.com/behind-the-sofa", 20852163, bytes(range(32))).text()


def test_a_cosignature_is_the_spec_message_under_the_spec_key_id():
    cosigner = Cosigner.generate("witness.example.com/w1")
    line = cosigner.cosign(TEXT, 1679315147)
    dash, name, blob = line.rstrip("\n").split(" ")
    assert dash == "\u2014" and name == "witness.example.com/w1"
    raw = base64.b64decode(blob)
    public = cosigner.verifier.public_key
    assert raw[:4] == hashlib.sha256(name.encode() + b"\n\x04" + public).digest()[:4]
    assert struct.unpack(">Q", raw[4:12]) == (1679315147,)
    message = b"cosignature/v1\ntime 1679315147\n" + TEXT.encode()
    assert cosigned_message(TEXT, 1679315147) == message
    Ed25519PublicKey.from_public_bytes(public).verify(raw[12:], message)  # raises if not
    seen = cosigner.verifier.verify(TEXT, line)
    assert seen is not None and seen.timestamp == 1679315147 and seen.name == name


def test_keys_round_trip_and_other_keys_or_texts_are_refused():
    cosigner = Cosigner.generate("slrb.example/witness")
    assert Cosigner.decode(cosigner.encode()) == cosigner
    verifier = CosignerVerifier.decode(cosigner.verifier.encode())
    assert verifier == cosigner.verifier
    line = cosigner.cosign(TEXT, 1)
    other = Cosigner.generate("slrb.example/witness")
    assert other.verifier.verify(TEXT, line) is None  # same name, other key: not ours
    with pytest.raises(CheckpointError, match="does not verify"):
        verifier.verify(TEXT.replace("20852163", "20852164"), line)
    with pytest.raises(CheckpointError):
        CosignerVerifier.decode(cosigner.verifier.encode().replace("+", "+0", 1))
    with pytest.raises(CheckpointError):  # a log key (type 0x01) is not a cosigner key
        CosignerVerifier.decode(
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
        )
