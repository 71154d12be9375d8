"""Questionnaire pages: answering a wave (phone first, plain form, no JavaScript) and
reading the results (bars as accessible SVG with the numbers beside them)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext
from werkzeug.wrappers import Response

from application.authorisation import may
from domain.errors import InvalidInput, NotFound
from domain.questionnaire import MULTIPLE, QUESTION_KINDS, SCALES
from web.context import views, voisinage
from web.pages.blueprint import bp
from web.pages.data import axis_names, process_row, uuid_or_none
from web.pages.feedback import attempt
from web.pages.presentation import percent
from web.pages.reports import DIRECTIONS
from web.pages.sessions import page_actor, signed_in

#: The answers' bar charts, in SVG units (about pixels on a phone; at most 24rem wide):
#: each label on lines of its own above its bar, the count and share after the bar.
CHART_WIDTH = 360
BAR_WIDTH = 180
BAR_HEIGHT = 20
LINE_HEIGHT = 18
ROW_GAP = 12
LABEL_CHARS = 36


def _questionnaire_or_404(qid: UUID) -> dict[str, Any]:
    try:
        return voisinage().questionnaire_summary(qid)
    except NotFound:
        abort(404)


def answers_from_form(questions: list[dict[str, Any]], form: Any) -> dict[str, Any]:
    """The form's fields as answers: option ids, lists of them, whole numbers, text.
    A value that is not a number stays text, so that the domain refuses it by name."""
    answers: dict[str, Any] = {}
    for question in questions:
        name = question["id"]
        if question["kind"] == MULTIPLE:
            chosen = form.getlist(name)
            if chosen:
                answers[name] = chosen
            continue
        value = form.get(name, "").strip()
        if not value:
            continue
        if question["kind"] in SCALES and value.isdigit():
            answers[name] = int(value)
        else:
            answers[name] = value
    return answers


def _answering(found: dict[str, Any], chosen: str | None) -> dict[str, Any]:
    """Who may answer and as whom: `member` (the actor may answer at all), `choices`
    (the organisations the actor represents, when the questionnaire asks organisations),
    `for_self` (residents are asked) and `organisation` (the one answered for, if any)."""
    actor = page_actor()
    pid = UUID(str(found["process_id"]))
    represented: list[dict[str, Any]] = []
    if may(actor, "answer a questionnaire", pid) and actor is not None:
        if "organisations" in found["audience"]:
            represented = views().organisations_represented(pid, actor.participant_id)
        for_self = "residents" in found["audience"]
    else:
        for_self = False
    ids = [o["organisation_id"] for o in represented]
    organisation = chosen if chosen in ids else None
    if organisation is None and not for_self and ids:
        organisation = ids[0]
    return {
        "member": for_self or bool(represented),
        "for_self": for_self,
        "choices": represented,
        "organisation": organisation,
    }


@bp.get("/q/<uuid:qid>")
def questionnaire(qid: UUID) -> str:
    """A questionnaire: its intro, whether answers are anonymous, the open wave's form
    (a representative chooses to answer for themselves or for their organisation: then
    their organisation's answers are read instead of their own)."""
    actor = page_actor()
    try:
        found = voisinage().questionnaire_for(actor, qid)
    except NotFound:
        abort(404)
    who = _answering(found, request.args.get("for"))
    wave = found["open_wave"]
    given: dict[str, Any] = found["given"]
    organisation = uuid_or_none(who["organisation"])
    if organisation is not None and wave is not None and actor is not None:
        given = voisinage().own_response(actor, qid, wave, organisation_id=organisation) or {}
    return render_template(
        "pages/questionnaire.html",
        q=found,
        wave=wave,
        given=given,
        scales=SCALES,
        **who,
    )


@bp.post("/q/<uuid:qid>/answers")
@signed_in("answer a questionnaire")
def answer_questionnaire(qid: UUID) -> Response | tuple[str, int]:
    """Save one's answers (or one's organisation's) to the open wave, then back."""
    found = _questionnaire_or_404(qid)
    actor = page_actor()
    assert actor is not None
    wave = request.form.get("wave", "")
    chosen = request.form.get("on_behalf_of_organisation", "").strip()
    answers = answers_from_form(found["questions"], request.form)
    saved = attempt(
        lambda: voisinage().answer_questionnaire(
            actor,
            qid,
            int(wave) if wave.isdigit() else 0,
            answers,
            organisation_id=uuid_or_none(chosen),
        )
    )
    if saved is None:
        who = {**_answering(found, chosen), "member": True}
        page = render_template(
            "pages/questionnaire.html",
            q=found,
            wave=found["open_wave"],
            given=answers,
            scales=SCALES,
            **who,
        )
        return page, 422
    flash(
        gettext("Thank you: your answers are saved. You can change them until the wave closes."),
        "success",
    )
    back: dict[str, Any] = {"for": chosen} if chosen else {}
    return redirect(url_for("pages.questionnaire", qid=qid, **back), code=303)


def _lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A label cut into lines of at most `width` characters, at spaces where it can."""
    lines: list[str] = []
    for word in label.split():
        while len(word) > width:
            lines.append(word[:width])
            word = word[width:]
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bars(
    distribution: dict[str, int], labels: dict[str, str], respondents: int | None = None
) -> dict[str, Any]:
    """The bars of one distribution as an SVG's geometry: each label on its own lines
    above its bar (so that no label is cut, at any width), the bar, then its count and
    share with the n, written the reader's way ("50 % (1/2)").

    The share is of the `respondents` who answered the question (a multiple-choice
    question's shares then add up to more than 100 %); without it, of all the counts."""
    n = respondents if respondents is not None else sum(distribution.values())
    top = max(distribution.values(), default=0) or 1
    rows, y = [], 0
    for key, count in distribution.items():
        lines = _lines(labels.get(key, key))
        bar_y = y + LINE_HEIGHT * len(lines) + 4
        width = max(2, round(BAR_WIDTH * count / top))
        share = percent(round(100 * count / n) if n else 0)
        rows.append(
            {
                "label": labels.get(key, key),
                "lines": [(line, y + LINE_HEIGHT * (i + 1) - 4) for i, line in enumerate(lines)],
                "count": count,
                "share": share,
                "value": gettext(
                    "%(share)s (%(count)s/%(n)s)",
                    share=share,
                    count=format_decimal(count),
                    n=format_decimal(n),
                ),
                "bar_y": bar_y,
                "width": width,
                "value_y": bar_y + BAR_HEIGHT - 5,
            }
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return {"rows": rows, "width": CHART_WIDTH, "height": max(y - ROW_GAP, 1), "n": n}


@bp.app_template_filter("tally")
def tally(value: object) -> str:
    """A count in the reader's language ("1 234" in French)."""
    return str(format_decimal(value)) if isinstance(value, int) else str(value)


@bp.app_template_filter("measure")
def measure(value: object) -> str:
    """A mean or a median in the reader's language, one or two decimals ("3,5")."""
    if not isinstance(value, int | float):
        return "—"
    return str(format_decimal(value, format="#,##0.0#"))


@bp.get("/q/<uuid:qid>/results")
def questionnaire_results(qid: UUID) -> str:
    """Response rates, distributions per wave, the change per indicator, with every n;
    for facilitators, the free-text answers each with a button to make it a contribution."""
    actor = page_actor()
    try:
        results = voisinage().results_for(actor, qid)
    except NotFound:
        abort(404)
    found = results["questionnaire"]
    pid = UUID(str(found["process_id"]))
    process = process_row(pid)
    open_workshops: list[dict[str, Any]] = []
    if results["free"]:
        open_workshops = [w for w in views().workshops(pid) if w["status"] == "open"]
    return render_template(
        "pages/questionnaire_results.html",
        r=results,
        q=found,
        bars=bars,
        axes=axis_names(process),
        free=results["free"],
        questions={question["id"]: question for question in found["questions"]},
        open_workshops=open_workshops,
        direction_names=DIRECTIONS,
    )


@bp.post("/q/<uuid:qid>/contributions")
@signed_in("turn an answer into a contribution")
def contribute_answer(qid: UUID) -> Response:
    """Turn one free-text answer into a contribution of an open workshop."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    response = uuid_or_none(form.get("response_id"))
    workshop = uuid_or_none(form.get("workshop_id"))

    def contribute() -> UUID:
        if workshop is None:
            raise InvalidInput(
                "choose an open workshop", field="workshop_id", code="answer.no_workshop"
            )
        if response is None:
            raise InvalidInput("no such response", field="response", code="answer.no_response")
        return voisinage().contribute_answer(
            actor, qid, response=response, question_id=form.get("question_id", ""),
            workshop_id=workshop,
        )  # fmt: skip

    if attempt(contribute) is not None:
        flash(
            gettext("The answer is now a contribution of the workshop: proposals can cite it."),
            "success",
        )
    return redirect(url_for("pages.questionnaire_results", qid=qid, _anchor="free"), code=303)


# --- building and sending (facilitators) ------------------------------------------------------


def localised_from_form(form: Any, name: str) -> dict[str, str]:
    """{"fr": ..., "nl": ..., "en": ...} from the fields name_fr, name_nl, name_en that
    were filled in (the domain refuses an empty set by name)."""
    return {
        language: form.get(f"{name}_{language}", "").strip()
        for language in ("fr", "nl", "en")
        if form.get(f"{name}_{language}", "").strip()
    }


def options_from_form(form: Any) -> list[dict[str, str]]:
    """Options typed one per line, in French and in Dutch, paired line by line."""
    columns = {
        language: [line.strip() for line in form.get(f"options_{language}", "").splitlines()]
        for language in ("fr", "nl")
    }
    count = max(len([x for x in column if x]) for column in columns.values())
    options = []
    for index in range(count):
        option = {
            language: column[index]
            for language, column in columns.items()
            if index < len(column) and column[index]
        }
        if option:
            options.append(option)
    return options


@bp.route("/p/<uuid:pid>/questionnaires", methods=["GET", "POST"])
@signed_in("build a questionnaire")
def build_questionnaires(pid: UUID) -> Response | str | tuple[str, int]:
    """The process's questionnaires, and a form to create one."""
    actor = page_actor()
    assert actor is not None
    if request.method == "POST":
        form = request.form
        created = attempt(
            lambda: voisinage().create_questionnaire(
                actor,
                pid,
                title=localised_from_form(form, "title"),
                intro=localised_from_form(form, "intro"),
                audience=form.getlist("audience"),
                anonymous=form.get("anonymous") == "yes",
            )
        )
        if created is not None:
            return redirect(url_for("pages.build_questionnaire", qid=created), code=303)
    try:
        found = voisinage().questionnaires_of(pid)
    except NotFound:
        abort(404)
    page = render_template("pages/questionnaires_build.html", pid=pid, questionnaires=found)
    return (page, 422) if request.method == "POST" else page


@bp.get("/q/<uuid:qid>/build")
@signed_in("build a questionnaire")
def build_questionnaire(qid: UUID) -> str:
    """A questionnaire's questions, a form to add one, and its waves."""
    return render_template(
        "pages/questionnaire_build.html", q=_questionnaire_or_404(qid), kinds=QUESTION_KINDS
    )


@bp.post("/q/<uuid:qid>/build/questions")
@signed_in("build a questionnaire")
def add_question(qid: UUID) -> Response | tuple[str, int]:
    """Add a question, then back to the questionnaire's page."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    kind = form.get("kind", "")
    added = attempt(
        lambda: voisinage().add_question(
            actor,
            qid,
            kind=kind,
            text=localised_from_form(form, "text"),
            options=options_from_form(form) if kind in ("single", "multiple") else None,
            required=form.get("required") == "yes",
        )
    )
    if added is None:
        page = render_template(
            "pages/questionnaire_build.html", q=_questionnaire_or_404(qid), kinds=QUESTION_KINDS
        )
        return page, 422
    flash(gettext("The question is added."), "success")
    return redirect(url_for("pages.build_questionnaire", qid=qid), code=303)


@bp.post("/q/<uuid:qid>/build/waves")
@signed_in("build a questionnaire")
def send_wave(qid: UUID) -> Response:
    """Open the next wave, or close the open one."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    if form.get("action") == "close":
        wave = form.get("wave", "")
        done = attempt(
            lambda: voisinage().close_wave(actor, qid, int(wave) if wave.isdigit() else 0) or True
        )
        if done:
            flash(gettext("The wave is closed: its answers no longer change."), "success")
    else:
        sent_to = form.get("sent_to", "").strip()
        opened = attempt(
            lambda: voisinage().open_wave(
                actor,
                qid,
                label=localised_from_form(form, "label"),
                sent_to=int(sent_to) if sent_to.isdigit() else (sent_to or None),  # type: ignore[arg-type]
            )
        )
        if opened is not None:
            flash(gettext("The wave is open: send the link to the people asked."), "success")
    return redirect(url_for("pages.build_questionnaire", qid=qid), code=303)
