"""Read queries over the projections, for the web layer: JSON-safe dicts and lists.

`Views(storage)` reads the read-model tables; `ProjectionService(storage)` keeps them
up to date in background threads of the web process (see projections.runner)::

    views = Views(storage)
    voisinage = Voisinage(storage, secrets, chain_head=views.chain_head)
    service = ProjectionService(storage).start()   # ... service.stop() at exit
    position = voisinage.last_position()           # after a command
    views.wait_for(position)                        # read your own writes

Ids are accepted as UUIDs or text and returned as text. Queries for one thing return
None when it does not exist (the web layer answers 404).

Privacy: author and speaker ids (pseudonymous participant ids) are only returned with
``include_hidden=True`` (the facilitators' view), so that the public lists never link
the contributions of one resident together.
"""

from __future__ import annotations

from projections.queries.audit import AuditQueries, redacted
from projections.queries.base import Ident, QueryBase, _id
from projections.queries.health import HealthQueries
from projections.queries.moderation import ModerationQueries
from projections.queries.trail import TrailQueries
from projections.queries.voting import VotingQueries
from projections.service import ProjectionService

__all__ = ["Ident", "ProjectionService", "QueryBase", "Views", "_id", "redacted"]


class Views(ModerationQueries, VotingQueries, TrailQueries, AuditQueries, HealthQueries):
    """Every read of the projections, for pages and API alike (one module per concern:
    participation and its moderation, voting, trail, audit, health)."""
