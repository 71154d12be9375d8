"""Questionnaires in waves: building, sending, answering, tagging, and reading what was
counted.

Responses of a wave count when they were stored before the wave's close: the close
is a position in the log, as for the vote. An answer stored after it is refused.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from application.workshops import record_contribution
from domain.errors import InvalidInput, NotAllowed, NotFound, WaveNotOpen
from domain.identities import response_id
from domain.questionnaire import TEXT, Questionnaire, clean_question
from domain.response import Response

GIVEN: Any = Response.Given  # type: ignore[attr-defined]
QUESTIONNAIRE_CREATED = get_topic(Questionnaire.Created)
WAVE_CLOSED = get_topic(Questionnaire.WaveClosed)  # type: ignore[attr-defined]
RESPONSE_TOPICS = (get_topic(GIVEN), get_topic(Response.Changed))  # type: ignore[attr-defined]


# --- reading what was counted (the questionnaire's results read it too) ------------------


def wave_close_position(app: VoisinageBase, questionnaire_id: UUID, wave: int) -> int | None:
    """Where the close of `wave` is in the log (None while it is open)."""
    for stored in app.repository.event_store.get(questionnaire_id):
        if get_topic(type(stored)) == WAVE_CLOSED and getattr(stored, "number", None) == wave:
            return app.event_positions(questionnaire_id)[stored.originator_version]
    return None


def questionnaire_summary(app: VoisinageBase, questionnaire_id: UUID) -> dict[str, Any]:
    """A questionnaire as shown to respondents: intro, rule, questions, waves."""
    q = app.questionnaire(questionnaire_id)
    return {
        "id": str(q.id),
        "process_id": str(q.process_id),
        "title": q.title,
        "intro": q.intro,
        "audience": q.audience,
        "anonymous": q.anonymous,
        "questions": q.questions,
        "waves": q.waves,
        "open_wave": q.open_wave,
    }


def counted_responses(
    app: VoisinageBase, questionnaire_id: UUID, *, audiences: dict[str, str] | None = None
) -> dict[int, dict[str, dict[str, Any]]]:
    """wave -> respondent pseudonym -> answers, as counted: only what was stored
    before each wave's close."""
    questionnaire = app.questionnaire(questionnaire_id)
    closes = {
        w["number"]: wave_close_position(app, questionnaire_id, w["number"])
        for w in questionnaire.waves
    }
    of: dict[UUID, tuple[int, str]] = {}
    counted: dict[int, dict[str, dict[str, Any]]] = {w: {} for w in closes}
    for position, event in app.scan(RESPONSE_TOPICS):
        if isinstance(event, GIVEN):
            if event.questionnaire_id != questionnaire_id:
                continue
            of[event.originator_id] = (event.wave, event.respondent)
            if audiences is not None:
                audiences[event.respondent] = event.audience
        elif event.originator_id not in of:
            continue
        wave, respondent = of[event.originator_id]
        close = closes.get(wave)
        if close is None or position < close:
            counted.setdefault(wave, {})[respondent] = event.answers
    return counted


class QuestionnaireCommands(VoisinageBase):
    """Building and sending questionnaires, answering them, tagging and contributing
    free-text answers (organisations answer through their representatives; an answer
    becomes a workshop's contribution)."""

    def create_questionnaire(
        self,
        actor: Actor,
        process_id: UUID,
        *,
        title: dict[str, str],
        intro: dict[str, str],
        audience: list[str],
        anonymous: bool,
    ) -> UUID:
        """Create an empty questionnaire; add questions, then open a wave."""
        authorise(actor, "build a questionnaire")
        self.process(process_id, copy=False).require("build a questionnaire")
        questionnaire = Questionnaire.create(
            process_id=process_id,
            title=title,
            intro=intro,
            audience=audience,
            anonymous=anonymous,
            created_by=actor.participant_id,
        )
        self.save(questionnaire)
        return questionnaire.id

    @retrying
    def add_question(
        self,
        actor: Actor,
        questionnaire_id: UUID,
        *,
        kind: str,
        text: dict[str, str],
        options: list[dict[str, str]] | None = None,
        required: bool = False,
        position: int | None = None,
    ) -> str:
        """Add a question (single or multiple choice, scale5, scale10, text); its id."""
        authorise(actor, "build a questionnaire")
        questionnaire = self.questionnaire(questionnaire_id)
        self.process(questionnaire.process_id, copy=False).require("build a questionnaire")
        question = clean_question(kind=kind, text=text, options=options, required=required)
        question_id = questionnaire.add_question(question, position=position)
        self.save(questionnaire)
        return question_id

    @retrying
    def open_wave(
        self, actor: Actor, questionnaire_id: UUID, *, label: dict[str, str], sent_to: int | None
    ) -> int:
        """Open the next wave (baseline, follow-up); `sent_to`: how many were asked."""
        authorise(actor, "open or close a wave")
        questionnaire = self.questionnaire(questionnaire_id)
        self.process(questionnaire.process_id, copy=False).require("open a wave")
        number = questionnaire.open_next_wave(label=label, sent_to=sent_to)
        self.save(questionnaire)
        return number

    @retrying
    def close_wave(self, actor: Actor, questionnaire_id: UUID, wave: int) -> None:
        """Close a wave: answers stored after this close count for nothing."""
        authorise(actor, "open or close a wave")
        questionnaire = self.questionnaire(questionnaire_id)
        questionnaire.close_wave(wave)
        self.save(questionnaire)

    @retrying
    def tag_answer(
        self,
        actor: Actor,
        questionnaire_id: UUID,
        *,
        response: UUID,
        question_id: str,
        axis_id: UUID,
    ) -> None:
        """Tag a free-text answer with an axis of the process (results group them by axis)."""
        authorise(actor, "tag an answer")
        questionnaire = self.questionnaire(questionnaire_id)
        if questionnaire.question(question_id)["kind"] != TEXT:
            raise InvalidInput(
                "only free-text answers are tagged", field="question_id", code="answer.not_free"
            )
        self.process(questionnaire.process_id, copy=False).require_axis(axis_id)
        try:
            given = self.load(response, Response, "response")
        except NotFound:
            raise InvalidInput(
                "no such response", field="response", code="answer.no_response"
            ) from None
        if given.questionnaire_id != questionnaire_id or question_id not in given.answers:
            raise InvalidInput(
                "that response has no answer to this question",
                field="response",
                code="answer.no_response",
            )
        questionnaire.tag_answer(response_id=response, question_id=question_id, axis_id=axis_id)
        self.save(questionnaire)

    @retrying
    def contribute_answer(
        self,
        actor: Actor,
        questionnaire_id: UUID,
        *,
        response: UUID,
        question_id: str,
        workshop_id: UUID,
    ) -> UUID:
        """Turn a free-text answer into a contribution of a workshop, so that it enters the
        trail and proposals can cite it. Attributed as the respondent allowed: on behalf
        of the resident when the questionnaire is attributed, of the organisation by name
        for one, of an anonymous group ("questionnaire") otherwise. An answer becomes a
        contribution once (AnswerAlreadyContributed the second time): the questionnaire
        notes it in the same transaction as the contribution."""
        authorise(actor, "turn an answer into a contribution")
        questionnaire = self.questionnaire(questionnaire_id)
        if questionnaire.question(question_id)["kind"] != TEXT:
            raise InvalidInput(
                "only free-text answers become contributions",
                field="question_id",
                code="answer.not_free",
            )
        try:
            given = self.load(response, Response, "response")
        except NotFound:
            raise InvalidInput(
                "no such response", field="response", code="answer.no_response"
            ) from None
        text = (
            given.answers.get(question_id) if given.questionnaire_id == questionnaire_id else None
        )
        if text is None:
            raise InvalidInput(
                "that response has no answer to this question",
                field="response",
                code="answer.no_response",
            )
        if self.workshop(workshop_id).process_id != questionnaire.process_id:
            raise InvalidInput(
                "the workshop is not of this process",
                field="workshop_id",
                code="workshop.other_process",
            )
        questionnaire.mark_contributed(response_id=response, question_id=question_id)
        participant: UUID | None = None
        group: str | None = "questionnaire"
        if given.participant_id is not None and given.audience == "residents":
            participant, group = given.participant_id, None
        elif given.participant_id is not None:
            group = self.organisation(given.participant_id).name
        return record_contribution(
            self,
            actor,
            workshop_id,
            kind="testimony",
            text=text,
            language=next(iter(questionnaire.title)),
            on_behalf_of_participant=participant,
            on_behalf_of_group=group,
            along_with=(questionnaire,),
        )

    # --- answering --------------------------------------------------------------------------

    def _respondent(
        self, actor: Actor, questionnaire: Questionnaire, organisation_id: UUID | None
    ) -> tuple[str, str, UUID]:
        """(digest deriving the response id, pseudonym pairing the waves, who answers):
        the resident, or the organisation a representative answers for (one response
        per organisation and wave, whichever representative gives it)."""
        authorise(actor, "answer a questionnaire")
        self.require_member(actor, questionnaire.process_id)
        if organisation_id is None:
            if "residents" not in questionnaire.audience:
                raise NotAllowed(
                    "this questionnaire is for organisations: answer in its name",
                    code="questionnaire.for_organisations",
                )
            who = actor.participant_id
        else:
            if "organisations" not in questionnaire.audience:
                raise NotAllowed(
                    "this questionnaire is for residents, not organisations",
                    code="questionnaire.for_residents",
                )
            self.require_representative(actor, organisation_id)
            who = organisation_id
        key = f"{questionnaire.id}/{who}"
        return self.secrets.digest("response", key), self.secrets.digest("respondent", key), who

    @retrying
    def answer_questionnaire(
        self,
        actor: Actor,
        questionnaire_id: UUID,
        wave: int,
        answers: dict[str, Any],
        *,
        organisation_id: UUID | None = None,
    ) -> UUID:
        """Give or change one's answers to the open wave; returns the response id.

        One response per respondent and wave: the id derives from a keyed digest of
        both, so a concurrent second answer conflicts on save and becomes a change.
        """
        questionnaire = self.questionnaire(questionnaire_id)
        digest, respondent, who = self._respondent(actor, questionnaire, organisation_id)
        questionnaire.require_open(wave)
        cleaned = questionnaire.clean_answers(answers)
        try:
            response = self.load(response_id(questionnaire_id, wave, digest), Response, "response")
        except NotFound:
            response = Response.give(
                questionnaire_id=questionnaire_id,
                wave=wave,
                respondent_digest=digest,
                respondent=respondent,
                audience="residents" if organisation_id is None else "organisations",
                participant_id=None if questionnaire.anonymous else who,
                answers=cleaned,
            )
        else:
            if response.answers == cleaned:
                return response.id
            response.change(cleaned)
        recordings = self.save(response)
        close = wave_close_position(self, questionnaire_id, wave)
        if close is not None and close < recordings[-1].notification.id:
            raise WaveNotOpen(
                f"wave {wave} closed before this answer was stored: it does not count",
                code="wave.closed_before",
                params={"wave": wave},
            )
        return response.id

    def own_response(
        self,
        actor: Actor,
        questionnaire_id: UUID,
        wave: int,
        *,
        organisation_id: UUID | None = None,
    ) -> dict[str, Any] | None:
        """The respondent's own answers to a wave (None if they have not answered)."""
        questionnaire = self.questionnaire(questionnaire_id)
        digest, _, _ = self._respondent(actor, questionnaire, organisation_id)
        try:
            response = self.load(response_id(questionnaire_id, wave, digest), Response, "response")
        except NotFound:
            return None
        return dict(response.answers)

    # --- reading ----------------------------------------------------------------------------

    def questionnaires_of(self, process_id: UUID) -> list[dict[str, Any]]:
        """The questionnaires of a process, oldest first, as plain values."""
        self.process(process_id, copy=False)
        found = [
            event.originator_id
            for _, event in self.scan([QUESTIONNAIRE_CREATED])
            if event.process_id == process_id
        ]
        return [questionnaire_summary(self, q) for q in found]

    questionnaire_summary = questionnaire_summary
    counted_responses = counted_responses
