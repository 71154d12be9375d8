"""Server-rendered pages for residents, facilitators, institutions and auditors.

Plain HTML forms that work without JavaScript (POST, then redirect to a GET), in
French, Dutch or English (Flask-Babel), signed in with the Flask session: residents
by redeeming an invitation code, staff with e-mail and password. Every POST form
carries a per-session CSRF token. Static JavaScript only improves the forms.
"""

from __future__ import annotations

from flask import Flask

# the modules below add their routes to `bp` when imported (once per process)
from web.pages import (  # noqa: F401
    audit,
    csrf,
    errors,
    facilitation,
    feedback,
    i18n,
    institution,
    invitations,
    moderation,
    organisations,
    presentation,
    privacy,
    proposals_write,
    questionnaires,
    receipts,
    reports,
    research,
    resident,
    sessions,
    signin,
)
from web.pages.blueprint import bp

bp.before_request(sessions.load_page_actor)
bp.before_request(csrf.check_csrf)


def register_pages(app: Flask) -> None:
    """Register the page blueprints, Flask-Babel and the session-based sign-in."""
    i18n.init_i18n(app)
    presentation.init_presentation(app)
    app.register_blueprint(bp)
    app.jinja_env.globals["csrf_token"] = csrf.csrf_token
    app.jinja_env.globals["field_error"] = feedback.field_error
    app.context_processor(sessions.template_context)
