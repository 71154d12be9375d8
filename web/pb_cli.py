"""`voisinage pb`: count and import Pabulib ``.pb`` files (pabulib.org/format)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from domain import pabulib
from domain.voting.budget import RULES

#: The two readings of the Add1 completion (see domain/voting/budget.py).
COMPLETIONS = ("pabulib", "pabutools")


def read_election(path: Path) -> pabulib.PbElection:
    """Parse a .pb file; on failure print the error (naming the line) and exit 2."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"error: {path}: cannot read the file ({error})", err=True)
        sys.exit(2)
    try:
        return pabulib.parse(text)
    except pabulib.PabulibError as error:
        click.echo(f"error: {path}: {error}", err=True)
        sys.exit(2)


@click.group("pb")
def pb_group() -> None:
    """Participatory budgets in the Pabulib .pb format."""


@pb_group.command("count")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rule",
    type=click.Choice(RULES),
    default=None,
    help="Counting rule (default: the file's META rule).",
)
@click.option(
    "--completion",
    type=click.Choice(COMPLETIONS),
    default="pabulib",
    show_default=True,
    help="How equal shares' Add1 completion stops: 'pabulib' raises the budget per voter "
    "until the next run would exceed the budget (Pabulib's checker: reproduces the "
    "recorded outcomes); 'pabutools' stops at the first run that spends all it can.",
)
def pb_count(file: Path, rule: str | None, completion: str) -> None:
    """Count FILE and print one JSON object: rule, selected (project ids as in the
    file), cost, budget, and whether the file's recorded selection is reproduced."""
    election = read_election(file)
    try:
        result = pabulib.count(election, rule, past_exhaustive=completion == "pabulib")
    except pabulib.PabulibError as error:
        click.echo(f"error: {file}: {error}", err=True)
        sys.exit(2)
    if "runs" in result:  # an equal-shares rule: say which Add1 was counted
        result["completion"] = completion
    click.echo(json.dumps(result, ensure_ascii=False))


@pb_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--email", required=True, help="A facilitator's e-mail: the import acts as them.")
@click.option("--password", prompt=True, hide_input=True, help="Prompted when omitted.")
@click.option("--publish", is_flag=True, help="Close the vote and publish the count.")
def pb_import(file: Path, email: str, password: str, publish: bool) -> None:
    """Import FILE as a process (projects as proposals, votes as ballots) for study
    and comparison; prints one JSON object (the process id, project -> proposal ids,
    and with --publish what the count selected)."""
    from application.budgets import import_pb
    from domain.errors import DomainError
    from web.cli_env import build_application

    election = read_election(file)
    app = build_application()
    try:
        actor = app.authenticate(email, password)
        summary = import_pb(app, actor, election, publish=publish)
    except DomainError as error:
        click.echo(f"error: {file}: {error.message}", err=True)
        sys.exit(2)
    finally:
        app.close()
    click.echo(json.dumps(summary, ensure_ascii=False))
