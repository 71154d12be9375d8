"""Facilitators' pages: creating a process, the dashboard with its axes, phase control and
the shortlist (each irreversible step after a page saying what will happen), fast capture
of a workshop's paper notes, workshops and invitation codes (moderation: moderation.py)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID

from flask import (
    abort,
    flash,
    get_flashed_messages,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response

from application.authorisation import may_see_live_results
from domain.errors import InvalidTransition
from domain.phases import PERMITTED, Phase, next_phase
from domain.voting import SUPPORTED
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import (
    as_list,
    axis_names,
    get,
    permitted,
    process_row,
    process_view,
    uuid_or_none,
    wait_for_projections,
)
from web.pages.feedback import FIELD_CATEGORY, attempt
from web.pages.invitations import codes_to_print, keep_codes
from web.pages.presentation import RESIDENT_ACT_NAMES, method_name
from web.pages.process_form import DEFAULTS, GROUPS, chosen_method, rules_from_form, shown_groups
from web.pages.questionnaires import localised_from_form
from web.pages.sessions import page_actor, signed_in

CAPTURE_KEY = "capture"
#: The capture page's script sends each note with this header: the answer is JSON.
FETCH_HEADER = "X-Voisinage-Fetch"
KINDS = ("idea", "testimony", "concern", "question")


def _actor() -> Any:
    actor = page_actor()
    assert actor is not None
    return actor


@bp.get("/p/<uuid:pid>/facilitate")
@signed_in("facilitate a process")
def facilitate(pid: UUID) -> str:
    """The phase, the next step, the axes, the live ranking during the vote, the tools."""
    return _dashboard(pid)


def _dashboard(pid: UUID) -> str:
    """The dashboard (after a refused form too: the typed values are in request.form)."""
    state = process_view(pid)
    try:
        upcoming: Phase | None = next_phase(state.phase)
    except InvalidTransition:
        upcoming = None
    live = may_see_live_results(page_actor(), state.rules, state.phase)
    shown = state.phase is Phase.VOTING and live
    ranking = views().ranking(pid) if shown else None
    codes = codes_to_print(pid)
    return render_template(
        "pages/facilitate.html",
        pid=pid,
        process=state.row,
        phase=state.phase.value,
        upcoming=upcoming.value if upcoming else None,
        ranking=ranking,
        rules=state.rules,
        axes=list(axis_names(state.row).values()),
        may_add_axis=state.phase in PERMITTED["add an axis"],
        may_open_workshop=state.phase in PERMITTED["open a workshop"],
        may_invite=state.phase in PERMITTED["issue invitations"],
        workshops=as_list(views().workshops(pid)),
        codes=codes,
        today=date.today().isoformat(),
    )


# --- creating a process and its axes -------------------------------------------------------


@bp.route("/processes/new", methods=["GET", "POST"])
@signed_in("start a process")
def new_process() -> Response | str | tuple[str, int]:
    """A process's titles, description and voting rules; then its dashboard. Without
    JavaScript, "Show the rules of this method" comes back with the chosen method's fields."""
    form = request.form
    if request.method == "POST" and "show" not in form:
        description = localised_from_form(form, "description")
        created = attempt(
            lambda: voisinage().start_process(
                _actor(),
                title=localised_from_form(form, "title"),
                description=description or None,
                rules=rules_from_form(form),
            )
        )
        if created is not None:
            wait_for_projections()
            flash(
                gettext("The process is created. Add its axes, then plan the workshops."), "success"
            )
            return redirect(url_for("pages.facilitate", pid=created), code=303)
        refused = True
    else:
        refused = False
    method = chosen_method(form)
    page = render_template(
        "pages/process_new.html",
        methods=[(m.value, method_name(m)) for m in SUPPORTED],
        method=method,
        groups=GROUPS,
        shown=shown_groups(method),
        defaults=DEFAULTS,
    )
    return (page, 422) if refused else page


@bp.post("/p/<uuid:pid>/axes")
@signed_in("add an axis")
def add_axis(pid: UUID) -> Response | tuple[str, int]:
    """Add an action axis, named in French and/or Dutch."""
    name = localised_from_form(request.form, "axis")
    done = attempt(lambda: voisinage().add_axis(_actor(), pid, name))
    if done is None:
        return _dashboard(pid), 422
    wait_for_projections()
    flash(gettext("The axis is added."), "success")
    return redirect(url_for("pages.facilitate", pid=pid, _anchor="axes"), code=303)


# --- the irreversible steps: a confirmation page, then the act -----------------------------


def _resident_acts(phase: Phase) -> list[str]:
    """What residents may do in `phase`, in plain words (from domain/phases.py)."""
    return [act for act in RESIDENT_ACT_NAMES if phase in PERMITTED[act]]


@bp.get("/p/<uuid:pid>/phase/confirm")
@signed_in("advance the phase")
def confirm_advance(pid: UUID) -> Response | str:
    """Say what the next phase changes for residents, and ask to confirm."""
    state = process_view(pid)
    if state.phase is Phase.VOTING:
        return redirect(url_for("pages.confirm_publish", pid=pid), code=303)
    try:
        upcoming = next_phase(state.phase)
    except InvalidTransition:
        flash(gettext("The process is closed."), "error")
        return redirect(url_for("pages.facilitate", pid=pid), code=303)
    now, then = _resident_acts(state.phase), _resident_acts(upcoming)
    return render_template(
        "pages/confirm_phase.html",
        pid=pid,
        process=state.row,
        phase=state.phase.value,
        upcoming=upcoming.value,
        can=[RESIDENT_ACT_NAMES[act] for act in then],
        no_longer=[RESIDENT_ACT_NAMES[act] for act in now if act not in then],
    )


@bp.get("/p/<uuid:pid>/shortlist/confirm")
@signed_in("publish the shortlist")
def confirm_publish(pid: UUID) -> Response | str:
    """Say what closing the vote does (ballots counted, no more votes, for good)."""
    state = process_view(pid)
    if state.phase is not Phase.VOTING:
        flash(gettext("This is not possible at this stage of the process."), "error")
        return redirect(url_for("pages.facilitate", pid=pid), code=303)
    counts = get(state.row, "counts") or {}
    return render_template(
        "pages/confirm_publish.html",
        pid=pid,
        process=state.row,
        phase=state.phase.value,
        ballots=int(get(counts, "ballots", 0) or 0),
        rules=state.rules,
    )


@bp.post("/p/<uuid:pid>/phase")
@signed_in("facilitate a process")
def advance(pid: UUID) -> Response:
    """Open the next phase (the button names it; a stale page gets a clear refusal)."""
    target = request.form.get("to", "")
    done = attempt(lambda: voisinage().advance_phase(_actor(), pid, target))
    if done is not None:
        wait_for_projections()
        flash(gettext("The process moved to: %(phase)s.", phase=_phase(done)), "success")
    return redirect(url_for("pages.facilitate", pid=pid), code=303)


def _phase(value: object) -> str:
    from web.pages.presentation import phase_name

    return phase_name(value)


@bp.post("/p/<uuid:pid>/shortlist")
@signed_in("facilitate a process")
def publish(pid: UUID) -> Response:
    """Close the vote: count and freeze the shortlist."""
    result = attempt(lambda: voisinage().publish_shortlist(_actor(), pid))
    if result is not None:
        wait_for_projections()
        flash(gettext("The vote is closed and the shortlist is published."), "success")
        return redirect(url_for("pages.results", pid=pid), code=303)
    return redirect(url_for("pages.facilitate", pid=pid), code=303)


@bp.post("/p/<uuid:pid>/invitations")
@signed_in("facilitate a process")
def invitations(pid: UUID) -> Response:
    """Issue invitation codes, shown once on the dashboard for printing."""
    try:
        count = int(request.form.get("count", "0"))
    except ValueError:
        count = 0
    codes = attempt(lambda: voisinage().issue_invitations(_actor(), pid, count))
    if codes:
        keep_codes(pid, codes)
        flash(ngettext("%(num)s code issued.", "%(num)s codes issued.", len(codes)), "success")
        return redirect(url_for("pages.invitation_cards", pid=pid), code=303)
    return redirect(url_for("pages.facilitate", pid=pid, _anchor="codes"), code=303)


@bp.post("/p/<uuid:pid>/workshops")
@signed_in("facilitate a process")
def schedule(pid: UUID) -> Response:
    """Schedule a workshop."""
    form = request.form
    try:
        on = date.fromisoformat(form.get("on", ""))
    except ValueError:
        flash(gettext("Date: give a date such as 2026-03-14."), "error")
        return redirect(url_for("pages.facilitate", pid=pid, _anchor="schedule"), code=303)
    done = attempt(
        lambda: voisinage().schedule_workshop(
            _actor(), pid, title=form.get("title", ""), on=on, place=form.get("place", "")
        )
    )
    if done is not None:
        wait_for_projections()
        flash(gettext("Workshop planned."), "success")
    return redirect(url_for("pages.facilitate", pid=pid, _anchor="workshops"), code=303)


@bp.post("/p/<uuid:pid>/workshops/<uuid:wid>/status")
@signed_in("facilitate a process")
def workshop_status(pid: UUID, wid: UUID) -> Response:
    """Open or close a workshop."""
    action = request.form.get("action")
    app = voisinage()
    if action == "open":
        done = attempt(lambda: app.open_workshop(_actor(), wid))
    elif action == "close":
        done = attempt(lambda: app.close_workshop(_actor(), wid))
    else:
        abort(400)
    if done is not None or app.last_position() is not None:
        wait_for_projections()
    back = request.form.get("back") == "capture"
    target = "pages.capture" if back else "pages.facilitate"
    return redirect(url_for(target, pid=pid, wid=wid) if back else url_for(target, pid=pid), 303)


# --- fast capture of paper notes ---------------------------------------------------------


def _remembered(wid: UUID) -> dict[str, str]:
    memory = session.get(CAPTURE_KEY) or {}
    value = memory.get(str(wid)) if isinstance(memory, dict) else None
    return value if isinstance(value, dict) else {}


@bp.get("/p/<uuid:pid>/workshops/<uuid:wid>/capture")
@signed_in("facilitate a process")
def capture(pid: UUID, wid: UUID) -> str:
    """One contribution per submit; the form comes back with kind, language and group kept."""
    row = process_row(pid)
    workshop = views().workshop(wid)
    if workshop is None or str(get(workshop, "process_id")) != str(pid):
        abort(404)
    may_open = permitted("open a workshop", row)
    recent = _recent(wid)
    remembered = _remembered(wid)
    return render_template(
        "pages/capture.html",
        pid=pid,
        process=row,
        workshop=workshop,
        recent=recent,
        axes=axis_names(row),
        remembered=remembered,
        kinds=KINDS,
        draft=session.pop("capture_draft", ""),
        resident_code=session.pop("capture_code", ""),
        refused_axis=session.pop("capture_axis", ""),
        may_open=may_open,
        organisations=[(o["organisation_id"], o["name"]) for o in views().organisations(pid)],
    )


def _recent(wid: UUID) -> list[Any]:
    """The workshop's last five contributions, newest first."""
    return list(reversed(as_list(views().contributions(wid, include_hidden=True))))[:5]


@bp.post("/p/<uuid:pid>/workshops/<uuid:wid>/capture")
@signed_in("facilitate a process")
def capture_post(pid: UUID, wid: UUID) -> Response:
    """Record one captured contribution, remember the settings, back to the form."""
    form = request.form
    kind = form.get("kind", "idea")
    language = form.get("language", "fr")
    group = form.get("group", "").strip()
    organisation = form.get("organisation", "").strip()
    axis = form.get("axis", "")
    keep_axis = form.get("keep_axis") == "yes"
    memory = session.get(CAPTURE_KEY)
    memory = dict(memory) if isinstance(memory, dict) else {}
    # the theme is kept only when asked: it must not slip onto an unrelated note
    memory[str(wid)] = {
        "kind": kind,
        "language": language,
        "group": group,
        "organisation": organisation,
        "axis": axis if keep_axis else "",
    }
    session[CAPTURE_KEY] = dict(list(memory.items())[-10:])
    done = attempt(
        lambda: voisinage().record_contribution(
            _actor(),
            wid,
            kind=kind,
            text=form.get("text", ""),
            language=language,
            on_behalf_of_code=form.get("resident_code", "").strip() or None,
            on_behalf_of_group=group or None,
            on_behalf_of_organisation=uuid_or_none(organisation),
            axis_id=uuid_or_none(axis),
            quote_consent=form.get("quote_consent") == "yes",
        )
    )
    if done is not None:
        wait_for_projections()
        flash(gettext("Recorded. Next one."), "success")
    if request.headers.get(FETCH_HEADER) == "1":
        return _capture_answer(pid, wid, recorded=done is not None)
    if done is None:
        session["capture_draft"] = form.get("text", "")[:5000]
        session["capture_code"] = form.get("resident_code", "")[:40]
        session["capture_axis"] = axis[:40]  # the theme chosen stays, kept or not
    return redirect(url_for("pages.capture", pid=pid, wid=wid), code=303)


def _capture_answer(pid: UUID, wid: UUID, *, recorded: bool) -> Response:
    """The answer to the page's own script (no reload between notes): what to say, the
    refused field, and the last captured notes to show again."""
    said = cast(list[tuple[str, str]], get_flashed_messages(with_categories=True))
    field = FIELD_CATEGORY
    beside = {c.removeprefix(field): str(m) for c, m in said if c.startswith(field)}
    messages = [str(m) for c, m in said if c in ("success", "error")]
    recent = render_template(
        "pages/_capture_recent.html", recent=_recent(wid), axes=axis_names(process_row(pid))
    )
    answer = jsonify(
        recorded=recorded, messages=messages, fields=list(beside), beside=beside, recent=recent
    )
    answer.status_code = 200 if recorded else 422
    return answer
