"""The interface language: French, Dutch or English, chosen by the user and remembered.

Order of choice: a link's ``?lang=fr|nl|en`` (remembered, as the switch is), the
language cookie (set by the switch in the header), then the browser's
Accept-Language, then French.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, redirect, request
from flask_babel import Babel, get_locale
from werkzeug.wrappers import Response

from domain.text import in_language
from web.pages.blueprint import bp

LANGUAGES = ("fr", "nl", "en")
DEFAULT_LANGUAGE = "fr"
COOKIE = "voisinage_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
#: Names of the languages in themselves, for the switch.
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English"}


def select_locale() -> str:
    """The link's language, else the cookie's, else the browser's preference among
    ours, else French."""
    for chosen in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of this response (fr, nl or en)."""
    locale = get_locale()
    language = locale.language if locale is not None else DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def localised(texts: Mapping[str, str] | str | None) -> str:
    """A text given per language ({"fr": ..., "nl": ...}) in the interface language."""
    if texts is None:
        return ""
    if isinstance(texts, str):
        return texts
    return in_language(texts, current_language())


def localised_language(texts: Mapping[str, str] | str | None) -> str:
    """The language of the text `localised` picks (for the lang attribute)."""
    if not isinstance(texts, Mapping) or not texts:
        return current_language()
    for candidate in (current_language(), *LANGUAGES):
        if candidate in texts:
            return candidate
    return str(next(iter(texts)))


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to, never another site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


@bp.get("/language/<code>")
def switch_language(code: str) -> Response:
    """Remember the chosen language for a year and go back to the page."""
    target = safe_next(request.args.get("next"))
    return remember_language(redirect(target, code=303), code)


def remember_language(response: Response, code: str | None) -> Response:
    """Set the language cookie for a year when `code` is one of ours."""
    if code in LANGUAGES:
        response.set_cookie(
            COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True, path="/"
        )
    return response


def init_i18n(app: Flask) -> None:
    """Flask-Babel with our translations and locale choice, and the template helpers."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    Babel(app, locale_selector=select_locale, default_locale=DEFAULT_LANGUAGE)
    app.jinja_env.filters["localised"] = localised
    app.jinja_env.filters["localised_lang"] = localised_language
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.after_request
    def remember_a_links_language(response: Response) -> Response:
        """A page opened from a link naming its language keeps that language (a PDF
        asked for in another language does not change the reader's)."""
        chosen = request.args.get("lang")
        page = response.mimetype == "text/html" and response.status_code < 400
        if page and chosen != request.cookies.get(COOKIE):
            remember_language(response, chosen)
        return response

    @app.context_processor
    def language_context() -> dict[str, Any]:
        return {
            "languages": LANGUAGE_NAMES,
            "current_language": current_language,
            "axes_localised": lambda axes: {k: localised(v) for k, v in axes.items()},
        }
