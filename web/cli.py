"""The `voisinage` command: serve, load the demo, manage users, projections and audit
(`voisinage audit` in `web/audit_cli.py`, `voisinage pb` in `web/pb_cli.py`).

Configuration comes from the environment: DATABASE_URL (default: an embedded SQLite
file under ./instance), VOISINAGE_SECRET_KEY, VOISINAGE_PSEUDONYM_KEY and
VOISINAGE_CHECKPOINT_KEY.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING
from uuid import UUID

import click

from domain.errors import DomainError
from infrastructure.schema_lock import creating_tables
from web.cli_env import build_application, configured_storage, transparency

if TYPE_CHECKING:
    from projections.transparency import Checkpointer

__all__ = ["build_application", "main"]


@click.group()
def main() -> None:
    """Voisinage: participation and deliberation for social-housing neighbourhoods."""


@main.command()
@click.option(
    "--if-empty",
    is_flag=True,
    help="When the store already has events, load nothing and show the demo's accounts "
    "and unused codes again.",
)
@click.option(
    "--accounts", is_flag=True, help="Load nothing: show the demo's accounts and unused codes."
)
@click.option("--seed", default=2026, show_default=True, help="Seed of the demo's ballots.")
def demo(if_empty: bool, accounts: bool, seed: int) -> None:
    """Load the demo: Vois 1 Voisin.e in the voting phase, one process in each other
    phase (contributions, proposals, recommendations) and the Mutualisons process among
    organisations; print how to try each."""
    from application.demo import load_demo
    from application.demo_mutualisons import load_mutualisons_demo
    from application.demo_research import load_research_demo
    from web.demo_card import card_path, read_card, show, write_card

    storage = configured_storage()
    app = build_application()
    try:
        path = card_path(storage)
        if accounts or (if_empty and app.head_position() > 0):
            card = read_card(path)
            if not accounts:
                click.echo("The store already has events: demo not loaded again.")
            if card is None:
                click.echo(f"No demo card at {path}: the demo was not loaded into this store.")
                return
            show(app, card, click.echo)
            return
        loaded = load_demo(app, seed=seed)
        research = load_research_demo(app, loaded, seed=seed)
        mutualisons = load_mutualisons_demo(app, loaded, seed=seed)
        write_card(path, loaded, mutualisons)
        click.echo(f"Demo loaded: {len(loaded.processes)} processes, one in each phase to try.")
        click.echo(
            f"Research-action (voting process): /p/{loaded.process_id}/research, "
            f"questionnaire results /q/{research.questionnaire_id}/results"
        )
        show(app, read_card(path) or {"processes": []}, click.echo)
        click.echo("Shown again by: voisinage demo --accounts (or make run)")
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
        participant_id = app.bootstrap_staff(
            email=email, password=password, role=role, name=name or email.split("@")[0]
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


# --- projections (projections/) ----------------------------------------------------


@main.group("projections")
def projections_group() -> None:
    """Read models: rebuild them from the events, or follow the store."""


@projections_group.command("rebuild")
@click.argument("name", required=False)
@click.option("--batch-size", default=5000, show_default=True, help="Events per transaction.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes, each rebuilding a group of projections "
    "[default: one per core, at most 4].",
)
def rebuild_projections(name: str | None, batch_size: int, workers: int | None) -> None:
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

    from projections.rebuild_workers import rebuild_in_parallel, worker_groups
    from projections.runner import select

    try:
        names = select([name] if name else None)
    except KeyError as error:
        click.echo(f"error: {error.args[0]}", err=True)
        sys.exit(2)
    groups = worker_groups(configured_storage(), names, workers)
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

        last = rebuild_in_parallel(
            configured_storage(),
            names,
            workers=workers,
            batch_size=batch_size,
            progress=report,
            groups=groups,
        )
    elapsed = time.monotonic() - started
    done = last - (first[0] if first else 0)
    rate = done / elapsed if elapsed > 0 else 0.0
    click.echo(
        f"Rebuilt {', '.join(names)} up to position {last}: {done} events in "
        f"{elapsed:.1f} s ({rate:,.0f} events/s, "
        f"{len(groups)} worker{'s' if len(groups) > 1 else ''})."
    )


@projections_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def projections_status(as_json: bool) -> None:
    """Each projection's position, lag and, if it stopped at an event it cannot apply,
    that position and the error. Exits 1 while a projection is stopped."""
    import json

    from projections.events import EventLog
    from projections.queries import Views

    storage = configured_storage()
    log = EventLog.open(storage)
    views = Views(storage)
    try:
        rows = views.status(log.head_position())
    finally:
        log.close()
        views.engine.dispose()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        for row in rows:
            line = (
                f"{row['name']:<14} {row['state']:<10} position {row['position']}, lag {row['lag']}"
            )
            if row["error"]:
                line += f"\n{'':<14} cannot apply position {row['failed_position']}: {row['error']}"
            click.echo(line)
    sys.exit(1 if any(row["error"] for row in rows) else 0)


@projections_group.command("run")
def run_projections() -> None:
    """Follow the store and keep every projection up to date, until Ctrl-C."""
    import signal
    import threading

    from projections.service import ProjectionService

    storage = configured_storage()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    with creating_tables(storage):
        service = ProjectionService(storage)
        service.start()
    checkpointer = _checkpointer()
    click.echo("Following the store (Ctrl-C to stop)…")
    try:
        while not stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()
        if checkpointer is not None:
            checkpointer.stop()
    click.echo("Stopped.")


def _checkpointer() -> Checkpointer | None:
    """Sign checkpoints when due beside the projections (VOISINAGE_CHECKPOINT_EVERY_EVENTS,
    _SECONDS), when the checkpoint key is configured; None (and a note) otherwise."""
    from projections.transparency import Checkpointer

    try:
        _, log = transparency()
    except RuntimeError as error:
        click.echo(f"Checkpoints are not signed here: {error}", err=True)
        return None
    log.every_events = int(os.environ.get("VOISINAGE_CHECKPOINT_EVERY_EVENTS", 1000))
    log.every_seconds = float(os.environ.get("VOISINAGE_CHECKPOINT_EVERY_SECONDS", 60))
    return Checkpointer(log).start()


@main.group()
def participants() -> None:
    """Participants' personal data (GDPR)."""


@participants.command("erase")
@click.argument("participant_id", type=click.UUID)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_participant(participant_id: UUID, yes: bool) -> None:
    """Erase a participant's personal data for good (crypto-shredding), as the operator."""
    from application.privacy import OPERATOR

    if not yes:
        click.confirm(
            f"Erase the personal data of participant {participant_id}? "
            "Their name and e-mail are destroyed for good; their contributions and "
            "ballot stay, anonymous.",
            abort=True,
        )
    app = build_application()
    try:
        app.confirm_erasure(OPERATOR, participant_id, True)
    except DomainError as error:
        click.echo(f"error: {error.message}", err=True)
        sys.exit(2)
    finally:
        app.close()
    click.echo(f"Participant {participant_id} erased.")


from web.audit_cli import audit_group  # noqa: E402 - each group of commands in its own module
from web.pb_cli import pb_group  # noqa: E402

main.add_command(audit_group)
main.add_command(pb_group)


if __name__ == "__main__":  # python -m web.cli
    main()
