"""Ballot secrecy: no participant id in ballot events, random receipts, and no view for
auditors or facilitators that puts an identity (or a receipt) next to choices."""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import UUID

import pytest
from app_support import settle
from security_support import build_cast

from application.voting import BALLOT_TOPICS
from domain.identities import NAMESPACE

VOTERS = 40
RECEIPT_FORMAT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}")


def forms(uid: UUID) -> list[bytes]:
    """The ways a UUID can appear in stored bytes or JSON."""
    return [str(uid).encode(), uid.hex.encode(), uid.bytes]


def walk(node: Any, path: str = "$") -> Any:
    """Every (path, dict) in a JSON tree."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}[{i}]")


@pytest.fixture
def voted(flask_app: Any) -> Any:
    """A process where VOTERS residents cast the same ballot, counted and published."""
    v = flask_app.extensions["voisinage"]
    cast = build_cast(v, residents=VOTERS)
    p1, p2, _ = (str(p) for p in cast.proposals)
    receipts = [v.cast_ballot(r, cast.process_id, [p1, p2]) for r in cast.residents]
    settle(flask_app)
    return cast, receipts


def test_ballot_events_hold_no_participant_id(flask_app: Any, voted: Any, report: Any) -> None:
    cast, _ = voted
    v = flask_app.extensions["voisinage"]
    needles = [f for r in cast.residents for f in forms(r.participant_id)]
    events = leaks = 0
    last = 0
    while True:
        page = v.recorder.select_notifications(
            start=last, limit=1000, topics=BALLOT_TOPICS, inclusive_of_start=False
        )
        for notification in page:
            events += 1
            state = bytes(notification.state)
            leaks += sum(1 for n in needles if n in state)
        if len(page) < 1000:
            break
        last = page[-1].id
    line = report("secrecy/events", ballot_events=events, participant_ids_in_payloads=leaks)
    assert events == VOTERS, line
    assert leaks == 0, line


def test_receipts_are_random_not_derived_from_choices(
    flask_app: Any, voted: Any, report: Any
) -> None:
    cast, receipts = voted
    v = flask_app.extensions["voisinage"]
    p1, p2, p3 = (str(p) for p in cast.proposals)
    again = v.cast_ballot(cast.residents[0], cast.process_id, [p2, p1])  # same set
    changed = v.cast_ballot(cast.residents[1], cast.process_id, [p3])
    line = report(
        "secrecy/receipts",
        voters_with_identical_choices=VOTERS,
        distinct_receipts=len(set(receipts)),
        min_length=min(len(r) for r in receipts),
    )
    assert len(set(receipts)) == VOTERS, line
    # 80 bits: 16 Crockford base32 characters in 4 groups of 4
    assert all(RECEIPT_FORMAT.fullmatch(r) for r in receipts), line
    assert again == receipts[0], "re-casting the same choices keeps the receipt (safe retry)"
    assert changed != receipts[1], "changing one's mind issues a new receipt"


def test_public_receipt_check_says_counted_and_nothing_else(
    flask_app: Any, voted: Any, report: Any
) -> None:
    cast, receipts = voted
    client = flask_app.test_client()
    answer = client.get(f"/api/v1/processes/{cast.process_id}/receipts/{receipts[0]}")
    unknown = client.get(f"/api/v1/processes/{cast.process_id}/receipts/not-a-receipt")
    text = answer.get_data(as_text=True)
    report("secrecy/receipt-check", status=answer.status_code, unknown_status=unknown.status_code)
    assert answer.status_code == 200, text
    assert not any(str(p) in text for p in cast.proposals), f"choices exposed: {text}"
    assert not any(str(r.participant_id) in text for r in cast.residents), text
    assert unknown.status_code in (200, 404)
    if unknown.status_code == 200:
        assert answer.get_json() != unknown.get_json()


def test_audit_and_trail_views_never_show_identity_next_to_choices(
    flask_app: Any, voted: Any, report: Any
) -> None:
    cast, receipts = voted
    v = flask_app.extensions["voisinage"]
    fac = cast.staff["facilitator"]
    result = v.publish_shortlist(fac, cast.process_id)
    shortlisted = [UUID(str(p)) for p in result.shortlist]
    rid = v.draft_recommendation(
        fac,
        cast.process_id,
        title="Bancs",
        text="Installer",
        language="fr",
        proposal_ids=shortlisted[:1],
    )
    settle(flask_app)
    client = flask_app.test_client()
    auditor = {"Authorization": f"Bearer {cast.token('auditor')}"}
    facilitator = {"Authorization": f"Bearer {cast.token('facilitator')}"}
    views = {
        "audit/events": client.get("/api/v1/audit/events?limit=1000", headers=auditor),
        "audit/verify": client.get("/api/v1/audit/verify", headers=auditor),
        "trail": client.get(f"/api/v1/recommendations/{rid}/trail", headers=facilitator),
        "trail.prov.json": client.get(
            f"/api/v1/processes/{cast.process_id}/trail.prov.json", headers=auditor
        ),
        "ranking": client.get(f"/api/v1/processes/{cast.process_id}/ranking", headers=facilitator),
        "shortlist": client.get(f"/api/v1/processes/{cast.process_id}/shortlist"),
    }
    identities = {str(r.participant_id) for r in cast.residents} | {
        r.participant_id.hex for r in cast.residents
    }
    problems: list[str] = []
    objects = 0
    for name, response in views.items():
        if response.status_code != 200:
            problems.append(f"{name}: status {response.status_code}")
            continue
        document = response.get_json()
        text = json.dumps(document)
        problems += [f"{name}: receipt {r} shown" for r in receipts if r in text]
        for path, node in walk(document):
            objects += 1
            node_text = json.dumps(node)
            has_choices = any(k in node for k in ("choices", "ballot", "ballots"))
            if has_choices and any(i in node_text for i in identities):
                problems.append(f"{name}: identity next to choices at {path}")
    line = report(
        "secrecy/views", views=len(views), objects_checked=objects, problems=len(problems)
    )
    assert not problems, line + "\n" + "\n".join(problems[:20])


def test_ballot_id_is_not_computable_from_public_ids(flask_app: Any, voted: Any) -> None:
    from uuid import uuid5

    cast, _ = voted
    v = flask_app.extensions["voisinage"]
    stored = {
        n.originator_id
        for n in v.recorder.select_notifications(start=1, limit=10_000, topics=BALLOT_TOPICS)
    }
    public = {
        uuid5(NAMESPACE, f"ballot/{cast.process_id}/{r.participant_id}") for r in cast.residents
    }
    assert not stored & public, f"{len(stored & public)} of {len(stored)} ballots linkable"
