"""The `voisinage` command: serve, load the demo, manage users, projections and audit.

Configuration comes from the environment: DATABASE_URL (default: an embedded SQLite
file under ./instance), VOISINAGE_SECRET_KEY and VOISINAGE_PSEUDONYM_KEY.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from application import Voisinage
from application.schema_lock import creating_tables
from application.secrets import Secrets
from application.storage import Storage
from domain.errors import DomainError


def build_application() -> Voisinage:
    """The application for the configured store (one per process)."""
    storage = Storage.from_url(os.environ.get("DATABASE_URL"))
    fallback = None
    if storage.kind == "sqlite":
        fallback = Path(storage.event_store_env["SQLITE_DBNAME"]).with_name("secrets.json")
    with creating_tables(storage):
        return Voisinage(storage, Secrets.load(os.environ, fallback))


@click.group()
def main() -> None:
    """Voisinage: participation and deliberation for social-housing neighbourhoods."""


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the store already has events.")
@click.option("--seed", default=2026, show_default=True, help="Seed of the demo's ballots.")
def demo(if_empty: bool, seed: int) -> None:
    """Load the demo process (Vois 1 Voisin.e), left in the voting phase."""
    from application.demo import DEMO_PASSWORD, DEMO_STAFF, load_demo

    app = build_application()
    try:
        if if_empty and app.head_position() > 0:
            click.echo("The store already has events: demo not loaded again.")
            return
        loaded = load_demo(app, seed=seed)
        click.echo(f"Demo process {loaded.process_id} loaded, in the voting phase.")
        for role, email in DEMO_STAFF.items():
            click.echo(f"  {role.value:<12} {email}  password: {DEMO_PASSWORD}")
        click.echo(f"  unused invitation codes: {', '.join(loaded.spare_codes[:5])}")
    finally:
        app.close()


@main.group()
def users() -> None:
    """Staff accounts."""


@users.command("create")
@click.option(
    "--role", required=True, type=click.Choice(["facilitator", "institution", "auditor", "admin"])
)
@click.option("--email", required=True)
@click.option("--name", default="", help="Display name (stored encrypted).")
@click.password_option(help="At least 10 characters; prompted when omitted.")
def create_user(role: str, email: str, name: str, password: str) -> None:
    """Create a staff account (the first admin is bootstrapped this way)."""
    app = build_application()
    try:
        participant_id = app.register_staff(
            None, email=email, password=password, role=role, name=name or email.split("@")[0]
        )
    except DomainError as error:
        click.echo(f"error: {error.message}", err=True)
        sys.exit(2)
    finally:
        app.close()
    click.echo(f"{role} {email} created: {participant_id}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option(
    "--workers", default=1, show_default=True, help="gunicorn workers (1: threaded dev server)."
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web application and API."""
    if workers > 1:
        os.execvp(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--bind",
                f"{host}:{port}",
                "web:create_app()",
            ],
        )
    from web import create_app

    create_app().run(host=host, port=port, threaded=True)


# --- projections and audit (projections/) ----------------------------------------------------


def _storage() -> Storage:
    return Storage.from_url(os.environ.get("DATABASE_URL"))


@main.group("projections")
def projections_group() -> None:
    """Read models: rebuild them from the events, or follow the store."""


@projections_group.command("rebuild")
@click.argument("name", required=False)
@click.option("--batch-size", default=5000, show_default=True, help="Events per transaction.")
def rebuild_projections(name: str | None, batch_size: int) -> None:
    """Rebuild one projection (or all) from the first event.

    Resumable: a rebuild interrupted half way continues from its tracked position
    when run again, and ends identical to a rebuild from scratch. Stop any
    `projections run` worker (or web process following the store) first.
    """
    import time

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from projections.runner import rebuild, select

    try:
        names = select([name] if name else None)
    except KeyError as error:
        click.echo(f"error: {error.args[0]}", err=True)
        sys.exit(2)
    started = time.monotonic()
    first: list[int] = []
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("events"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ) as progress:
        task = progress.add_task(f"rebuilding {name or 'all'}", total=None)

        def report(position: int, head: int) -> None:
            if not first:
                first.append(position)
            progress.update(task, completed=position, total=max(head, position))

        last = rebuild(_storage(), names, batch_size=batch_size, progress=report)
    elapsed = time.monotonic() - started
    done = last - (first[0] if first else 0)
    rate = done / elapsed if elapsed > 0 else 0.0
    click.echo(
        f"Rebuilt {', '.join(names)} up to position {last}: {done} events in "
        f"{elapsed:.1f} s ({rate:,.0f} events/s)."
    )


@projections_group.command("run")
def run_projections() -> None:
    """Follow the store and keep every projection up to date, until Ctrl-C."""
    import signal
    import threading

    from projections.runner import ProjectionService

    storage = _storage()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    with creating_tables(storage):
        service = ProjectionService(storage)
        service.start()
    click.echo("Following the store (Ctrl-C to stop)…")
    try:
        while not stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()
    click.echo("Stopped.")


@main.group("audit")
def audit_group() -> None:
    """Audit: the hash chain, the recounts and the projections."""


@audit_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option(
    "--projections",
    is_flag=True,
    help="Also rebuild every read model into a scratch database and compare (slower).",
)
def audit_verify(as_json: bool, projections: bool) -> None:
    """Recompute the hash chain from the store, check the shortlists' anchors, recount
    every shortlist (and, with --projections, rebuild and compare the read models).

    Prints OK, or the first position where anything differs; exits 0 or 1.
    """
    import json

    from projections.audit import verify

    app = build_application()
    try:
        report = verify(app.storage, app, projections=None if projections else [])
    finally:
        app.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(report.summary())
        for finding in report.findings[1:]:
            click.echo(f"  also [{finding.check}] at {finding.position}: {finding.message}")
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":  # python -m web.cli
    main()
