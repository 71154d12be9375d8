"""A process brought to a given phase through the commands, with one of everything.

``stage(app, world, phase)`` returns a `Stage`: the process, an axis, an open
workshop, a resident and their contribution, a captured one, proposals (one by the
resident), a ballot, the shortlist, recommendations (one drafted, one submitted and
answered) — as far as the phase allows. Each command's test starts from the stage of
the phase it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from application import Actor
from domain.phases import ORDER, Phase
from domain.roles import Role

RULES = {"method": "approval", "max_choices": 2, "shortlist_size": 2}


@dataclass
class Stage:
    """What exists at a phase; ids are UUIDs, absent ones None."""

    app: Any
    world: Any
    phase: Phase
    pid: UUID
    actors: dict[Role, Actor] = field(default_factory=dict)
    outsider: Actor | None = None  # a resident of another process
    axis: UUID | None = None
    wid: UUID | None = None
    spare_wid: UUID | None = None  # scheduled, never opened
    cid: UUID | None = None  # typed by the resident
    captured: UUID | None = None  # captured by the facilitator for a group
    own_proposal: UUID | None = None  # the resident's
    proposals: list[UUID] = field(default_factory=list)  # the facilitator's
    codes: list[str] = field(default_factory=list)
    draft: UUID | None = None  # a drafted recommendation
    submitted: UUID | None = None  # a submitted one
    answered: UUID | None = None  # a submitted and answered one
    research: dict[str, Any] = field(default_factory=dict)  # see commands.prepare_research

    @property
    def resident(self) -> Actor:
        return self.actors[Role.RESIDENT]

    @property
    def facilitator(self) -> Actor:
        return self.actors[Role.FACILITATOR]

    @property
    def institution(self) -> Actor:
        return self.actors[Role.INSTITUTION]


def reached(stage_phase: Phase, phase: Phase) -> bool:
    return ORDER.index(stage_phase) >= ORDER.index(phase)


def stage(app: Any, world: Any, phase: str) -> Stage:
    """Run a process up to `phase`, creating one of everything on the way."""
    target = Phase(phase)
    fac = world.facilitator
    s = Stage(app, world, target, world.process(RULES))
    s.actors = {
        Role.FACILITATOR: fac,
        Role.INSTITUTION: world.institution,
        Role.AUDITOR: world.auditor,
        Role.ADMIN: world.admin,
    }
    s.axis = app.add_axis(fac, s.pid, {"fr": "Cadre de vie", "nl": "Leefomgeving"})
    s.codes = app.issue_invitations(fac, s.pid, 3)
    s.actors[Role.RESIDENT] = app.join(s.pid, s.codes.pop())
    other = world.process(RULES)
    (code,) = app.issue_invitations(fac, other, 1)
    s.outsider = app.join(other, code)
    if not reached(target, Phase.CONTRIBUTIONS):
        return s
    world.advance(s.pid, "contributions")
    s.wid = world.workshop(s.pid)
    s.spare_wid = world.workshop(s.pid, open_it=False)
    s.cid = world.contribution(s.wid, s.resident)
    s.captured = world.contribution(s.wid)
    if not reached(target, Phase.PROPOSALS):
        return s
    world.advance(s.pid, "proposals")
    s.own_proposal = app.submit_proposal(
        s.resident, s.pid, title="Des bancs", body="Dans la cour", language="fr", source_ids=[s.cid]
    )
    s.proposals = [
        app.submit_proposal(
            fac, s.pid, title=title, body="Texte", language="fr", source_ids=[s.captured]
        )
        for title in ("Ascenseurs", "Potager")
    ]
    if not reached(target, Phase.VOTING):
        return s
    world.advance(s.pid, "voting")
    app.cast_ballot(s.resident, s.pid, [str(s.proposals[0])])
    if not reached(target, Phase.SHORTLISTED):
        return s
    app.publish_shortlist(fac, s.pid)
    s.draft = recommend(app, s)
    if not reached(target, Phase.RECOMMENDATIONS):
        return s
    s.submitted = recommend(app, s)
    s.answered = recommend(app, s)
    world.advance(s.pid, "recommendations")
    for rid in (s.submitted, s.answered):
        app.submit_recommendation(fac, rid)
    app.answer_recommendation(
        world.institution, s.answered, status="accepted", justification="Budget voté"
    )
    if not reached(target, Phase.CLOSED):
        return s
    world.advance(s.pid, "closed")
    return s


def recommend(app: Any, s: Stage) -> UUID:
    """Draft a recommendation citing the shortlist's first proposal."""
    shortlisted = app.process(s.pid).shortlist.shortlist[0]
    return app.draft_recommendation(
        s.facilitator,
        s.pid,
        title="Ascenseurs fiables",
        text="Réparer en une semaine",
        language="fr",
        proposal_ids=[UUID(shortlisted)],
    )
