"""A policy recommendation drawn from shortlisted proposals, and the institution's answers."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, InvalidAnswer, InvalidInput
from domain.text import clean_language, clean_text


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
    ) -> Recommendation:
        """Draft a recommendation. The caller has checked the proposals are shortlisted."""
        cited = list(dict.fromkeys(proposal_ids))
        if not cited:
            raise InvalidInput("cite at least one shortlisted proposal", field="proposal_ids")
        return cls(
            process_id=process_id,
            title=clean_text(title, field="title", min_length=3, max_length=200),
            text=clean_text(text, field="text", max_length=10000),
            language=clean_language(language),
            proposal_ids=cited,
            drafted_by=drafted_by,
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
    ) -> None:
        self.process_id = process_id
        self.title = title
        self.text = text
        self.language = language
        self.proposal_ids = proposal_ids
        self.drafted_by = drafted_by
        self.submitted = False
        self.answer: AnswerStatus | None = None
        self.justification: str | None = None
        self.answered_by: UUID | None = None
        self.progress = 0
        self.progress_notes: list[dict[str, object]] = []

    def submit(self, by: UUID) -> None:
        """Send the recommendation to the institution."""
        if self.submitted:
            raise Conflict("the recommendation was already submitted")
        self._submitted(by=by)

    @event("Submitted")
    def _submitted(self, *, by: UUID) -> None:
        self.submitted = True

    def answer_with(self, *, status: str, justification: str, by: UUID) -> None:
        """The institution answers (a later answer supersedes an earlier one)."""
        if not self.submitted:
            raise Conflict("the recommendation has not been submitted yet")
        try:
            status_value = AnswerStatus(status)
        except ValueError:
            raise InvalidAnswer(
                f"status must be one of {', '.join(AnswerStatus)}, not '{status}'",
                field="status",
            ) from None
        if not isinstance(justification, str) or len(justification.strip()) < 10:
            raise InvalidAnswer(
                "every answer needs a justification of at least 10 characters",
                field="justification",
            )
        self._answered(
            status=status_value.value,
            justification=clean_text(justification, field="justification", max_length=5000),
            by=by,
        )

    @event("Answered")
    def _answered(self, *, status: str, justification: str, by: UUID) -> None:
        self.answer = AnswerStatus(status)
        self.justification = justification
        self.answered_by = by

    def report_progress(self, *, percent: int, note: str, on: date, by: UUID) -> None:
        """Report how far the answer has been carried out (0-100, with a dated note)."""
        if self.answer is None:
            raise Conflict("answer the recommendation before reporting progress")
        if self.answer is AnswerStatus.REJECTED:
            raise Conflict("a rejected recommendation has no progress to report")
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            raise InvalidAnswer("progress must be a whole number from 0 to 100", field="percent")
        self._progress_reported(
            percent=percent, note=clean_text(note, field="note", max_length=2000), on=on, by=by
        )

    @event("ProgressReported")
    def _progress_reported(self, *, percent: int, note: str, on: date, by: UUID) -> None:
        self.progress = percent
        self.progress_notes.append({"percent": percent, "note": note, "on": on})
