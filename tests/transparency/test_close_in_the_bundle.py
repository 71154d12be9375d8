"""The standalone verifier counts what the published count counted: the ballots stored
before the close of the vote. A ballot that reached the store after the close was
refused to the resident (409) and stays in the log: the verifier must not count it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.errors import VoteIsClosed

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_ballot_stored_after_the_close_is_not_recounted(app, world, database_url, tmp_path):
    secrets, url = app.secrets, database_url
    pid = world.process({"method": "approval", "max_choices": 1, "shortlist_size": 1})
    world.advance(pid, "contributions")
    workshop = world.workshop(pid)
    source = world.contribution(workshop)
    world.advance(pid, "proposals")
    first, second = (
        app.submit_proposal(
            world.facilitator, pid, title=t, body="Texte", language="fr", source_ids=[source]
        )
        for t in ("Bancs", "Potager")
    )
    world.advance(pid, "voting")
    early, late = world.resident(pid), world.resident(pid)
    app.cast_ballot(early, pid, [str(first)])
    # the close lands between the late resident's check and its save: simulate it by
    # closing first and saving the late ballot as a racing request would
    process = app.process(pid)
    process.close_vote()
    app.save(process)
    with pytest.raises(VoteIsClosed):
        app.cast_ballot(late, pid, [str(second)])  # refused: it reads the close first
    from domain.ballot import Ballot

    voter = app.secrets.digest("ballot", f"{pid}/{late.participant_id}")
    app.save(Ballot.cast(process_id=pid, voter_digest=voter, choices=[str(second)], receipt="x"))
    result = app.publish_shortlist(world.facilitator, pid)
    assert result.ballots_counted == 1 and result.shortlist == [str(first)]
    published, recounted = app.recount(pid)
    assert published == recounted

    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOISINAGE_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=url,
        VOISINAGE_SECRET_KEY=secrets.secret_key,
        VOISINAGE_PSEUDONYM_KEY=secrets.pseudonym_key.hex(),
        VOISINAGE_CHECKPOINT_KEY=secrets.checkpoint_key,
        PYTHONPATH=str(ROOT),
    )
    bundle = tmp_path / "bundle.jsonl"
    exported = subprocess.run(
        [sys.executable, "-m", "web.cli", "audit", "export", "--out", str(bundle)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    verified = subprocess.run(
        [
            sys.executable,
            "-m",
            "verifier",
            str(bundle),
            "--key",
            secrets.checkpoint_signer.verifier.encode(),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
