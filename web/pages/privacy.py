"""GDPR rights on the pages: a resident downloads their own data; an admin erases one
participant after a confirmation page that says what will happen."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.errors import DomainError
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.feedback import FIELD_CATEGORY, field_message, flash_error
from web.pages.sessions import page_actor, signed_in


@bp.get("/p/<uuid:pid>/my-data.json")
@signed_in("download one's data", in_process=True)
def my_data(pid: UUID) -> Any:
    """One's own data as a JSON file (recorded as Participant.DataExported)."""
    actor = page_actor()
    assert actor is not None
    try:
        data = voisinage().export_own_data(actor)
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("pages.process", pid=pid), code=303)
    data.update(views().own_items(actor.participant_id))
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="voisinage-my-data.json"'},
    )


def _participant_id(value: str | None) -> UUID | None:
    try:
        return UUID(str(value or "").strip())
    except ValueError:
        return None


@bp.route("/admin/erase", methods=["GET", "POST"])
@signed_in("erase a participant")
def erase() -> Response | str | tuple[str, int]:
    """Step 1: which participant; step 2: confirm; then the erasure."""
    actor = page_actor()
    assert actor is not None
    if request.method == "GET":
        return render_template("pages/erase.html", step="ask", participant_id="")
    given = request.form.get("participant_id", "")
    participant_id = _participant_id(given)
    if participant_id is None:
        said = gettext("This is not a participant number.")
        flash(said, "error")
        flash(said, FIELD_CATEGORY + "participant_id")  # beside the field too
        return render_template("pages/erase.html", step="ask", participant_id=given), 422
    if request.form.get("confirm") != "yes":
        try:
            subject = voisinage().erasure_subject(actor, participant_id)
        except DomainError as error:
            _refused(error)
            return render_template("pages/erase.html", step="ask", participant_id=given), 404
        return render_template(
            "pages/erase.html",
            step="confirm",
            participant_id=str(participant_id),
            role=subject.role,
            erased=subject.erased,
        )
    try:
        voisinage().confirm_erasure(actor, participant_id, True)
    except DomainError as error:
        _refused(error)
        return render_template("pages/erase.html", step="ask", participant_id=given), 409
    flash(gettext("The participant's personal data is erased."), "success")
    return redirect(url_for("pages.erase"), code=303)


def _refused(error: DomainError) -> None:
    """The refusal in the page's messages and beside the participant number."""
    flash_error(error)
    if error.field != "participant_id":
        flash(field_message(error), FIELD_CATEGORY + "participant_id")
