"""What `voisinage demo` prints: each demo process with its phase and address, the
Mutualisons process among organisations (its address, its questionnaire and a
representative's code), the staff accounts, and a few invitation codes nobody has used
yet.

The store keeps only keyed digests of invitation codes, so the demo's codes are kept
in a small "demo card" file beside the store when the demo is loaded; printing it
again shows only the codes still unused (asked of the store each time).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from application import Voisinage
from application.demo import DEMO_PASSWORD, DEMO_STAFF, Demo
from application.demo_mutualisons import MutualisonsDemo
from domain.phases import ORDER, Phase
from infrastructure.storage import Storage
from infrastructure.store_identity import store_identity

#: Unused codes shown per process.
SHOWN_CODES = 5


def card_path(storage: Storage) -> Path:
    """Beside the SQLite store (instance/voisinage-demo.json); for PostgreSQL, under
    ./instance, named by the store's identity."""
    if storage.kind == "sqlite":
        events = Path(storage.event_store_env["SQLITE_DBNAME"])
        return events.with_name(f"{events.stem}-demo.json")
    return Path("instance") / f"demo-{store_identity(storage)}.json"


def write_card(path: Path, demo: Demo, mutualisons: MutualisonsDemo | None = None) -> None:
    """Keep the demo's processes and invitation codes (a demo's codes only), and the
    Mutualisons process with one representative's code."""
    card: dict[str, Any] = {
        "about": "The demo's processes and invitation codes, so that `voisinage demo "
        "--if-empty` can show the unused ones again. Written for the demo only.",
        "processes": [
            {
                "phase": phase,
                "process_id": str(process.process_id),
                "title": process.title.get("en") or next(iter(process.title.values())),
                "open_workshop_id": str(process.open_workshop_id)
                if process.open_workshop_id
                else None,
                "codes": process.spare_codes,
            }
            for phase, process in demo.processes.items()
        ],
    }
    if mutualisons is not None:
        card["organisations"] = {
            "process_id": str(mutualisons.process_id),
            "questionnaire_id": str(mutualisons.questionnaire_id),
            "representative_code": next(iter(mutualisons.representative_codes.values()), None),
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def read_card(path: Path) -> dict[str, Any] | None:
    """The card written when the demo was loaded, or None."""
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return card if isinstance(card, dict) and isinstance(card.get("processes"), list) else None


def show(app: Voisinage, card: dict[str, Any], echo: Callable[[str], None]) -> None:
    """Each process in the order of the phases (as it is now), then the accounts."""
    echo("The demo's processes (addresses after http://127.0.0.1:5000 with make run):")
    entries = []
    for entry in card["processes"]:
        pid = UUID(entry["process_id"])
        phase = app.phase_of(pid)
        entries.append((ORDER.index(phase), phase, pid, entry))
    for _, phase, pid, entry in sorted(entries, key=lambda e: e[0]):
        echo(f"  {phase.value:<16} {entry['title']}")
        echo(f"  {'':<16} /p/{pid}")
        for hint in _what_to_try(phase, pid, entry):
            echo(f"  {'':<16} {hint}")
        unused = [c for c in entry.get("codes", []) if app.invitation_unused(pid, c)]
        codes = ", ".join(unused[:SHOWN_CODES]) if unused else "none left"
        echo(f"  {'':<16} unused invitation codes: {codes}")
    organisations = card.get("organisations")
    if isinstance(organisations, dict):
        echo(
            f"Organisations (Mutualisons): /p/{organisations['process_id']}/organisations, "
            f"questionnaire /q/{organisations['questionnaire_id']}, a representative's code "
            f"{organisations.get('representative_code') or 'none'}"
        )
    echo(f"Staff accounts (password: {DEMO_PASSWORD}), sign in at /sign-in:")
    for role, email in DEMO_STAFF.items():
        echo(f"  {role.value:<16} {email}")


def _what_to_try(phase: Phase, pid: UUID, entry: dict[str, Any]) -> list[str]:
    """The pages worth opening first in this phase."""
    workshop = entry.get("open_workshop_id")
    if phase is Phase.CONTRIBUTIONS and workshop:
        return [
            f"give an idea: /p/{pid}/workshops/{workshop}",
            f"capture paper notes (facilitator): /p/{pid}/workshops/{workshop}/capture",
        ]
    if phase is Phase.PROPOSALS:
        return [f"write a proposal: /p/{pid}/proposals/new"]
    if phase is Phase.VOTING:
        return [f"vote: /p/{pid}/ballot"]
    if phase in (Phase.SHORTLISTED, Phase.RECOMMENDATIONS, Phase.CLOSED):
        return [
            f"results: /p/{pid}/results",
            f"recommendations and answers: /p/{pid}/recommendations",
        ]
    return []
