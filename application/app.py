"""The Voisinage application: every command of a participatory process, in one place.

Each group of commands lives in its own module and extends `VoisinageBase` alone (the
store, keys, the loaders of each aggregate, a participant's ballot and its receipt,
retries: application/base.py); no group inherits another. What one group uses of
another's concept is a function of that module taking the base (application/
invitations.py for codes; `record_contribution` of application/workshops.py; the
questionnaires' counted responses and the research record read by the results); reads that
combine several groups are functions of the whole application, taken below as methods.
This class lists the groups. Build one per worker process and share it between threads.
"""

from __future__ import annotations

from application.organisations import OrganisationCommands
from application.participants import ParticipantCommands
from application.privacy import PrivacyCommands
from application.processes import ProcessCommands
from application.proposals import ProposalCommands
from application.questionnaire_results import ResultsCommands
from application.questionnaires import QuestionnaireCommands
from application.recommendations import RecommendationCommands
from application.reports import ReportCommands
from application.research_reading import questionnaire_for, research_page, results_for
from application.research_record import ResearchRecordCommands
from application.voting import VotingCommands
from application.workshops import WorkshopCommands


class Voisinage(
    ProcessCommands,
    ParticipantCommands,
    PrivacyCommands,
    OrganisationCommands,
    WorkshopCommands,
    ProposalCommands,
    VotingCommands,
    RecommendationCommands,
    ReportCommands,
    ResearchRecordCommands,  # research-action: the record,
    QuestionnaireCommands,  # the questionnaires in waves,
    ResultsCommands,  # and their results
):
    """The event-sourced application behind the API, the pages and the command line."""

    # reads combining several groups, one call per research page (application/research_reading.py)
    questionnaire_for = questionnaire_for
    results_for = results_for
    research_page = research_page
