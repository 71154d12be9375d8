"""The `voisinage` command: serve, load the demo, manage users, projections and audit.

Configuration comes from the environment: DATABASE_URL (default: an embedded SQLite
file under ./instance), VOISINAGE_SECRET_KEY, VOISINAGE_PSEUDONYM_KEY and
VOISINAGE_CHECKPOINT_KEY.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

import click

from application import Voisinage
from application.secrets import Secrets
from domain.errors import DomainError
from infrastructure.schema_lock import creating_tables
from infrastructure.storage import Storage

if TYPE_CHECKING:
    from projections.transparency import Checkpointer, TransparencyLog


def build_application() -> Voisinage:
    """The application for the configured store (one per process)."""
    storage = Storage.from_url(os.environ.get("DATABASE_URL"))
    with creating_tables(storage):
        return Voisinage(storage, Secrets.load(os.environ, storage.secrets_file))


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
    """Load the demo: Vois 1 Voisin.e in the voting phase and one process in each other
    phase (contributions, proposals, recommendations); print how to try each."""
    from application.demo import load_demo
    from application.demo_mutualisons import load_mutualisons_demo
    from application.demo_research import load_research_demo
    from web.demo_card import card_path, read_card, show, write_card

    storage = Storage.from_url(os.environ.get("DATABASE_URL"))
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
        write_card(path, loaded)
        click.echo(f"Demo loaded: {len(loaded.processes)} processes, one in each phase to try.")
        click.echo(
            f"Research-action (voting process): /p/{loaded.process_id}/research, "
            f"questionnaire results /q/{research.questionnaire_id}/results"
        )
        click.echo(
            f"Organisations (Mutualisons): /p/{mutualisons.process_id}/organisations, "
            f"questionnaire /q/{mutualisons.questionnaire_id}, a representative's code "
            f"{next(iter(mutualisons.representative_codes.values()))}"
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


@projections_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def projections_status(as_json: bool) -> None:
    """Each projection's position, lag and, if it stopped at an event it cannot apply,
    that position and the error. Exits 1 while a projection is stopped."""
    import json

    from projections.events import EventLog
    from projections.queries import Views

    storage = _storage()
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

    from projections.runner import ProjectionService

    storage = _storage()
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
        _, log = _transparency()
    except RuntimeError as error:
        click.echo(f"Checkpoints are not signed here: {error}", err=True)
        return None
    log.every_events = int(os.environ.get("VOISINAGE_CHECKPOINT_EVERY_EVENTS", 1000))
    log.every_seconds = float(os.environ.get("VOISINAGE_CHECKPOINT_EVERY_SECONDS", 60))
    return Checkpointer(log).start()


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
@click.option(
    "--key",
    "public_key",
    metavar="PUBLIC_KEY",
    help="The log's published public key, to verify the signed checkpoints with "
    "(default: the public half of VOISINAGE_CHECKPOINT_KEY).",
)
def audit_verify(as_json: bool, projections: bool, public_key: str | None) -> None:
    """Recompute the hash chain from the store, check the shortlists' anchors, check
    every signed checkpoint (its signature, and the Merkle root recomputed from the
    store at its size), recount every shortlist (and, with --projections, rebuild and
    compare the read models).

    Prints OK, or the first position where anything differs; exits 0 or 1.
    """
    import json

    from audit import verify
    from domain.checkpoint import CheckpointError, Verifier

    try:
        key = Verifier.decode(public_key) if public_key else None
    except CheckpointError as error:
        raise click.BadParameter(str(error), param_hint="--key") from None

    try:
        app = build_application()
    except Exception as error:  # the store cannot be opened: say so, as a report would
        click.echo(f"FAILED: [store] the store cannot be opened: {type(error).__name__}: {error}")
        sys.exit(1)
    try:
        report = verify(app.storage, app, projections=None if projections else [], key=key)
    finally:
        app.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(report.summary())
        for finding in report.findings[1:]:
            click.echo(f"  also [{finding.check}] at {finding.position}: {finding.message}")
    sys.exit(0 if report.ok else 1)


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


from web.pb_cli import pb_group  # noqa: E402 - the `pb` commands live in their own module

main.add_command(pb_group)
# --- transparency log (projections/transparency.py, verifier/) --------------------------------


def _transparency() -> tuple[Storage, TransparencyLog]:
    """The store and its TransparencyLog, signing with the configured checkpoint key."""
    from projections.transparency import TransparencyLog
    from projections.view import create_views_engine

    storage = _storage()
    secrets = Secrets.load(os.environ, storage.secrets_file)
    engine = create_views_engine(storage.views_url, storage.schema)
    return storage, TransparencyLog(engine, secrets.checkpoint_signer)


@audit_group.command("keygen")
@click.argument("origin")
def audit_keygen(origin: str) -> None:
    """Print a new checkpoint signer key for VOISINAGE_CHECKPOINT_KEY (ORIGIN: the log's
    name, e.g. voisinage.example.org/log) and its public key."""
    from domain.checkpoint import Signer

    signer = Signer.generate(origin)
    click.echo(f"VOISINAGE_CHECKPOINT_KEY={signer.encode()}")
    click.echo(f"public key: {signer.verifier.encode()}")


@audit_group.command("checkpoint")
@click.option("--public-key", is_flag=True, help="Print the log's public key instead.")
def audit_checkpoint(public_key: bool) -> None:
    """Sign the tree as it is now and print the checkpoint (the projections must be current)."""
    _, log = _transparency()
    if public_key:
        assert log.signer is not None  # _transparency requires the key
        click.echo(log.signer.verifier.encode())
        return
    click.echo(log.checkpoint("cli")["note"], nl=False)


@audit_group.command("prove")
@click.option("--index", type=int, help="Inclusion proof of this leaf index.")
@click.option("--position", type=int, help="Inclusion proof of the event at this position.")
@click.option("--from", "old", type=int, help="Consistency proof from this tree size.")
@click.option("--size", type=int, help="Tree size (default: the whole tree).")
def audit_prove(index: int | None, position: int | None, old: int | None, size: int | None) -> None:
    """Print an RFC 9162 inclusion or consistency proof as JSON (and check it)."""
    import base64
    import json

    from domain.errors import InvalidInput
    from domain.merkle import verify_consistency, verify_inclusion

    _, log = _transparency()
    size = size or log.head()["size"]
    try:
        if position is not None:
            index = log.leaf_index(position)
            if index is None:
                raise click.ClickException(f"no event at position {position} in the tree")
        if index is not None:
            answer = log.inclusion(index, size)
            ok = verify_inclusion(
                base64.b64decode(answer["leaf_hash"]),
                index,
                size,
                [base64.b64decode(p) for p in answer["proof"]],
                base64.b64decode(answer["root"]),
            )
        elif old is not None:
            answer = log.consistency(old, size)
            ok = verify_consistency(
                old,
                size,
                base64.b64decode(answer["from_root"]),
                base64.b64decode(answer["to_root"]),
                [base64.b64decode(p) for p in answer["proof"]],
            )
        else:
            raise click.UsageError("give --index, --position or --from")
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    click.echo(json.dumps({**answer, "verified": ok}, indent=2))
    sys.exit(0 if ok else 1)


@audit_group.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def audit_export(out: Path) -> None:
    """Write the audit bundle (events as stored, checkpoints, public key, results)."""
    from projections.bundle import bundle_lines

    storage, log = _transparency()
    log.checkpoint("export")
    assert log.signer is not None  # _transparency requires the key
    key = log.signer.verifier.encode()
    with out.open("w") as handle:
        for line in bundle_lines(storage, log, key):
            handle.write(line)
    click.echo(f"audit bundle written to {out}")


@audit_group.command("witness")
@click.argument("url")
@click.option("--key", required=True, help="The log's public key (name+id+base64).")
@click.option(
    "--state",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the witness keeps its checkpoints (outside Voisinage).",
)
@click.option(
    "--cosign-key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A file holding the witness's own key (voisinage audit witness-keygen): cosign the "
    "kept checkpoint and hand it back to the log.",
)
def audit_witness(url: str, key: str, state: Path, cosign_key: Path | None) -> None:
    """Fetch URL/checkpoint, check its signature and its consistency with the checkpoint
    kept in STATE, keep it (and cosign it). Exits 1 with a plain message on any
    inconsistency; 2 when the checkpoint was kept but the log refused the cosignature."""
    from domain.checkpoint import CheckpointError, Verifier
    from domain.cosignature import Cosigner
    from verifier.witness import Inconsistent, cosign, witness

    try:
        cosigner = Cosigner.decode(cosign_key.read_text()) if cosign_key else None
        seen = witness(url, Verifier.decode(key), state)
    except (Inconsistent, CheckpointError) as error:
        click.echo(f"INCONSISTENT: {error}", err=True)
        sys.exit(1)
    click.echo(seen.summary())
    if cosigner is not None:
        try:
            click.echo(cosign(url, cosigner, seen))
        except Inconsistent as error:
            click.echo(f"COSIGNATURE NOT KEPT: {error}", err=True)
            sys.exit(2)


@audit_group.command("witness-keygen")
@click.argument("name")
def audit_witness_keygen(name: str) -> None:
    """Print a new witness key (keep it in a file for --cosign-key) and its public key (for
    the log's VOISINAGE_WITNESS_KEYS). NAME: the witness, e.g. slrb.brussels/witness."""
    from domain.cosignature import Cosigner

    cosigner = Cosigner.generate(name)
    click.echo(cosigner.encode())
    click.echo(f"public key: {cosigner.verifier.encode()}", err=True)


if __name__ == "__main__":  # python -m web.cli
    main()
