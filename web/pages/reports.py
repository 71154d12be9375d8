"""The process report: the facilitators' composer, the public report page and its PDF.

The page and the PDF render the same template (`report/_body.html`) from
`web.report_document.process_report`; the PDF is made on the server by WeasyPrint
(tagged PDF, document language set) with the print stylesheet inlined.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import (
    force_locale,
    format_date,
    format_decimal,
    format_percent,
    gettext,
    lazy_gettext,
)
from werkzeug.wrappers import Response

from application.authorisation import may
from domain.phases import PERMITTED, Phase
from domain.report import REPORT_LANGUAGES, SECTIONS
from projections.report import composition, quotable
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import axis_names, process_row, uuid_or_none, wait_for_projections
from web.pages.feedback import attempt
from web.pages.i18n import current_language
from web.pages.sessions import page_actor, signed_in
from web.report_document import process_report

#: How each counting method works, in plain words (for the report's vote section).
METHOD_EXPLANATIONS: dict[str, Any] = {
    "approval": lazy_gettext(
        "Each resident chose the proposals they support; a proposal's score is the number "
        "of residents who chose it, and the shortlist holds the proposals with most support."
    ),
    "dots": lazy_gettext(
        "Each resident shared a budget of points between the proposals they prefer; a "
        "proposal's score is the sum of its points."
    ),
    "borda": lazy_gettext(
        "Each resident put the proposals in order; a proposal gets more points the higher "
        "it is placed (Borda count)."
    ),
    "schulze": lazy_gettext(
        "Each resident put the proposals in order; the proposals are compared two by two and "
        "the one preferred by more residents wins (Schulze method)."
    ),
    "majority_judgment": lazy_gettext(
        "Each resident gave each proposal a grade; a proposal's grade is the one a majority "
        "gave it or better (majority judgment)."
    ),
    "equal_shares": lazy_gettext(
        "Each resident chose the proposals they support; the method of equal shares gives "
        "every group of residents a fair share of the shortlist, so that minorities are "
        "represented, not only the largest group."
    ),
    "pav": lazy_gettext(
        "Each resident chose the proposals they support; proportional approval voting fills "
        "the shortlist so that each group of residents is represented in proportion to its size."
    ),
}

SECTION_NAMES: dict[str, Any] = {
    "summary": lazy_gettext("Summary"),
    "methodology": lazy_gettext("Methodology and hypotheses"),
    "workshops": lazy_gettext("The workshops"),
    "axes": lazy_gettext("The axes and the residents' words"),
    "vote": lazy_gettext("The proposals and the vote"),
    "recommendations": lazy_gettext("Recommendations and answers"),
    "questionnaires": lazy_gettext("Questionnaires and measured change"),
    "verification": lazy_gettext("How to verify"),
}

#: The research-action record's values in plain words (domain.research).
RESEARCH_METHODS: dict[str, Any] = {
    "participatory_workshops": lazy_gettext("Participatory workshops"),
    "qualitative_collection": lazy_gettext("Qualitative collection"),
    "questionnaire": lazy_gettext("Questionnaire"),
    "satisfaction_measurement": lazy_gettext("Satisfaction measurement"),
    "living_lab": lazy_gettext("Living lab"),
    "interviews": lazy_gettext("Interviews"),
    "observation": lazy_gettext("Observation"),
}
DIRECTIONS: dict[str, Any] = {
    "increase": lazy_gettext("expected to increase"),
    "decrease": lazy_gettext("expected to decrease"),
    "no_change": lazy_gettext("expected not to change"),
}
EFFECT_TARGETS: dict[str, Any] = {
    "people": lazy_gettext("For the people"),
    "publics": lazy_gettext("For their publics"),
    "organisations": lazy_gettext("For the organisations"),
}

#: Bars drawn in the chart: the shortlist, or this many of the ranking if more.
CHART_BARS = 15

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "report.css"


def _may_preview() -> bool:
    actor = page_actor()
    return may(actor, "facilitate a process")


def _report(pid: UUID) -> tuple[Any, dict[str, Any] | None]:
    """The process row and the report's data; None while the report is not public."""
    row = process_row(pid)
    public = Phase(row["phase"]) in PERMITTED["read the report"]
    if not public and not _may_preview():
        return row, None
    data = process_report(voisinage(), views(), pid)
    if data is None:
        abort(404)
    return row, data


def _chart(data: dict[str, Any]) -> Any:
    from web.pages.charts import shortlist_chart

    vote = data.get("vote")
    if not vote:
        return None
    languages = {e["proposal_id"]: e.get("language", "") for e in vote["ranking"]}
    shown = max(len(vote["shortlist"]), CHART_BARS)
    view = {**vote["shortlist_view"], "ranking": vote["ranking"][:shown]}
    return shortlist_chart(view, languages)


def long_date(value: object) -> str:
    """An ISO date as people write it in the report's language."""
    try:
        return str(format_date(date.fromisoformat(str(value)[:10]), "long"))
    except ValueError:
        return str(value or "")


def number(value: object) -> str:
    """A tally without a trailing .0, localised."""
    if isinstance(value, int | float):
        if float(value).is_integer():
            return str(format_decimal(int(value)))
        return str(format_decimal(round(float(value), 2)))
    return str(value if value is not None else "")


def share(value: object) -> str:
    """A rate between 0 and 1 as a localised percentage ("" when unknown)."""
    if isinstance(value, int | float):
        return str(format_percent(float(value)))
    return ""


def _context(pid: UUID, row: Any, data: dict[str, Any] | None) -> dict[str, Any]:
    vote = (data or {}).get("vote") or {}
    titles = {e["proposal_id"]: e.get("title", "") for e in vote.get("ranking", [])}
    return {
        "pid": pid,
        "process": row,
        "report": data,
        "chart": _chart(data) if data else None,
        "method_explanations": METHOD_EXPLANATIONS,
        "section_names": SECTION_NAMES,
        "report_language": current_language(),
        "preview": data is not None and Phase(row["phase"]) not in PERMITTED["read the report"],
        "long_date": long_date,
        "number": number,
        "share": share,
        "research_methods": RESEARCH_METHODS,
        "directions": DIRECTIONS,
        "effect_targets": EFFECT_TARGETS,
        "titles_of": lambda ids: [titles.get(str(i), str(i)) for i in ids or ()],
    }


@bp.get("/p/<uuid:pid>/report")
def report(pid: UUID) -> str:
    """The process report (public once the vote is over; facilitators preview it earlier)."""
    row, data = _report(pid)
    return render_template("pages/report.html", **_context(pid, row, data))


@bp.get("/p/<uuid:pid>/report.pdf")
def report_pdf(pid: UUID) -> Response:
    """The report as a tagged PDF, in the language asked (?lang=fr|nl|en) or the page's."""
    language = request.args.get("lang")
    if language not in REPORT_LANGUAGES:
        language = current_language()
    row, data = _report(pid)
    if data is None:
        abort(404)
    with force_locale(language):
        html = render_template(
            "report/document.html",
            stylesheet=STYLESHEET.read_text(encoding="utf-8"),
            **{**_context(pid, row, data), "report_language": language},
        )
    try:
        pdf = render_pdf(html)
    except (ImportError, OSError):  # WeasyPrint without Debian's Pango (see README)
        current_app.logger.exception("the report's PDF cannot be made on this server")
        abort(503)
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="voisinage-report-{pid}-{language}.pdf"'
    )
    return response


def render_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of a self-contained HTML document."""
    from weasyprint import HTML

    document: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return document


@bp.get("/p/<uuid:pid>/report/compose")
@signed_in("facilitate a process")
def compose_report(pid: UUID) -> str:
    """The composer: an introduction per section and language, quotes to choose."""
    return _composer(pid)


def _composer(
    pid: UUID,
    introductions: dict[str, dict[str, str]] | None = None,
    quotes: list[UUID] | None = None,
) -> str:
    """The composer page, with what was sent when it was refused."""
    row = process_row(pid)
    composed = composition(views(), pid)
    if introductions is not None:
        composed = {
            **composed,
            "introductions": introductions,
            "quotes": [str(q) for q in quotes or []],
        }
    return render_template(
        "pages/report_compose.html",
        pid=pid,
        process=row,
        composed=composed,
        chosen=set(composed["quotes"]),
        quotable=quotable(views(), pid),
        axes=axis_names(row),
        sections=SECTIONS,
        section_names=SECTION_NAMES,
        report_languages=REPORT_LANGUAGES,
    )


@bp.post("/p/<uuid:pid>/report/compose")
@signed_in("facilitate a process")
def compose_report_post(pid: UUID) -> Response | tuple[str, int]:
    """Record the composition, then back to the composer."""
    form = request.form
    introductions = {
        section: {
            language: form.get(f"intro-{section}-{language}", "")
            for language in REPORT_LANGUAGES
            if form.get(f"intro-{section}-{language}", "").strip()
        }
        for section in SECTIONS
    }
    quotes = [q for q in (uuid_or_none(v) for v in form.getlist("quote")) if q is not None]
    actor = page_actor()
    assert actor is not None
    done = attempt(
        lambda: (
            voisinage().compose_report(
                actor,
                pid,
                introductions={k: v for k, v in introductions.items() if v},
                quotes=quotes,
            )
            or True
        )
    )
    if not done:  # refused: what was typed stays, the message beside its field
        return _composer(pid, introductions, quotes), 422
    wait_for_projections()
    flash(gettext("The report is saved."), "success")
    return redirect(url_for("pages.compose_report", pid=pid), code=303)
