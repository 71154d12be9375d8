"""The Merkle tree of the transparency log, RFC 9162 section 2.1: pure functions, no I/O.

* leaf hash ``SHA-256(0x00 || leaf)``, node hash ``SHA-256(0x01 || left || right)``, the
  root of the empty tree ``SHA-256("")``;
* the tree over ``n`` leaves splits at the largest power of two below ``n``.

A stored tree is read through a `NodeReader`: ``read(level, index)`` is the hash of the
perfect subtree over leaves ``[index * 2**level, (index + 1) * 2**level)`` (level 0: the
leaf hashes). Any subtree of the RFC recursion is at most ``log2 n`` of these, so a root,
an inclusion proof or a consistency proof costs O(log n) reads. `Frontier` appends
leaves and names the perfect nodes each one completes, for whoever stores them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence

#: The hash of one perfect subtree: (level, index) -> 32 bytes.
NodeReader = Callable[[int, int], bytes]

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
#: The root hash of the empty tree.
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof was asked for sizes or indices the tree does not have."""


def leaf_hash(leaf: bytes) -> bytes:
    """``SHA-256(0x00 || leaf)``."""
    return hashlib.sha256(LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_hash(read: NodeReader, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a range of the RFC recursion (start aligned on its left part)."""
    size = end - start
    if size <= 0:
        return EMPTY_ROOT
    level = size.bit_length() - 1
    if size == 1 << level and start % size == 0:
        return read(level, start >> level)
    k = _split(size)
    return node_hash(subtree_hash(read, start, start + k), subtree_hash(read, start + k, end))


def root(read: NodeReader, size: int) -> bytes:
    """The root hash of the tree of the first `size` leaves."""
    return subtree_hash(read, 0, size)


def inclusion_proof(read: NodeReader, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1, leaf side first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    proof: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            proof.append(subtree_hash(read, start + k, end))
            end = start + k
        else:
            proof.append(subtree_hash(read, start, start + k))
            start += k
    return proof[::-1]


def consistency_proof(read: NodeReader, old: int, new: int) -> list[bytes]:
    """PROOF(old, D[0:new]) of RFC 9162 section 2.1.4.1 (empty when old == new)."""
    if not 0 < old <= new:
        raise ProofError(f"no consistency proof from size {old} to size {new}")
    tail: list[bytes] = []
    start, end, m, whole = 0, new, old, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            tail.append(subtree_hash(read, start + k, end))
            end = start + k
        else:
            tail.append(subtree_hash(read, start, start + k))
            start, m, whole = start + k, m - k, False
    head = [] if whole else [subtree_hash(read, start, end)]
    return head + tail[::-1]


def verify_inclusion(
    leaf_digest: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """Whether `proof` shows the leaf hash at `index` in the tree of `size` with `root_hash`
    (RFC 9162 section 2.1.3.2)."""
    if not 0 <= index < size or len(leaf_digest) != 32:
        return False
    fn, sn, r = index, size - 1, leaf_digest
    for p in proof:
        if sn == 0 or len(p) != 32:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows the tree of size `old` is a prefix of the tree of size `new`
    (RFC 9162 section 2.1.4.2). A proof from the empty tree proves nothing: False."""
    if old == new and old > 0:
        return not proof and old_root == new_root
    if not 0 < old < new or not proof or any(len(p) != 32 for p in proof):
        return False
    path = list(proof)
    if old & (old - 1) == 0:  # an exact power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


class Frontier:
    """The perfect subtrees that make up a tree being built (a compact range from 0).

    ``append`` adds one leaf hash and returns the nodes it completes as
    ``(level, index, hash)``, the leaf itself first; ``root`` folds them right to left.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            raise ValueError("a frontier holds one hash per bit set in its size")
        self.size = size
        self.hashes = list(hashes)

    def append(self, digest: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; the perfect nodes completed by it, bottom up."""
        index = self.size
        completed = [(0, index, digest)]
        level = 0
        while (index >> level) & 1:
            digest = node_hash(self.hashes.pop(), digest)
            level += 1
            completed.append((level, index >> level, digest))
        self.hashes.append(digest)
        self.size += 1
        return completed

    def root(self) -> bytes:
        """The root hash of the tree so far."""
        if not self.hashes:
            return EMPTY_ROOT
        digest = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            digest = node_hash(left, digest)
        return digest


def tree_from_leaves(leaf_hashes: Sequence[bytes]) -> dict[tuple[int, int], bytes]:
    """Every perfect node of the tree over these leaf hashes (in memory, for small trees)."""
    nodes: dict[tuple[int, int], bytes] = {}
    frontier = Frontier()
    for digest in leaf_hashes:
        for level, index, value in frontier.append(digest):
            nodes[level, index] = value
    return nodes


def reader(nodes: dict[tuple[int, int], bytes]) -> NodeReader:
    """A NodeReader over a dict of perfect nodes."""

    def read(level: int, index: int) -> bytes:
        return nodes[level, index]

    return read


def roots_at(leaf_hashes: Iterator[bytes], sizes: set[int]) -> dict[int, bytes]:
    """The root hash at each of `sizes`, in one pass over the leaf hashes."""
    frontier = Frontier()
    found = {0: EMPTY_ROOT} if 0 in sizes else {}
    for digest in leaf_hashes:
        frontier.append(digest)
        if frontier.size in sizes:
            found[frontier.size] = frontier.root()
    return found
