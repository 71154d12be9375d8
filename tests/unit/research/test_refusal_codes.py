"""Every refusal of a questionnaire, a response or the research record names its rule
with a code (and the rule's values as params) that the pages say in plain words, so no
English developer text reaches a French or Dutch page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import DomainError
from domain.questionnaire import Questionnaire, clean_question
from domain.research import ResearchRecord
from web.pages.refusals import SENTENCES


def _questionnaire(*, waves: int = 0) -> Questionnaire:
    q = Questionnaire.create(
        process_id=uuid4(),
        title={"fr": "Vivre ici"},
        intro={"fr": "Deux questions."},
        audience=["residents"],
        anonymous=True,
        created_by=uuid4(),
    )
    q.add_question(clean_question(kind="scale5", text={"fr": "Respect ?"}, required=True))
    q.add_question(
        clean_question(kind="single", text={"fr": "Où ?"}, options=[{"fr": "Hall"}, {"fr": "Rue"}])
    )
    q.add_question(
        clean_question(
            kind="multiple", text={"fr": "Quand ?"}, options=[{"fr": "Matin"}, {"fr": "Soir"}]
        )
    )
    q.add_question(clean_question(kind="text", text={"fr": "Un mot ?"}))
    for _ in range(waves):
        if q.open_wave is not None:
            q.close_wave(q.open_wave)
        q.open_next_wave(label={"fr": "Vague"}, sent_to=10)
    return q


def _record() -> tuple[ResearchRecord, Any]:
    record = ResearchRecord.begin(uuid4())
    return record, record.state_hypothesis({"fr": "La co-création réduit la discrimination"})


def _create(**changed: Any) -> Callable[[], object]:
    given = {
        "process_id": uuid4(),
        "title": {"fr": "Vivre ici"},
        "intro": {"fr": "Deux questions."},
        "audience": ["residents"],
        "anonymous": True,
        "created_by": uuid4(),
    }
    return lambda: Questionnaire.create(**{**given, **changed})


def _question(**changed: Any) -> Callable[[], object]:
    given = {"kind": "single", "text": {"fr": "Où ?"}, "options": [{"fr": "A"}, {"fr": "B"}]}
    return lambda: clean_question(**{**given, **changed})


def _method(**changed: Any) -> Callable[[], object]:
    record, _ = _record()
    given = {
        "method": "interviews",
        "description": {"fr": "Des entretiens"},
        "start": date(2026, 1, 1),
        "end": date(2026, 2, 1),
    }
    return lambda: record.describe_method(**{**given, **changed})


def _indicator(**changed: Any) -> Callable[[], object]:
    record, hypothesis = _record()
    given = {
        "hypothesis_id": hypothesis,
        "name": {"fr": "Confiance"},
        "how": {"fr": "Une échelle"},
        "direction": "increase",
        "questions": [],
    }
    return lambda: record.define_indicator(**{**given, **changed})


REFUSALS: dict[str, Callable[[], object]] = {
    "audience": _create(audience=["everyone"]),
    "anonymous": _create(anonymous="yes"),
    "kind": _question(kind="dice"),
    "required": _question(required="yes"),
    "options missing": _question(options="A"),
    "one option": _question(options=[{"fr": "A"}]),
    "options on a scale": _question(kind="scale5"),
    "question text empty": _question(text={"fr": " "}),
    "fixed": lambda: _questionnaire(waves=1).add_question(
        clean_question(kind="text", text={"fr": "Et ?"})
    ),
    "position": lambda: _questionnaire().add_question(
        clean_question(kind="text", text={"fr": "Et ?"}), position=9
    ),
    "unknown question": lambda: _questionnaire().question("q9"),
    "wave without question": lambda: Questionnaire.create(
        process_id=uuid4(),
        title={"fr": "Vide"},
        intro={"fr": "Rien encore."},
        audience=["residents"],
        anonymous=True,
        created_by=uuid4(),
    ).open_next_wave(label={"fr": "Vague"}),
    "wave still open": lambda: _questionnaire(waves=1).open_next_wave(label={"fr": "Deux"}),
    "sent to": lambda: _questionnaire().open_next_wave(label={"fr": "Un"}, sent_to=0),
    "close a wave not open": lambda: _questionnaire(waves=1).close_wave(2),
    "answer a closed wave": lambda: _questionnaire(waves=2).require_open(1),
    "answer a wave not opened": lambda: _questionnaire(waves=1).require_open(2),
    "answers not a mapping": lambda: _questionnaire().clean_answers(["q1"]),
    "answer to no question": lambda: _questionnaire().clean_answers({"q1": 3, "q9": 1}),
    "required unanswered": lambda: _questionnaire().clean_answers({"q2": "1"}),
    "out of the scale": lambda: _questionnaire().clean_answers({"q1": 9}),
    "unknown option": lambda: _questionnaire().clean_answers({"q1": 3, "q2": "7"}),
    "options twice": lambda: _questionnaire().clean_answers({"q1": 3, "q3": ["1", "1"]}),
    "free text too long": lambda: _questionnaire().clean_answers({"q1": 3, "q4": "x" * 6000}),
    "method": _method(method="nonsense"),
    "start": _method(start="2026-01-01"),
    "end before start": _method(end=date(2025, 1, 1)),
    "hypothesis": _indicator(hypothesis_id=uuid4()),
    "direction": _indicator(direction="up"),
    "cited hypotheses": lambda: _record()[0].require_hypotheses([uuid4()]),
    "no effects": lambda: _record()[0].set_expected_effects(uuid4(), {}),
    "effect target": lambda: _record()[0].set_expected_effects(uuid4(), {"cats": {"fr": "Miaou"}}),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_each_refusal_names_its_rule_with_a_sentence_for_people(name: str) -> None:
    with pytest.raises(DomainError) as refused:
        REFUSALS[name]()
    error = refused.value
    assert error.code is not None, f"{name}: {error.message!r} has no code"
    status = error.params.get("status")
    assert error.code in SENTENCES or f"{error.code}/{status}" in SENTENCES, error.code


def test_a_closed_and_a_never_opened_wave_are_told_apart() -> None:
    with pytest.raises(DomainError) as closed:
        _questionnaire(waves=2).require_open(1)
    with pytest.raises(DomainError) as later:
        _questionnaire(waves=1).require_open(2)
    assert closed.value.params == {"wave": 1, "status": "closed"}
    assert later.value.params == {"wave": 2, "status": "not_opened"}
