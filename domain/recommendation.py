"""A policy recommendation drawn from shortlisted proposals, and the institution's answers."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypedDict
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import (
    Conflict,
    InvalidAnswer,
    InvalidInput,
    InvalidProgress,
    NotEditable,
    ProgressDecreaseUnexplained,
)
from domain.text import clean_language, clean_text, visible_length

#: A progress report that lowers the percentage says why, in a note at least this long.
DECREASE_NOTE_MIN = 10


def _clean_institution(institution: object) -> str:
    """The public name of the institution answering (empty: not named, as before)."""
    if institution is None or institution == "":
        return ""
    return clean_text(institution, field="institution", min_length=2, max_length=200)


class AnswerStatus(StrEnum):
    """What the institution says of a recommendation (always with a justification)."""

    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    UNDER_STUDY = "under_study"
    REJECTED = "rejected"


class Recommendation(Aggregate):
    """Drafted by facilitators, submitted to the SLRB/SISP, answered and followed up."""

    @classmethod
    def draft(
        cls,
        *,
        process_id: UUID,
        title: str,
        text: str,
        language: str,
        proposal_ids: list[UUID],
        drafted_by: UUID,
        hypothesis_ids: list[UUID] | None = None,
    ) -> Recommendation:
        """Draft a recommendation. The caller has checked the proposals are shortlisted
        and the hypotheses it addresses are in the process's research record."""
        return cls(
            process_id=process_id,
            **_cleaned(title=title, text=text, language=language, proposal_ids=proposal_ids),
            drafted_by=drafted_by,
            hypothesis_ids=_hypotheses(hypothesis_ids),
        )

    @event("Drafted")
    def __init__(
        self,
        *,
        process_id: UUID,
        title: str,
        text: str,
        language: str,
        proposal_ids: list[UUID],
        drafted_by: UUID,
        hypothesis_ids: list[UUID] | None = None,
    ) -> None:
        self.process_id = process_id
        self.title = title
        self.text = text
        self.language = language
        self.proposal_ids = proposal_ids
        self.drafted_by = drafted_by
        #: The research hypotheses it addresses (none in drafts older than that field).
        self.hypothesis_ids: list[UUID] = list(hypothesis_ids or [])
        self.submitted = False
        self.answer: AnswerStatus | None = None
        self.justification: str | None = None
        self.answered_by: UUID | None = None
        self.progress = 0
        self.progress_notes: list[dict[str, object]] = []

    def revise(
        self,
        *,
        title: str,
        text: str,
        language: str,
        proposal_ids: list[UUID],
        by: UUID,
        hypothesis_ids: list[UUID] | None = None,
    ) -> None:
        """Change a draft's title, text, language, cited proposals (the caller has
        checked that they are shortlisted) or hypotheses (None: those it cited before);
        refused once it was sent to the institution."""
        if self.submitted:
            raise NotEditable(
                "the recommendation was sent to the institution and can no longer be edited",
                code="recommendation.sent",
            )
        self._revised(
            **_cleaned(title=title, text=text, language=language, proposal_ids=proposal_ids),
            by=by,
            hypothesis_ids=self.hypothesis_ids
            if hypothesis_ids is None
            else _hypotheses(hypothesis_ids),
        )

    @event("Revised")
    def _revised(
        self,
        *,
        title: str,
        text: str,
        language: str,
        proposal_ids: list[UUID],
        by: UUID,
        hypothesis_ids: list[UUID] | None = None,
    ) -> None:
        self.title = title
        self.text = text
        self.language = language
        self.proposal_ids = proposal_ids
        if hypothesis_ids is not None:  # revisions older than that field kept them
            self.hypothesis_ids = list(hypothesis_ids)

    def submit(self, by: UUID) -> None:
        """Send the recommendation to the institution."""
        if self.submitted:
            raise Conflict("the recommendation was already submitted", code="recommendation.sent")
        self._submitted(by=by)

    @event("Submitted")
    def _submitted(self, *, by: UUID) -> None:
        self.submitted = True

    def answer_with(
        self, *, status: str, justification: str, by: UUID, institution: object = ""
    ) -> None:
        """The institution answers (a later answer supersedes an earlier one), naming
        the institution it answers for (public, like the answer)."""
        if not self.submitted:
            raise Conflict(
                "the recommendation has not been submitted yet", code="recommendation.not_sent"
            )
        try:
            status_value = AnswerStatus(status)
        except ValueError:
            raise InvalidAnswer(
                f"status must be one of {', '.join(AnswerStatus)}, not '{status}'",
                field="status",
                code="answer.status",
            ) from None
        if not isinstance(justification, str) or len(justification.strip()) < 10:
            raise InvalidAnswer(
                "every answer needs a justification of at least 10 characters",
                field="justification",
                code="answer.justification",
                params={"min": 10},
            )
        self._answered(
            status=status_value.value,
            justification=clean_text(justification, field="justification", max_length=5000),
            by=by,
            institution=_clean_institution(institution),
        )

    @event("Answered")
    def _answered(
        self, *, status: str, justification: str, by: UUID, institution: str = ""
    ) -> None:
        self.answer = AnswerStatus(status)
        self.justification = justification
        self.answered_by = by

    def report_progress(
        self, *, percent: int, note: str, on: date, by: UUID, institution: object = ""
    ) -> None:
        """Report how far the answer has been carried out (0-100, with a dated note).
        A report lower than the last one says why: its note has at least
        DECREASE_NOTE_MIN characters."""
        if self.answer is None:
            raise Conflict(
                "answer the recommendation before reporting progress", code="progress.before_answer"
            )
        if self.answer is AnswerStatus.REJECTED:
            raise Conflict(
                "a rejected recommendation has no progress to report", code="progress.rejected"
            )
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            raise InvalidProgress(
                "progress must be a whole number from 0 to 100",
                field="percent",
                code="progress.range",
            )
        cleaned = clean_text(note, field="note", max_length=2000)
        if percent < self.progress and visible_length(cleaned) < DECREASE_NOTE_MIN:
            raise ProgressDecreaseUnexplained(
                f"progress goes down from {self.progress}% to {percent}%: the note must say "
                f"why (at least {DECREASE_NOTE_MIN} characters)",
                field="note",
                before=self.progress,
                after=percent,
            )
        self._progress_reported(
            percent=percent,
            note=cleaned,
            on=on,
            by=by,
            institution=_clean_institution(institution),
        )

    @event("ProgressReported")
    def _progress_reported(
        self, *, percent: int, note: str, on: date, by: UUID, institution: str = ""
    ) -> None:
        self.progress = percent
        self.progress_notes.append({"percent": percent, "note": note, "on": on})


class _Draft(TypedDict):
    title: str
    text: str
    language: str
    proposal_ids: list[UUID]


def _hypotheses(hypothesis_ids: object) -> list[UUID]:
    """The cited hypotheses, each once, in the order given."""
    if hypothesis_ids is None:
        return []
    if not isinstance(hypothesis_ids, list | tuple) or not all(
        isinstance(h, UUID) for h in hypothesis_ids
    ):
        raise InvalidInput(
            "hypothesis_ids must be a list of hypothesis ids", field="hypothesis_ids"
        )
    if len(hypothesis_ids) > 50:
        raise InvalidInput("cite at most 50 hypotheses", field="hypothesis_ids")
    return list(dict.fromkeys(hypothesis_ids))


def _cleaned(*, title: str, text: str, language: str, proposal_ids: list[UUID]) -> _Draft:
    """The checked fields of a draft (InvalidText or InvalidInput naming the field)."""
    cited = list(dict.fromkeys(proposal_ids))
    if not cited:
        raise InvalidInput(
            "cite at least one shortlisted proposal",
            field="proposal_ids",
            code="recommendation.no_proposal",
        )
    return {
        "title": clean_text(title, field="title", min_length=3, max_length=200),
        "text": clean_text(text, field="text", max_length=10000),
        "language": clean_language(language),
        "proposal_ids": cited,
    }
