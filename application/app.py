"""The Voisinage application: every command of a participatory process, in one place.

Each group of commands lives in its own module (participants, processes, workshops,
proposals, voting, recommendations); this class puts them together. Build one per
worker process and share it between threads.
"""

from __future__ import annotations

from application.participants import ParticipantCommands
from application.recommendations import RecommendationCommands


class Voisinage(RecommendationCommands, ParticipantCommands):
    """The event-sourced application behind the API, the pages and the command line."""
