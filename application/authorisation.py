"""Who may do what, in one place, as data that tests can enumerate.

Every command names its act; `authorise` checks the actor's role against this
table before anything is read or recorded. Acts named in `OPEN_TO_VISITORS` are
allowed to visitors who are not signed in too. A resident acts only in the process
they joined: `may(actor, act, process_id)` and `require_member` check that here.
Finer rules that depend on the item (only the author withdraws a proposal) or on
its state (hidden results, see `may_see_live_results`) live in the domain.
"""

from __future__ import annotations

from uuid import UUID

from application.actors import Actor
from domain.errors import NotAllowed, NotAuthenticated
from domain.phases import Phase
from domain.roles import Role
from domain.voting import VotingRules

R, F, INST, A, ADM = Role.RESIDENT, Role.FACILITATOR, Role.INSTITUTION, Role.AUDITOR, Role.ADMIN

#: act -> roles allowed to perform it
RULES: dict[str, frozenset[Role]] = {
    "register staff": frozenset({ADM}),
    "erase a participant": frozenset({ADM}),
    "erase an organisation's contact": frozenset({ADM}),
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
    "see live results": frozenset(Role),  # unless the rules hide them from everyone
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


#: Acts that visitors who are not signed in may perform too (reading what is public).
OPEN_TO_VISITORS: frozenset[str] = frozenset({"see live results"})


def member_of(actor: Actor, process_id: UUID) -> bool:
    """Residents act only in the process they joined; staff act in every process."""
    return actor.role is not Role.RESIDENT or actor.process_id == process_id


def may(actor: Actor | None, act: str, process_id: UUID | None = None) -> bool:
    """Whether the actor (None: nobody signed in) may perform `act`, in `process_id`
    if given (a resident only in their own process)."""
    if actor is None:
        return act in OPEN_TO_VISITORS
    if actor.role not in RULES[act]:
        return False
    return process_id is None or member_of(actor, process_id)


def may_see_live_results(actor: Actor | None, rules: VotingRules, phase: Phase) -> bool:
    """Whether the actor may see a process's running count now: everyone may, except
    while its rules hide the results from every role (until the vote closes)."""
    return may(actor, "see live results") and not rules.hides_live_results(phase)


def authorise(actor: Actor | None, act: str) -> Actor:
    """Return the actor if their role may perform `act`; raise otherwise (also for
    visitors not signed in: acts that need no actor are asked with `may`)."""
    allowed = RULES[act]
    if actor is None:
        raise NotAuthenticated(f"sign in to {act}")
    if actor.role not in allowed:
        raise NotAllowed(f"a {actor.role} may not {act} (allowed: {', '.join(sorted(allowed))})")
    return actor
