"""What every benchmark shares: rows and goals, stores, the bare baseline, subprocesses.

A *row* is a plain dict (so that ``bench_counting`` and the smoke test need nothing
from here)::

    {"bench": "append", "figure": "cast_ballot via application (sqlite)",
     "measured": 2480.0, "unit": "ballots/s",
     "baseline": 3050.0, "baseline_label": "bare eventsourcing append",
     "ratio": 0.81, "goal": "ratio >= 0.8", "met": True,
     "size": 2000, "where": "..."}

``goal`` is text of the form ``"<measured|ratio> <op> <number> [unit]"``; ``judge``
fills ``met`` from it, so a goal is stated once and checked the same way everywhere.
"""

from __future__ import annotations

import contextlib
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_POSTGRES = os.environ.get(
    "VOISINAGE_BENCH_POSTGRES_URL",
    os.environ.get("VOISINAGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)
SEED = 2026

Row = dict[str, Any]

# --- rows and goals -------------------------------------------------------------------------

_GOAL = re.compile(r"^(measured|ratio)\s*(>=|<=)\s*([0-9.eE+-]+)")


def row(
    bench: str,
    figure: str,
    *,
    measured: float,
    unit: str,
    size: int | str,
    goal: str | None = None,
    baseline: float | None = None,
    baseline_label: str | None = None,
    where: str = "",
    **extra: Any,
) -> Row:
    """One figure, with its baseline, ratio and verdict."""
    ratio = measured / baseline if baseline else None
    result: Row = {
        "bench": bench,
        "figure": figure,
        "measured": float(measured),
        "unit": unit,
        "baseline": float(baseline) if baseline is not None else None,
        "baseline_label": baseline_label,
        "ratio": ratio,
        "goal": goal,
        "size": size,
        "where": where,
        **extra,
    }
    result["met"] = judge(result)
    return result


def judge(result: Row) -> bool | None:
    """Whether the row meets its goal (None when it has none)."""
    goal = result.get("goal")
    if not goal:
        return None
    match = _GOAL.match(str(goal))
    if not match:
        return None
    on, op, value = match.group(1), match.group(2), float(match.group(3))
    observed = result.get(on)
    if observed is None:
        return None
    return bool(observed >= value if op == ">=" else observed <= value)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values: list[float]) -> float:
    """The median (0 for an empty list)."""
    return statistics.median(values) if values else 0.0


# --- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """nproc, memory, python, SQLite and PostgreSQL versions, load, git commit."""
    import sqlite3

    info = {
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(terse=True),
    }
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except OSError:
        info["memory"] = "?"
    info["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if dirty:
            info["commit"] += "+dirty"
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "?"
    return info


def postgres_version(url: str) -> str:
    """The server's version string, or why not."""
    try:
        import psycopg

        with psycopg.connect(url.split("?")[0], connect_timeout=3) as connection:
            row_ = connection.execute("SHOW server_version").fetchone()
            return str(row_[0]) if row_ else "?"
    except Exception as error:
        return f"unreachable ({type(error).__name__})"


# --- stores -------------------------------------------------------------------------------


@contextlib.contextmanager
def temp_dir(prefix: str = "voisinage-bench-") -> Iterator[Path]:
    """A scratch directory, removed afterwards (kept if VOISINAGE_BENCH_KEEP=1)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        if os.environ.get("VOISINAGE_BENCH_KEEP") != "1":
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def store_url(kind: str, postgres: str | None, scratch: Path, name: str) -> Iterator[str]:
    """A DATABASE_URL for a fresh store: a SQLite file, or a dedicated PostgreSQL schema."""
    if kind == "sqlite":
        folder = scratch / name
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder}/voisinage.sqlite"
        return
    assert postgres, "no PostgreSQL URL"
    with postgres_schema(postgres, name) as url:
        yield url


@contextlib.contextmanager
def postgres_schema(base_url: str, name: str = "bench") -> Iterator[str]:
    """A fresh schema ``bench_<name>_<random>``, dropped at the end."""
    import psycopg

    base = base_url.split("?")[0]
    schema = f"bench_{re.sub(r'[^a-z0-9_]', '_', name.lower())}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?schema={schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def sibling_url(url: str, suffix: str) -> str:
    """Another store of the same kind beside `url` (file or schema name + suffix)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        folder = path.parent.with_name(path.parent.name + suffix)
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder}/{path.name}"
    parts = urlsplit(url)
    schema = parts.query.split("schema=")[1].split("&")[0]
    return urlunsplit(parts._replace(query=f"schema={schema}{suffix}"))


# --- the bare baseline ------------------------------------------------------------------------


class Tick(Aggregate):
    """The most trivial aggregate: created, saved, nothing else."""


class BareApplication(Application[uuid.UUID]):
    """The library's own Application and recorder: no commands, no checks, no cache."""

    name = "Bare"


def bare_env(database_url: str) -> dict[str, str]:
    """The same event-store settings as Voisinage's, but the library's own recorder."""
    from infrastructure.storage import Storage

    env = dict(Storage.from_url(database_url).event_store_env)
    env.pop("APPLICATION_RECORDER_TOPIC", None)
    env["COMPRESSOR_TOPIC"] = ""
    return env


def ensure_postgres_schema(database_url: str) -> None:
    """Create the schema named in a PostgreSQL URL (the library does not)."""
    if not database_url.startswith("postgres"):
        return
    import psycopg

    parts = urlsplit(database_url)
    schema = parts.query.split("schema=")[1].split("&")[0]
    with psycopg.connect(database_url.split("?")[0], autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


def drop_postgres_schema(database_url: str) -> None:
    """Drop the schema named in a PostgreSQL URL."""
    if not database_url.startswith("postgres"):
        return
    import psycopg

    parts = urlsplit(database_url)
    schema = parts.query.split("schema=")[1].split("&")[0]
    with psycopg.connect(database_url.split("?")[0], autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def bare_application(database_url: str, prefill: int = 0) -> BareApplication:
    """A bare application on its own store, pre-filled with `prefill` events (batched)."""
    ensure_postgres_schema(database_url)
    app = BareApplication(env=bare_env(database_url))
    batch = 5000
    for start in range(0, prefill, batch):
        app.save(*(Tick() for _ in range(min(batch, prefill - start))))
    return app


def bare_append(app: BareApplication, count: int) -> float:
    """Seconds to save `count` new trivial aggregates, one per transaction."""
    started = time.perf_counter()
    for _ in range(count):
        app.save(Tick())
    return time.perf_counter() - started


def interleaved(
    count: int, chunks: int, first: Callable[[int, int], float], second: Callable[[int, int], float]
) -> tuple[float, float]:
    """Run two timed loops in alternating chunks (a, b, a, b...) so both see the same load.

    Each callable gets (offset, n) and returns the seconds it took; returns the two
    rates (operations per second).
    """
    size = max(1, count // chunks)
    spent = [0.0, 0.0]
    done = [0, 0]
    offset = 0
    while offset < count:
        n = min(size, count - offset)
        spent[0] += first(offset, n)
        spent[1] += second(offset, n)
        done[0] += n
        done[1] += n
        offset += n
    return done[0] / spent[0], done[1] / spent[1]


# --- subprocesses -----------------------------------------------------------------------------


def child_env(database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment for a child process: this one, plus the store and PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def measured_run(
    command: list[str], env: dict[str, str], timeout: float = 3600
) -> tuple[float, float, str, int]:
    """Run a child to completion: (seconds, peak RSS in MB, output, exit status).

    The peak RSS is the child's own ``ru_maxrss`` (from wait4), not the parent's.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode(errors="replace")
    return seconds, usage.ru_maxrss / 1024, text, process.returncode


def rng(salt: str) -> random.Random:
    """The deterministic random source of one benchmark."""
    return random.Random(f"{SEED}/{salt}")
