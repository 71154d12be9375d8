"""The whole process report: the projections' data with the research-action sections.

`projections.report.report_data` reads the views (workshops, axes, vote,
recommendations); the research record and the questionnaire results are counted by
the application from the events (a response counts when it was stored before its
wave's close). Both the report page, its PDF and ``report.json`` call `process_report`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application import Voisinage
from projections.queries import Views
from projections.report import report_data


def process_report(voisinage: Voisinage, views: Views, pid: UUID) -> dict[str, Any] | None:
    """What the report shows, or None when the process has no views yet."""
    data = report_data(views, pid)
    if data is None:
        return None
    data["methodology"] = methodology(voisinage, pid, data)
    data["questionnaires"] = questionnaires(voisinage, pid)
    return data


def methodology(
    voisinage: Voisinage, pid: UUID, data: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Hypotheses, methods, indicators and expected effects per axis; None when the
    facilitators wrote no research record."""
    record = voisinage.research_record(pid)
    parts = ("hypotheses", "methods", "indicators", "expected_effects")
    if not any(record[part] for part in parts):
        return None
    hypotheses = {h["id"]: h["text"] for h in record["hypotheses"]}
    axis_names = {str(axis["axis_id"]): axis["name"] for axis in (data or {}).get("axes", [])}
    return {
        "hypotheses": record["hypotheses"],
        "methods": record["methods"],
        "indicators": [
            {**indicator, "hypothesis": hypotheses.get(indicator["hypothesis_id"], {})}
            for indicator in record["indicators"]
        ],
        "expected_effects": [
            {**effect, "axis": axis_names.get(effect["axis_id"], {})}
            for effect in record["expected_effects"]
        ],
    }


def questionnaires(voisinage: Voisinage, pid: UUID) -> list[dict[str, Any]] | None:
    """The results of every questionnaire of the process that has a wave; None if none."""
    found = [
        voisinage.questionnaire_results(UUID(q["id"]))
        for q in voisinage.questionnaires_of(pid)
        if q["waves"]
    ]
    return found or None
