"""The research-action side of the demo: a hypothesis on perceived discrimination, its
methodology and indicator, expected effects per axis, and a questionnaire answered in
a baseline and a follow-up wave, so that the results show a measured change.

Kept apart from `load_demo` (which the page tests rely on) and run after it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.app import Voisinage
from application.demo import Demo
from domain.roles import Role

HYPOTHESIS = {
    "fr": "La co-création avec les habitants réduit la discrimination perçue",
    "nl": "Co-creatie met de bewoners vermindert de ervaren discriminatie",
    "en": "Co-creation with residents reduces perceived discrimination",
}
FELT = {
    "fr": "Dans votre quartier, vous sentez-vous traité avec respect ?",
    "nl": "Voelt u zich in uw buurt met respect behandeld?",
    "en": "In your neighbourhood, do you feel treated with respect?",
}


@dataclass
class ResearchDemo:
    """What the research demo created."""

    questionnaire_id: UUID
    hypothesis_id: UUID
    indicator_id: UUID
    respondents: int


def load_research_demo(
    app: Voisinage, demo: Demo, *, seed: int = 2026, respondents: int = 24
) -> ResearchDemo:
    """Add the research record and a two-wave questionnaire to the demo process."""
    rng = random.Random(seed)
    fac = demo.staff[Role.FACILITATOR]
    pid = demo.process_id
    hypothesis = app.state_hypothesis(fac, pid, HYPOTHESIS)
    app.describe_method(
        fac,
        pid,
        method="participatory_workshops",
        description={"fr": "Trois ateliers d'expression", "nl": "Drie expressieworkshops"},
        start=date(2026, 2, 7),
        end=date(2026, 2, 21),
    )
    app.describe_method(
        fac,
        pid,
        method="questionnaire",
        description={"fr": "Avant et après les ateliers", "nl": "Voor en na de workshops"},
        start=date(2026, 1, 20),
        end=date(2026, 4, 30),
    )
    qid = app.create_questionnaire(
        fac,
        pid,
        title={"fr": "Vivre ensemble", "nl": "Samenleven", "en": "Living together"},
        intro={
            "fr": "Cinq minutes. Vos réponses sont anonymes.",
            "nl": "Vijf minuten. Uw antwoorden zijn anoniem.",
            "en": "Five minutes. Your answers are anonymous.",
        },
        audience=["residents"],
        anonymous=True,
    )
    app.add_question(fac, qid, kind="scale5", text=FELT, required=True)
    app.add_question(
        fac,
        qid,
        kind="scale10",
        text={"fr": "Votre satisfaction du logement (0 à 10)", "nl": "Uw tevredenheid (0 tot 10)"},
    )
    app.add_question(
        fac, qid, kind="text", text={"fr": "Un mot sur le quartier ?", "nl": "Een woord?"}
    )
    indicator = app.define_indicator(
        fac,
        pid,
        hypothesis_id=hypothesis,
        name={"fr": "Respect ressenti", "nl": "Ervaren respect"},
        how={"fr": "Échelle de 1 à 5, avant et après", "nl": "Schaal 1 tot 5, voor en na"},
        direction="increase",
        questions=[{"questionnaire_id": qid, "question_id": "q1"}],
    )
    app.set_expected_effects(
        fac,
        pid,
        demo.axis_ids[0],
        {
            "people": {"fr": "Se sentir écouté", "nl": "Zich gehoord voelen"},
            "organisations": {"fr": "Une SISP qui répond", "nl": "Een OVM die antwoordt"},
        },
    )
    codes = app.issue_invitations(fac, pid, respondents)
    people = [app.join(pid, code) for code in codes]
    app.open_wave(fac, qid, label={"fr": "Avant", "nl": "Voor", "en": "Baseline"}, sent_to=60)
    before = {}
    for person in people:
        before[person.participant_id] = rng.choice([1, 2, 2, 3, 3, 4])
        app.answer_questionnaire(
            person, qid, 1, {"q1": before[person.participant_id], "q2": rng.randint(3, 8)}
        )
    app.close_wave(fac, qid, 1)
    app.open_wave(fac, qid, label={"fr": "Après", "nl": "Na", "en": "Follow-up"}, sent_to=60)
    for person in people[: respondents * 3 // 4]:
        after = min(5, before[person.participant_id] + rng.choice([0, 1, 1, 2]))
        app.answer_questionnaire(person, qid, 2, {"q1": after, "q2": rng.randint(4, 9)})
    app.close_wave(fac, qid, 2)
    return ResearchDemo(qid, hypothesis, indicator, respondents)
