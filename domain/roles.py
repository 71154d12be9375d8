"""Who takes part in a process."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The roles of the API contract."""

    RESIDENT = "resident"
    FACILITATOR = "facilitator"
    INSTITUTION = "institution"
    AUDITOR = "auditor"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.FACILITATOR, Role.INSTITUTION, Role.AUDITOR, Role.ADMIN})
