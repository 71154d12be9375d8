"""Server-rendered pages for residents, facilitators, institutions and auditors.

Plain HTML forms that work without JavaScript (POST, then redirect to a GET), in
French, Dutch or English (Flask-Babel), signed in with the Flask session: residents
by redeeming an invitation code, staff with e-mail and password. Every POST form
carries a per-session CSRF token. Static JavaScript only improves the forms.
"""

from __future__ import annotations

from flask import Flask

from web.pages import csrf, i18n, presentation, sessions
from web.pages.blueprint import bp


def register_pages(app: Flask) -> None:
    """Register the page blueprints, Flask-Babel and the session-based sign-in."""
    i18n.init_i18n(app)
    presentation.init_presentation(app)
    # the modules below add their routes to `bp` when imported
    from web.pages import audit, facilitation, institution, resident, signin  # noqa: F401

    bp.before_request(sessions.load_page_actor)
    bp.before_request(csrf.check_csrf)
    app.register_blueprint(bp)
    app.jinja_env.globals["csrf_token"] = csrf.csrf_token
    app.context_processor(sessions.template_context)
