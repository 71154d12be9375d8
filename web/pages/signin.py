"""Staff sign-in with e-mail and password, and signing out (everyone)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.errors import DomainError
from domain.roles import Role
from web.context import voisinage
from web.pages.blueprint import bp
from web.pages.i18n import safe_next
from web.pages.sessions import page_actor
from web.pages.sessions import sign_in as start_session
from web.pages.sessions import sign_out as end_session


def landing(role: Role) -> str:
    """Where each role starts."""
    if role is Role.AUDITOR:
        return url_for("pages.audit_events")
    if role is Role.INSTITUTION:
        return url_for("pages.to_do")
    return url_for("pages.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | tuple[str, int] | str:
    """E-mail and password (staff only; residents join with their invitation code)."""
    target = request.values.get("next")
    if request.method == "POST":
        email = request.form.get("email", "")
        password = request.form.get("password", "")
        try:
            actor = voisinage().authenticate(email, password)
        except DomainError:
            flash(gettext("Unknown e-mail or wrong password."), "error")
            # 401 lets the security layer count failed attempts per address
            return render_template("pages/sign_in.html", email=email, next=target), 401
        start_session(actor)
        flash(gettext("You are signed in."), "success")
        return redirect(safe_next(target, landing(actor.role)), code=303)
    return render_template("pages/sign_in.html", email="", next=target)


@bp.get("/sign-out")
def confirm_sign_out() -> Response | str:
    """Before a resident signs out: how they come back (the code on their invitation card)."""
    if page_actor() is None:
        return redirect(url_for("pages.home"), code=303)
    return render_template("pages/sign_out.html")


@bp.post("/sign-out")
def sign_out() -> Response:
    """Forget who is signed in."""
    was = page_actor()
    end_session()
    if was is not None:
        flash(gettext("You are signed out."), "success")
    return redirect(url_for("pages.home"), code=303)
