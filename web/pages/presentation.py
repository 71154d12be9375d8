"""What templates share: icons, and the names of roles, phases, kinds and answers."""
# ruff: noqa: E501 (icon path data)

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime, format_percent, lazy_gettext
from markupsafe import Markup

from domain.phases import Phase

#: Stroke-drawn 24x24 icons, always beside a text (decorative: hidden from screen readers).
ICONS: dict[str, str] = {
    "home": "M3 11l9-8 9 8M5 10v10h5v-6h4v6h5V10",
    "idea": "M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z",
    "list": "M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01",
    "search": "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM21 21l-5-5",
    "exit": "M15 4h4v16h-4M10 8l-4 4 4 4M6 12h11",
    "key": "M14 10a4 4 0 1 0-4 4l-6 6v-3h3v-3h3M15 7h.01",
    "warning": "M12 3l10 18H2L12 3zM12 10v4M12 17h.01",
    "check": "M4 12l5 5L20 6",
    "dot": "M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10z",
    "circle": "M12 4a8 8 0 1 0 0 16 8 8 0 0 0 0-16z",
    "testimony": "M4 5h16v11H9l-5 4V5z",
    "idea_kind": "M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z",
    "concern": "M12 3l10 18H2L12 3zM12 10v4M12 17h.01",
    "question": "M9 9a3 3 0 1 1 4 2.8c-.6.3-1 .9-1 1.6V15M12 19h.01",
    "tag": "M3 12V3h9l9 9-9 9-9-9zM7.5 7.5h.01",
    "eye-off": "M3 3l18 18M10.6 6.1A9.8 9.8 0 0 1 12 6c5 0 9 6 9 6a17 17 0 0 1-3 3.4M6.6 6.6C4.3 8.1 3 12 3 12s4 6 9 6c1.6 0 3-.5 4.3-1.2",
    "eye": "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
    "vote": "M4 11l4 4 8-8M3 20h18",
    "receipt": "M6 3h12v18l-3-2-3 2-3-2-3 2V3zM9 8h6M9 12h6",
    "people": "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-6 7-6s7 2 7 6M17 11a3 3 0 1 0 0-6M19 15c2 .5 3 2.5 3 5",
    "chart": "M4 20V10M10 20V4M16 20v-7M22 20H2",
    "arrow": "M5 12h14M13 6l6 6-6 6",
    "pen": "M4 20h4L19 9l-4-4L4 16v4z",
    "flag": "M5 21V4M5 4h11l-2 4 2 4H5",
    "building": "M4 21V3h10v18M14 8h6v13M7 7h4M7 11h4M7 15h4M2 21h20",
    "shield": "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6l8-3z",
    "link": "M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1",
    "plus": "M12 5v14M5 12h14",
}
ICONS["idea"] = ICONS["idea_kind"]


def icon(name: str) -> Markup:
    """An inline SVG icon (no colour of its own: it takes the text's)."""
    path = ICONS.get(name, ICONS["dot"])
    return Markup(
        '<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" '
        'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        'stroke-linejoin="round"><path d="{}"/></svg>'
    ).format(path)


PHASE_NAMES: dict[str, Any] = {
    Phase.DRAFT: lazy_gettext("Preparation"),
    Phase.CONTRIBUTIONS: lazy_gettext("Workshops"),
    Phase.PROPOSALS: lazy_gettext("Proposals"),
    Phase.VOTING: lazy_gettext("Vote"),
    Phase.SHORTLISTED: lazy_gettext("Results"),
    Phase.RECOMMENDATIONS: lazy_gettext("Recommendations"),
    Phase.CLOSED: lazy_gettext("Closed"),
}

ROLE_NAMES: dict[str, Any] = {
    "resident": lazy_gettext("resident"),
    "facilitator": lazy_gettext("facilitator"),
    "institution": lazy_gettext("institution"),
    "auditor": lazy_gettext("auditor"),
    "admin": lazy_gettext("administrator"),
}

KIND_NAMES: dict[str, Any] = {
    "testimony": lazy_gettext("Testimony"),
    "idea": lazy_gettext("Idea"),
    "concern": lazy_gettext("Concern"),
    "question": lazy_gettext("Question"),
}

ANSWER_NAMES: dict[str, Any] = {
    "accepted": lazy_gettext("Accepted"),
    "partially_accepted": lazy_gettext("Partially accepted"),
    "under_study": lazy_gettext("Under study"),
    "rejected": lazy_gettext("Rejected"),
}

STATUS_NAMES: dict[str, Any] = {
    "active": lazy_gettext("active"),
    "withdrawn": lazy_gettext("withdrawn"),
    "merged": lazy_gettext("merged"),
    "scheduled": lazy_gettext("planned"),
    "open": lazy_gettext("open"),
    "closed": lazy_gettext("closed"),
}

#: The counting methods in plain words (the keys are domain.voting.Method values).
METHOD_NAMES: dict[str, Any] = {
    "approval": lazy_gettext("Approval: each resident ticks the proposals they support"),
    "dots": lazy_gettext("Dots: each resident shares out a number of points"),
    "borda": lazy_gettext("Ranking with points: each resident puts the proposals in order"),
    "schulze": lazy_gettext(
        "Ranking two by two: each resident puts the proposals in order (Schulze method)"
    ),
    "majority_judgment": lazy_gettext("Grades: each resident gives each proposal a grade"),
    "equal_shares": lazy_gettext(
        "Fair shares: residents tick proposals, every group gets its fair share of the shortlist"
    ),
    "pav": lazy_gettext(
        "Proportional approval: residents tick proposals, groups are represented by their size"
    ),
}

#: What residents do, in plain words, by the act's name in domain/phases.py PERMITTED.
RESIDENT_ACT_NAMES: dict[str, Any] = {
    "join": lazy_gettext("join with their invitation code"),
    "record a contribution": lazy_gettext("give their ideas in an open workshop"),
    "submit a proposal": lazy_gettext("write a proposal"),
    "revise a proposal": lazy_gettext("change their proposal"),
    "withdraw a proposal": lazy_gettext("withdraw their proposal"),
    "cast a ballot": lazy_gettext("vote, and change their vote"),
    "read the report": lazy_gettext("read the results and the report"),
}

#: Every act of domain/phases.py PERMITTED as the subject of a sentence ("... is not
#: possible now"), so that a refusal in the wrong phase says what, in the reader's language.
ACT_NAMES: dict[str, Any] = {
    "set voting rules": lazy_gettext("Setting the voting rules"),
    "add an axis": lazy_gettext("Adding a theme"),
    "issue invitations": lazy_gettext("Issuing invitation codes"),
    "join": lazy_gettext("Joining with an invitation code"),
    "schedule a workshop": lazy_gettext("Planning a workshop"),
    "open a workshop": lazy_gettext("Opening a workshop"),
    "record a contribution": lazy_gettext("Giving an idea or a testimony"),
    "tag a contribution": lazy_gettext("Giving a contribution a theme"),
    "moderate a contribution": lazy_gettext("Moderating a contribution"),
    "submit a proposal": lazy_gettext("Writing a proposal"),
    "revise a proposal": lazy_gettext("Changing a proposal"),
    "withdraw a proposal": lazy_gettext("Withdrawing a proposal"),
    "moderate a proposal": lazy_gettext("Hiding or showing a proposal"),
    "merge proposals": lazy_gettext("Merging proposals"),
    "cast a ballot": lazy_gettext("Voting"),
    "publish the shortlist": lazy_gettext("Closing the vote"),
    "draft a recommendation": lazy_gettext("Writing a recommendation"),
    "revise a recommendation": lazy_gettext("Changing a recommendation"),
    "submit a recommendation": lazy_gettext("Sending a recommendation to the institution"),
    "answer a recommendation": lazy_gettext("Answering a recommendation"),
    "report progress": lazy_gettext("Reporting progress"),
    "export the vote": lazy_gettext("Exporting the vote"),
    "compose the report": lazy_gettext("Composing the report"),
    "read the report": lazy_gettext("Reading the results and the report"),
    "download the open data": lazy_gettext("Downloading the open data"),
    "write the research record": lazy_gettext("Writing the research record"),
    "build a questionnaire": lazy_gettext("Building a questionnaire"),
    "open a wave": lazy_gettext("Opening a questionnaire wave"),
    "register an organisation": lazy_gettext("Registering an organisation"),
}

#: The checks of `audit verify` (audit/verify.py Finding.check), in plain words.
CHECK_NAMES: dict[str, Any] = {
    "chain": lazy_gettext("Stored events"),
    "anchors": lazy_gettext("Chain heads frozen in the shortlists"),
    "recount": lazy_gettext("Recount of a vote"),
    "checkpoint": lazy_gettext("Signed checkpoints"),
    "views": lazy_gettext("Read models"),
    "projections": lazy_gettext("Read models"),
    "store": lazy_gettext("The store"),
}

#: What a finding of each check means, for people (the finding's own words follow, in English).
CHECK_MEANINGS: dict[str, Any] = {
    "chain": lazy_gettext(
        "An event in the store is not the one recorded when it was first read: the store "
        "was changed after the fact."
    ),
    "anchors": lazy_gettext(
        "A published shortlist froze a state of the log that the store no longer has."
    ),
    "recount": lazy_gettext(
        "Counting the stored ballots again does not give the published result."
    ),
    "checkpoint": lazy_gettext(
        "The store no longer matches a checkpoint signed earlier: events were changed, "
        "swapped or removed since."
    ),
    "views": lazy_gettext(
        "The read models belong to another store: point the service at the right store, "
        "or rebuild them."
    ),
    "projections": lazy_gettext("A read model differs from a fresh rebuild from the events."),
    "store": lazy_gettext("The store could not be opened."),
}

#: Languages a facilitator may choose for captured notes (content can be in any language).
CONTENT_LANGUAGES: dict[str, str] = {
    "fr": "Français",
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "es": "Español",
    "pt": "Português",
    "ro": "Română",
    "pl": "Polski",
    "ber": "Tamaziɣt",
}


def _name(table: dict[str, Any], value: object) -> str:
    key = str(getattr(value, "value", value))
    return str(table.get(key, key))


def phase_name(value: object) -> str:
    """The plain name of a phase."""
    return _name(PHASE_NAMES, value)


def role_name(value: object) -> str:
    """The plain name of a role."""
    return _name(ROLE_NAMES, value)


def kind_name(value: object) -> str:
    """The plain name of a kind of contribution."""
    return _name(KIND_NAMES, value)


def answer_name(value: object) -> str:
    """The plain name of an institutional answer."""
    return _name(ANSWER_NAMES, value)


def status_name(value: object) -> str:
    """The plain name of a proposal's or workshop's status."""
    return _name(STATUS_NAMES, value)


def method_name(value: object) -> str:
    """The plain name of a counting method."""
    return _name(METHOD_NAMES, value)


def phases() -> list[tuple[str, str]]:
    """Every phase in order with its name (for the progress steps)."""
    return [(p.value, phase_name(p)) for p in Phase]


def day(value: object) -> str:
    """A calendar day in the reader's language ("samedi 14 mars 2026"); as given if it is
    not a date."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text[:10])
        except ValueError:
            return text
    if not isinstance(value, date):
        return "" if value is None else str(value)
    return str(format_date(value, "full"))


def check_name(value: object) -> str:
    """The plain name of an audit check."""
    return _name(CHECK_NAMES, value)


def check_meaning(value: object) -> str:
    """What a finding of an audit check means, in the reader's language."""
    return _name(CHECK_MEANINGS, value) if str(value) in CHECK_MEANINGS else ""


def moment(value: object) -> str:
    """An ISO date and time (or a datetime) in the reader's language."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    return str(format_datetime(value, "medium"))


def percent(value: object) -> str:
    """A whole percentage in the reader's language ("40 %" in French, "40%" in English)."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        number = 0
    return str(format_percent(number / 100))


def init_presentation(app: Flask) -> None:
    """Make these helpers available to every template."""
    from web.pages.event_names import event_name

    app.jinja_env.globals.update(
        event_name=event_name,
        icon=icon,
        phase_name=phase_name,
        role_name=role_name,
        kind_name=kind_name,
        answer_name=answer_name,
        status_name=status_name,
        method_name=method_name,
        check_name=check_name,
        check_meaning=check_meaning,
        all_phases=phases,
        content_languages=CONTENT_LANGUAGES,
    )
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["moment"] = moment
