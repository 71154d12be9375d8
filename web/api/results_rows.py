"""A questionnaire's results as flat CSV rows: one number each, always beside its n."""

from __future__ import annotations

from typing import Any

CSV_COLUMNS = ("wave", "question_id", "kind", "measure", "category", "value", "n")


def results_rows(found: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The results as flat rows (one number each, always beside its n)."""
    rows: list[tuple[Any, ...]] = []
    for wave in found["waves"]:
        n = wave["responses"]
        rows.append((wave["number"], "", "", "responses", "", n, n))
        rows.append((wave["number"], "", "", "sent_to", "", wave["sent_to"], n))
        for audience, rate in wave.get("by_audience", {}).items():
            # responses of an audience beside how many could answer (20 of 100 organisations)
            rows.append(
                (
                    wave["number"],
                    "",
                    "",
                    "audience_responses",
                    audience,
                    rate["responses"],
                    rate["of"],
                )
            )
    for question in found["questions"]:
        qid, kind = question["id"], question["kind"]
        for per_wave in question["waves"]:
            wave, n = per_wave["wave"], per_wave["n"]
            for measure in ("mean", "median"):
                if measure in per_wave:
                    rows.append((wave, qid, kind, measure, "", per_wave[measure], n))
            for category, count in per_wave.get("distribution", {}).items():
                rows.append((wave, qid, kind, "count", category, count, n))
        change = question.get("change") or {}
        difference = change.get("difference")
        if difference:
            label = f"{change['from_wave']}->{change['to_wave']}"
            n_pair = f"{difference['n_before']}/{difference['n_after']}"
            for measure in ("estimate", "low", "high"):
                rows.append(
                    (label, qid, kind, f"difference_{measure}", "", difference[measure], n_pair)
                )
    rows.extend(indicator_rows(found))
    return rows


def indicator_rows(found: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Per indicator (its id in `category`) and cited scale question: the change between
    waves (estimate, interval, paired or not, the direction the interval shows), beside
    the n of both waves (n_before/n_after)."""
    rows: list[tuple[Any, ...]] = []
    for indicator in found.get("indicator_changes", []):
        category = f"indicator:{indicator['indicator_id']}"
        for measure in indicator["measures"]:
            qid, kind = measure["question_id"], measure["kind"]
            for change in measure["changes"]:
                label = f"{change['from_wave']}->{change['to_wave']}"
                difference = change["difference"]
                if difference is None:
                    n = f"{change['before']['n']}/{change['after']['n']}"
                    rows.append((label, qid, kind, "indicator_difference", category, "", n))
                    continue
                n = f"{difference['n_before']}/{difference['n_after']}"
                for name in ("estimate", "low", "high"):
                    value = difference[name]
                    rows.append(
                        (label, qid, kind, f"indicator_difference_{name}", category, value, n)
                    )
                paired = "true" if difference["paired"] else "false"
                rows.append((label, qid, kind, "indicator_paired", category, paired, n))
                rows.append(
                    (label, qid, kind, "indicator_observed", category, change["observed"], n)
                )
    return rows
