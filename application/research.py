"""Research-action: the research record, questionnaires in waves, responses, results.

One group of commands on the application, built from three modules by concern:
`application/research_record.py` (hypotheses, methods, indicators, expected effects),
`application/questionnaires.py` (building, sending, answering, tagging, contributing)
and `application/questionnaire_results.py` (rates, distributions, measured change).
"""

from __future__ import annotations

from application.questionnaire_results import ResultsCommands


class ResearchCommands(ResultsCommands):
    """Writing the research record, building and sending questionnaires, answering,
    reading the results."""
