"""One respondent's answers to one wave of a questionnaire, changeable while it is open."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.identities import response_id


class Response(Aggregate):
    """The answers of one respondent in one wave.

    Its id is derived from a keyed digest of (questionnaire, wave, respondent), so the
    event store itself refuses a second response by the same respondent to the same
    wave. ``respondent`` is a keyed pseudonym per questionnaire that pairs a person's
    answers across waves without naming them; ``audience`` says whether a resident or
    an organisation answered; ``participant_id`` (the resident's or the organisation's
    id) is kept only when the questionnaire is attributed.
    """

    @classmethod
    def give(
        cls,
        *,
        questionnaire_id: UUID,
        wave: int,
        respondent_digest: str,
        respondent: str,
        audience: str,
        participant_id: UUID | None,
        answers: dict[str, Any],
    ) -> Response:
        """A first response (the answers were checked by Questionnaire.clean_answers)."""
        return cls(
            id=response_id(questionnaire_id, wave, respondent_digest),
            questionnaire_id=questionnaire_id,
            wave=wave,
            respondent=respondent,
            audience=audience,
            participant_id=participant_id,
            answers=answers,
        )

    @event("Given")
    def __init__(
        self,
        *,
        id: UUID,
        questionnaire_id: UUID,
        wave: int,
        respondent: str,
        audience: str,
        participant_id: UUID | None,
        answers: dict[str, Any],
    ) -> None:
        self.questionnaire_id = questionnaire_id
        self.wave = wave
        self.respondent = respondent
        self.audience = audience
        self.participant_id = participant_id
        self.answers = answers

    def change(self, answers: dict[str, Any]) -> None:
        """Replace the answers (the wave is still open: the caller checked)."""
        self._changed(answers=answers)

    @event("Changed")
    def _changed(self, *, answers: dict[str, Any]) -> None:
        self.answers = answers
