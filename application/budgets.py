"""Participatory budgets: a closed vote written as a Pabulib ``.pb`` file, and a ``.pb``
file imported as a process."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from application.actors import Actor
from application.participants import MAX_INVITATIONS_PER_CALL
from domain import pabulib
from domain.errors import Conflict, InvalidInput
from domain.voting import APPROVAL_BALLOTS, Method
from domain.voting.merges import approved

if TYPE_CHECKING:  # pragma: no cover
    from application.app import Voisinage
    from application.voting import VotingCommands


def _counted_at_close(app: VotingCommands, process: Any) -> dict[UUID, Any]:
    """The ballots the published count counted: those stored before the close."""
    return dict(app.counted_ballots(process.id, before=app.close_position(process.id)))


def export_pb(app: VotingCommands, process_id: UUID) -> str:
    """The published vote of a process as a ``.pb`` file (anyone may read it).

    Projects are the candidates in tie-break order with their frozen costs (1 each,
    and a budget of k, for a k-shortlist), votes the ballots counted at the close
    (merges followed), numbered after sorting: nothing about who voted or when.
    Raises WrongPhase before the close, Conflict for ballots that are not approvals.
    """
    process = app.process(process_id)
    process.require("export the vote")
    result = process.shortlist
    if result is None:  # pragma: no cover - a shortlisted process has one
        raise Conflict("no shortlist has been published for this process")
    rules = process.rules
    if rules.method not in APPROVAL_BALLOTS:
        raise Conflict(f"only approval ballots can be written as .pb (this vote: {rules.method})")
    order = process.tie_break_order()  # the candidates as at the close
    costs: dict[str, Any] = result.tallies.get("costs") or dict.fromkeys(order, 1)
    priced = [c for c in order if c in costs]
    merged = {str(k): str(v) for k, v in process.merged_into.items()}
    ballots = [
        approved(b, set(priced), merged)
        for b in _counted_at_close(app, process).values()
        if isinstance(b, list)
    ]
    if rules.within_budget:
        rule, budget = str(rules.budget_rule), rules.spending_limit or 0
    else:
        rule = "greedy" if rules.method is Method.APPROVAL else "unknown"
        budget = rules.shortlist_size
    title = process.title.get("fr") or next(iter(process.title.values()))
    election = pabulib.election_of_vote(
        description=title,
        budget=budget,
        currency=rules.currency if rules.within_budget else "proposals",
        rule=rule,
        projects=[(c, costs[c], app.proposal(UUID(c)).title) for c in priced],
        ballots=ballots,
        selected=result.shortlist,
        extra_meta={"voisinage_method": rules.method.value, "voisinage_process": str(process_id)},
    )
    return pabulib.write(election)


LANGUAGE_NAMES = {"polish": "pl", "dutch": "nl", "french": "fr", "english": "en", "german": "de"}


def _language(meta: dict[str, str]) -> str:
    """The ISO 639 code of the file's META language (``und`` when unknown)."""
    given = meta.get("language", "").strip().lower()
    code = LANGUAGE_NAMES.get(given, given)
    return code if code.isalpha() and 2 <= len(code) <= 3 else "und"


def import_pb(
    app: Voisinage, actor: Actor, election: pabulib.PbElection, *, publish: bool = False
) -> dict[str, Any]:
    """Create a process from a ``.pb`` election, for study and comparison: projects
    become proposals (with their costs), voters residents and votes ballots; the vote
    is left open, or closed and counted with `publish`.

    The rules are the file's: a budget of META budget, counted with equal shares when
    its rule is ``equalshares/...``, else greedily. Raises InvalidInput for what a
    process cannot hold (a budget or cost that is not a positive whole amount).
    """
    budget = election.budget
    if not isinstance(budget, int):
        raise InvalidInput("the budget must be a whole amount to import", field="budget")
    for project in election.projects:
        if not isinstance(project.cost, int) or project.cost < 1:
            raise InvalidInput(
                f"project {project.project_id}: a proposal's cost must be a positive whole amount",
                field="cost",
            )
    meta = election.meta
    method = "equal_shares" if meta.get("rule", "").startswith("equalshares") else "approval"
    rules = {"method": method, "spending_limit": budget}
    if len(meta.get("currency", "")) == 3:
        rules["currency"] = meta["currency"].upper()
    title = meta.get("description") or f"{meta.get('unit', '')} {meta.get('instance', '')}"
    title = f"Pabulib: {title.strip() or 'imported vote'}"[:200]
    pid = app.start_process(actor, title={"en": title}, rules=rules)
    app.advance_phase(actor, pid, "contributions")
    workshop = app.schedule_workshop(
        actor, pid, title="Pabulib import", on=date.today(), place="pabulib.org"
    )
    app.open_workshop(actor, workshop)
    source = app.record_contribution(
        actor, workshop, kind="idea", text=f"Imported from a Pabulib file: {title}", language="en"
    )
    app.advance_phase(actor, pid, "proposals")
    language = _language(meta)
    proposals: dict[str, str] = {}
    for project in election.projects:
        name = (project.fields.get("name") or "").strip()
        proposals[project.project_id] = str(
            app.submit_proposal(
                actor,
                pid,
                title=(name or f"Project {project.project_id}")[:200].ljust(3, "."),
                body=f"Pabulib project {project.project_id}",
                language=language,
                source_ids=[source],
                cost=int(project.cost),  # checked whole above
            )
        )
    voters = [v for v in election.votes if v.approved]
    residents = []
    for start in range(0, len(voters), MAX_INVITATIONS_PER_CALL):
        batch = voters[start : start + MAX_INVITATIONS_PER_CALL]
        codes = app.issue_invitations(actor, pid, len(batch))
        residents += [app.join(pid, code) for code in codes]
    app.advance_phase(actor, pid, "voting")
    for resident, vote in zip(residents, voters, strict=True):
        app.cast_ballot(resident, pid, [proposals[p] for p in vote.approved])
    summary: dict[str, Any] = {
        "process_id": str(pid),
        "proposals": proposals,
        "ballots": len(voters),
        "rules": rules,
    }
    if publish:
        result = app.publish_shortlist(actor, pid)
        back = {v: k for k, v in proposals.items()}
        summary["selected"] = [back[p] for p in result.shortlist]
        summary["cost"] = result.count["tallies"].get("spent")
    return summary
