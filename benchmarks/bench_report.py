"""The process report of a city-scale process: its data, its PDF and its open data.

A city (1,000 proposals, 100,000 ballots, 5,000 contributions at full size) is written
into a SQLite store, the vote is closed (shortlist published), ten recommendations are
answered and the report is composed. The projections are rebuilt in one child process;
a second child then generates, through the web app as a visitor would ask for them:

* the report's data (``projections.report.report_data``),
* the PDF (``GET /p/{pid}/report.pdf``: HTML rendered, then WeasyPrint),
* the open-data zip (``GET /api/v1/processes/{pid}/open-data.zip``),

and reports the seconds of each and the child's peak RSS (VmHWM).

    python -m benchmarks --only report [--quick]
    python -m benchmarks.bench_report child DATABASE_URL PROCESS_ID   # the measured child
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any
from uuid import UUID

from benchmarks.common import PYTHON, Row, child_env, measured_run, row, store_url, temp_dir

#: size -> (residents and ballots, proposals, contributions)
SIZES = {
    "tiny": (300, 30, 100),
    "quick": (5_000, 200, 500),
    "full": (100_000, 1_000, 5_000),
}
#: The time the full-size report must be generated within (PDF and zip, each).
GOAL_SECONDS = 60


def build_store(url: str, size: str, progress: Any = None) -> dict[str, Any]:
    """Write the city, close the vote, answer ten recommendations, compose the report."""
    from application import Voisinage
    from application.secrets import Secrets
    from benchmarks.city import CitySpec, build_city
    from domain.roles import Role
    from infrastructure.storage import Storage

    residents, proposals, contributions = SIZES[size]
    app = Voisinage(Storage.from_url(url), Secrets.generate())
    try:
        spec = CitySpec(
            residents=residents,
            ballots=residents,
            proposals=proposals,
            contributions=contributions,
        )
        started = time.perf_counter()
        city = build_city(app, spec, progress=progress)
        fac, pid = city.facilitator, city.process_id
        app.publish_shortlist(fac, pid)
        shortlist = [UUID(p) for p in app.process(pid).shortlist.shortlist]
        recommendations = [
            app.draft_recommendation(
                fac,
                pid,
                title=f"Recommandation {n + 1}",
                text="Mettre en œuvre la proposition retenue dans l'année.",
                language="fr",
                proposal_ids=[proposal],
            )
            for n, proposal in enumerate(shortlist[:10])
        ]
        app.advance_phase(fac, pid, "recommendations")
        institution = app.bootstrap_staff(
            email="slrb@bench.example",
            password="bench-password-1",
            role="institution",
            name="Bench SLRB",
        )
        from application import Actor

        officer = Actor(institution, Role.INSTITUTION)
        statuses = ("accepted", "partially_accepted", "under_study", "rejected")
        for n, rid in enumerate(recommendations):
            app.submit_recommendation(fac, rid)
            app.answer_recommendation(
                officer, rid, status=statuses[n % 4], justification="Réponse motivée."
            )
        app.compose_report(
            fac,
            pid,
            introductions={"summary": {"fr": "Un processus à l'échelle d'une ville."}},
            quotes=[],  # the synthetic city's contributions carry no consent to be quoted
        )
        return {
            "events": app.head_position(),
            "seconds": time.perf_counter() - started,
            "process_id": str(pid),
            "spec": spec,
        }
    finally:
        app.close()


def child(url: str, process_id: str) -> dict[str, Any]:
    """Generate the report's data, PDF and open data (the measured work)."""
    from application.secrets import Secrets
    from benchmarks.child import peak_rss_mb
    from projections.report import report_data
    from web import create_app

    app = create_app(
        {
            "DATABASE_URL": url,
            "START_PROJECTIONS": False,
            "SECRETS": Secrets.generate(),
            "TESTING": True,
        }
    )
    client = app.test_client()
    started = time.perf_counter()
    data = report_data(app.extensions["views"], process_id)
    data_seconds = time.perf_counter() - started
    assert data is not None and data["vote"] is not None
    started = time.perf_counter()
    pdf = client.get(f"/p/{process_id}/report.pdf?lang=fr")
    pdf_seconds = time.perf_counter() - started
    assert pdf.status_code == 200, pdf.status_code
    started = time.perf_counter()
    archive = client.get(f"/api/v1/processes/{process_id}/open-data.zip")
    zip_seconds = time.perf_counter() - started
    assert archive.status_code == 200, archive.status_code
    return {
        "data_seconds": data_seconds,
        "pdf_seconds": pdf_seconds,
        "pdf_bytes": len(pdf.data),
        "zip_seconds": zip_seconds,
        "zip_bytes": len(archive.data),
        **peak_rss_mb(),
    }


def _run_child(args: list[str], url: str) -> tuple[dict[str, Any], float]:
    _, rss, output, status = measured_run([PYTHON, "-m", *args], child_env(url))
    lines = [line for line in output.splitlines() if line.startswith("RESULT ")]
    if status != 0 or not lines:
        raise RuntimeError(f"{' '.join(args[:2])} failed ({status}):\n{output[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return result, float(result.get("vmhwm_mb", rss))


def run(
    quick: bool, postgres: str | None = None, size: str | None = None, progress: Any = None
) -> list[Row]:
    """Rows for the report of a city-scale process (SQLite store)."""
    size = size or ("quick" if quick else "full")
    with temp_dir() as scratch, store_url("sqlite", None, scratch, "report") as url:
        built = build_store(url, size, progress)
        spec = built["spec"]
        label = (
            f"{spec.proposals:,} proposals, {spec.ballots:,} ballots, "
            f"{spec.contributions:,} contributions"
        )
        _run_child(["benchmarks.child", "rebuild", url], url)
        result, rss = _run_child(
            ["benchmarks.bench_report", "child", url, built["process_id"]], url
        )
        goal = f"measured <= {GOAL_SECONDS} s" if size == "full" else None
        return [
            row(
                "report",
                f"report data, {label}",
                measured=result["data_seconds"],
                unit="s",
                size=built["events"],
            ),
            row(
                "report",
                f"report PDF (HTML + WeasyPrint), {label}",
                measured=result["pdf_seconds"],
                unit="s",
                goal=goal,
                size=built["events"],
                pdf_bytes=result["pdf_bytes"],
            ),
            row(
                "report",
                f"open-data zip, {label}",
                measured=result["zip_seconds"],
                unit="s",
                goal=goal,
                size=built["events"],
                zip_bytes=result["zip_bytes"],
            ),
            row(
                "report",
                f"report child peak RSS, {label}",
                measured=rss,
                unit="MB",
                goal="measured <= 500 MB" if size == "full" else None,
                size=built["events"],
            ),
        ]


def main(argv: list[str]) -> int:
    """``child DATABASE_URL PROCESS_ID``: generate and print one RESULT line."""
    if len(argv) != 3 or argv[0] != "child":
        print(__doc__)
        return 2
    print("RESULT " + json.dumps(child(argv[1], argv[2])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
