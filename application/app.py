"""The Voisinage application: every command of a participatory process, in one place.

Each group of commands lives in its own module and extends `VoisinageBase` (the store,
keys, loading, retries); privacy (one's data, erasure) builds on participants and voting,
research on organisations and workshops (a free-text answer becomes a contribution).
This class lists the groups. Build one per worker process
and share it between threads.
"""

from __future__ import annotations

from application.organisations import OrganisationCommands
from application.privacy import PrivacyCommands
from application.processes import ProcessCommands
from application.proposals import ProposalCommands
from application.recommendations import RecommendationCommands
from application.reports import ReportCommands
from application.research import ResearchCommands
from application.voting import VotingCommands
from application.workshops import WorkshopCommands


class Voisinage(
    PrivacyCommands,
    ResearchCommands,
    ProcessCommands,
    OrganisationCommands,
    WorkshopCommands,
    ProposalCommands,
    VotingCommands,
    RecommendationCommands,
    ReportCommands,
):
    """The event-sourced application behind the API, the pages and the command line."""
