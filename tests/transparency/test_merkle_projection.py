"""The merkle projection on a real SQLite views file: chunks of 256 leaves, stored nodes from
256 leaves up, batches that end mid-chunk, positions with gaps (as on PostgreSQL); every root
and random proofs equal the in-memory tree of domain.merkle."""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass

import pytest

from domain.audit import canonical_bytes
from domain.checkpoint import Signer, open_checkpoint
from domain.merkle import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    reader,
    root,
    tree_from_leaves,
)
from projections.merkle_projection import CHUNK, MerkleProjection
from projections.tables import MERKLE_TABLES
from projections.transparency import TransparencyLog
from projections.view import RowCache, SQLView, create_views_engine


@dataclass
class Stored:
    id: int
    originator_id: uuid.UUID
    originator_version: int
    topic: str
    state: bytes


def b64(value: bytes) -> str:
    import base64

    return base64.b64encode(value).decode()


@pytest.fixture
def tree(tmp_path):
    rng = random.Random(12)
    events = [
        Stored(
            3 * i + 1, uuid.UUID(int=rng.getrandbits(128)), i % 3 + 1, "t:T.E", rng.randbytes(40)
        )
        for i in range(3 * CHUNK + 77)
    ]
    engine = create_views_engine(f"sqlite:///{tmp_path / 'views.sqlite'}", None)
    projection = MerkleProjection(view=SQLView(engine, "merkle", MERKLE_TABLES))
    last, cache = 0, RowCache(complete=True)
    cuts = [0, 100, 101, 300, 600, 700, len(events)]
    for start, end in itertools.pairwise(cuts):
        batch = events[start:end]
        # the rebuild's complete cache first, then live following (a fresh cache each time)
        assert projection.process_batch(
            [(e.id, e) for e in batch], batch[-1].id, last, cache if start < 300 else None
        )
        last = batch[-1].id
    leaves = [
        leaf_hash(canonical_bytes(e.id, e.originator_id, e.originator_version, e.topic, e.state))
        for e in events
    ]
    yield TransparencyLog(engine, Signer.generate("test.example/log")), events, leaves
    engine.dispose()


def test_roots_proofs_and_positions_match_the_in_memory_tree(tree):
    log, events, leaves = tree
    memory = reader(tree_from_leaves(leaves))
    n = len(leaves)
    head = log.head()
    assert head["size"] == n and head["root"] == b64(root(memory, n))
    assert head["position"] == events[-1].id
    rng = random.Random(3)
    for _ in range(300):
        size = rng.randrange(1, n + 1)
        index = rng.randrange(size)
        proof = log.inclusion(index, size)
        assert proof["proof"] == [b64(p) for p in inclusion_proof(memory, index, size)]
        assert proof["root"] == b64(root(memory, size))
        assert proof["leaf_hash"] == b64(leaves[index])
        assert proof["position"] == events[index].id
        old = rng.randrange(1, size + 1)
        consistency = log.consistency(old, size)
        assert consistency["proof"] == [b64(p) for p in consistency_proof(memory, old, size)]
    for index in (0, CHUNK - 1, CHUNK, 2 * CHUNK + 5, n - 1):
        assert log.leaf_index(events[index].id) == index
    assert log.leaf_index(events[5].id + 1) is None  # a gap between ids
    assert log.leaf_index(events[-1].id + 3) is None


def test_a_signed_checkpoint_of_the_projection(tree):
    log, _, leaves = tree
    signed = log.checkpoint("test")
    checkpoint = open_checkpoint(signed["note"], log.signer.verifier)
    assert checkpoint.size == len(leaves)
    assert checkpoint.root == root(reader(tree_from_leaves(leaves)), len(leaves))
    assert log.checkpoint("again") == signed  # nothing changed: the same checkpoint
    assert log.history()[-1]["id"] == signed["id"]


def test_a_checkpoint_is_due_every_n_events_or_t_seconds(tree, tmp_path):
    import time

    from projections.transparency import Checkpointer

    log, events, _ = tree
    log.every_events, log.every_seconds = 1000, 3600.0
    assert log.due()  # none yet
    thread = Checkpointer(log, poll=0.02).start()
    try:
        deadline = time.monotonic() + 5
        while log.latest() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        thread.stop()
    signed = log.latest()
    assert signed is not None and signed["size"] == len(events)
    assert not log.due()
    # the tree grows by one event: due only after every_seconds, or every_events
    projection = MerkleProjection(view=SQLView(log.engine, "merkle", MERKLE_TABLES))
    extra = Stored(events[-1].id + 1, uuid.uuid4(), 1, "t:T.E", b"{}")
    assert projection.process_batch([(extra.id, extra)], extra.id, events[-1].id)
    assert not log.due()
    assert log.due(now=time.time() + 3601)
    log.every_events = 1
    assert log.due()
