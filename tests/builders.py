"""The one builder of processes for the tests: `World`, through the application's commands.

Importable from every test folder (tests/ is on the path). The `world` fixture
(tests/conftest.py) is a `World` on the test's store; pages build one on the demo's
staff (``World(app, staff=demo.staff)``). The API tests drive a process over HTTP
instead (tests/api/api_support.py `drive`), since the API is what they test.

* ``World(app)``: staff of every role; ``process``, ``advance``, ``resident``,
  ``workshop``, ``contribution``, ``proposal`` are single steps;
* ``world.in_phase(phase, rules)``: an empty process moved on to `phase`;
* ``world.in_proposals(rules)``: a process taking proposals, with one captured source;
* ``world.in_voting(rules, proposals=4, residents=4, cost=None)``: the vote open;
* ``world.small_process(rules)``: two workshops, hidden and tagged contributions, a
  merged proposal and three ballots (what the projection tests read back);
* ``world.answered_recommendation(pid, proposal_ids)``: drafted, submitted, answered,
  with progress;
* ``stage(app, world, phase)``: one of everything up to `phase` (tests/application).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from application import Actor, Voisinage
from domain.phases import ORDER, Phase
from domain.roles import Role

PASSWORD = "correct horse battery"
TITLE = {"fr": "Vois 1 Voisin.e", "nl": "Gluren bij de buren"}
APPROVAL = {"method": "approval", "max_choices": 2, "shortlist_size": 2}
STAFF_EMAILS = {
    Role.ADMIN: "admin@example.org",
    Role.FACILITATOR: "fac@example.org",
    Role.INSTITUTION: "slrb@example.org",
    Role.AUDITOR: "audit@example.org",
}


@dataclass
class Voting:
    """A process whose vote is open: its residents (none voted yet) and proposal ids."""

    pid: UUID
    residents: list[Actor]
    proposals: list[UUID]


class World:
    """Staff accounts and processes in a chosen phase, built through the commands."""

    def __init__(self, app: Voisinage, staff: dict[Role, Actor] | None = None) -> None:
        self.app = app
        if staff is None:
            staff = {role: self.staff(role, email) for role, email in STAFF_EMAILS.items()}
        self.admin = staff[Role.ADMIN]
        self.facilitator = staff[Role.FACILITATOR]
        self.institution = staff[Role.INSTITUTION]
        self.auditor = staff[Role.AUDITOR]

    def staff(self, role: Role, email: str) -> Actor:
        participant_id = self.app.bootstrap_staff(
            email=email, password=PASSWORD, role=role.value, name=email
        )
        return Actor(participant_id, role)

    # --- single steps -------------------------------------------------------------------

    def process(self, rules: dict | None = None, title: dict[str, str] | None = None) -> UUID:
        return self.app.start_process(self.facilitator, title=title or TITLE, rules=rules)

    def advance(self, process_id: UUID, to: str) -> None:
        self.app.advance_phase(self.facilitator, process_id, to)

    def resident(self, process_id: UUID) -> Actor:
        (code,) = self.app.issue_invitations(self.facilitator, process_id, 1)
        return self.app.join(process_id, code)

    def workshop(
        self, process_id: UUID, open_it: bool = True, *, place: str = "Salle communautaire"
    ) -> UUID:
        workshop_id = self.app.schedule_workshop(
            self.facilitator, process_id, title="Atelier Peterbos", on=date(2026, 3, 1), place=place
        )
        if open_it:
            self.app.open_workshop(self.facilitator, workshop_id)
        return workshop_id

    def contribution(self, workshop_id: UUID, actor: Actor | None = None) -> UUID:
        return self.app.record_contribution(
            actor or self.facilitator,
            workshop_id,
            kind="idea",
            text="Des bancs dans la cour",
            language="fr",
            on_behalf_of_group="table 1" if actor is None else None,
        )

    def proposal(
        self, process_id: UUID, sources: list[UUID], title: str = "Proposition", **extra: Any
    ) -> UUID:
        """The facilitator's proposal citing `sources` (``extra``: cost, author...)."""
        return self.app.submit_proposal(
            self.facilitator,
            process_id,
            title=title,
            body="Texte",
            language="fr",
            source_ids=sources,
            **extra,
        )

    # --- whole processes ----------------------------------------------------------------

    def in_phase(
        self, phase: str, rules: dict | None = None, title: dict[str, str] | None = None
    ) -> UUID:
        """A new process moved on, phase by phase and with nothing in it, to `phase`."""
        pid = self.process(rules, title)
        for step in ORDER[1 : ORDER.index(Phase(phase)) + 1]:
            self.advance(pid, step.value)
        return pid

    def in_proposals(self, rules: dict | None = None) -> tuple[UUID, UUID]:
        """A process in the proposals phase and one captured contribution: (pid, source)."""
        pid = self.process(rules)
        self.advance(pid, "contributions")
        source = self.contribution(self.workshop(pid))
        self.advance(pid, "proposals")
        return pid, source

    def in_voting(
        self,
        rules: dict | None = None,
        *,
        proposals: int | list[str] = 4,
        residents: int = 4,
        cost: int | None = None,
        title: dict[str, str] | None = None,
    ) -> Voting:
        """A process with `residents` joined and `proposals` (a count, or their titles),
        in the voting phase; every proposal costs `cost` when one is given."""
        pid = self.process(rules, title)
        self.advance(pid, "contributions")
        source = self.contribution(self.workshop(pid))
        joined = [self.resident(pid) for _ in range(residents)]
        self.advance(pid, "proposals")
        titles = (
            proposals
            if isinstance(proposals, list)
            else [f"Proposition {i}" for i in range(proposals)]
        )
        extra = {} if cost is None else {"cost": cost}
        ids = [self.proposal(pid, [source], title, **extra) for title in titles]
        self.advance(pid, "voting")
        return Voting(pid, joined, ids)

    def small_process(self, rules: dict | None = None) -> dict[str, Any]:
        """A process with 2 workshops, 4 contributions, 3 proposals and a merge, in voting."""
        app, fac = self.app, self.facilitator
        pid = self.process(rules or APPROVAL)
        axis = app.add_axis(fac, pid, {"fr": "Cadre de vie"})
        self.advance(pid, "contributions")
        w1, w2 = self.workshop(pid), self.workshop(pid)
        residents = [self.resident(pid) for _ in range(4)]
        c1 = app.record_contribution(
            residents[0], w1, kind="idea", text="Un potager partagé", language="fr"
        )
        c2 = self.contribution(w1)
        c3 = self.contribution(w2)
        c4 = app.record_contribution(
            residents[1], w2, kind="concern", text="Trop de bruit", language="fr"
        )
        app.moderate_contribution(fac, c1, action="tag", axis_id=axis)
        app.moderate_contribution(fac, c4, action="hide", reason="Hors sujet ici")
        self.advance(pid, "proposals")
        p1 = self.proposal(pid, [c1], "Potager")
        p2 = self.proposal(pid, [c2], "Bancs")
        p3 = self.proposal(pid, [c3], "Jardin")
        app.moderate_proposal(fac, p3, action="merge", reason="Doublon", target_id=p1)
        self.advance(pid, "voting")
        receipts = [
            app.cast_ballot(residents[0], pid, [str(p1)]),
            app.cast_ballot(residents[1], pid, [str(p1), str(p2)]),
            app.cast_ballot(residents[2], pid, [str(p2)]),
        ]
        return {
            "pid": pid,
            "axis": axis,
            "workshops": [w1, w2],
            "contributions": [c1, c2, c3, c4],
            "proposals": [p1, p2, p3],
            "residents": residents,
            "receipts": receipts,
        }

    def answered_recommendation(self, pid: UUID, proposal_ids: list[UUID]) -> UUID:
        """Draft a recommendation citing `proposal_ids`, submit it, answer it, report progress
        (the process moves to the recommendations phase)."""
        app = self.app
        rid = app.draft_recommendation(
            self.facilitator,
            pid,
            title="Recommandation",
            text="Mettre en œuvre",
            language="fr",
            proposal_ids=list(proposal_ids),
        )
        self.advance(pid, "recommendations")
        app.submit_recommendation(self.facilitator, rid)
        app.answer_recommendation(
            self.institution, rid, status="accepted", justification="Budget prévu en 2027"
        )
        app.report_progress(self.institution, rid, percent=30, note="Début", on=date(2027, 2, 1))
        return rid


# --- a process at each phase, with one of everything (the command tests) ----------------


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


def stage(app: Any, world: World, phase: str) -> Stage:
    """Run a process up to `phase`, creating one of everything on the way."""
    target = Phase(phase)
    fac = world.facilitator
    s = Stage(app, world, target, world.process(APPROVAL))
    s.actors = {
        Role.FACILITATOR: fac,
        Role.INSTITUTION: world.institution,
        Role.AUDITOR: world.auditor,
        Role.ADMIN: world.admin,
    }
    s.axis = app.add_axis(fac, s.pid, {"fr": "Cadre de vie", "nl": "Leefomgeving"})
    s.codes = app.issue_invitations(fac, s.pid, 3)
    s.actors[Role.RESIDENT] = app.join(s.pid, s.codes.pop())
    s.outsider = world.resident(world.process(APPROVAL))
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
        world.proposal(s.pid, [s.captured], title) for title in ("Ascenseurs", "Potager")
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
