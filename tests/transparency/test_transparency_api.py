"""GET /checkpoint, the checkpoint history and the proofs over HTTP (Flask's test client on a
real SQLite file), checked with the pure verification functions."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
from api_support import close_api, drive, make_api
from app_support import settle

from domain.checkpoint import Verifier, open_checkpoint
from domain.merkle import verify_consistency, verify_inclusion


@pytest.fixture
def api(sqlite_url):
    client = make_api(sqlite_url, CHECKPOINT_EVERY_EVENTS=1, CHECKPOINT_EVERY_SECONDS=0)
    yield client
    close_api(client)


@pytest.fixture
def any_api(database_url):
    """The app on SQLite and on PostgreSQL."""
    client = make_api(database_url, CHECKPOINT_EVERY_EVENTS=1, CHECKPOINT_EVERY_SECONDS=0)
    yield client
    close_api(client)


def b64(value: str) -> bytes:
    return base64.b64decode(value)


def test_checkpoint_proofs_and_history(any_api):
    api = any_api
    w = drive(api, "shortlisted")
    views = api.flask_app.extensions["views"]
    settle(api.flask_app, 10)
    client = api.flask_app.test_client()
    history = api.ok("GET", "/audit/checkpoints")
    key = Verifier.decode(history["public_key"])
    answer = client.get("/checkpoint")
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    checkpoint = open_checkpoint(answer.get_data(as_text=True), key)
    stored = [e["position"] for e in views.audit_events(limit=1000)]
    assert checkpoint.size == len(stored)  # one leaf per stored event

    # the shortlist recorded a signed checkpoint of the tree at that moment
    shortlist = api.ok("GET", f"/processes/{w.pid}/shortlist")
    recorded = open_checkpoint(shortlist["chain_head"]["checkpoint"], key)
    assert 0 < recorded.size < checkpoint.size
    assert any(c["note"] == shortlist["chain_head"]["checkpoint"] for c in history["checkpoints"])

    for index in range(checkpoint.size):
        proof = api.ok("GET", f"/audit/proofs/inclusion?index={index}&size={checkpoint.size}")
        assert proof["position"] == stored[index]  # notification order (ids may have gaps)
        assert b64(proof["root"]) == checkpoint.root
        assert verify_inclusion(
            b64(proof["leaf_hash"]),
            index,
            checkpoint.size,
            [b64(p) for p in proof["proof"]],
            checkpoint.root,
        )
    consistency = api.ok(
        "GET", f"/audit/proofs/consistency?from={recorded.size}&to={checkpoint.size}"
    )
    assert verify_consistency(
        recorded.size,
        checkpoint.size,
        recorded.root,
        checkpoint.root,
        [b64(p) for p in consistency["proof"]],
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/audit/proofs/inclusion?index=0&size=100000", "size"),
        ("/audit/proofs/inclusion?index=5&size=5", "index"),
        ("/audit/proofs/inclusion?index=x&size=5", "index"),
        ("/audit/proofs/inclusion?size=5", "index"),
        ("/audit/proofs/consistency?from=0&to=2", "from"),
        ("/audit/proofs/consistency?from=1&to=100000", "to"),
        ("/audit/proofs/consistency?from=3&to=2", "from"),
        ("/audit/checkpoints?limit=0", "limit"),
    ],
)
def test_bad_proof_requests_are_422_naming_the_field(api, query, field):
    drive(api, "contributions")
    settle(api.flask_app, 30)
    head = api.head()
    answer = api.call("GET", query)
    assert answer.status == 422, answer.json
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert field in answer.json["errors"], answer.json
    assert api.head() == head


def test_the_bundle_is_for_auditors_only(api):
    drive(api, "draft")
    assert api.call("GET", "/audit/bundle").status == 401
    assert api.call("GET", "/audit/bundle", who="facilitator").status == 403
    response = api.flask_app.test_client().get(
        "/api/v1/audit/bundle", headers={"Authorization": f"Bearer {api.tokens['auditor']}"}
    )
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()
    assert '"kind":"header"' in lines[0] and any('"kind":"event"' in line for line in lines)
