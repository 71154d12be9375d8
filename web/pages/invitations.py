"""Printable invitation cards: each code with a QR code that opens the join page, and
how to take part, in French and Dutch on every card.

Only the codes' digests are stored; the codes themselves live in the facilitator's
server-side session from issuing until they say the cards are printed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import segno
from flask import flash, redirect, render_template, session, url_for
from flask_babel import force_locale, gettext
from markupsafe import Markup
from werkzeug.wrappers import Response

from web.pages.blueprint import bp
from web.pages.data import get, process_row
from web.pages.i18n import localised
from web.pages.sessions import signed_in

#: The session key that keeps codes issued and not yet printed, per process.
SESSION_KEY = "invitation_cards"
#: The languages printed on every card (Brussels: French and Dutch).
CARD_LANGUAGES = ("fr", "nl")


def keep_codes(pid: UUID, codes: list[str]) -> None:
    """Keep newly issued codes for printing (added to those not printed yet)."""
    kept: dict[str, list[str]] = dict(session.get(SESSION_KEY) or {})
    kept[str(pid)] = [*kept.get(str(pid), []), *codes]
    session[SESSION_KEY] = kept


def codes_to_print(pid: UUID) -> list[str]:
    """The codes issued for this process and not printed yet."""
    return list((session.get(SESSION_KEY) or {}).get(str(pid), []))


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of `url` (decorative: the code is printed beside it)."""
    svg = segno.make(url, error="m").svg_inline(scale=3, title=None, svgclass="qr")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def _card_texts(row: Any) -> list[dict[str, str]]:
    """What every card says, once per card language."""
    texts = []
    for language in CARD_LANGUAGES:
        with force_locale(language):
            texts.append(
                {
                    "lang": language,
                    "title": localised(get(row, "title")),
                    "invited": gettext("You are invited to take part."),
                    "how": gettext(
                        "Scan the QR code, or go to the address below and type your code."
                    ),
                    "keep": gettext(
                        "Keep this card: the same code signs you in again on any phone."
                    ),
                    "code": gettext("Your code"),
                }
            )
    return texts


@bp.get("/p/<uuid:pid>/invitations/cards")
@signed_in("issue invitations")
def invitation_cards(pid: UUID) -> str:
    """The cards of the codes not printed yet, ready to print (A4, cut along the lines)."""
    row = process_row(pid)
    cards = []
    for code in codes_to_print(pid):
        url = url_for("pages.join", pid=pid, code=code, _external=True)
        cards.append({"code": code, "url": url, "qr": qr_svg(url)})
    return render_template(
        "pages/invitation_cards.html",
        pid=pid,
        process=row,
        cards=cards,
        texts=_card_texts(row),
        join_url=url_for("pages.join", pid=pid, _external=True),
    )


@bp.post("/p/<uuid:pid>/invitations/printed")
@signed_in("issue invitations")
def invitations_printed(pid: UUID) -> Response:
    """The cards are printed: forget the codes (they can never be shown again)."""
    kept: dict[str, list[str]] = dict(session.get(SESSION_KEY) or {})
    kept.pop(str(pid), None)
    session[SESSION_KEY] = kept
    flash(gettext("The codes are forgotten: only the printed cards hold them now."), "success")
    return redirect(url_for("pages.facilitate", pid=pid, _anchor="codes"), code=303)
