"""The decision trail of the demo process, from workshops to the institution's answer."""

from __future__ import annotations

import json
import time
from datetime import date
from uuid import UUID

from app_support import sync
from prov.model import ProvDocument

from application.demo import load_demo
from domain.roles import Role
from projections.runner import rebuild


def test_the_demo_trail_from_recommendation_back_to_workshops(app, storage, views):
    demo = load_demo(app)
    facilitator, institution = demo.staff[Role.FACILITATOR], demo.staff[Role.INSTITUTION]
    result = app.publish_shortlist(facilitator, demo.process_id)
    shortlisted = [p for p in result.shortlist]
    first = app.draft_recommendation(
        facilitator,
        demo.process_id,
        title="Réparer vite",
        text="Des délais garantis pour les réparations",
        language="fr",
        proposal_ids=shortlisted[:2],
    )
    second = app.draft_recommendation(
        facilitator,
        demo.process_id,
        title="Espaces partagés",
        text="Ouvrir les espaces communs",
        language="fr",
        proposal_ids=shortlisted[2:4],
    )
    app.advance_phase(facilitator, demo.process_id, "recommendations")
    for rid, status in ((first, "accepted"), (second, "under_study")):
        app.submit_recommendation(facilitator, rid)
        app.answer_recommendation(
            institution, rid, status=status, justification="Inscrit au plan 2027-2030"
        )
    app.report_progress(institution, first, percent=25, note="Marché lancé", on=date(2027, 3, 1))
    sync(storage, views)

    workshops = {w["workshop_id"]: w for w in views.workshops(demo.process_id)}
    for rid, cited in ((first, shortlisted[:2]), (second, shortlisted[2:4])):
        trail = views.trail(rid)
        assert [p["proposal_id"] for p in trail["proposals"]] == [str(p) for p in cited]
        for entry in trail["proposals"]:
            proposal = app.proposal(UUID(entry["proposal_id"]))
            assert (
                entry["shortlisted"]
                and entry["rank"] == result.shortlist.index(entry["proposal_id"]) + 1
            )
            # every contribution cited by the shortlisted proposal is under the recommendation
            listed = {c["contribution_id"] for c in entry["contributions"]}
            assert listed == {str(c) for c in proposal.source_ids}
            for contribution in entry["contributions"]:
                assert contribution["workshop"]["workshop_id"] in workshops
                outcome = views.outcome(contribution["contribution_id"])
                recommendations = {r["recommendation_id"]: r for r in outcome["recommendations"]}
                assert str(rid) in recommendations
                assert recommendations[str(rid)]["answer"] == app.recommendation(rid).answer
                assert entry["proposal_id"] in {p["proposal_id"] for p in outcome["proposals"]}
    assert views.outcome(demo.contribution_ids[0])["contribution"]["workshop"]["title"]
    first_outcome = views.trail(first)["recommendation"]
    assert first_outcome["progress"] == 25 and first_outcome["progress_notes"][0]["on"] == (
        "2027-03-01"
    )

    graph = views.trail_json(demo.process_id)
    kinds = {n["kind"] for n in graph["nodes"]}
    assert kinds == {
        "process",
        "workshop",
        "contribution",
        "proposal",
        "shortlist",
        "recommendation",
    }
    prov = views.trail_prov(demo.process_id)
    document = ProvDocument.deserialize(content=json.dumps(prov), format="json")
    assert len(document.get_records()) > len(graph["nodes"])
    assert any(str(first) in str(record.identifier) for record in document.get_records())


def test_rebuild_speed_on_the_demo(app, storage, tmp_path, capsys):
    load_demo(app)
    from projections.view import create_views_engine

    engine = create_views_engine(f"sqlite:///{tmp_path}/speed.sqlite", None)
    started = time.perf_counter()
    last = rebuild(storage, engine=engine)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n[{storage.kind}] rebuilt {last} events in {elapsed:.3f} s")
    assert last == app.head_position()
