"""The process report's data, read from the projections: one plain dict per process.

`report_data` gathers what the report shows (workshops, axes with the chosen quotes,
the vote, the recommendations and their answers, how to verify); the composition
facilitators recorded (`Report.Composed`) chooses the quotes and introduces the
sections. Quotes are re-checked here: a quote shown is a visible contribution of the
process whose speaker consented, and it is shown without any author.

The research-action sections (methodology, questionnaire results) are counted by the
application from the events: `web.report_document.process_report` adds them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from projections.queries import Ident, Views, _id
from projections.tables import (
    contributions,
    proposals,
    quote_consents,
    report_compositions,
)

#: The command an auditor runs to check the chain and recount every published vote.
VERIFY_COMMAND = "voisinage audit verify"


def composition(views: Views, pid: Ident) -> dict[str, Any]:
    """What facilitators composed: introductions per section and language, chosen quotes."""
    row = views._row(
        sa.select(report_compositions).where(report_compositions.c.process_id == _id(pid))
    )
    if row is None:
        return {"introductions": {}, "quotes": [], "composed_at": None, "position": None}
    return {
        "introductions": dict(row["introductions"]),
        "quotes": list(row["quotes"]),
        "composed_at": row["composed_at"],
        "position": row["position"],
    }


def quotable(views: Views, pid: Ident) -> list[dict[str, Any]]:
    """Visible contributions of a process whose speaker consented to be quoted (anonymised)."""
    query = (
        sa.select(
            contributions.c.contribution_id,
            contributions.c.workshop_id,
            contributions.c.kind,
            contributions.c.text,
            contributions.c.language,
            contributions.c.axis_id,
        )
        .join(quote_consents, quote_consents.c.contribution_id == contributions.c.contribution_id)
        .where(contributions.c.process_id == _id(pid), contributions.c.hidden_reason.is_(None))
        .order_by(contributions.c.position)
    )
    return views._rows(query)


def _workshop_figures(views: Views, pid: Ident) -> dict[str, dict[str, int]]:
    """Per workshop: visible contributions, notes captured on paper, people who spoke."""
    query = sa.select(
        contributions.c.workshop_id,
        contributions.c.author_id,
        contributions.c.on_behalf_of_participant,
        contributions.c.on_behalf_of_group,
    ).where(contributions.c.process_id == _id(pid), contributions.c.hidden_reason.is_(None))
    figures: dict[str, dict[str, Any]] = {}
    for row in views._rows(query):
        entry = figures.setdefault(
            row["workshop_id"], {"contributions": 0, "captured": 0, "speakers": set()}
        )
        entry["contributions"] += 1
        captured = row["on_behalf_of_participant"] or row["on_behalf_of_group"]
        if captured:
            entry["captured"] += 1
        if row["on_behalf_of_group"]:
            entry["speakers"].add(f"group:{row['on_behalf_of_group']}")
        else:
            entry["speakers"].add(row["on_behalf_of_participant"] or row["author_id"])
    return {
        wid: {
            "contributions": e["contributions"],
            "captured": e["captured"],
            "people": len(e["speakers"]),
        }
        for wid, e in figures.items()
    }


def _proposal_languages(views: Views, pid: Ident) -> dict[str, str]:
    query = sa.select(proposals.c.proposal_id, proposals.c.language).where(
        proposals.c.process_id == _id(pid)
    )
    return {row["proposal_id"]: row["language"] for row in views._rows(query)}


def _vote(views: Views, pid: Ident) -> dict[str, Any] | None:
    shortlist = views.shortlist(pid)
    if shortlist is None:
        return None
    result = shortlist["result"]
    languages = _proposal_languages(views, pid)
    for entry in (*shortlist["shortlist"], *shortlist["ranking"]):
        entry["language"] = languages.get(entry["proposal_id"], "")
    shortlisted = {e["proposal_id"] for e in shortlist["shortlist"]}
    ties = [t for t in result.get("tie_breaks") or [] if isinstance(t, dict)]
    # the ties that decided who is on the shortlist (or in what order); others are counted
    deciding = [t for t in ties if shortlisted & {str(c) for c in t.get("tied") or ()}]
    return {
        "method": shortlist["method"],
        "ballots_counted": result.get("ballots_counted"),
        "shortlist": shortlist["shortlist"],
        "ranking": shortlist["ranking"],
        "tie_breaks": deciding,
        "other_ties": len(ties) - len(deciding),
        "all_tie_breaks": ties,
        "published_at": shortlist["published_at"],
        "published_position": shortlist["published_position"],
        "chain_head": shortlist["chain_head"],
        "shortlist_view": shortlist,
    }


def report_data(views: Views, pid: Ident) -> dict[str, Any] | None:
    """Everything the report of a process shows (None if there is no such process)."""
    process = views.process(pid)
    if process is None:
        return None
    composed = composition(views, pid)
    chosen = set(composed["quotes"])
    workshops = views.workshops(pid)
    workshop_titles = {w["workshop_id"]: w["title"] for w in workshops}
    figures = _workshop_figures(views, pid)
    for workshop in workshops:
        workshop.update(
            figures.get(workshop["workshop_id"], {"contributions": 0, "captured": 0, "people": 0})
        )
    quotes = [
        {
            "contribution_id": row["contribution_id"],
            "text": row["text"],
            "language": row["language"],
            "kind": row["kind"],
            "axis_id": row["axis_id"],
            "workshop": workshop_titles.get(row["workshop_id"], ""),
        }
        for row in quotable(views, pid)
        if row["contribution_id"] in chosen
    ]
    order = {cid: index for index, cid in enumerate(composed["quotes"])}
    quotes.sort(key=lambda q: order[q["contribution_id"]])
    axes = [
        {
            "axis_id": axis["axis_id"],
            "name": axis["name"],
            "quotes": [q for q in quotes if q["axis_id"] == axis["axis_id"]],
        }
        for axis in process["axes"]
    ]
    known = {axis["axis_id"] for axis in process["axes"]}
    unthemed = [q for q in quotes if q["axis_id"] not in known]
    recommendations = views.recommendations(pid)
    vote = _vote(views, pid)
    titles = {e["proposal_id"]: e.get("title", "") for e in (vote or {}).get("ranking", [])}
    for recommendation in recommendations:
        recommendation["proposal_titles"] = [
            titles.get(p, "") for p in recommendation["proposal_ids"]
        ]
    return {
        "process": process,
        "introductions": composed["introductions"],
        "composed_at": composed["composed_at"],
        "methodology": None,
        "questionnaires": None,
        "workshops": workshops,
        "axes": axes,
        "unthemed_quotes": unthemed,
        "quotes": quotes,
        "vote": vote,
        "recommendations": recommendations,
        "verification": {
            "chain_head": (vote or {}).get("chain_head") or views.chain_head(),
            "command": VERIFY_COMMAND,
        },
    }
