"""Organisations taking part in a process: everyone reads the list (name, sector,
commune, how many represent them); facilitators register one and name its
representatives by the code on their invitation card; an admin erases an organisation's
contact person after a confirmation page. Phone first, no JavaScript."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from application.authorisation import may
from domain.errors import InvalidInput
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import permitted, process_row, uuid_or_none, wait_for_projections
from web.pages.feedback import attempt
from web.pages.sessions import page_actor, signed_in

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


def _page(pid: UUID, status: int = 200) -> tuple[str, int]:
    row = process_row(pid)
    actor = page_actor()
    facilitator = may(actor, "register an organisation")
    found = views().organisations(pid, include_private=facilitator)
    names: dict[str, list[str | None]] = {}
    if facilitator and actor is not None:
        for organisation in found:
            if organisation["representative_count"]:
                names[organisation["organisation_id"]] = [
                    r["name"]
                    for r in voisinage().representatives(
                        actor, UUID(organisation["organisation_id"])
                    )
                ]
    represented: set[str] = set()
    if actor is not None and not actor.is_staff:
        represented = {
            o["organisation_id"]
            for o in views().organisations_represented(pid, actor.participant_id)
        }
    page = render_template(
        "pages/organisations.html",
        pid=pid,
        process=row,
        organisations=found,
        options=[(o["organisation_id"], o["name"]) for o in found],
        names=names,
        represented=represented,
        facilitator=facilitator,
        may_erase=may(actor, "erase an organisation's contact"),
        may_register=facilitator and permitted("register an organisation", row),
        form=request.form,
    )
    return page, status


@bp.get("/p/<uuid:pid>/organisations")
def organisations(pid: UUID) -> tuple[str, int]:
    """The organisations of a process with their representatives."""
    return _page(pid)


def _done(pid: UUID, result: Any, message: str, anchor: str) -> Response | tuple[str, int]:
    if result is None:
        return _page(pid, 422)
    wait_for_projections()
    flash(message, "success")
    return redirect(url_for("pages.organisations", pid=pid, _anchor=anchor), code=303)


@bp.post("/p/<uuid:pid>/organisations")
@signed_in("register an organisation")
def register_organisation(pid: UUID) -> Response | tuple[str, int]:
    """Register an organisation; its contact person is sealed as personal data."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    contact = {
        name.removeprefix("contact_"): value
        for name in CONTACT_FIELDS
        if (value := form.get(name, "").strip())
    }
    done = attempt(
        lambda: voisinage().register_organisation(
            actor,
            pid,
            name=form.get("name", ""),
            sector=form.get("sector", ""),
            commune=form.get("commune", ""),
            contact=contact or None,
        )
    )
    anchor = f"o-{done}" if done is not None else ""
    return _done(pid, done, gettext("The organisation is registered."), anchor)


@bp.post("/p/<uuid:pid>/organisations/representatives")
@signed_in("register an organisation")
def add_representative(pid: UUID) -> Response | tuple[str, int]:
    """Name a resident, by the code on their card, as a representative of an organisation."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    organisation = uuid_or_none(form.get("organisation_id", ""))
    found = views().organisation(organisation) if organisation is not None else None
    code = form.get("code", "").strip()

    def add() -> UUID:
        if organisation is None or found is None or str(found["process_id"]) != str(pid):
            raise InvalidInput(
                "choose the organisation", field="organisation_id", code="organisation.unknown"
            )
        if not code:
            raise InvalidInput(
                "give the code on their invitation card",
                field="code",
                code="organisation.no_representative",
            )
        return voisinage().add_representative(actor, organisation, code=code)

    done = attempt(add)
    return _done(pid, done, gettext("The representative is added."), f"o-{organisation}")


def _of_process(pid: UUID, oid: UUID) -> dict[str, Any]:
    found = views().organisation(oid)
    if found is None or str(found["process_id"]) != str(pid):
        abort(404)
    return found


@bp.route("/p/<uuid:pid>/organisations/<uuid:oid>/contact/erase", methods=["GET", "POST"])
@signed_in("erase an organisation's contact")
def erase_organisation_contact(pid: UUID, oid: UUID) -> Response | tuple[str, int]:
    """What erasing the contact person does, then (confirmed) the erasure."""
    actor = page_actor()
    assert actor is not None
    found = _of_process(pid, oid)
    status = 200
    if request.method == "POST":
        confirmed = request.form.get("confirm") == "yes"

        def erase() -> bool:
            voisinage().erase_organisation_contact(actor, oid, confirm=confirmed)
            return True

        if attempt(erase):
            wait_for_projections()
            flash(gettext("The contact person's data is erased."), "success")
            return redirect(url_for("pages.organisations", pid=pid, _anchor=f"o-{oid}"), code=303)
        status = 409 if confirmed else 422
    page = render_template(
        "pages/organisation_contact_erase.html",
        pid=pid,
        process=process_row(pid),
        organisation=found,
    )
    return page, status
