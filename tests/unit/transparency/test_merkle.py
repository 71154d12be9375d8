"""RFC 9162 trees and proofs: published vectors (transparency-dev), pymerkle, and the RFC text."""

from __future__ import annotations

import base64
import hashlib
import json
import random
from pathlib import Path

import pytest
from pymerkle import InmemoryTree
from pymerkle import verify_consistency as pymerkle_verify_consistency

from domain.merkle import (
    EMPTY_ROOT,
    Frontier,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    reader,
    root,
    roots_at,
    tree_from_leaves,
    verify_consistency,
    verify_inclusion,
)

VECTORS = json.loads(
    (Path(__file__).parents[2] / "data" / "transparency_dev_merkle_vectors.json").read_text()
)


def b64(value: str) -> bytes:
    return base64.b64decode(value)


# --- the RFC 9162 definitions, written as in the text (recursive, over the leaves) -----------


def mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1 << ((n - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*subproof(m, leaves[:k], whole), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def leaves_of(n: int) -> list[bytes]:
    return [f"leaf {i}".encode() for i in range(n)]


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: c["file"])
def test_inclusion_vectors_of_transparency_dev(case):
    ok = verify_inclusion(
        b64(case["leafHash"]),
        case["leafIdx"],
        case["treeSize"],
        [b64(p) for p in case["proof"] or []],
        b64(case["root"]),
    )
    assert ok is not case["wantErr"]


@pytest.mark.parametrize("case", VECTORS["consistency"], ids=lambda c: c["file"])
def test_consistency_vectors_of_transparency_dev(case):
    ok = verify_consistency(
        case["size1"],
        case["size2"],
        b64(case["root1"]),
        b64(case["root2"]),
        [b64(p) for p in case["proof"] or []],
    )
    assert ok is not case["wantErr"]


def test_the_published_tree_roots_and_happy_proofs_are_what_this_implementation_computes():
    """transparency-dev's 8-leaf tree: its roots, and its happy-path proofs regenerated here."""
    leaves = [bytes.fromhex(x) for x in VECTORS["tree"]["leaves_hex"]]
    read = reader(tree_from_leaves([leaf_hash(x) for x in leaves]))
    for n, expected in enumerate(VECTORS["tree"]["roots_hex"]):
        assert root(read, n).hex() == expected
    generated = 0
    for case in VECTORS["inclusion"]:
        if case["desc"] == "happy path" and b64(case["root"]) == root(read, case["treeSize"]):
            proof = inclusion_proof(read, case["leafIdx"], case["treeSize"])
            assert proof == [b64(p) for p in case["proof"] or []]
            generated += 1
    for case in VECTORS["consistency"]:
        if case["desc"] == "happy path" and case["size1"] > 0:
            assert b64(case["root2"]) == root(read, case["size2"])
            proof = consistency_proof(read, case["size1"], case["size2"])
            assert proof == [b64(p) for p in case["proof"] or []]
            generated += 1
    assert generated >= 8


def test_roots_and_proofs_equal_the_rfc_definitions_on_every_small_tree():
    leaves = leaves_of(40)
    nodes = tree_from_leaves([leaf_hash(x) for x in leaves])
    read = reader(nodes)
    assert root(read, 0) == EMPTY_ROOT == mth([])
    for n in range(1, 41):
        assert root(read, n) == mth(leaves[:n])
        for m in range(n):
            proof = inclusion_proof(read, m, n)
            assert proof == path(m, leaves[:n])
            assert verify_inclusion(leaf_hash(leaves[m]), m, n, proof, mth(leaves[:n]))
        for old in range(1, n + 1):
            proof = consistency_proof(read, old, n)
            assert proof == subproof(old, leaves[:n], True)
            assert verify_consistency(old, n, mth(leaves[:old]), mth(leaves[:n]), proof)


def test_frontier_roots_match_and_name_every_perfect_node():
    frontier = Frontier()
    leaves = leaves_of(100)
    for n, leaf in enumerate(leaves, start=1):
        completed = frontier.append(leaf_hash(leaf))
        assert completed[0] == (0, n - 1, leaf_hash(leaf))
        for level, index, value in completed:
            assert value == mth(leaves[index << level : (index + 1) << level])
        assert frontier.root() == mth(leaves[:n])
        resumed = Frontier(frontier.size, frontier.hashes)
        assert resumed.root() == frontier.root()
    assert roots_at(iter(leaf_hash(x) for x in leaves), {0, 7, 100}) == {
        0: mth([]),
        7: mth(leaves[:7]),
        100: mth(leaves),
    }


def test_thousands_of_random_sizes_and_indices_agree_with_pymerkle():
    """pymerkle 7 in its default (RFC 9162) mode: 0x00/0x01 prefixes, same split."""
    rng = random.Random(9162)
    n = 3000
    leaves = [rng.randbytes(rng.randrange(0, 40)) for _ in range(n)]
    other = InmemoryTree(algorithm="sha256")
    for leaf in leaves:
        other.append_entry(leaf)
    read = reader(tree_from_leaves([leaf_hash(x) for x in leaves]))
    for _ in range(2000):
        size = rng.randrange(1, n + 1)
        index = rng.randrange(size)
        expected_root = other.get_root(size)
        assert root(read, size) == expected_root
        theirs = other.prove_inclusion(index + 1, size).serialize()["path"]
        mine = inclusion_proof(read, index, size)
        # pymerkle's path starts with the leaf's own hash, then the RFC audit path
        assert [bytes.fromhex(h) for h in theirs[1:]] == mine
        assert verify_inclusion(leaf_hash(leaves[index]), index, size, mine, expected_root)
        old = rng.randrange(1, size + 1)
        proof = consistency_proof(read, old, size)
        assert verify_consistency(old, size, other.get_root(old), expected_root, proof)
        if old < size:
            # pymerkle's own consistency proof checks out against the roots computed here
            pymerkle_verify_consistency(
                root(read, old), root(read, size), other.prove_consistency(old, size)
            )


def test_tampered_proofs_fail():
    leaves = leaves_of(13)
    read = reader(tree_from_leaves([leaf_hash(x) for x in leaves]))
    top = root(read, 13)
    proof = inclusion_proof(read, 5, 13)
    assert verify_inclusion(leaf_hash(leaves[5]), 5, 13, proof, top)
    assert not verify_inclusion(leaf_hash(leaves[6]), 5, 13, proof, top)
    assert not verify_inclusion(leaf_hash(leaves[5]), 4, 13, proof, top)
    assert not verify_inclusion(leaf_hash(leaves[5]), 5, 13, proof[:-1], top)
    bad = [proof[0][:-1] + bytes([proof[0][-1] ^ 1]), *proof[1:]]
    assert not verify_inclusion(leaf_hash(leaves[5]), 5, 13, bad, top)
    c = consistency_proof(read, 6, 13)
    assert verify_consistency(6, 13, root(read, 6), top, c)
    assert not verify_consistency(6, 13, root(read, 7), top, c)
    assert not verify_consistency(6, 13, root(read, 6), node_hash(top, top), c)
    assert not verify_consistency(0, 13, EMPTY_ROOT, top, [])
    with pytest.raises(ProofError):
        inclusion_proof(read, 13, 13)
    with pytest.raises(ProofError):
        consistency_proof(read, 0, 13)
