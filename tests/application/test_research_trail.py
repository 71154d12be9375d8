"""The research record in the decision trail: a recommendation addresses hypotheses,
indicators test them and cite the questionnaire questions that measure them (SQLite
and PostgreSQL, through the trail projection)."""

from __future__ import annotations

from uuid import UUID

from app_support import sync
from builders import stage

from projections.queries import Views
from projections.trail_graph import hypothesis_node, indicator_node, question_node


def test_a_recommendation_leads_to_its_hypotheses_indicators_and_questions(app, world) -> None:
    s = stage(app, world, "shortlisted")
    fac = s.facilitator
    hypothesis = app.state_hypothesis(
        fac, s.pid, {"fr": "La co-création réduit la discrimination", "nl": "Co-creatie helpt"}
    )
    other = app.state_hypothesis(fac, s.pid, {"fr": "Les ateliers renforcent la confiance"})
    qid = app.create_questionnaire(
        fac,
        s.pid,
        title={"fr": "Vivre ensemble"},
        intro={"fr": "Cinq minutes."},
        audience=["residents"],
        anonymous=True,
    )
    app.add_question(fac, qid, kind="scale5", text={"fr": "Vous sentez-vous respecté ?"})
    indicator = app.define_indicator(
        fac,
        s.pid,
        hypothesis_id=hypothesis,
        name={"fr": "Respect ressenti"},
        how={"fr": "Échelle de 1 à 5"},
        direction="increase",
        questions=[{"questionnaire_id": qid, "question_id": "q1"}],
    )
    shortlisted = [UUID(p) for p in app.process(s.pid).shortlist.shortlist[:1]]
    rid = app.draft_recommendation(
        fac,
        s.pid,
        title="Des ateliers réguliers",
        text="Chaque mois",
        language="fr",
        proposal_ids=shortlisted,
        hypothesis_ids=[hypothesis, other],
    )
    views = Views(app.storage)
    try:
        sync(app.storage, views)
        trail = views.trail(rid)
        assert trail is not None
        assert trail["recommendation"]["hypothesis_ids"] == [str(hypothesis), str(other)]
        first, second = trail["hypotheses"]
        assert first["text"]["nl"] == "Co-creatie helpt" and second["indicators"] == []
        (measured,) = first["indicators"]
        assert measured["indicator_id"] == str(indicator)
        assert measured["direction"] == "increase"
        assert measured["questions"] == [
            {
                "questionnaire_id": str(qid),
                "question_id": "q1",
                "text": {"fr": "Vous sentez-vous respecté ?"},
            }
        ]
        graph = views.trail_json(s.pid)
        edges = {(e["src"], e["relation"], e["dst"]) for e in graph["edges"]}
        assert (str(rid), "addresses", hypothesis_node(hypothesis)) in edges
        assert (indicator_node(indicator), "tests", hypothesis_node(hypothesis)) in edges
        assert (indicator_node(indicator), "measured_by", question_node(qid, "q1")) in edges
        prov = views.trail_prov(s.pid)
        relations = {d.get("vsn:relation") for d in prov.get("wasDerivedFrom", {}).values()}
        assert {"addresses", "tests", "measured_by"} <= relations

        # A revision that no longer cites `other` drops it from the trail; None keeps them.
        app.revise_recommendation(
            fac,
            rid,
            title="Des ateliers réguliers",
            text="Chaque mois",
            language="fr",
            proposal_ids=shortlisted,
            hypothesis_ids=[hypothesis],
        )
        app.revise_recommendation(
            fac, rid, title="Des ateliers", text="Chaque mois", language="fr",
            proposal_ids=shortlisted,
        )  # fmt: skip
        sync(app.storage, views)
        trail = views.trail(rid)
        assert [h["hypothesis_id"] for h in trail["hypotheses"]] == [str(hypothesis)]
        assert app.recommendation(rid).hypothesis_ids == [hypothesis]
        edges = {(e["src"], e["relation"], e["dst"]) for e in views.trail_json(s.pid)["edges"]}
        assert (str(rid), "addresses", hypothesis_node(other)) not in edges
    finally:
        views.engine.dispose()
