"""The process report: facilitators choose quotes and write section introductions."""

from __future__ import annotations

from uuid import UUID

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from domain.contribution import Contribution
from domain.errors import NotFound
from domain.identities import report_id
from domain.report import Report


class ReportCommands(VoisinageBase):
    """Composing the report of a process (its data comes from the projections)."""

    @retrying
    def compose_report(
        self,
        actor: Actor,
        process_id: UUID,
        *,
        introductions: dict[str, dict[str, str]],
        quotes: list[UUID],
    ) -> None:
        """Record the report's composition, replacing the previous one.

        Only visible contributions of this process whose speaker agreed to be quoted
        may be chosen; anything else is refused and nothing is recorded.
        """
        authorise(actor, "compose the report")
        self.process(process_id, copy=False).require("compose the report")
        consented: set[UUID] = set()
        for quote in dict.fromkeys(quotes):
            try:
                contribution = self.load(quote, Contribution, "contribution", copy=False)
            except NotFound:
                continue
            if (
                contribution.process_id == process_id
                and contribution.visible
                and getattr(contribution, "quote_consent", False)
            ):
                consented.add(quote)
        rid = report_id(process_id)
        try:
            report = self.load(rid, Report, "report")
        except NotFound:
            report = Report.start(process_id)
        report.compose(
            introductions=introductions,
            quotes=list(quotes),
            consented=consented,
            by=actor.participant_id,
        )
        self.save(report)
