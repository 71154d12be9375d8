"""Error pages of the pages blueprint: plain words, in the user's language, never a trace."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError, NotFound
from web.pages.blueprint import bp
from web.pages.feedback import friendly


@bp.errorhandler(HTTPException)
def _page(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    messages = {
        400: gettext(
            "The form has expired or was not sent from this site. "
            "Go back, reload the page and try again."
        ),
        403: gettext("This page is not for your role."),
        404: gettext("We could not find this page."),
        405: gettext("This address does not take this kind of request."),
        413: gettext("What you sent is too large."),
    }
    message = messages.get(status, gettext("Something went wrong. Please try again."))
    return render_template("pages/error.html", status=status, message=message), status


@bp.errorhandler(DomainError)
def _domain(error: DomainError) -> tuple[str, int]:
    """A command refused outside a form (should be rare): a page, never a 500."""
    status = 404 if isinstance(error, NotFound) else 409
    return render_template("pages/error.html", status=status, message=friendly(error)), status
