"""A workshop (atelier d'expression) where residents give their words."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.text import clean_text


class Workshop(Aggregate):
    """A dated meeting in a place, run by facilitators: scheduled, opened, closed."""

    @classmethod
    def schedule(
        cls,
        *,
        process_id: UUID,
        title: str,
        on: date,
        place: str,
        facilitators: list[UUID],
    ) -> Workshop:
        """Schedule a workshop of a process."""
        return cls(
            process_id=process_id,
            title=clean_text(title, field="title", min_length=3, max_length=200),
            on=on,
            place=clean_text(place, field="place", min_length=2, max_length=300),
            facilitators=list(dict.fromkeys(facilitators)),
        )

    @event("Scheduled")
    def __init__(
        self, *, process_id: UUID, title: str, on: date, place: str, facilitators: list[UUID]
    ) -> None:
        self.process_id = process_id
        self.title = title
        self.on = on
        self.place = place
        self.facilitators = facilitators
        self.status = "scheduled"

    def open(self) -> None:
        """Open the workshop: residents may now contribute to it."""
        if self.status != "scheduled":
            raise Conflict(
                f"the workshop is {self.status}, it cannot be opened",
                code="workshop.not_openable",
                params={"status": self.status},
            )
        self._opened()

    @event("Opened")
    def _opened(self) -> None:
        self.status = "open"

    def close(self) -> None:
        """Close the workshop: only facilitators' captures of paper notes remain possible."""
        if self.status == "closed":
            raise Conflict("the workshop is already closed", code="workshop.closed")
        self._closed()

    @event("Closed")
    def _closed(self) -> None:
        self.status = "closed"
