"""Organisations of a process and their representatives, as the pages and the API read
them (the contact person's sealed data never reaches a view)."""

from __future__ import annotations

from typing import Any

from domain.organisation import Organisation
from projections.base import on
from projections.events import when
from projections.view import UnitOfWork


class OrganisationHandlers:
    """The handlers of the Organisation events (mixed into the participation projection,
    whose tables hold the `organisations` view)."""

    @on(Organisation, "Registered")
    def _organisation_registered(self, unit: UnitOfWork, event: Any, position: int) -> None:
        unit.put(
            "organisations",
            {
                "organisation_id": str(event.originator_id),
                "process_id": str(event.process_id),
                "name": event.name,
                "sector": event.sector,
                "commune": event.commune,
                "representatives": [],
                "contact_status": "none" if event.sealed_contact is None else "sealed",
                "registered_at": when(event),
                "position": position,
            },
        )

    @on(Organisation, "RepresentativeAdded")
    def _representative_added(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = unit.get("organisations", str(event.originator_id))
        if row is not None:
            representatives = [*row["representatives"], str(event.participant_id)]
            unit.put(
                "organisations",
                {**row, "representatives": representatives, "position": position},
            )

    @on(Organisation, "ContactErased")
    def _contact_erased(self, unit: UnitOfWork, event: Any, position: int) -> None:
        row = unit.get("organisations", str(event.originator_id))
        if row is not None:
            unit.put("organisations", {**row, "contact_status": "erased", "position": position})
