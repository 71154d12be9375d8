"""Helpers of the security tests: a real Flask app on a real store, tokens per role and
a small participatory process built through the commands."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from application import Actor, Voisinage
from application.secrets import Secrets
from domain.roles import Role

ROLES = ("resident", "facilitator", "institution", "auditor", "admin")
PASSWORD = "correct horse battery staple"


def make_flask_app(database_url: str, **config: Any) -> Any:
    """create_app on the given store, with fresh secrets and projections in-process."""
    from web import create_app

    settings: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "SECRETS": Secrets.generate(),
        "START_PROJECTIONS": True,
        "TESTING": True,
    }
    settings.update(config)
    return create_app(settings)


def close_flask_app(flask_app: Any) -> None:
    """Stop the projections and close the application (best effort)."""
    service = flask_app.extensions.get("projections")
    if service is not None:
        for name in ("stop", "close"):
            method = getattr(service, name, None)
            if callable(method):
                method()
                break
    views = flask_app.extensions.get("views")
    close = getattr(views, "close", None)
    if callable(close):
        close()
    flask_app.extensions["voisinage"].close()


def wait_for_projections(flask_app: Any, timeout: float = 20.0) -> None:
    """Wait until the read models have processed every stored event."""
    voisinage: Voisinage = flask_app.extensions["voisinage"]
    views = flask_app.extensions.get("views")
    head = voisinage.head_position()
    method = getattr(views, "wait_for", None)
    if callable(method):
        assert method(head, timeout=timeout), f"projections did not reach {head} in {timeout}s"
        return
    time.sleep(1.0)  # no explicit wait offered: give the background thread a moment


@dataclass
class Cast:
    """Staff of every role, a process in the voting phase, residents with tokens."""

    voisinage: Voisinage
    staff: dict[str, Actor]
    process_id: UUID
    workshop_id: UUID
    contribution_id: UUID
    proposals: list[UUID]
    residents: list[Actor]
    spare_codes: list[str] = field(default_factory=list)
    resident_proposal: UUID | None = None

    def token(self, role: str) -> str:
        """A bearer token for the first actor of a role."""
        actor = self.residents[0] if role == "resident" else self.staff[role]
        return self.voisinage.issue_token(actor)


def build_cast(
    voisinage: Voisinage,
    *,
    residents: int = 3,
    spare_codes: int = 0,
    names: dict[str, str] | None = None,
    resident_name: str | None = None,
    rules: dict[str, Any] | None = None,
) -> Cast:
    """Register staff, run a process up to the vote, and let residents join.

    `names` maps a role to (name, e-mail) text "Name <email>" for that staff member.
    """
    names = names or {}
    staff: dict[str, Actor] = {}
    for role in ROLES[1:]:
        name, email = role.title(), f"{role}@security-test.example"
        if role in names:
            name, email = names[role].rsplit(" <", 1)
            email = email.rstrip(">")
        participant_id = voisinage.bootstrap_staff(
            email=email, password=PASSWORD, role=role, name=name
        )
        staff[role] = Actor(participant_id, Role(role))
    fac = staff["facilitator"]
    pid = voisinage.start_process(
        fac,
        title={"fr": "Vois 1 Voisin.e", "nl": "Gluren bij de buren"},
        rules=rules or {"method": "approval", "max_choices": 2, "shortlist_size": 2},
    )
    voisinage.advance_phase(fac, pid, "contributions")
    wid = voisinage.schedule_workshop(
        fac, pid, title="Atelier Peterbos", on=date(2026, 3, 1), place="Salle communautaire"
    )
    voisinage.open_workshop(fac, wid)
    codes = voisinage.issue_invitations(fac, pid, residents + spare_codes)
    joined = [
        voisinage.join(pid, code, resident_name if i == 0 else None)
        for i, code in enumerate(codes[:residents])
    ]
    cid = voisinage.record_contribution(
        joined[0], wid, kind="idea", text="Des bancs dans la cour", language="fr"
    )
    voisinage.advance_phase(fac, pid, "proposals")
    proposals = [
        voisinage.submit_proposal(
            fac, pid, title=title, body="Proposition", language="fr", source_ids=[cid]
        )
        for title in ("Bancs", "Potager", "Ascenseur")
    ]
    own = voisinage.submit_proposal(
        joined[0], pid, title="Ma proposition", body="Idée", language="fr", source_ids=[cid]
    )
    voisinage.advance_phase(fac, pid, "voting")
    return Cast(voisinage, staff, pid, wid, cid, proposals, joined, list(codes[residents:]), own)


def env_int(name: str, default: int) -> int:
    """An integer from the environment (quick modes of the slow tests)."""
    return int(os.environ.get(name, default))
