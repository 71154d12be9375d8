"""Recommendations: facilitators draft and submit them; the institution answers each one
(status and justification) and reports progress; everyone can read them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from application.authorisation import may
from domain.recommendation import AnswerStatus
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import (
    as_list,
    get,
    permitted,
    process_row,
    uuid_or_none,
    wait_for_projections,
)
from web.pages.feedback import attempt
from web.pages.sessions import page_actor, signed_in


def _actor() -> Any:
    actor = page_actor()
    assert actor is not None
    return actor


@bp.get("/p/<uuid:pid>/recommendations")
def recommendations(pid: UUID) -> str:
    """Every recommendation with its answer; the drafting form for facilitators."""
    row = process_row(pid)
    shortlist = views().shortlist(pid)
    actor = page_actor()
    items = as_list(views().recommendations(pid))
    if not may(actor, "see unsubmitted recommendations"):
        items = [r for r in items if get(r, "submitted")]
    return render_template(
        "pages/recommendations.html",
        pid=pid,
        process=row,
        items=items,
        shortlisted=(get(shortlist, "shortlist") or []) if shortlist else [],
        may_draft=permitted("draft a recommendation", row),
        hypotheses=views().hypotheses(pid),
    )


@bp.get("/institution")
@signed_in("answer a recommendation")
def to_do() -> str:
    """The institution's to-do list: recommendations awaiting an answer, then the answered
    ones still being carried out, each with its process."""
    lists = views().institution_to_do()
    titles = {}
    for item in [*lists["awaiting"], *lists["in_progress"]]:
        process_id = str(item["process_id"])
        if process_id not in titles:
            titles[process_id] = get(views().process(UUID(process_id)), "title")
    return render_template(
        "pages/to_do.html",
        awaiting=lists["awaiting"],
        in_progress=lists["in_progress"],
        process_titles=titles,
    )


@bp.post("/p/<uuid:pid>/recommendations")
@signed_in("facilitate a process")
def draft(pid: UUID) -> Response | tuple[str, int]:
    """Draft a recommendation citing shortlisted proposals."""
    done = attempt(lambda: voisinage().draft_recommendation(_actor(), pid, **_draft(request.form)))
    if done is not None:
        wait_for_projections()
        flash(gettext("Recommendation drafted."), "success")
        return redirect(url_for("pages.recommendation", pid=pid, rid=done), code=303)
    return recommendations(pid), 422  # again, with what was typed, the message beside it


def _addressed(form: Any) -> list[UUID]:
    """The hypotheses ticked on a recommendation's form (an id that is not one stays
    out; the application refuses those of no record by name)."""
    return [u for u in (uuid_or_none(v) for v in form.getlist("hypothesis")) if u]


def _recommendation_or_404(pid: UUID, rid: UUID) -> Any:
    found = views().recommendation(rid)
    if found is None or str(get(found, "process_id")) != str(pid):
        abort(404)
    actor = page_actor()
    if not get(found, "submitted") and (not may(actor, "see unsubmitted recommendations")):
        abort(404)
    return found


@bp.get("/p/<uuid:pid>/recommendations/<uuid:rid>")
def recommendation(pid: UUID, rid: UUID) -> str:
    """One recommendation: its text, the proposals it cites, answers and progress."""
    row = process_row(pid)
    found = _recommendation_or_404(pid, rid)
    cited = [views().proposal(UUID(str(p))) for p in get(found, "proposal_ids") or []]
    submitted, answer = get(found, "submitted"), get(found, "answer")
    editable = not submitted and permitted("revise a recommendation", row)
    shortlist = views().shortlist(pid) if editable else None
    return render_template(
        "pages/recommendation.html",
        pid=pid,
        process=row,
        rec=found,
        cited=[p for p in cited if p is not None],
        statuses=[s.value for s in AnswerStatus],
        today=date.today().isoformat(),
        may_edit=editable,
        may_submit=not submitted and permitted("submit a recommendation", row),
        may_answer=submitted and not answer and permitted("answer a recommendation", row),
        may_report=bool(answer)
        and answer != AnswerStatus.REJECTED
        and permitted("report progress", row),
        shortlisted=(get(shortlist, "shortlist") or []) if shortlist else [],
        institution=_last_institution(pid),
        hypotheses=views().hypotheses(pid),
    )


def _last_institution(pid: UUID) -> str:
    """The institution named in this process's latest answer or report (to prefill)."""
    named = [
        (str(get(entry, "at") or ""), str(get(entry, "institution") or ""))
        for rec in as_list(views().recommendations(pid))
        for entry in [*(get(rec, "answers") or []), *(get(rec, "progress_notes") or [])]
        if get(entry, "institution")
    ]
    return max(named)[1] if named else ""


@bp.post("/p/<uuid:pid>/recommendations/<uuid:rid>/edit")
@signed_in("facilitate a process")
def revise(pid: UUID, rid: UUID) -> Response | tuple[str, int]:
    """Change a draft before it is sent: title, text, language, cited proposals."""
    refused = _run(lambda: voisinage().revise_recommendation(_actor(), rid, **_draft(request.form)))
    if refused is None:
        flash(gettext("The draft is saved."), "success")
        return redirect(url_for("pages.recommendation", pid=pid, rid=rid), code=303)
    return recommendation(pid, rid), refused  # with what was typed, the message beside it


@bp.post("/p/<uuid:pid>/recommendations/<uuid:rid>/submit")
@signed_in("facilitate a process")
def submit(pid: UUID, rid: UUID) -> Response:
    """Send a draft to the institution."""
    if _run(lambda: voisinage().submit_recommendation(_actor(), rid)) is None:
        flash(gettext("Sent to the institution."), "success")
    return redirect(url_for("pages.recommendation", pid=pid, rid=rid), code=303)


@bp.post("/p/<uuid:pid>/recommendations/<uuid:rid>/answer")
@signed_in("answer a recommendation")
def answer(pid: UUID, rid: UUID) -> Response | tuple[str, int]:
    """The institution's answer: a status, always with a justification."""
    form = request.form
    refused = _run(
        lambda: voisinage().answer_recommendation(
            _actor(),
            rid,
            status=form.get("status", ""),
            justification=form.get("justification", ""),
            institution=form.get("institution", ""),
        )
    )
    if refused is not None:  # the page again, what was typed, the message beside its field
        return recommendation(pid, rid), refused
    flash(gettext("Your answer is published."), "success")
    return redirect(url_for("pages.recommendation", pid=pid, rid=rid, _anchor="answer"), 303)


@bp.post("/p/<uuid:pid>/recommendations/<uuid:rid>/progress")
@signed_in("answer a recommendation")
def progress(pid: UUID, rid: UUID) -> Response | tuple[str, int]:
    """How far the answer has been carried out."""
    form = request.form
    try:
        percent = int(form.get("percent", ""))
    except ValueError:
        percent = -1
    try:
        on = date.fromisoformat(form.get("on", "")) if form.get("on") else None
    except ValueError:
        on = None
    refused = _run(
        lambda: voisinage().report_progress(
            _actor(),
            rid,
            percent=percent,
            note=form.get("note", ""),
            on=on,
            institution=form.get("institution", ""),
        )
    )
    if refused is not None:  # the page again, what was typed, the message beside its field
        return recommendation(pid, rid), refused
    flash(gettext("Progress reported."), "success")
    return redirect(url_for("pages.recommendation", pid=pid, rid=rid, _anchor="progress"), 303)


def _draft(form: Any) -> dict[str, Any]:
    """What the draft form says: title, text, language, cited proposals, hypotheses."""
    return {
        "title": form.get("title", ""),
        "text": form.get("text", ""),
        "language": form.get("language", "fr"),
        "proposal_ids": [u for u in (uuid_or_none(v) for v in form.getlist("proposal")) if u],
        "hypothesis_ids": _addressed(form),
    }


def _run(command: Any) -> int | None:
    """Run a command; None when it was recorded, else the refusal's HTTP status (409
    for a state that forbids it, 422 for what was typed), the refusal flashed."""
    from domain.errors import DomainError
    from web.api.problems import status_of
    from web.pages.feedback import flash_error

    try:
        command()
    except DomainError as error:
        flash_error(error)
        return status_of(error)[0]
    wait_for_projections()
    return None
