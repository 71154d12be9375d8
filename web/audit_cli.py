"""`voisinage audit`: verify the store, sign and prove the transparency log, export the
audit bundle, and run a witness."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from web.cli_env import build_application, transparency


@click.group("audit")
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
    _, log = transparency()
    if public_key:
        assert log.signer is not None  # transparency() requires the key
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

    _, log = transparency()
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

    storage, log = transparency()
    log.checkpoint("export")
    assert log.signer is not None  # transparency() requires the key
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
