"""Residents write, revise and withdraw their own proposals, citing what people said.

The forms are offered only in the phases that permit the act (domain/phases.py); the
application decides everything else and its refusals come back as plain sentences.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.errors import InvalidInput
from domain.phases import Phase
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import (
    axis_names,
    get,
    permitted,
    process_row,
    uuid_or_none,
    wait_for_projections,
)
from web.pages.feedback import attempt
from web.pages.sessions import page_actor, signed_in


def _within_budget(row: Any) -> bool:
    return (get(row, "rules") or {}).get("spending_limit") is not None


def _own_proposal(pid: UUID, proposal_id: UUID) -> dict[str, Any]:
    """The signed-in resident's own proposal in this process, or 404."""
    actor = page_actor()
    assert actor is not None
    for item in views().proposals_of(pid, actor.participant_id):
        if str(item["proposal_id"]) == str(proposal_id):
            return item
    abort(404)


def _form_values() -> dict[str, Any]:
    form = request.form
    return {
        "title": form.get("title", ""),
        "body": form.get("body", ""),
        "language": form.get("language", "fr"),
        "axis_id": form.get("axis_id", ""),
        "cost": form.get("cost", "").strip(),
        "source_ids": [s for s in form.getlist("source_ids") if s],
    }


def _cost(text: str) -> int | None:
    """The estimated cost typed in the form (spaces and a currency sign allowed)."""
    digits = "".join(c for c in text if c not in " \u00a0\u202f.€").strip()
    if not digits:
        return None
    if not digits.isdigit():
        raise InvalidInput("the cost must be a positive whole amount", field="cost")
    return int(digits)


def _sources(values: dict[str, Any]) -> list[UUID]:
    ids = [uuid_or_none(s) for s in values["source_ids"]]
    if any(i is None for i in ids):
        raise InvalidInput("a cited contribution is not valid", field="source_ids")
    return [i for i in ids if i is not None]


def _render(pid: UUID, row: Any, values: dict[str, Any], editing: Any, status: int) -> Any:
    search = request.values.get("q", "")
    citable = views().citable_contributions(pid, search)
    chosen = set(values["source_ids"])
    # what the proposal already cites stays listed, whatever the search
    listed = {str(c["contribution_id"]) for c in citable}
    for cid in chosen - listed:
        found = views().contribution(cid, include_hidden=False)
        if found is not None and not found.get("hidden"):
            citable.insert(0, found)
    page = render_template(
        "pages/proposal_form.html",
        pid=pid,
        process=row,
        axes=axis_names(row),
        values=values,
        chosen=chosen,
        citable=citable,
        search=search,
        editing=editing,
        within_budget=_within_budget(row),
    )
    return page, status


@bp.route("/p/<uuid:pid>/proposals/new", methods=["GET", "POST"])
@signed_in("take part as a resident")
def write_proposal(pid: UUID) -> Any:
    """Write a proposal (proposals phase), citing contributions one can search."""
    row = process_row(pid)
    actor = page_actor()
    assert actor is not None
    if not permitted("submit a proposal", row):
        flash(gettext("Proposals can be written only during the proposals phase."), "error")
        return redirect(url_for("pages.proposals", pid=pid), code=303)
    if request.method == "GET" or "search" in request.form:
        if request.method == "POST":
            return _render(pid, row, _form_values(), None, 200)
        blank = {"title": "", "body": "", "language": "fr", "axis_id": "", "cost": ""}
        return _render(
            pid, row, blank | {"source_ids": request.args.getlist("source_ids")}, None, 200
        )
    values = _form_values()

    def submit() -> UUID:
        return voisinage().submit_proposal(
            actor,
            pid,
            title=values["title"],
            body=values["body"],
            language=values["language"],
            source_ids=_sources(values),
            axis_id=uuid_or_none(values["axis_id"]),
            cost=_cost(values["cost"]),
        )

    proposal_id = attempt(submit)
    if proposal_id is None:
        return _render(pid, row, values, None, 422)
    wait_for_projections()
    flash(gettext("Your proposal is published. Thank you!"), "success")
    return redirect(url_for("pages.proposal", pid=pid, proposal_id=proposal_id), code=303)


@bp.route("/p/<uuid:pid>/proposals/<uuid:proposal_id>/edit", methods=["GET", "POST"])
@signed_in("take part as a resident")
def revise_proposal(pid: UUID, proposal_id: UUID) -> Any:
    """The author revises their proposal (proposals phase)."""
    row = process_row(pid)
    actor = page_actor()
    assert actor is not None
    own = _own_proposal(pid, proposal_id)
    if not permitted("revise a proposal", row) or own["status"] != "active":
        flash(gettext("This proposal can no longer be changed."), "error")
        return redirect(url_for("pages.proposal", pid=pid, proposal_id=proposal_id), code=303)
    if request.method == "GET" or "search" in request.form:
        if request.method == "POST":
            return _render(pid, row, _form_values(), own, 200)
        stored = {
            "title": own["title"],
            "body": own["body"],
            "language": own["language"],
            "axis_id": str(own["axis_id"] or ""),
            "cost": "" if own["cost"] is None else str(own["cost"]),
            "source_ids": [str(s) for s in own["source_ids"] or []],
        }
        return _render(pid, row, stored, own, 200)
    values = _form_values()

    def revise() -> int:
        return voisinage().revise_proposal(
            actor,
            proposal_id,
            title=values["title"],
            body=values["body"],
            source_ids=_sources(values),
            axis_id=uuid_or_none(values["axis_id"]),
            cost=_cost(values["cost"]),
        )

    if attempt(revise) is None:
        return _render(pid, row, values, own, 422)
    wait_for_projections()
    flash(gettext("Your proposal is updated."), "success")
    return redirect(url_for("pages.proposal", pid=pid, proposal_id=proposal_id), code=303)


@bp.route("/p/<uuid:pid>/proposals/<uuid:proposal_id>/withdraw", methods=["GET", "POST"])
@signed_in("take part as a resident")
def withdraw_proposal(pid: UUID, proposal_id: UUID) -> Response | str:
    """The author withdraws their proposal, after a page that says what it means."""
    row = process_row(pid)
    own = _own_proposal(pid, proposal_id)
    back = url_for("pages.proposal", pid=pid, proposal_id=proposal_id)
    if not permitted("withdraw a proposal", row) or own["status"] != "active":
        flash(gettext("This proposal can no longer be changed."), "error")
        return redirect(back, code=303)
    if request.method == "GET":
        voting = str(get(row, "phase")) == Phase.VOTING.value
        return render_template(
            "pages/proposal_withdraw.html", pid=pid, process=row, proposal=own, voting=voting
        )
    actor = page_actor()
    assert actor is not None
    withdrawn = attempt(lambda: voisinage().withdraw_proposal(actor, proposal_id) or True)
    if withdrawn is None:
        return redirect(back, code=303)
    wait_for_projections()
    flash(gettext("Your proposal is withdrawn."), "success")
    return redirect(url_for("pages.proposals", pid=pid), code=303)
