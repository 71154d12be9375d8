"""A process whose decision trail runs through an organisation: a representative's
words and a facilitator's capture given for it, a proposal citing them (and words
given for no organisation), counted, recommended and answered."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from builders import World

ORGANISATION = "Maison de quartier Querelle"


@dataclass
class OrganisationTrail:
    pid: UUID
    organisation_id: UUID
    workshop_id: UUID
    by_representative: UUID  # typed by a representative, for the organisation
    captured: UUID  # captured by the facilitator, for the organisation
    for_no_one: UUID  # captured for a group, for no organisation
    proposal_id: UUID
    recommendation_id: UUID


def organisation_trail(world: World) -> OrganisationTrail:
    app, fac = world.app, world.facilitator
    pid = world.process()
    world.advance(pid, "contributions")
    oid = app.register_organisation(
        fac,
        pid,
        name=ORGANISATION,
        sector="cohésion sociale",
        commune="Bruxelles",
        contact={"name": "Nadia Benali", "email": "nadia@example.org"},
    )
    wid = world.workshop(pid)
    representative = world.resident(pid)
    app.add_representative(fac, oid, representative.participant_id)
    typed = app.record_contribution(
        representative,
        wid,
        kind="idea",
        text="Une salle partagée entre associations",
        language="fr",
        on_behalf_of_organisation=oid,
    )
    captured = app.record_contribution(
        fac, wid, kind="concern", text="Qui gère les clés ?", language="fr",
        on_behalf_of_organisation=oid,
    )  # fmt: skip
    other = world.contribution(wid)
    world.advance(pid, "proposals")
    proposal = world.proposal(pid, [typed, captured, other], "Un lieu partagé")
    world.advance(pid, "voting")
    app.cast_ballot(representative, pid, [str(proposal)])
    app.publish_shortlist(fac, pid)
    rid = world.answered_recommendation(pid, [proposal])
    return OrganisationTrail(pid, oid, wid, typed, captured, other, proposal, rid)
