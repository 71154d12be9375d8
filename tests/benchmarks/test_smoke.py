"""Every benchmark runs end to end at tiny sizes, so that the harness cannot rot.

No timing assertions: only that each benchmark produces its rows, with numeric figures.
"""

from __future__ import annotations

import importlib
import math
import os

import pytest

from benchmarks.__main__ import BENCHMARKS, main

POSTGRES_URL = os.environ.get(
    "VOISINAGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgres() -> str | None:
    """The PostgreSQL URL when the server answers (the benchmarks make their own schemas)."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL.split("?")[0], connect_timeout=3):
            return POSTGRES_URL.split("?")[0]
    except Exception:
        if os.environ.get("VOISINAGE_REQUIRE_POSTGRES") == "1":
            raise
        return None


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _module(name: str):
    return importlib.import_module(BENCHMARKS[name][0])


@pytest.mark.slow
@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_produces_numeric_rows(name):
    module = _module(name)
    if name == "counting":
        rows = module.run(True)
    else:
        rows = module.run(True, postgres=_postgres(), size="tiny")
    assert rows, f"{name} produced no rows"
    for row in rows:
        assert isinstance(row.get("figure") or row.get("name"), str), row
        measured = row.get("measured", row.get("seconds"))
        assert _numeric(measured), f"{name}: not a number in {row}"
        for key in ("baseline", "ratio"):
            if row.get(key) is not None:
                assert _numeric(row[key]), f"{name}: {key} not a number in {row}"


def test_command_appends_a_results_table(tmp_path):
    results = tmp_path / "RESULTS.md"
    status = main(["--tiny", "--only", "rebuild", "--no-postgres", "--results", str(results)])
    assert status == 0
    text = results.read_text()
    assert "| bench | figure |" in text
    assert "projection rebuild" in text
    assert "audit verify" in text
