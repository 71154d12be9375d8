"""The architecture's import rules (setup.cfg [importlinter]) hold: `lint-imports` succeeds."""

from __future__ import annotations

import ast
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


#: The application's loaders of live aggregates: for its command groups (and tests of the
#: domain through it), never for the web, which reads views or plain values.
AGGREGATE_LOADERS = frozenset(
    {
        "load",
        "reading",
        "participant",
        "process",
        "workshop",
        "contribution",
        "proposal",
        "recommendation",
        "organisation",
        "questionnaire",
        "count_votes",
    }
)


def aggregate_loads(source: str) -> list[str]:
    """`voisinage().process(...)` or `app.proposal(...)` calls in a module's source."""
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        named_app = isinstance(owner, ast.Name) and owner.id == "app"
        built_app = (
            isinstance(owner, ast.Call)
            and isinstance(owner.func, ast.Name)
            and owner.func.id == "voisinage"
        )
        if (named_app or built_app) and node.func.attr in AGGREGATE_LOADERS:
            found.append((node.lineno, node.col_offset, f"line {node.lineno}: .{node.func.attr}("))
    return [text for *_, text in sorted(found)]


def test_the_check_finds_an_aggregate_loaded_by_the_web():
    source = "def page(pid):\n    return voisinage().process(pid).phase, app.proposal(pid)\n"
    assert aggregate_loads(source) == ["line 2: .process(", "line 2: .proposal("]
    assert aggregate_loads("views().process(pid)\napp.phase_of(pid)\n") == []


def test_the_web_reads_views_or_plain_values_never_aggregates():
    loads = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "web").rglob("*.py"))
        if (found := aggregate_loads(path.read_text(encoding="utf-8")))
    }
    assert loads == {}


def test_every_command_group_extends_the_base_alone_and_is_listed_in_the_application():
    """No hidden chain: each group's only base is VoisinageBase, Voisinage lists every group
    directly, and no public command is defined by two groups (one would hide the other)."""
    from application import Voisinage
    from application.base import VoisinageBase

    groups = Voisinage.__bases__
    assert len(groups) >= 10
    owners: dict[str, str] = {}
    for group in groups:
        assert group.__bases__ == (VoisinageBase,), f"{group.__name__} extends {group.__bases__}"
        for name in vars(group):
            if not name.startswith("_") and name != "name":  # the library names each class
                assert name not in owners, f"{name} in {owners.get(name)} and {group.__name__}"
                owners[name] = group.__name__
    assert list(Voisinage.__mro__[1 : len(groups) + 1]) == list(groups)
    for command in ("record_contribution", "erase_participant", "questionnaire_results", "join"):
        assert command in owners, command
