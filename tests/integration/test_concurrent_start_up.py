"""Several workers starting at once on a fresh database all boot.

gunicorn starts its workers (and an operator a projections process) at the same
moment; each creates the tables it needs. On PostgreSQL two concurrent
``CREATE TABLE IF NOT EXISTS`` can fail, so start-up holds an advisory lock
(infrastructure/schema_lock.py). Seen before the lock: one boot in ~12 failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from application.secrets import Secrets

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8

BOOT = """
import sys
from web import create_app
app = create_app({"DATABASE_URL": sys.argv[1], "SECRETS": None, "START_PROJECTIONS": True})
app.extensions["projections"].stop()
app.extensions["voisinage"].close()
print("booted")
"""


@pytest.mark.slow
def test_eight_workers_boot_at_once_on_a_fresh_database(database_url: str) -> None:
    secrets = Secrets.generate()
    env = {
        "PYTHONPATH": str(ROOT),
        "VOISINAGE_SECRET_KEY": secrets.secret_key,
        "VOISINAGE_PSEUDONYM_KEY": secrets.pseudonym_key.hex(),
        "VOISINAGE_CHECKPOINT_KEY": secrets.checkpoint_key,
        "PATH": "/usr/bin:/bin",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", BOOT, database_url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(WORKERS)
    ]
    outputs = [w.communicate(timeout=120)[0].decode(errors="replace") for w in workers]
    failed = [out[-1500:] for w, out in zip(workers, outputs, strict=True) if w.returncode]
    assert not failed, f"{len(failed)} of {WORKERS} workers failed to boot:\n" + failed[0]
    assert all("booted" in out for out in outputs)
