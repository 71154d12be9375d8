"""Who is acting: the authenticated participant behind a command."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.roles import Role


@dataclass(frozen=True)
class Actor:
    """A participant acting in a role; residents belong to one process."""

    participant_id: UUID
    role: Role
    process_id: UUID | None = None

    @property
    def is_staff(self) -> bool:
        """Facilitators, institution officers, auditors and admins."""
        return self.role is not Role.RESIDENT
