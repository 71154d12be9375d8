"""The architecture's import rules (setup.cfg [importlinter]) hold: `lint-imports` succeeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "setup.cfg")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    for contract in (  # each contract is there, and was checked
        "domain imports nothing",
        "standalone verifier",
        "Projections import neither",
        "application imports neither",
        "Infrastructure is plumbing",
    ):
        assert contract in result.stdout, contract
