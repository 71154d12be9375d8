"""Organisations of a process, their representatives, and the names contributions cite."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from projections.queries.base import Ident, QueryBase, _id
from projections.tables import organisations


class OrganisationQueries(QueryBase):
    """Organisations as the pages and the API read them."""

    @staticmethod
    def _organisation_dict(row: dict[str, Any], private: bool) -> dict[str, Any]:
        result = {
            "organisation_id": row["organisation_id"],
            "process_id": row["process_id"],
            "name": row["name"],
            "sector": row["sector"],
            "commune": row["commune"],
            "representative_count": len(row["representatives"]),
            "contact_status": row.get("contact_status"),
            "registered_at": row["registered_at"],
        }
        if private:
            result["representatives"] = list(row["representatives"])
        return result

    def organisations(self, pid: Ident, *, include_private: bool = False) -> list[dict[str, Any]]:
        """The organisations of a process by name; their representatives' pseudonymous
        ids only with `include_private` (facilitators)."""
        query = (
            sa.select(organisations)
            .where(organisations.c.process_id == _id(pid))
            .order_by(organisations.c.name, organisations.c.position)
        )
        return [self._organisation_dict(row, include_private) for row in self._rows(query)]

    def organisation(self, oid: Ident, *, include_private: bool = False) -> dict[str, Any] | None:
        """One organisation (None if there is none with this id)."""
        row = self._row(sa.select(organisations).where(organisations.c.organisation_id == _id(oid)))
        return self._organisation_dict(row, include_private) if row is not None else None

    def organisations_represented(self, pid: Ident, participant_id: Ident) -> list[dict[str, Any]]:
        """The organisations of a process that this participant represents."""
        found = []
        for row in self._rows(
            sa.select(organisations).where(organisations.c.process_id == _id(pid))
        ):
            if _id(participant_id) in row["representatives"]:
                found.append(self._organisation_dict(row, False))
        return sorted(found, key=lambda o: o["name"])

    def organisation_count(self, pid: Ident) -> int:
        """How many organisations take part in a process."""
        query = (
            sa.select(sa.func.count())
            .select_from(organisations)
            .where(organisations.c.process_id == _id(pid))
        )
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar() or 0)

    def _organisation_names(self, ids: Iterable[str | None]) -> dict[str, str]:
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        query = sa.select(organisations.c.organisation_id, organisations.c.name).where(
            organisations.c.organisation_id.in_(wanted)
        )
        return {row["organisation_id"]: row["name"] for row in self._rows(query)}
