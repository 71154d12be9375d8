"""The facilitators' moderation page: a filtered, paginated queue of contributions or
proposals with only the forms the phase permits, a log that says who did what and when,
merging by choosing the target, and a confirmation before hiding a proposal during the
vote (its votes stop counting, and it cannot come back)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import format_date, format_time, gettext, lazy_gettext
from werkzeug.wrappers import Response

from domain.phases import PERMITTED, Phase
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import (
    axis_names,
    get,
    process_view,
    uuid_or_none,
    wait_for_projections,
)
from web.pages.feedback import attempt
from web.pages.presentation import role_name
from web.pages.sessions import page_actor, signed_in

PER_PAGE = 20
LOG_PER_PAGE = 10


#: What a moderation act did, in words, by (kind of item, act) of the moderation log.
LOG_TEXTS: dict[tuple[str, str], Any] = {
    ("contribution", "hide"): lazy_gettext("Hid the contribution “%(item)s”"),
    ("contribution", "restore"): lazy_gettext("Showed the contribution “%(item)s” again"),
    ("contribution", "tag"): lazy_gettext("Set the theme of the contribution “%(item)s”"),
    ("proposal", "hide"): lazy_gettext("Hid the proposal “%(item)s”"),
    ("proposal", "restore"): lazy_gettext("Showed the proposal “%(item)s” again"),
    ("proposal", "merge"): lazy_gettext("Merged the proposal “%(item)s” into “%(target)s”"),
    ("proposal", "withdraw"): lazy_gettext("Withdrew the proposal “%(item)s”"),
}


def _actor() -> Any:
    actor = page_actor()
    assert actor is not None
    return actor


def _page(value: str | None) -> int:
    try:
        return max(1, int(value or "1"))
    except ValueError:
        return 1


@bp.get("/p/<uuid:pid>/moderation")
@signed_in("facilitate a process")
def moderation(pid: UUID) -> str:
    """One page of the queue (filtered by kind and status), one page of the log."""
    state = process_view(pid)
    row = state.row
    args = request.args
    queue = views().moderation_items(
        pid,
        kind=args.get("kind", ""),
        status=args.get("status", ""),
        page=_page(args.get("page")),
        per_page=PER_PAGE,
    )
    log = views().moderation_log(pid, page=_page(args.get("log")), per_page=LOG_PER_PAGE)
    who = voisinage().moderators(_actor(), [e["by"] for e in log["entries"]])
    me = str(_actor().participant_id)
    entries = [_log_entry(e, who, me) for e in log["entries"]]
    phase = state.phase
    may_merge = phase in PERMITTED["merge proposals"]
    targets: list[dict[str, Any]] = []
    if may_merge and queue["kind"] == "proposals":
        on_ballot = set(state.candidates)
        targets = [
            t
            for t in views().merge_targets(pid)
            if not on_ballot or str(t["proposal_id"]) in on_ballot
        ]
    return render_template(
        "pages/moderation.html",
        pid=pid,
        process=row,
        phase=phase.value,
        queue=queue,
        log=log,
        entries=entries,
        axes=axis_names(row),
        may_tag=phase in PERMITTED["tag a contribution"],
        may_moderate_contributions=phase in PERMITTED["moderate a contribution"],
        may_moderate_proposals=phase in PERMITTED["moderate a proposal"],
        refused=request.args.get("refused", ""),
        merge_target=request.args.get("target", ""),
        may_merge=may_merge,
        voting=phase is Phase.VOTING,
        removed=set(state.removed),
        targets=targets,
    )


def _log_entry(entry: dict[str, Any], who: dict[str, Any], me: str) -> dict[str, str]:
    """A log row in words: when (in the reader's language), who, what, why."""
    text = LOG_TEXTS.get((entry["item_kind"], entry["action"]))
    what = (
        str(text) % {"item": entry.get("item") or "…", "target": entry.get("target") or "…"}
        if text is not None
        else gettext("Another moderation act")
    )
    return {
        "when": _when(entry.get("at")),
        "who": _who(entry.get("by"), entry["action"], who, me),
        "what": what,
        "reason": entry.get("reason") or "",
    }


def _who(by: Any, action: str, who: dict[str, Any], me: str) -> str:
    if by is not None and str(by) == me:
        return gettext("You")
    found = who.get(str(by)) if by is not None else None
    if found is None:
        return gettext("The author") if action == "withdraw" else gettext("Someone")
    role = role_name(found["role"])
    if found["role"] == "resident":
        return gettext("The author") if action == "withdraw" else role
    return f"{found['name']} ({role})" if found["name"] else role


def _when(value: Any) -> str:
    """A moment in the reader's language ("3 déc. 2026 14:39"), never a raw ISO text."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    return f"{format_date(moment, 'medium')} {format_time(moment, 'short')}"


@bp.get("/p/<uuid:pid>/proposals/<uuid:proposal_id>/hide")
@signed_in("moderate a proposal")
def confirm_hide_proposal(pid: UUID, proposal_id: UUID) -> Response | str:
    """During the vote: say what hiding does to the votes, and ask for the reason."""
    state = process_view(pid)
    row = state.row
    proposal = views().proposal(proposal_id)
    if proposal is None or str(get(proposal, "process_id")) != str(pid):
        abort(404)
    back = url_for("pages.moderation", pid=pid, kind="proposals", _anchor=f"p-{proposal_id}")
    if state.phase is not Phase.VOTING:
        return redirect(back, code=303)
    if str(proposal_id) not in set(state.candidates):
        flash(gettext("This proposal is no longer on the ballot."), "error")
        return redirect(back, code=303)
    rules = state.rules
    score = None
    if not rules.hide_results_until_close:
        ranking = views().ranking(pid) or {}
        for entry in ranking.get("ranking") or []:
            if str(entry.get("proposal_id")) == str(proposal_id):
                score = entry.get("score")
    counts = get(row, "counts") or {}
    return render_template(
        "pages/confirm_hide.html",
        pid=pid,
        process=row,
        phase=state.phase.value,
        proposal=proposal,
        method=str(getattr(rules.method, "value", rules.method)),
        score=score,
        hidden_results=rules.hide_results_until_close,
        ballots=int(get(counts, "ballots", 0) or 0),
        back=back,
    )


@bp.post("/p/<uuid:pid>/contributions/<uuid:cid>/moderate")
@signed_in("facilitate a process")
def moderate_contribution(pid: UUID, cid: UUID) -> Response:
    """Hide or restore with a reason, or tag with an axis."""
    form = request.form
    action = form.get("action", "")
    return _moderated(
        pid,
        f"c-{cid}",
        action,
        lambda: voisinage().moderate_contribution(
            _actor(),
            cid,
            action=action,
            reason=form.get("reason") or None,
            axis_id=uuid_or_none(form.get("axis_id")),
        ),
    )


@bp.post("/p/<uuid:pid>/proposals/<uuid:proposal_id>/moderate")
@signed_in("facilitate a process")
def moderate_proposal(pid: UUID, proposal_id: UUID) -> Response:
    """Hide or restore a proposal with a reason, or merge it into the chosen one."""
    form = request.form
    action = form.get("action", "")
    return _moderated(
        pid,
        f"p-{proposal_id}",
        action,
        lambda: voisinage().moderate_proposal(
            _actor(),
            proposal_id,
            action=action,
            reason=form.get("reason", ""),
            target_id=uuid_or_none(form.get("target_id")),
        ),
        kind="proposals",
    )


def _moderated(
    pid: UUID,
    anchor: str,
    action: str,
    command: Callable[[], object],
    kind: str = "contributions",
) -> Response:
    """Run a moderation command, say how it went, and go back to the queue at `anchor`
    (the filters the form was sent from are kept)."""
    errors_before = _flashed_errors()
    attempt(command)
    wait_for_projections()
    refused = _flashed_errors() != errors_before
    if not refused:
        flash(_done_message(action), "success")
    elif request.form.get("back") == "confirm":  # the refused field is on that page
        proposal_id = anchor.removeprefix("p-")
        return redirect(
            url_for("pages.confirm_hide_proposal", pid=pid, proposal_id=proposal_id), 303
        )
    keep: dict[str, Any] = {k: v for k in ("status", "page") if (v := request.form.get(k))}
    if refused:  # which item's form the refused field's message goes beside
        keep["refused"] = f"{anchor}:{action}"
        if action == "merge" and uuid_or_none(request.form.get("target_id")):
            keep["target"] = request.form["target_id"]  # the proposal chosen stays chosen
    return redirect(url_for("pages.moderation", pid=pid, kind=kind, _anchor=anchor, **keep), 303)


def _flashed_errors() -> int:
    """Error messages waiting to be shown (some may be from an earlier request)."""
    return sum(1 for category, _ in session.get("_flashes", []) if category == "error")


def _done_message(action: str) -> str:
    return {
        "hide": gettext("Hidden. The reason is kept in the history."),
        "restore": gettext("Visible again."),
        "tag": gettext("Theme saved."),
        "merge": gettext("Merged."),
    }.get(action, gettext("Done."))
