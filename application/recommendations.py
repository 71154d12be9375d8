"""Recommendations drawn from the shortlist, and the institution's answers."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from domain.errors import InvalidInput, NotFound
from domain.identities import research_record_id
from domain.recommendation import Recommendation
from domain.research import ResearchRecord


class RecommendationCommands(VoisinageBase):
    """From shortlist to policy answer."""

    def _require_hypotheses(self, process_id: UUID, hypothesis_ids: list[UUID] | None) -> None:
        """Refuse hypotheses that are not in the process's research record."""
        if not hypothesis_ids:
            return
        try:
            record = self.load(research_record_id(process_id), ResearchRecord, "research record")
        except NotFound:
            record = ResearchRecord.begin(process_id)
        record.require_hypotheses(list(hypothesis_ids))

    def draft_recommendation(
        self,
        actor: Actor,
        process_id: UUID,
        *,
        title: str,
        text: str,
        language: str,
        proposal_ids: list[UUID],
        hypothesis_ids: list[UUID] | None = None,
    ) -> UUID:
        """Draft a recommendation citing shortlisted proposals and, optionally, the
        hypotheses of the research record it addresses."""
        authorise(actor, "draft a recommendation")
        process = self.process(process_id)
        process.require("draft a recommendation")
        process.require_shortlisted(list(proposal_ids))
        self._require_hypotheses(process_id, hypothesis_ids)
        recommendation = Recommendation.draft(
            process_id=process_id,
            title=title,
            text=text,
            language=language,
            proposal_ids=list(proposal_ids),
            drafted_by=actor.participant_id,
            hypothesis_ids=None if hypothesis_ids is None else list(hypothesis_ids),
        )
        self.save(recommendation)
        return recommendation.id

    @retrying
    def revise_recommendation(
        self,
        actor: Actor,
        recommendation_id: UUID,
        *,
        title: str,
        text: str,
        language: str,
        proposal_ids: list[UUID],
        hypothesis_ids: list[UUID] | None = None,
    ) -> None:
        """Edit a draft (title, text, language, cited shortlisted proposals, addressed
        hypotheses: None keeps them) before it is sent to the institution."""
        authorise(actor, "revise a recommendation")
        recommendation = self.recommendation(recommendation_id)
        process = self.process(recommendation.process_id)
        process.require("revise a recommendation")
        process.require_shortlisted(list(proposal_ids))
        self._require_hypotheses(recommendation.process_id, hypothesis_ids)
        recommendation.revise(
            title=title,
            text=text,
            language=language,
            proposal_ids=list(proposal_ids),
            by=actor.participant_id,
            hypothesis_ids=None if hypothesis_ids is None else list(hypothesis_ids),
        )
        self.save(recommendation)

    @retrying
    def submit_recommendation(self, actor: Actor, recommendation_id: UUID) -> None:
        """Send a drafted recommendation to the institution."""
        authorise(actor, "submit a recommendation")
        recommendation = self.recommendation(recommendation_id)
        self.process(recommendation.process_id).require("submit a recommendation")
        recommendation.submit(by=actor.participant_id)
        self.save(recommendation)

    @retrying
    def answer_recommendation(
        self,
        actor: Actor,
        recommendation_id: UUID,
        *,
        status: str,
        justification: str,
        institution: str = "",
    ) -> None:
        """The institution answers: accepted, partially accepted, under study or rejected,
        naming the institution it answers for."""
        authorise(actor, "answer a recommendation")
        recommendation = self.recommendation(recommendation_id)
        self.process(recommendation.process_id).require("answer a recommendation")
        recommendation.answer_with(
            status=status,
            justification=justification,
            by=actor.participant_id,
            institution=institution,
        )
        self.save(recommendation)

    @retrying
    def respond_to_recommendation(
        self,
        actor: Actor,
        recommendation_id: UUID,
        *,
        status: str | None = None,
        justification: str | None = None,
        percent: int | None = None,
        note: str | None = None,
        on: date | None = None,
        institution: str = "",
    ) -> None:
        """Answer and/or report progress in one save: both are recorded, or neither."""
        if status is None and percent is None:
            raise InvalidInput(
                "give a status (an answer) or a progress (a report)",
                field="status",
                code="answer.nothing",
            )
        recommendation = self.recommendation(recommendation_id)
        process = self.process(recommendation.process_id)
        if status is not None:
            authorise(actor, "answer a recommendation")
            process.require("answer a recommendation")
            recommendation.answer_with(
                status=status,
                justification=justification or "",
                by=actor.participant_id,
                institution=institution,
            )
        if percent is not None:
            authorise(actor, "report progress")
            process.require("report progress")
            if on is not None and not isinstance(on, date):
                raise InvalidInput("on must be a date", field="on")
            recommendation.report_progress(
                percent=percent,
                note=note or "",
                on=on or date.today(),
                by=actor.participant_id,
                institution=institution,
            )
        self.save(recommendation)

    @retrying
    def report_progress(
        self,
        actor: Actor,
        recommendation_id: UUID,
        *,
        percent: int,
        note: str,
        on: date | None = None,
        institution: str = "",
    ) -> None:
        """The institution reports how far it has carried out its answer."""
        authorise(actor, "report progress")
        recommendation = self.recommendation(recommendation_id)
        self.process(recommendation.process_id).require("report progress")
        if on is not None and not isinstance(on, date):
            raise InvalidInput("on must be a date", field="on")
        recommendation.report_progress(
            percent=percent,
            note=note,
            on=on or date.today(),
            by=actor.participant_id,
            institution=institution,
        )
        self.save(recommendation)
