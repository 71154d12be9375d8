"""Helpers of the security tests: tokens per role and a small participatory process
built through the commands (the Flask app itself: app_support.build_app)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from builders import APPROVAL, World

from application import Actor, Voisinage
from domain.roles import Role

ROLES = ("resident", "facilitator", "institution", "auditor", "admin")
PASSWORD = "correct horse battery staple"


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
    world = World(voisinage, staff={Role(role): actor for role, actor in staff.items()})
    pid = world.process(rules or APPROVAL)
    world.advance(pid, "contributions")
    wid = world.workshop(pid)
    codes = voisinage.issue_invitations(fac, pid, residents + spare_codes)
    joined = [
        voisinage.join(pid, code, resident_name if i == 0 else None)
        for i, code in enumerate(codes[:residents])
    ]
    cid = voisinage.record_contribution(
        joined[0], wid, kind="idea", text="Des bancs dans la cour", language="fr"
    )
    world.advance(pid, "proposals")
    proposals = [world.proposal(pid, [cid], title) for title in ("Bancs", "Potager", "Ascenseur")]
    own = voisinage.submit_proposal(
        joined[0], pid, title="Ma proposition", body="Idée", language="fr", source_ids=[cid]
    )
    world.advance(pid, "voting")
    return Cast(voisinage, staff, pid, wid, cid, proposals, joined, list(codes[residents:]), own)


def env_int(name: str, default: int) -> int:
    """An integer from the environment (quick modes of the slow tests)."""
    return int(os.environ.get(name, default))
