"""A questionnaire of a research-action process, sent in waves (baseline, follow-up).

Facilitators build it (an intro and ordered questions, each in FR/NL/EN), then open
and close waves. The questions freeze when the first wave opens, so that every wave
asks the same thing and the waves can be compared. Whether the answers are
anonymous or attributed is a rule of the questionnaire, stated to the respondent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import (
    AnswerAlreadyContributed,
    Conflict,
    InvalidInput,
    InvalidQuestion,
    InvalidResponse,
    WaveNotOpen,
)
from domain.text import clean_localised, clean_text

#: Kinds of question and, for scales, their range.
SINGLE, MULTIPLE, SCALE5, SCALE10, TEXT = "single", "multiple", "scale5", "scale10", "text"
QUESTION_KINDS = (SINGLE, MULTIPLE, SCALE5, SCALE10, TEXT)
SCALES: dict[str, tuple[int, int]] = {SCALE5: (1, 5), SCALE10: (0, 10)}
#: Who a questionnaire is sent to.
AUDIENCES = ("residents", "organisations")
MAX_QUESTIONS = 60
MAX_OPTIONS = 20
MAX_FREE_TEXT = 5000


def clean_question(
    *, kind: object, text: object, options: object = None, required: object = False
) -> dict[str, Any]:
    """A question as stored: kind, text per language, options (choices only), required.

    Option ids are their position ("1", "2", ...): they never change, since the
    questions freeze when the first wave opens.
    """
    if kind not in QUESTION_KINDS:
        raise InvalidQuestion(
            f"kind must be one of {', '.join(QUESTION_KINDS)}", field="kind", code="question.kind"
        )
    if not isinstance(required, bool):
        raise InvalidQuestion(
            "required must be true or false", field="required", code="question.required"
        )
    wording = clean_localised(text, field="text", min_length=3, max_length=500)
    cleaned: list[dict[str, Any]] = []
    if kind in (SINGLE, MULTIPLE):
        if not isinstance(options, Sequence) or isinstance(options, str):
            raise InvalidQuestion(
                "a choice question needs a list of options",
                field="options",
                code="question.options",
                params={"min": 2, "max": MAX_OPTIONS},
            )
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise InvalidQuestion(
                f"a choice question needs 2 to {MAX_OPTIONS} options",
                field="options",
                code="question.options",
                params={"min": 2, "max": MAX_OPTIONS},
            )
        cleaned = [
            {
                "id": str(number),
                "text": clean_localised(
                    option, field=f"options.{number}", min_length=1, max_length=200
                ),
            }
            for number, option in enumerate(options, start=1)
        ]
    elif options:
        raise InvalidQuestion(
            f"a {kind} question has no options", field="options", code="question.no_options"
        )
    return {"kind": kind, "text": wording, "options": cleaned, "required": required}


def clean_answer(question: Mapping[str, Any], value: object, *, field: str) -> Any:
    """One answer checked against its question; raise InvalidResponse naming `field`."""
    kind = question["kind"]
    option_ids = [option["id"] for option in question["options"]]
    if kind == SINGLE:
        if value not in option_ids:
            raise InvalidResponse(
                f"{field} must be one of the options {option_ids}",
                field=field,
                code="response.option",
            )
        return value
    if kind == MULTIPLE:
        if (
            not isinstance(value, list)
            or not value
            or len(set(value)) != len(value)
            or any(v not in option_ids for v in value)
        ):
            raise InvalidResponse(
                f"{field} must be a list of distinct options among {option_ids}",
                field=field,
                code="response.options",
            )
        return sorted(value, key=option_ids.index)
    if kind in SCALES:
        low, high = SCALES[kind]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidResponse(
                f"{field} must be a whole number from {low} to {high}",
                field=field,
                code="response.scale",
                params={"min": low, "max": high},
            )
        return value
    try:
        return clean_text(value, field=field, max_length=MAX_FREE_TEXT)
    except InvalidInput as error:
        raise InvalidResponse(
            error.message, field=field, code=error.code, params=error.params
        ) from None


class Questionnaire(Aggregate):
    """Questions in order, and the waves in which they are asked."""

    @classmethod
    def create(
        cls,
        *,
        process_id: UUID,
        title: object,
        intro: object,
        audience: object,
        anonymous: object,
        created_by: UUID,
    ) -> Questionnaire:
        """Create an empty questionnaire for a process."""
        if (
            not isinstance(audience, list | tuple)
            or not audience
            or any(a not in AUDIENCES for a in audience)
        ):
            raise InvalidInput(
                f"audience must list one or both of {', '.join(AUDIENCES)}",
                field="audience",
                code="questionnaire.audience",
            )
        if not isinstance(anonymous, bool):
            raise InvalidInput(
                "anonymous must be true or false", field="anonymous", code="questionnaire.anonymous"
            )
        return cls(
            process_id=process_id,
            title=clean_localised(title, field="title", min_length=3, max_length=200),
            intro=clean_localised(intro, field="intro", min_length=3, max_length=2000),
            audience=[a for a in AUDIENCES if a in audience],
            anonymous=anonymous,
            created_by=created_by,
        )

    @event("Created")
    def __init__(
        self,
        *,
        process_id: UUID,
        title: dict[str, str],
        intro: dict[str, str],
        audience: list[str],
        anonymous: bool,
        created_by: UUID,
    ) -> None:
        self.process_id = process_id
        self.title = title
        self.intro = intro
        self.audience = audience
        self.anonymous = anonymous
        self.created_by = created_by
        self.questions: list[dict[str, Any]] = []
        self.waves: list[dict[str, Any]] = []
        self.tags: list[dict[str, Any]] = []

    # --- building -------------------------------------------------------------------------

    def add_question(self, question: dict[str, Any], *, position: int | None = None) -> str:
        """Insert a cleaned question (see `clean_question`) at `position` (1-based; default
        last); returns its id. Refused once a wave was opened."""
        if self.waves:
            raise Conflict(
                "the questions are fixed once a wave was opened: create a new questionnaire",
                code="questionnaire.fixed",
            )
        if len(self.questions) >= MAX_QUESTIONS:
            raise InvalidQuestion(
                f"a questionnaire has at most {MAX_QUESTIONS} questions",
                code="question.too_many",
                params={"max": MAX_QUESTIONS},
            )
        if position is not None and (
            isinstance(position, bool)
            or not isinstance(position, int)
            or not 1 <= position <= len(self.questions) + 1
        ):
            raise InvalidQuestion(
                f"position must be from 1 to {len(self.questions) + 1}",
                field="position",
                code="question.position",
                params={"max": len(self.questions) + 1},
            )
        question_id = f"q{len(self.questions) + 1}"
        self._question_added(
            question_id=question_id,
            position=len(self.questions) + 1 if position is None else position,
            **question,
        )
        return question_id

    @event("QuestionAdded")
    def _question_added(
        self,
        *,
        question_id: str,
        position: int,
        kind: str,
        text: dict[str, str],
        options: list[dict[str, Any]],
        required: bool,
    ) -> None:
        self.questions.insert(
            position - 1,
            {
                "id": question_id,
                "kind": kind,
                "text": text,
                "options": options,
                "required": required,
            },
        )

    def question(self, question_id: str) -> dict[str, Any]:
        """The question with this id, or raise InvalidInput."""
        for question in self.questions:
            if question["id"] == question_id:
                return question
        raise InvalidInput(
            f"question {question_id} is not in this questionnaire",
            field="question_id",
            code="question.unknown",
        )

    # --- waves ----------------------------------------------------------------------------

    @property
    def open_wave(self) -> int | None:
        """The number (1, 2, ...) of the wave now open, if any."""
        if self.waves and self.waves[-1]["closed"] is False:
            return int(self.waves[-1]["number"])
        return None

    def open_next_wave(self, *, label: object, sent_to: object = None) -> int:
        """Open the next wave (a baseline, a follow-up); `sent_to`: how many were asked."""
        if not self.questions:
            raise Conflict(
                "add at least one question before opening a wave", code="wave.no_question"
            )
        if self.open_wave is not None:
            raise Conflict(
                f"wave {self.open_wave} is still open: close it first",
                code="wave.still_open",
                params={"wave": self.open_wave},
            )
        if sent_to is not None and (
            isinstance(sent_to, bool)
            or not isinstance(sent_to, int)
            or not 1 <= sent_to <= 1_000_000
        ):
            raise InvalidInput(
                "sent_to must be a whole number from 1", field="sent_to", code="wave.sent_to"
            )
        number = len(self.waves) + 1
        self._wave_opened(
            number=number,
            label=clean_localised(label, field="label", min_length=2, max_length=100),
            sent_to=sent_to,
        )
        return number

    @event("WaveOpened")
    def _wave_opened(self, *, number: int, label: dict[str, str], sent_to: int | None) -> None:
        self.waves.append({"number": number, "label": label, "sent_to": sent_to, "closed": False})

    def close_wave(self, number: int) -> None:
        """Close the open wave: its responses can no longer change."""
        if self.open_wave != number:
            raise WaveNotOpen(
                f"wave {number} is not open", code="wave.not_open", params={"wave": number}
            )
        self._wave_closed(number=number)

    @event("WaveClosed")
    def _wave_closed(self, *, number: int) -> None:
        self.waves[number - 1]["closed"] = True

    def require_open(self, wave: int) -> None:
        """Raise WaveNotOpen unless `wave` is the open wave."""
        if self.open_wave != wave:
            state = "closed" if 1 <= wave <= len(self.waves) else "not opened"
            raise WaveNotOpen(
                f"wave {wave} is {state}: answers are taken while a wave is open",
                code="wave.not_open",
                params={"wave": wave, "status": state.replace(" ", "_")},
            )

    def tag_answer(self, *, response_id: UUID, question_id: str, axis_id: UUID) -> None:
        """Tag one free-text answer with an axis (a facilitator's reading of it)."""
        self.tags = [
            t
            for t in self.tags
            if (t["response_id"], t["question_id"]) != (response_id, question_id)
        ]
        self._answer_tagged(response_id=response_id, question_id=question_id, axis_id=axis_id)

    @event("AnswerTagged")
    def _answer_tagged(self, *, response_id: UUID, question_id: str, axis_id: UUID) -> None:
        self.tags = [
            t
            for t in self.tags
            if (t["response_id"], t["question_id"]) != (response_id, question_id)
        ]
        self.tags.append(
            {"response_id": response_id, "question_id": question_id, "axis_id": axis_id}
        )

    def contributed(self) -> list[dict[str, Any]]:
        """The free-text answers already turned into contributions (response, question)."""
        return list(getattr(self, "_contributed", []))

    def mark_contributed(self, *, response_id: UUID, question_id: str) -> None:
        """Note that this answer became a contribution; refused the second time."""
        if {"response_id": response_id, "question_id": question_id} in self.contributed():
            raise AnswerAlreadyContributed(question_id)
        self._answer_contributed(response_id=response_id, question_id=question_id)

    @event("AnswerContributed")
    def _answer_contributed(self, *, response_id: UUID, question_id: str) -> None:
        self._contributed = [
            *self.contributed(),
            {"response_id": response_id, "question_id": question_id},
        ]

    def clean_answers(self, answers: object) -> dict[str, Any]:
        """A whole response checked against the questions: unknown questions, answers
        that do not fit and unanswered required questions are refused by name."""
        if not isinstance(answers, Mapping):
            raise InvalidResponse(
                "answers must map question ids to answers", field="answers", code="response.shape"
            )
        known = {question["id"] for question in self.questions}
        for question_id in answers:
            if question_id not in known:
                raise InvalidResponse(
                    f"there is no question {question_id}",
                    field="answers",
                    code="response.unknown_question",
                )
        cleaned: dict[str, Any] = {}
        for question in self.questions:
            field = f"answers.{question['id']}"
            value = answers.get(question["id"])
            if value is None or value == [] or (isinstance(value, str) and not value.strip()):
                if question["required"]:
                    raise InvalidResponse(
                        f"{field} is required", field=field, code="response.required"
                    )
                continue
            cleaned[question["id"]] = clean_answer(question, value, field=field)
        if not cleaned:
            raise InvalidResponse(
                "answer at least one question", field="answers", code="response.empty"
            )
        return cleaned
