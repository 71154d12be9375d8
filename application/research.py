"""Research-action: the research record, questionnaires in waves, responses, results.

One group of commands on the application, built from four modules by concern:
`application/research_record.py` (hypotheses, methods, indicators, expected effects),
`application/questionnaires.py` (building, sending, answering, tagging, contributing),
`application/questionnaire_results.py` (rates, distributions, measured change) and
`application/research_reading.py` (what each page shows, in one call).
"""

from __future__ import annotations

from application.research_reading import ResearchReading


class ResearchCommands(ResearchReading):
    """Writing the research record, building and sending questionnaires, answering,
    reading the results."""
