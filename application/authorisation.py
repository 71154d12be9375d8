"""Who may do what, in one place, as data that tests can enumerate.

Every command names its act; `authorise` checks the actor's role against this
table before anything is read or recorded. Finer rules that depend on the item
(only the author withdraws a proposal, a resident acts in their own process) live
in the domain or the command itself.
"""

from __future__ import annotations

from application.actors import Actor
from domain.errors import NotAllowed, NotAuthenticated
from domain.roles import Role

R, F, INST, A, ADM = Role.RESIDENT, Role.FACILITATOR, Role.INSTITUTION, Role.AUDITOR, Role.ADMIN

#: act -> roles allowed to perform it
RULES: dict[str, frozenset[Role]] = {
    "register staff": frozenset({ADM}),
    "erase a participant": frozenset({ADM}),
    "download one's data": frozenset({R}),
    "start a process": frozenset({F, ADM}),
    "advance the phase": frozenset({F, ADM}),
    "add an axis": frozenset({F, ADM}),
    "set voting rules": frozenset({F, ADM}),
    "issue invitations": frozenset({F, ADM}),
    "schedule a workshop": frozenset({F, ADM}),
    "open or close a workshop": frozenset({F, ADM}),
    "record a contribution": frozenset({R, F}),
    "moderate a contribution": frozenset({F, ADM}),
    "submit a proposal": frozenset({R, F}),
    "revise a proposal": frozenset({R, F}),
    "withdraw a proposal": frozenset({R, F}),
    "moderate a proposal": frozenset({F, ADM}),
    "cast a ballot": frozenset({R}),
    "read one's ballot": frozenset({R}),
    "publish the shortlist": frozenset({F, ADM}),
    "draft a recommendation": frozenset({F, ADM}),
    "revise a recommendation": frozenset({F, ADM}),
    "submit a recommendation": frozenset({F, ADM}),
    "answer a recommendation": frozenset({INST}),
    "report progress": frozenset({INST}),
    "see the moderation queue": frozenset({F, ADM}),
    # Acts of reading that pages and API decide alike:
    "facilitate a process": frozenset({F, ADM}),
    "see hidden items": frozenset({F, ADM}),
    "see unsubmitted recommendations": frozenset({F, INST, A, ADM}),
    "take part as a resident": frozenset({R}),
    "audit": frozenset({A, ADM}),
    "read the service status": frozenset({F, INST, A, ADM}),
    "export the trail": frozenset({A, ADM, F, INST}),
    "compose the report": frozenset({F, ADM}),
    "write the research record": frozenset({F, ADM}),
    "build a questionnaire": frozenset({F, ADM}),
    "open or close a wave": frozenset({F, ADM}),
    "tag an answer": frozenset({F, ADM}),
    "answer a questionnaire": frozenset({R}),
    "register an organisation": frozenset({F, ADM}),
    "turn an answer into a contribution": frozenset({F}),  # as "record a contribution"
}


def may(actor: Actor | None, act: str) -> bool:
    """Whether the actor (None: nobody signed in) may perform `act`."""
    return actor is not None and actor.role in RULES[act]


def authorise(actor: Actor | None, act: str) -> Actor:
    """Return the actor if their role may perform `act`; raise otherwise."""
    allowed = RULES[act]
    if actor is None:
        raise NotAuthenticated(f"sign in to {act}")
    if actor.role not in allowed:
        raise NotAllowed(f"a {actor.role} may not {act} (allowed: {', '.join(sorted(allowed))})")
    return actor
