"""The demo's other processes, one in each phase a newcomer should be able to try.

`load_demo` loads *Vois 1 Voisin.e* in the voting phase, then these three, each smaller
and played through the same commands up to its phase:

- contributions: a workshop open now (give an idea, capture paper notes), one planned;
- proposals: the workshop closed, proposals citing its contributions, open to more;
- recommendations: the vote counted, the shortlist published, one recommendation
  answered by the institution with a progress report and one awaiting its answer.

Deterministic: the same seed gives the same ballots (invitation codes stay random).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from application.actors import Actor
from application.app import Voisinage
from domain.phases import Phase
from domain.roles import Role

Names = dict[str, str]


@dataclass
class DemoProcess:
    """One process of the demo, as a newcomer meets it."""

    process_id: UUID
    phase: str
    title: Names
    workshop_ids: list[UUID] = field(default_factory=list)
    open_workshop_id: UUID | None = None
    contribution_ids: list[UUID] = field(default_factory=list)
    proposal_ids: list[UUID] = field(default_factory=list)
    recommendation_ids: list[UUID] = field(default_factory=list)
    residents: list[Actor] = field(default_factory=list)
    spare_codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Script:
    """What happens in one demo process, in the order of its phases."""

    title: Names
    description: Names
    axes: list[Names]
    workshops: list[tuple[str, date, str]]
    #: (axis index, kind, language, text)
    contributions: list[tuple[int, str, str, str]]
    #: (title, body, language, axis index, indices of cited contributions)
    proposals: list[tuple[str, str, str, int, list[int]]] = field(default_factory=list)
    residents: int = 6
    spare: int = 8


CONTRIBUTIONS_SCRIPT = Script(
    title={
        "fr": "Cité Modèle : nos espaces communs",
        "nl": "Modelwijk: onze gemeenschappelijke ruimtes",
        "en": "Cité Modèle: our shared spaces",
    },
    description={
        "fr": "Ce que nous voulons faire des halls, des caves et des pelouses de la cité.",
        "nl": "Wat we willen doen met de hallen, kelders en grasvelden van de wijk.",
    },
    axes=[
        {"fr": "Espaces communs", "nl": "Gemeenschappelijke ruimtes", "en": "Shared spaces"},
        {"fr": "Propreté", "nl": "Netheid", "en": "Cleanliness"},
        {
            "fr": "Jeunesse et activités",
            "nl": "Jeugd en activiteiten",
            "en": "Youth and activities",
        },
    ],
    workshops=[
        ("Atelier Cité Modèle — Laeken", date(2026, 3, 14), "Salle polyvalente, bloc 3"),
        ("Atelier des jeunes — Laeken", date(2026, 3, 28), "Maison des jeunes, Cité Modèle"),
    ],
    contributions=[
        (0, "idea", "fr", "Transformer la cave du bloc 2 en local pour les associations."),
        (0, "concern", "nl", "De hal van blok 5 is 's avonds te donker."),
        (1, "testimony", "fr", "Les poubelles du bloc 4 débordent tous les lundis."),
        (2, "idea", "fr", "Un atelier vélo tenu par les jeunes de la cité."),
        (0, "question", "nl", "Mogen we de grasvelden gebruiken voor een buurtfeest?"),
    ],
    residents=5,
)

PROPOSALS_SCRIPT = Script(
    title={
        "fr": "Rempart des Moines : rénover ensemble",
        "nl": "Papenvest: samen renoveren",
        "en": "Rempart des Moines: renovating together",
    },
    description={
        "fr": "Les locataires préparent les propositions pour la rénovation des tours.",
        "nl": "De huurders bereiden de voorstellen voor de renovatie van de torens voor.",
    },
    axes=[
        {"fr": "Logement et rénovation", "nl": "Huisvesting en renovatie", "en": "Housing"},
        {"fr": "Pendant les travaux", "nl": "Tijdens de werken", "en": "During the works"},
        {"fr": "Cadre de vie", "nl": "Leefomgeving", "en": "Living environment"},
    ],
    workshops=[("Atelier Rempart — Bruxelles", date(2026, 1, 17), "Maison de quartier")],
    contributions=[
        (0, "concern", "fr", "L'humidité revient chaque hiver dans les salles de bains."),
        (1, "question", "nl", "Waar wonen we tijdens de renovatie van onze flat?"),
        (1, "idea", "fr", "Un calendrier des travaux affiché dans chaque hall."),
        (0, "idea", "nl", "Betere isolatie zodat de energiefactuur daalt."),
        (2, "idea", "fr", "Garder les arbres de la cour pendant le chantier."),
        (1, "testimony", "fr", "Ma voisine âgée a peur du bruit pendant des mois."),
    ],
    proposals=[
        (
            "Un interlocuteur unique pendant le chantier",
            "Une personne de la société à joindre pour chaque question sur les travaux.",
            "fr",
            1,
            [1, 2, 5],
        ),
        ("Isolatie en ventilatie", "Eerst isoleren en ventileren, dan de rest.", "nl", 0, [0, 3]),
        (
            "Protéger la cour et ses arbres",
            "Aucun arbre abattu, la cour reste ouverte pendant le chantier.",
            "fr",
            2,
            [4],
        ),
    ],
    residents=6,
)

RECOMMENDATIONS_SCRIPT = Script(
    title={
        "fr": "Cité Hellemans : un quartier propre et sûr",
        "nl": "Hellemanswijk: een nette en veilige buurt",
        "en": "Hellemans estate: a clean and safe neighbourhood",
    },
    description={
        "fr": "Les habitants ont voté ; la société de logement répond à leurs recommandations.",
        "nl": "De bewoners hebben gestemd; de huisvestingsmaatschappij antwoordt op hun "
        "aanbevelingen.",
    },
    axes=[
        {"fr": "Propreté", "nl": "Netheid", "en": "Cleanliness"},
        {"fr": "Sécurité et tranquillité", "nl": "Veiligheid en rust", "en": "Safety and quiet"},
        {"fr": "Vivre-ensemble", "nl": "Samenleven", "en": "Living together"},
    ],
    workshops=[("Atelier Hellemans — Marolles", date(2025, 10, 11), "Salle de la cité")],
    contributions=[
        (0, "concern", "fr", "Les dépôts clandestins s'accumulent rue des Ménages."),
        (1, "concern", "nl", "De portiek wordt 's nachts als toilet gebruikt."),
        (1, "idea", "fr", "Des portes d'entrée qui ferment vraiment, avec un badge."),
        (0, "idea", "nl", "Een buurtconciërge die het afval opvolgt."),
        (2, "idea", "fr", "Un barbecue des voisins au printemps dans la cour."),
        (2, "testimony", "fr", "Les nouveaux arrivants ne connaissent personne ici."),
    ],
    proposals=[
        (
            "Portes à badge",
            "Remplacer les portes d'entrée par des portes à badge.",
            "fr",
            1,
            [2, 1],
        ),
        ("Buurtconciërge", "Een conciërge die afval en herstellingen opvolgt.", "nl", 0, [3, 0]),
        (
            "Nettoyage des dépôts en 48 h",
            "Chaque dépôt signalé est enlevé en deux jours.",
            "fr",
            0,
            [0],
        ),
        ("Fête des voisins", "Une fête des voisins chaque printemps.", "fr", 2, [4, 5]),
        ("Welkomstpakket", "Een onthaal voor nieuwe bewoners met een buurtgids.", "nl", 2, [5]),
    ],
    residents=18,
)


def load_other_phases(
    app: Voisinage, staff: dict[Role, Actor], *, seed: int = 2026
) -> dict[str, DemoProcess]:
    """The three other demo processes, by phase (the oldest listed last)."""
    rng = random.Random(seed + 1)  # Vois 1 Voisin.e's ballots keep their own sequence
    recommendations = _play(app, staff, RECOMMENDATIONS_SCRIPT, Phase.RECOMMENDATIONS, rng)
    proposals = _play(app, staff, PROPOSALS_SCRIPT, Phase.PROPOSALS, rng)
    contributions = _play(app, staff, CONTRIBUTIONS_SCRIPT, Phase.CONTRIBUTIONS, rng)
    return {
        Phase.CONTRIBUTIONS.value: contributions,
        Phase.PROPOSALS.value: proposals,
        Phase.RECOMMENDATIONS.value: recommendations,
    }


def _play(
    app: Voisinage, staff: dict[Role, Actor], script: Script, until: Phase, rng: random.Random
) -> DemoProcess:
    """Run one process through its phases up to `until`, as its people would."""
    facilitator = staff[Role.FACILITATOR]
    pid = app.start_process(
        facilitator,
        title=script.title,
        description=script.description,
        rules={"method": "approval", "max_choices": 3, "shortlist_size": 3},
    )
    demo = DemoProcess(pid, until.value, script.title)
    axis_ids = [app.add_axis(facilitator, pid, name) for name in script.axes]
    codes = app.issue_invitations(facilitator, pid, script.residents + script.spare)
    demo.residents = [app.join(pid, code) for code in codes[: script.residents]]
    demo.spare_codes = codes[script.residents :]
    app.advance_phase(facilitator, pid, Phase.CONTRIBUTIONS.value)

    for title, on, place in script.workshops:
        demo.workshop_ids.append(
            app.schedule_workshop(facilitator, pid, title=title, on=on, place=place)
        )
    first = demo.workshop_ids[0]
    app.open_workshop(facilitator, first)  # the others stay planned
    for index, (axis, kind, language, text) in enumerate(script.contributions):
        typed = index % 2 == 1  # typed by a resident, or a paper note captured for a group
        demo.contribution_ids.append(
            app.record_contribution(
                demo.residents[index % len(demo.residents)] if typed else facilitator,
                first,
                kind=kind,
                text=text,
                language=language,
                axis_id=axis_ids[axis],
                on_behalf_of_group=None if typed else f"table {index % 3 + 1}",
                quote_consent=index % 3 != 2,
            )
        )
    if until is Phase.CONTRIBUTIONS:
        demo.open_workshop_id = first
        return demo
    app.close_workshop(facilitator, first)

    app.advance_phase(facilitator, pid, Phase.PROPOSALS.value)
    for index, (title, body, language, axis, sources) in enumerate(script.proposals):
        author = facilitator if index == 0 else demo.residents[index]
        demo.proposal_ids.append(
            app.submit_proposal(
                author,
                pid,
                title=title,
                body=body,
                language=language,
                axis_id=axis_ids[axis],
                source_ids=[demo.contribution_ids[s] for s in sources],
            )
        )
    if until is Phase.PROPOSALS:
        return demo

    app.advance_phase(facilitator, pid, Phase.VOTING.value)
    weights = [1.0 / (rank + 1) for rank in range(len(demo.proposal_ids))]
    for resident in demo.residents:
        choices: list[UUID] = []
        for _ in range(rng.randint(1, 3)):
            choice = rng.choices(demo.proposal_ids, weights=weights)[0]
            if choice not in choices:
                choices.append(choice)
        app.cast_ballot(resident, pid, [str(c) for c in choices])
    shortlist = [UUID(str(p)) for p in app.publish_shortlist(facilitator, pid).shortlist]
    _recommend(app, staff, pid, shortlist, demo)
    return demo


def _recommend(
    app: Voisinage,
    staff: dict[Role, Actor],
    pid: UUID,
    shortlist: list[UUID],
    demo: DemoProcess,
) -> None:
    """Two recommendations from the shortlist: one answered and under way, one waiting."""
    facilitator, institution = staff[Role.FACILITATOR], staff[Role.INSTITUTION]
    answered = app.draft_recommendation(
        facilitator,
        pid,
        title="Des entrées sûres et propres",
        text="Portes à badge à toutes les entrées et un concierge qui suit la propreté.",
        language="fr",
        proposal_ids=shortlist[:2],
    )
    waiting = app.draft_recommendation(
        facilitator,
        pid,
        title="Samen de buurt onthalen",
        text="Elk voorjaar een buurtfeest, en een onthaal voor wie nieuw is in de wijk.",
        language="nl",
        proposal_ids=shortlist[2:],
    )
    app.advance_phase(facilitator, pid, Phase.RECOMMENDATIONS.value)
    for recommendation_id in (answered, waiting):
        app.submit_recommendation(facilitator, recommendation_id)
    app.answer_recommendation(
        institution,
        answered,
        status="accepted",
        justification="Inscrit au budget 2026 : portes remplacées bloc par bloc.",
    )
    app.report_progress(
        institution,
        answered,
        percent=40,
        note="Portes à badge posées aux blocs A et B.",
        on=date(2026, 5, 4),
    )
    demo.recommendation_ids = [answered, waiting]
