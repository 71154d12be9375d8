"""python -m benchmarks [--quick] [--only NAME[,NAME]] [--postgres URL | --no-postgres]

Runs the benchmarks, prints every figure beside the baseline measured in the same
run and the ratio, and appends a table to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import DEFAULT_POSTGRES, Row, judge, machine, postgres_version

#: name -> (module, what it measures). Run in this order.
BENCHMARKS: dict[str, tuple[str, str]] = {
    "append": ("benchmarks.bench_append", "cast_ballot vs bare append (SQLite, PostgreSQL)"),
    "http": ("benchmarks.bench_http", "ballots over HTTP, gunicorn, concurrent clients"),
    "latency": ("benchmarks.bench_latency", "p50/p99 of proposals, ranking, shortlist"),
    "lag": ("benchmarks.bench_lag", "ballot acknowledged -> in the live ranking"),
    "rebuild": ("benchmarks.bench_rebuild", "projection rebuild and audit verify"),
    "counting": ("benchmarks.bench_counting", "approval and equal shares counts"),
    "budget": ("benchmarks.bench_budget", "equal shares with costs beside pabutools"),
    "transparency": (
        "benchmarks.bench_transparency",
        "checkpoints, RFC 9162 proofs, the tree's share of the rebuild, voisinage-verify",
    ),
    "report": ("benchmarks.bench_report", "process report (data, PDF, open-data zip), city scale"),
    "capture": ("benchmarks.bench_capture", "paper notes captured in Chromium, keyboard only"),
}
ALIASES = {"audit": "rebuild", "cast": "append", "tlog": "transparency"}
RESULTS = Path(__file__).with_name("RESULTS.md")


def _postgres_from(args: argparse.Namespace) -> str | None:
    if args.no_postgres:
        return None
    url = args.postgres or DEFAULT_POSTGRES
    version = postgres_version(url)
    if version.startswith("unreachable"):
        if args.postgres:
            raise SystemExit(f"PostgreSQL {version} at {url}")
        print(f"# PostgreSQL {version} at {url}: PostgreSQL figures skipped", flush=True)
        return None
    return url


def _call(module: Any, quick: bool, postgres: str | None, size: str | None) -> list[Row]:
    run: Callable[..., list[Row]] = module.run
    if module.__name__.endswith("bench_counting"):
        return [normalise(r) for r in run(quick or size == "tiny")]
    return list(run(quick, postgres=postgres, size=size))


def normalise(result: dict[str, Any]) -> Row:
    """Give a row from another module the fields the table needs."""
    normalised: Row = {
        "bench": "counting",
        "figure": result.get("figure") or result.get("name") or "?",
        "measured": result.get("measured", result.get("seconds")),
        "unit": result.get("unit", "s" if "seconds" in result else ""),
        "baseline": result.get("baseline"),
        "baseline_label": result.get("baseline_label"),
        "ratio": result.get("ratio"),
        "goal": result.get("goal"),
        "size": result.get("size", ""),
        "where": result.get("where", ""),
    }
    normalised.update({k: v for k, v in result.items() if k not in normalised})
    if normalised.get("ratio") is None and normalised["baseline"] and normalised["measured"]:
        normalised["ratio"] = float(normalised["measured"]) / float(normalised["baseline"])
    if "met" not in result:
        normalised["met"] = judge(normalised)
    return normalised


def fmt(value: Any, unit: str = "") -> str:
    """Numbers for humans: 3 significant figures, thousands separated."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        number = float(value)
        if abs(number) >= 100:
            text = f"{number:,.0f}"
        elif abs(number) >= 10:
            text = f"{number:.1f}"
        elif abs(number) >= 1:
            text = f"{number:.2f}"
        else:
            text = f"{number:.3f}"
        return f"{text} {unit}".strip()
    return str(value)


def verdict(result: Row) -> str:
    """met / NOT met / no goal."""
    met = result.get("met")
    if met is None:
        return "–" if not result.get("goal") else "?"
    return "met" if met else "**NOT met**"


def line(result: Row) -> str:
    """One figure on the console."""
    figure = f"{result['bench']:<8} {result['figure']:<58}"
    parts = [f"{figure} {fmt(result['measured'], result['unit'])}"]
    if result.get("baseline") is not None:
        parts.append(f"baseline {fmt(result['baseline'])} ({result.get('baseline_label') or ''})")
    if result.get("ratio") is not None:
        parts.append(f"ratio {result['ratio']:.2f}")
    if result.get("goal"):
        parts.append(f"goal {result['goal']}: {verdict(result).replace('*', '')}")
    if result.get("where") and result.get("met") is False:
        parts.append(f"where: {result['where']}")
    return " | ".join(parts)


def code_under_test() -> str:
    """Where domain.voting and the API routes come from (flags anything outside the repo)."""
    from benchmarks.common import ROOT

    parts = []
    for label, load in (
        ("domain.voting", lambda: importlib.import_module("domain.voting").__file__),
        (
            "web.api.register_api",
            lambda: (
                importlib.import_module(
                    importlib.import_module("web.api").register_api.__module__
                ).__file__
            ),
        ),
    ):
        try:
            origin = str(load())
        except Exception as error:
            origin = f"unavailable ({type(error).__name__})"
        if origin.startswith(str(ROOT)):
            origin = origin.removeprefix(str(ROOT) + "/")
        elif not origin.startswith("unavailable"):
            origin = f"STAND-IN OUTSIDE THE REPOSITORY: {origin}"
        parts.append(f"{label} from {origin}")
    return "; ".join(parts)


def markdown(rows: list[Row], info: dict[str, str], size: str, seconds: float) -> str:
    """The section appended to RESULTS.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [
        f"## {stamp} — {size} — commit {info.get('commit', '?')}",
        "",
        f"Machine: {info['nproc']} cores, {info['memory']}, Python {info['python']}, "
        f"SQLite {info['sqlite']}, PostgreSQL {info.get('postgres', 'not used')}, "
        f"{info['platform']}. Load average at start: {info['load_start']}, at end: "
        f"{info['load_end']}. Took {seconds:.0f} s.",
        "",
        f"Code under test: {info.get('code', '?')}.",
        "",
        "| bench | figure | size | goal | measured | baseline (same run) | ratio | met? "
        "| where the time goes (profile) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    body = []
    for r in rows:
        baseline = (
            f"{fmt(r['baseline'])} ({r.get('baseline_label') or ''})"
            if r.get("baseline") is not None
            else "–"
        )
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else "–"
        where = str(r.get("where") or "")
        if r.get("error"):
            where = f"ERROR: {r['error']}"
        body.append(
            f"| {r['bench']} | {r['figure']} | {fmt(r.get('size'))} | {r.get('goal') or '–'} "
            f"| {fmt(r['measured'], r.get('unit', ''))} | {baseline} | {ratio} | {verdict(r)} "
            f"| {where.replace('|', '/')} |"
        )
    return "\n".join([*header, *body, "", ""])


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run, print, append to RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (< 2 minutes)")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (seconds; smoke test)")
    parser.add_argument(
        "--medium",
        action="store_true",
        help="medium sizes where a benchmark has them (budget: 10,000 x 100), quick otherwise",
    )
    parser.add_argument(
        "--only", action="append", default=[], help=f"one of {', '.join(BENCHMARKS)}"
    )
    parser.add_argument("--postgres", help="PostgreSQL URL (a schema is created per run)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to append")
    args = parser.parse_args(argv)

    size = "tiny" if args.tiny else "quick" if args.quick else "medium" if args.medium else "full"
    quick = size != "full"
    names = [ALIASES.get(n, n) for item in args.only for n in item.split(",") if n]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    names = [n for n in BENCHMARKS if not names or n in names]
    postgres = _postgres_from(args)

    info = machine()
    info["load_start"] = info["load"]
    info["code"] = code_under_test()
    if postgres:
        info["postgres"] = postgres_version(postgres)
    print(
        f"# Voisinage benchmarks, size {size}, commit {info['commit']}, {info['nproc']} cores, "
        f"{info['memory']}, load {info['load']}",
        flush=True,
    )
    print(f"# code under test: {info['code']}", flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    failures = 0
    for name in names:
        module_name, what = BENCHMARKS[name]
        print(f"# {name}: {what}", flush=True)
        bench_started = time.perf_counter()
        try:
            module = importlib.import_module(module_name)
            produced = _call(module, quick, postgres, size)
        except Exception as error:  # report and go on with the others
            failures += 1
            traceback.print_exc()
            produced = [
                {
                    "bench": name,
                    "figure": f"{name} failed",
                    "measured": None,
                    "unit": "",
                    "size": size,
                    "goal": None,
                    "met": None,
                    "error": f"{type(error).__name__}: {str(error)[:200]}",
                }
            ]
        for result in produced:
            print(line(result), flush=True)
        print(f"#   ({time.perf_counter() - bench_started:.1f} s)", flush=True)
        rows.extend(produced)
    seconds = time.perf_counter() - started
    info["load_end"] = machine()["load"]
    print(f"# done in {seconds:.1f} s; load average now {info['load_end']}", flush=True)
    if not args.no_write:
        with args.results.open("a") as handle:
            if args.results.stat().st_size == 0:
                handle.write(RESULTS_PREAMBLE)
            handle.write(markdown(rows, info, size, seconds))
        print(f"# appended to {args.results}", flush=True)
    return 1 if failures else 0


RESULTS_PREAMBLE = """# Benchmark results

Appended by `python -m benchmarks` (`make bench`, `make bench-quick`). Each figure is
printed beside its baseline measured in the same run, on the same machine, at the same
time (the append comparison alternates chunks of both, so both see the same load).
Goals come from issue 6. "where the time goes" is a short cProfile of the workload.

"""


if __name__ == "__main__":
    sys.exit(main())
