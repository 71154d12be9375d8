"""Residents' pages: the process, workshops and contributions, proposals, the vote,
and "what became of my ideas"; joining with a code (the receipt and its check:
web/pages/receipts.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from werkzeug.wrappers import Response

from application.authorisation import may
from domain.errors import DomainError
from domain.phases import Phase
from web.context import views, voisinage
from web.pages import ballots
from web.pages.blueprint import bp
from web.pages.data import (
    as_list,
    axis_names,
    get,
    permitted,
    process_row,
    process_view,
    wait_for_projections,
)
from web.pages.feedback import FIELD_CATEGORY, attempt, flash_error, friendly
from web.pages.sessions import page_actor, sign_in, signed_in


@bp.get("/")
def home() -> str:
    """Every process; a resident's own process first."""
    processes = as_list(views().list_processes())
    return render_template("pages/home.html", processes=processes)


@bp.get("/p/<uuid:pid>")
def process(pid: UUID) -> str:
    """A process: its phase, its axes and what one can do now."""
    row = process_row(pid)
    member = may(page_actor(), "take part as a resident", pid)
    phase = str(get(row, "phase"))
    workshops = as_list(views().workshops(pid)) if phase == Phase.CONTRIBUTIONS.value else []
    return render_template(
        "pages/process.html",
        pid=pid,
        process=row,
        phase=phase,
        axes=axis_names(row),
        member=member,
        open_workshops=[w for w in workshops if get(w, "status") == "open"],
        planned_workshops=[w for w in workshops if get(w, "status") == "scheduled"],
    )


# --- joining ----------------------------------------------------------------------------


@bp.route("/p/<uuid:pid>/join", methods=["GET", "POST"])
def join(pid: UUID) -> Response | str:
    """Enter an invitation code (and, if one likes, a name): signed in as a resident."""
    row = process_row(pid)
    if request.method == "POST":
        code = request.form.get("code", "")
        name = request.form.get("name", "").strip() or None
        entry = attempt(lambda: voisinage().enter_with_code(pid, code, name))
        if entry is not None:
            sign_in(entry.actor)
            if entry.returning:
                flash(gettext("Welcome back! Your vote and your ideas are here."), "success")
            else:
                flash(gettext("Welcome! You are now taking part."), "success")
            return redirect(url_for("pages.process", pid=pid), code=303)
        return render_template("pages/join.html", pid=pid, process=row, code=code, name=name), 422  # type: ignore[return-value]
    # the QR code on a printed invitation card links here with ?code=
    code = request.args.get("code", "")[:40]
    return render_template("pages/join.html", pid=pid, process=row, code=code, name="")


# --- workshops and contributions ----------------------------------------------------------


@bp.get("/p/<uuid:pid>/workshops")
def workshops(pid: UUID) -> str:
    """The workshops of a process."""
    row = process_row(pid)
    return render_template(
        "pages/workshops.html", pid=pid, process=row, workshops=as_list(views().workshops(pid))
    )


def _workshop_or_404(pid: UUID, wid: UUID) -> Any:
    for workshop in as_list(views().workshops(pid)):
        if str(get(workshop, "workshop_id")) == str(wid):
            return workshop
    abort(404)


@bp.get("/p/<uuid:pid>/workshops/<uuid:wid>")
def workshop(pid: UUID, wid: UUID) -> str:
    """A workshop's visible contributions, and a form for residents while it is open."""
    row = process_row(pid)
    found = _workshop_or_404(pid, wid)
    can_contribute = (
        may(page_actor(), "take part as a resident", pid)
        and get(found, "status") == "open"
        and get(row, "phase") == Phase.CONTRIBUTIONS.value
    )
    return render_template(
        "pages/workshop.html",
        pid=pid,
        process=row,
        workshop=found,
        contributions=as_list(views().contributions(wid)),
        axes=axis_names(row),
        can_contribute=can_contribute,
        form=request.args,
    )


@bp.post("/p/<uuid:pid>/workshops/<uuid:wid>/contributions")
@signed_in("take part as a resident")
def contribute(pid: UUID, wid: UUID) -> Response:
    """A resident records their own words in an open workshop."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    done = attempt(
        lambda: voisinage().record_contribution(
            actor,
            wid,
            kind=form.get("kind", "idea"),
            text=form.get("text", ""),
            language=form.get("language", "fr"),
            quote_consent=form.get("quote_consent") == "yes",
        )
    )
    if done is not None:
        wait_for_projections()
        flash(gettext("Thank you! Your words are recorded."), "success")
        return redirect(url_for("pages.workshop", pid=pid, wid=wid, _anchor="contributions"), 303)
    return redirect(
        url_for("pages.workshop", pid=pid, wid=wid, kind=form.get("kind"), _anchor="contribute"),
        303,
    )


# --- proposals --------------------------------------------------------------------------


@bp.get("/p/<uuid:pid>/proposals")
def proposals(pid: UUID) -> str:
    """Visible proposals, grouped by axis (or one axis when chosen)."""
    row = process_row(pid)
    axes = axis_names(row)
    chosen = request.args.get("axis") or None
    if chosen not in axes:
        chosen = None
    items = as_list(views().proposals(pid, axis_id=UUID(chosen) if chosen else None))
    groups: dict[str | None, list[Any]] = {}
    for item in items:
        axis = get(item, "axis_id")
        groups.setdefault(str(axis) if axis else None, []).append(item)
    ordered: list[tuple[str | None, list[Any]]] = [(a, groups[a]) for a in axes if a in groups]
    if None in groups:
        ordered.append((None, groups[None]))
    member = may(page_actor(), "take part as a resident", pid)
    return render_template(
        "pages/proposals.html",
        pid=pid,
        process=row,
        axes=axes,
        groups=ordered,
        chosen=chosen,
        can_write=member and permitted("submit a proposal", row),
    )


@bp.get("/p/<uuid:pid>/proposals/<uuid:proposal_id>")
def proposal(pid: UUID, proposal_id: UUID) -> str:
    """One proposal and the contributions it cites."""
    row = process_row(pid)
    item = views().proposal(proposal_id)
    if item is None or str(get(item, "process_id")) != str(pid) or get(item, "hidden_reason"):
        abort(404)
    sources = []
    for cid in get(item, "source_ids") or []:
        contribution = views().contribution(UUID(str(cid)))
        if contribution is not None and not get(contribution, "hidden_reason"):
            sources.append(contribution)
    cost = get(item, "cost")
    currency = (get(row, "rules") or {}).get("currency") or "EUR"
    actor = page_actor()
    own = (
        actor is not None
        and may(actor, "take part as a resident", pid)
        and any(
            str(p["proposal_id"]) == str(proposal_id)
            for p in views().proposals_of(pid, actor.participant_id)
        )
    )
    active = get(item, "status") == "active"
    return render_template(
        "pages/proposal.html",
        can_revise=own and active and permitted("revise a proposal", row),
        can_withdraw=own and active and permitted("withdraw a proposal", row),
        pid=pid,
        process=row,
        proposal=item,
        sources=sources,
        axes=axis_names(row),
        cost_text=ballots.money(cost, str(currency)) if cost is not None else "",
    )


# --- the vote ---------------------------------------------------------------------------


@bp.get("/p/<uuid:pid>/ballot")
@signed_in("take part as a resident", in_process=True)
def ballot(pid: UUID) -> str:
    """The ballot form, following the process's voting method, filled with one's vote."""
    return _render_ballot(pid, None)


def _render_ballot(pid: UUID, submitted: Any, status: int = 200) -> Any:
    actor = page_actor()
    assert actor is not None
    state = process_view(pid)
    current = None
    if state.phase is Phase.VOTING:
        own = attempt(lambda: voisinage().own_ballot(actor, pid))
        current = own.choices if own is not None and own.counted else None
    proposals = views().proposals_by_id(state.candidates)
    form = ballots.BallotForm.build(state.rules, state.candidates, proposals, current, submitted)
    rendered = render_template(
        "pages/ballot.html",
        pid=pid,
        process=state.row,
        form=form,
        voted=current is not None,
        axes=axis_names(state.row),
    )
    return (rendered, status) if status != 200 else rendered


@bp.post("/p/<uuid:pid>/ballot")
@signed_in("take part as a resident", in_process=True)
def cast(pid: UUID) -> Any:
    """Cast or replace the ballot, then show the receipt (JSON when asked by the script)."""
    actor = page_actor()
    assert actor is not None
    wants_json = request.headers.get("X-Requested-With") == "voisinage"
    state = process_view(pid)
    try:
        choices = ballots.parse(state.rules, request.form, state.candidates)
        receipt = voisinage().cast_ballot(actor, pid, choices)
    except ballots.FormProblem as problem:
        if wants_json:
            return jsonify(ok=False, message=str(problem)), 422
        flash(str(problem), "error")
        flash(str(problem), FIELD_CATEGORY + "choices")  # beside the choices too
        return _render_ballot(pid, request.form, 422)
    except DomainError as error:
        if wants_json:
            return jsonify(ok=False, message=friendly(error)), 422
        flash_error(error)
        return _render_ballot(pid, request.form, 422)
    message = gettext("Your vote is recorded. Keep your receipt to check it is counted.")
    if wants_json:
        return jsonify(
            ok=True,
            receipt=receipt,
            message=message,
            receipt_url=url_for("pages.receipt", pid=pid),
            check_url=url_for("pages.check_receipt", pid=pid, receipt=receipt),
        )
    flash(message, "success")
    return redirect(url_for("pages.receipt", pid=pid), code=303)


# --- what became of my ideas ---------------------------------------------------------------


@bp.get("/p/<uuid:pid>/my-ideas")
@signed_in("take part as a resident", in_process=True)
def my_ideas(pid: UUID) -> str:
    """The resident's own contributions (typed or captured for them) and their outcome."""
    actor = page_actor()
    assert actor is not None
    row = process_row(pid)
    me = str(actor.participant_id)
    mine = []
    for found in as_list(views().workshops(pid)):
        wid = UUID(str(get(found, "workshop_id")))
        for contribution in as_list(views().contributions(wid, include_hidden=True)):
            if me in (
                str(get(contribution, "author_id")),
                str(get(contribution, "on_behalf_of_participant")),
            ):
                outcome = views().outcome(UUID(str(get(contribution, "contribution_id"))))
                mine.append({"contribution": contribution, "workshop": found, "outcome": outcome})
    return render_template(
        "pages/my_ideas.html", pid=pid, process=row, mine=mine, axes=axis_names(row)
    )


# --- results ----------------------------------------------------------------------------


@bp.get("/p/<uuid:pid>/results")
def results(pid: UUID) -> str:
    """The published shortlist with its tallies, as a bar chart and as a table."""
    from web.pages.charts import shortlist_chart, ties

    row = process_row(pid)
    shortlist = views().shortlist(pid)
    chart = None
    if shortlist is not None:
        languages = {}
        for entry in get(shortlist, "ranking") or []:
            found = views().proposal(UUID(str(get(entry, "proposal_id"))))
            if found is not None:
                languages[str(get(entry, "proposal_id"))] = str(get(found, "language"))
        chart = shortlist_chart(shortlist, languages)
    return render_template(
        "pages/results.html",
        pid=pid,
        process=row,
        shortlist=shortlist,
        chart=chart,
        ties=ties(shortlist) if shortlist is not None else [],
        budget=ballots.budget_summary(shortlist),
    )
