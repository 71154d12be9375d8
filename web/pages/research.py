"""The research record of a process: everyone reads it; facilitators write it with plain
forms (hypotheses, methods and when, indicators citing questionnaire questions, expected
effects per axis). Phone first, no JavaScript needed."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext
from werkzeug.wrappers import Response

from application.authorisation import may
from domain.errors import InvalidInput, NotFound
from domain.research import EFFECT_TARGETS
from web.context import voisinage
from web.pages.blueprint import bp
from web.pages.data import axis_names, process_row, uuid_or_none
from web.pages.feedback import attempt
from web.pages.i18n import localised
from web.pages.questionnaires import localised_from_form
from web.pages.reports import DIRECTIONS, RESEARCH_METHODS
from web.pages.reports import EFFECT_TARGETS as TARGET_NAMES
from web.pages.sessions import page_actor, signed_in


@bp.app_template_filter("decimal")
def decimal(value: object, signed: bool = False) -> str:
    """A number with two decimals in the reader's language ("+1,25" in French)."""
    if not isinstance(value, int | float):
        return "—"
    pattern = "+#,##0.00;-#,##0.00" if signed else "#,##0.00"
    return str(format_decimal(value, format=pattern))


@bp.app_template_filter("zip_texts")
def zip_texts(ids: Any, texts: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, its text in the reader's language, shortened) for a select's options."""
    found = []
    for key in ids:
        text = localised(texts.get(str(key)))
        found.append((str(key), text if len(text) <= 90 else text[:89] + "…"))
    return found


def _page(pid: UUID, status: int = 200) -> tuple[str, int]:
    row = process_row(pid)
    record = voisinage().research_page(pid)
    writer = may(page_actor(), "write the research record")
    questions = record["questions"]
    cited = {(q["questionnaire_id"], q["question_id"]): q for q in questions}
    page = render_template(
        "pages/research.html",
        pid=pid,
        process=row,
        record=record,
        hypotheses={h["id"]: h["text"] for h in record["hypotheses"]},
        cited=cited,
        axes=axis_names(row),
        writer=writer,
        questions=questions if writer else [],
        method_names=RESEARCH_METHODS,
        direction_names=DIRECTIONS,
        target_names=TARGET_NAMES,
        today=date.today().isoformat(),
    )
    return page, status


@bp.get("/p/<uuid:pid>/research")
def research(pid: UUID) -> tuple[str, int]:
    """The research record: hypotheses, methodology, indicators, expected effects."""
    try:
        return _page(pid)
    except NotFound:
        abort(404)


def _done(pid: UUID, result: object, message: str, anchor: str) -> Response | tuple[str, int]:
    if result is None:
        return _page(pid, 422)
    flash(message, "success")
    return redirect(url_for("pages.research", pid=pid, _anchor=anchor), code=303)


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{field} must be a date", field=field, code="research.date") from None


@bp.post("/p/<uuid:pid>/research/hypotheses")
@signed_in("write the research record")
def state_hypothesis(pid: UUID) -> Response | tuple[str, int]:
    """State a hypothesis in French, Dutch and/or English."""
    actor = page_actor()
    assert actor is not None
    text = localised_from_form(request.form, "text")
    done = attempt(lambda: voisinage().state_hypothesis(actor, pid, text))
    return _done(pid, done, gettext("The hypothesis is stated."), "hypotheses")


@bp.post("/p/<uuid:pid>/research/methods")
@signed_in("write the research record")
def describe_method(pid: UUID) -> Response | tuple[str, int]:
    """Describe a method of the methodology and when it is used."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    done = attempt(
        lambda: (
            voisinage().describe_method(
                actor,
                pid,
                method=form.get("method", ""),
                description=localised_from_form(form, "description"),
                start=_day(form.get("start", ""), "start"),
                end=_day(form.get("end", ""), "end"),
            )
            or True
        )
    )
    return _done(pid, done, gettext("The method is added."), "methods")


@bp.post("/p/<uuid:pid>/research/indicators")
@signed_in("write the research record")
def define_indicator(pid: UUID) -> Response | tuple[str, int]:
    """Define an indicator of a hypothesis, citing the questions that measure it."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    questions = [
        {"questionnaire_id": value.partition("/")[0], "question_id": value.partition("/")[2]}
        for value in form.getlist("question")
    ]
    hypothesis = uuid_or_none(form.get("hypothesis_id", ""))

    def define() -> UUID:
        if hypothesis is None:
            raise InvalidInput(
                "choose the hypothesis", field="hypothesis_id", code="research.no_hypothesis"
            )
        return voisinage().define_indicator(
            actor,
            pid,
            hypothesis_id=hypothesis,
            name=localised_from_form(form, "name"),
            how=localised_from_form(form, "how"),
            direction=form.get("direction", ""),
            questions=questions,
        )

    return _done(pid, attempt(define), gettext("The indicator is defined."), "indicators")


@bp.post("/p/<uuid:pid>/research/effects")
@signed_in("write the research record")
def set_expected_effects(pid: UUID) -> Response | tuple[str, int]:
    """State the effects expected of an axis for people, publics and organisations."""
    actor = page_actor()
    assert actor is not None
    form = request.form
    effects = {
        target: text
        for target in EFFECT_TARGETS
        if (text := localised_from_form(form, f"effects_{target}"))
    }
    axis = uuid_or_none(form.get("axis_id", ""))

    def set_them() -> bool:
        if axis is None:
            raise InvalidInput("choose the axis", field="axis_id", code="research.no_axis")
        voisinage().set_expected_effects(actor, pid, axis, effects)
        return True

    return _done(pid, attempt(set_them), gettext("The expected effects are saved."), "effects")
