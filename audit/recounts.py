"""The published results' checks of `audit verify`: each shortlist's anchor in the
recomputed chain, and a recount of its ballots equal to the frozen result."""

from __future__ import annotations

from typing import Any

from audit.report import AuditReport, Finding
from infrastructure.event_store import UndecodableEvent
from projections.events import jsonable


def check_anchors(
    shortlists: list[tuple[int, Any]], hashes: dict[int, str], report: AuditReport
) -> None:
    """Each published shortlist's recorded chain head must match the recomputed chain."""
    for position, event in shortlists:
        head = jsonable(event.chain_head) or {}
        anchor = int(head.get("position", -1))
        if anchor >= position:
            report.findings.append(
                Finding(
                    "anchors",
                    position,
                    f"the shortlist at position {position} records a chain head at {anchor}, "
                    "not before it",
                )
            )
        elif hashes.get(anchor) != head.get("hash"):
            report.findings.append(
                Finding(
                    "anchors",
                    anchor,
                    f"the shortlist published at position {position} recorded chain hash "
                    f"{str(head.get('hash'))[:16]}… at position {anchor}; the store gives "
                    f"{str(hashes.get(anchor))[:16]}…",
                )
            )


def check_recounts(app: Any, shortlists: list[tuple[int, Any]], report: AuditReport) -> None:
    """Recount each published shortlist from the ballots."""
    for position, event in shortlists:
        report.shortlists += 1
        try:
            published, recounted = app.recount(event.originator_id)
        except UndecodableEvent as error:
            report.findings.append(
                Finding(
                    "recount",
                    error.position,
                    f"the shortlist published at position {position} cannot be recounted: "
                    f"the event at position {error.position} cannot be decoded ({error.error!r})",
                )
            )
            continue
        except Exception as error:
            report.findings.append(Finding("recount", position, f"the recount failed: {error!r}"))
            continue
        if jsonable(published) != jsonable(recounted):
            report.findings.append(
                Finding(
                    "recount",
                    position,
                    f"the shortlist published at position {position} for process "
                    f"{event.originator_id} differs from a recount of the ballots "
                    f"(published {published.get('shortlist')}, "
                    f"recounted {recounted.get('shortlist')})",
                )
            )
