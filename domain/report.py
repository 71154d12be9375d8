"""The process report as facilitators compose it: chosen quotes and section introductions.

The report's data (workshops, proposals, the vote, answers) comes from the projections;
what facilitators add is recorded here, so the composition is part of the trail.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput
from domain.identities import report_id
from domain.text import clean_text

#: The sections a facilitator may introduce, in the report's order.
SECTIONS: tuple[str, ...] = (
    "summary",
    "methodology",
    "workshops",
    "axes",
    "vote",
    "recommendations",
    "questionnaires",
    "verification",
)
REPORT_LANGUAGES: tuple[str, ...] = ("fr", "nl", "en")
MAX_QUOTES = 200


def clean_introductions(value: object) -> dict[str, dict[str, str]]:
    """`{section: {language: text}}` with known sections and report languages only."""
    if not isinstance(value, dict):
        raise InvalidInput("introductions must map a section to texts", field="introductions")
    cleaned: dict[str, dict[str, str]] = {}
    for section, texts in value.items():
        if section not in SECTIONS:
            raise InvalidInput(
                f"unknown section '{section}' (sections: {', '.join(SECTIONS)})",
                field="introductions",
            )
        if not isinstance(texts, dict):
            raise InvalidInput("each section maps a language to a text", field="introductions")
        for language, text in texts.items():
            if language not in REPORT_LANGUAGES:
                raise InvalidInput(
                    f"report languages are {', '.join(REPORT_LANGUAGES)}", field="introductions"
                )
            if isinstance(text, str) and not text.strip():
                continue
            cleaned.setdefault(section, {})[language] = clean_text(
                text, field=f"introductions.{section}.{language}", max_length=3000
            )
    return cleaned


class Report(Aggregate):
    """The composition of one process's report (one per process, id from `report_id`)."""

    @classmethod
    def start(cls, process_id: UUID) -> Report:
        """The report of a process, with the id derived from the process."""
        return cls(id=report_id(process_id), process_id=process_id)

    @event("Started")
    def __init__(self, *, id: UUID, process_id: UUID) -> None:
        self.process_id = process_id
        self.introductions: dict[str, dict[str, str]] = {}
        self.quotes: list[UUID] = []

    def compose(
        self, *, introductions: object, quotes: list[UUID], consented: set[UUID], by: UUID
    ) -> None:
        """Replace the composition. Every quote must be in `consented` (visible
        contributions of this process whose speaker agreed to be quoted)."""
        cleaned = clean_introductions(introductions)
        unique = list(dict.fromkeys(quotes))
        if len(unique) > MAX_QUOTES:
            raise InvalidInput(f"at most {MAX_QUOTES} quotes", field="quotes")
        refused = [q for q in unique if q not in consented]
        if refused:
            raise InvalidInput(
                f"{refused[0]} cannot be quoted: only visible contributions of this process "
                "whose speaker agreed to be quoted",
                field="quotes",
            )
        self._composed(process_id=self.process_id, introductions=cleaned, quotes=unique, by=by)

    @event("Composed")
    def _composed(
        self,
        *,
        process_id: UUID,
        introductions: dict[str, dict[str, str]],
        quotes: list[UUID],
        by: UUID,
    ) -> None:
        self.introductions = introductions
        self.quotes = list(quotes)
