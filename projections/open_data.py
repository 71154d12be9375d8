"""Open data of a process: a zip of CSV files (one per table), a README documenting
every column, and the same tables as JSON beside them.

Only what anyone may read after the vote: no hidden contribution or proposal, no
author, participant id, group label, e-mail or name; tallies only from the published
shortlist. Texts have one column per report language (``text_fr``, ``text_nl``,
``text_en``) as Decidim's open-data exports do; words in another language go to
``text_other`` with their ``language``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import sqlalchemy as sa

from domain.voting import BallotShape, Method, ballot_shape
from projections.queries import Ident, Views, _id
from projections.tables import contributions, proposal_sources, proposals, ranking_ballots

LANGUAGES = ("fr", "nl", "en")

#: table -> (column, meaning); the README inside the zip is written from this.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "axes": [
        ("axis_id", "identifier of the action axis"),
        *[(f"name_{lang}", f"name of the axis in {lang}") for lang in LANGUAGES],
    ],
    "workshops": [
        ("workshop_id", "identifier of the workshop"),
        ("title", "title of the workshop"),
        ("on", "date of the workshop (YYYY-MM-DD)"),
        ("place", "where it took place"),
        ("status", "planned, open or closed"),
        ("contributions", "number of visible contributions"),
        ("captured_on_paper", "how many of them a facilitator captured from paper notes"),
        ("people", "number of distinct speakers (a group counts once)"),
    ],
    "contributions": [
        ("contribution_id", "identifier of the contribution"),
        ("workshop_id", "workshop where it was given (see workshops.csv)"),
        ("kind", "testimony, idea, concern or question"),
        ("language", "language of the words (ISO 639)"),
        *[(f"text_{lang}", f"the words, when given in {lang}") for lang in LANGUAGES],
        ("text_other", "the words, when given in another language (see language)"),
        ("axis_id", "action axis it was grouped under (see axes.csv), empty if none"),
        ("captured_on_paper", "true if a facilitator captured it on the speaker's behalf"),
        (
            "organisation_id",
            "the organisation it was given for (by a representative or captured by a "
            "facilitator), empty if none",
        ),
        ("organisation", "that organisation's name, empty if none"),
        ("recorded_at", "when it was recorded (ISO 8601, UTC)"),
    ],
    "proposals": [
        ("proposal_id", "identifier of the proposal"),
        ("axis_id", "action axis (see axes.csv), empty if none"),
        ("status", "active, withdrawn or merged"),
        ("merged_into", "the proposal it was merged into, if merged"),
        ("language", "language of the proposal (ISO 639)"),
        *[(f"title_{lang}", f"title, when written in {lang}") for lang in LANGUAGES],
        *[(f"body_{lang}", f"text, when written in {lang}") for lang in LANGUAGES],
        ("title_other", "title, when written in another language"),
        ("body_other", "text, when written in another language"),
        ("source_contribution_ids", "visible contributions it cites, separated by spaces"),
        ("submitted_at", "when it was submitted (ISO 8601, UTC)"),
    ],
    "tallies": [
        ("rank", "rank in the published count (1 is first)"),
        ("proposal_id", "the proposal (see proposals.csv)"),
        ("title", "its title"),
        ("score", "its tally under the counting method (see method)"),
        ("shortlisted", "true if it is on the published shortlist"),
        ("method", "counting method of the vote"),
        ("ballots_counted", "number of ballots counted"),
    ],
    "ballots": [
        (
            "choices",
            "one counted ballot as JSON: the proposals approved (sorted), ranked (best first), "
            "given points or graded; no voter, receipt or time, rows sorted, so anyone can "
            "recount the published tallies with the method and the tie-break order",
        ),
    ],
    "tie_breaks": [
        ("score", "the score the proposals shared"),
        ("order", "the tied proposals in the order the tie-break decided, separated by spaces"),
        ("rule", "the rule that decided (the process's fixed tie-break order)"),
    ],
    "recommendations": [
        ("recommendation_id", "identifier of the recommendation"),
        ("title", "title"),
        ("language", "language of the recommendation (ISO 639)"),
        *[(f"text_{lang}", f"text, when written in {lang}") for lang in LANGUAGES],
        ("text_other", "text, when written in another language"),
        ("proposal_ids", "shortlisted proposals it draws on, separated by spaces"),
        ("submitted", "true once sent to the institution"),
        (
            "answer",
            "the institution's latest answer: accepted, partially_accepted, "
            "under_study or rejected; empty if none yet",
        ),
        ("justification", "the institution's justification of that answer"),
        ("progress", "latest progress reported, in percent"),
    ],
    "answers": [
        ("recommendation_id", "the recommendation (see recommendations.csv)"),
        ("kind", "answer or progress"),
        ("status", "for an answer: its status"),
        ("text", "the justification of an answer or the note of a progress report"),
        ("progress", "for a progress report: percent done"),
        ("at", "when (ISO 8601 for answers, the reported date for progress)"),
    ],
    "questionnaire_aggregates": [
        ("questionnaire_id", "identifier of the questionnaire"),
        ("wave", "the wave (baseline, follow-up, ...)"),
        ("question", "the question"),
        ("answer", "an answer option"),
        ("count", "how many respondents chose it"),
    ],
}


def counted_ballots(views: Views, pid: Ident, method: str) -> list[dict[str, str]]:
    """The ballots the published count counted, each as canonical JSON, in sorted order
    (so that neither order nor form says who cast which or when)."""
    approvals = ballot_shape(Method(method)) is BallotShape.APPROVALS
    rows = views._rows(
        sa.select(ranking_ballots.c.choices).where(
            ranking_ballots.c.process_id == _id(pid), ranking_ballots.c.choices.is_not(None)
        )
    )
    shown = []
    for row in rows:
        choices = row["choices"]
        if approvals and isinstance(choices, list):
            choices = sorted(choices)
        shown.append(json.dumps(choices, sort_keys=True, separators=(",", ":")))
    return [{"choices": text} for text in sorted(shown)]


def _by_language(prefix: str, language: str, value: str) -> dict[str, str]:
    columns = {f"{prefix}_{lang}": "" for lang in LANGUAGES}
    columns[f"{prefix}_other"] = ""
    key = f"{prefix}_{language}" if language in LANGUAGES else f"{prefix}_other"
    columns[key] = value
    return columns


def open_data_tables(
    views: Views, pid: Ident, questionnaires: list[dict[str, Any]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The open-data tables of a process, as lists of rows (only public data).

    ``questionnaires``: the results of the process's questionnaires as the application
    counts them (`questionnaire_results`), which the views do not hold.
    """
    from projections.report import report_data

    report = report_data(views, pid)
    if report is None:
        return {}
    process = report["process"]
    tables: dict[str, list[dict[str, Any]]] = {}
    tables["axes"] = [
        {"axis_id": a["axis_id"], **{f"name_{lang}": a["name"].get(lang, "") for lang in LANGUAGES}}
        for a in process["axes"]
    ]
    tables["workshops"] = [
        {
            "workshop_id": w["workshop_id"],
            "title": w["title"],
            "on": w["on"],
            "place": w["place"],
            "status": w["status"],
            "contributions": w["contributions"],
            "captured_on_paper": w["captured"],
            "people": w["people"],
        }
        for w in report["workshops"]
    ]
    visible = views._rows(
        sa.select(contributions)
        .where(contributions.c.process_id == _id(pid), contributions.c.hidden_reason.is_(None))
        .order_by(contributions.c.position)
    )
    visible_ids = {row["contribution_id"] for row in visible}
    organisations = views._organisation_names(
        row.get("on_behalf_of_organisation") for row in visible
    )
    tables["contributions"] = [
        {
            "contribution_id": row["contribution_id"],
            "workshop_id": row["workshop_id"],
            "kind": row["kind"],
            "language": row["language"],
            **_by_language("text", row["language"], row["text"]),
            "axis_id": row["axis_id"] or "",
            "captured_on_paper": bool(row["on_behalf_of_participant"] or row["on_behalf_of_group"]),
            "organisation_id": row.get("on_behalf_of_organisation") or "",
            "organisation": organisations.get(row.get("on_behalf_of_organisation") or "", ""),
            "recorded_at": row["recorded_at"],
        }
        for row in visible
    ]
    sources: dict[str, list[str]] = {}
    for row in views._rows(
        sa.select(proposal_sources).where(proposal_sources.c.process_id == _id(pid))
    ):
        if row["contribution_id"] in visible_ids:
            sources.setdefault(row["proposal_id"], []).append(row["contribution_id"])
    rows = views._rows(
        sa.select(proposals)
        .where(proposals.c.process_id == _id(pid), proposals.c.hidden_reason.is_(None))
        .order_by(proposals.c.position)
    )
    tables["proposals"] = [
        {
            "proposal_id": row["proposal_id"],
            "axis_id": row["axis_id"] or "",
            "status": row["status"],
            "merged_into": row["merged_into"] or "",
            "language": row["language"],
            **_by_language("title", row["language"], row["title"]),
            **_by_language("body", row["language"], row["body"]),
            "source_contribution_ids": " ".join(sorted(sources.get(row["proposal_id"], []))),
            "submitted_at": row["submitted_at"],
        }
        for row in rows
    ]
    vote = report["vote"]
    tables["tallies"] = [
        {
            "rank": entry["rank"],
            "proposal_id": entry["proposal_id"],
            "title": entry.get("title", ""),
            "score": entry.get("score"),
            "shortlisted": bool(entry.get("shortlisted")),
            "method": vote["method"],
            "ballots_counted": vote["ballots_counted"],
        }
        for entry in (vote["ranking"] if vote else [])
    ]
    tables["ballots"] = counted_ballots(views, pid, vote["method"]) if vote else []
    tables["tie_breaks"] = [
        {
            "score": tie.get("score"),
            "order": " ".join(str(p) for p in tie.get("order") or tie.get("tied") or ()),
            "rule": tie.get("rule", ""),
        }
        for tie in (vote["all_tie_breaks"] if vote else [])
    ]
    tables["recommendations"] = []
    tables["answers"] = []
    for rec in report["recommendations"]:
        tables["recommendations"].append(
            {
                "recommendation_id": rec["recommendation_id"],
                "title": rec["title"],
                "language": rec["language"],
                **_by_language("text", rec["language"], rec["text"]),
                "proposal_ids": " ".join(rec["proposal_ids"]),
                "submitted": bool(rec["submitted"]),
                "answer": rec["answer"] or "",
                "justification": rec["justification"] or "",
                "progress": rec["progress"] if rec["progress"] is not None else "",
            }
        )
        for answer in rec["answers"]:
            tables["answers"].append(
                {
                    "recommendation_id": rec["recommendation_id"],
                    "kind": "answer",
                    "status": answer["status"],
                    "text": answer["justification"],
                    "progress": "",
                    "at": answer["at"],
                }
            )
        for note in rec["progress_notes"]:
            tables["answers"].append(
                {
                    "recommendation_id": rec["recommendation_id"],
                    "kind": "progress",
                    "status": "",
                    "text": note["note"],
                    "progress": note["percent"],
                    "at": note["on"] or "",
                }
            )
    if questionnaires:
        tables["questionnaire_aggregates"] = questionnaire_rows(questionnaires)
    return tables


def questionnaire_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per questionnaire, wave, closed question and answer option: its count.

    Free-text answers are not open data (they may name people); scale answers count
    per value of the scale.
    """
    rows: list[dict[str, Any]] = []
    for result in results:
        qid = result["questionnaire"]["id"]
        labels = {w["number"]: w["label"] for w in result["waves"]}
        for question in result["questions"]:
            for wave in question["waves"]:
                label = labels.get(wave["wave"], {})
                for answer, count in (wave.get("distribution") or {}).items():
                    rows.append(
                        {
                            "questionnaire_id": qid,
                            "wave": label.get("fr") or label.get("en") or wave["wave"],
                            "question": question["id"],
                            "answer": answer,
                            "count": count,
                        }
                    )
    return rows


def to_csv(table: str, rows: list[dict[str, Any]]) -> str:
    """One table as CSV text with the documented columns as header."""
    out = io.StringIO()
    names = [name for name, _ in COLUMNS[table]]
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def readme(title: str, tables: dict[str, list[dict[str, Any]]]) -> str:
    """The README inside the zip: what each file holds and what each column means."""
    lines = [
        f"# Open data: {title}",
        "",
        "Published by Voisinage once the vote is over. One CSV file per table (UTF-8, comma",
        "separated, header row), and data.json with the same tables. Hidden contributions and",
        "proposals, authors, participant ids, group labels, names and e-mail addresses are",
        "never included. The decision trail in W3C PROV-JSON is at",
        "/api/v1/processes/{process_id}/trail.prov.json (auditors).",
        "",
    ]
    if "questionnaire_aggregates" not in tables:
        lines += ["questionnaire_aggregates.csv is absent: the process has no questionnaire.", ""]
    for table, columns in COLUMNS.items():
        if table not in tables:
            continue
        lines += [f"## {table}.csv ({len(tables[table])} rows)", ""]
        lines += [f"- `{name}`: {meaning}" for name, meaning in columns]
        lines.append("")
    return "\n".join(lines)


def open_data_zip(
    views: Views, pid: Ident, questionnaires: list[dict[str, Any]] | None = None
) -> bytes | None:
    """The zip of a process's open data (None if there is no such process)."""
    tables = open_data_tables(views, pid, questionnaires)
    if not tables:
        return None
    process = views.process(pid) or {}
    title = process.get("title", {})
    name = title.get("fr") or title.get("nl") or title.get("en") or str(pid)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme(name, tables))
        for table, rows in tables.items():
            archive.writestr(f"{table}.csv", to_csv(table, rows))
        archive.writestr(
            "data.json",
            json.dumps(
                {"process_id": str(pid), "title": title, **tables},
                ensure_ascii=False,
                indent=1,
                default=str,
            ),
        )
    return buffer.getvalue()
