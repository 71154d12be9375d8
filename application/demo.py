"""A living demo, modelled on *Vois 1 Voisin.e / Gluren bij de buren*.

Everything is loaded through the application's commands, as real users would act:
staff accounts, then the main process: 8 axes, 3 workshops, 40 contributions in French
and Dutch (some captured on paper for groups), 15 proposals citing them, 60 residents'
ballots, left in the voting phase. Then three smaller processes, one in each other
phase a newcomer should try (contributions with an open workshop, proposals,
recommendations answered by the institution: `application.demo_phases`). The same
seed gives the same demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from application.actors import Actor
from application.app import Voisinage
from application.demo_phases import DemoProcess, load_other_phases
from domain.roles import Role

DEMO_PASSWORD = "voisinage-demo"
DEMO_STAFF = {
    Role.ADMIN: "admin@demo.voisinage.brussels",
    Role.FACILITATOR: "animatrice@demo.voisinage.brussels",
    Role.INSTITUTION: "slrb@demo.voisinage.brussels",
    Role.AUDITOR: "audit@demo.voisinage.brussels",
}

AXES: list[dict[str, str]] = [
    {
        "fr": "Logement et rénovation",
        "nl": "Huisvesting en renovatie",
        "en": "Housing and renovation",
    },
    {
        "fr": "Cadre de vie et espaces verts",
        "nl": "Leefomgeving en groen",
        "en": "Living environment and green spaces",
    },
    {"fr": "Sécurité et tranquillité", "nl": "Veiligheid en rust", "en": "Safety and quiet"},
    {"fr": "Propreté", "nl": "Netheid", "en": "Cleanliness"},
    {"fr": "Vivre-ensemble", "nl": "Samenleven", "en": "Living together"},
    {
        "fr": "Dialogue avec la société de logement",
        "nl": "Dialoog met de huisvestingsmaatschappij",
        "en": "Dialogue with the housing company",
    },
    {"fr": "Jeunesse et activités", "nl": "Jeugd en activiteiten", "en": "Youth and activities"},
    {
        "fr": "Mobilité et accessibilité",
        "nl": "Mobiliteit en toegankelijkheid",
        "en": "Mobility and accessibility",
    },
]

# (axis index, kind, language, text): 5 per axis.
CONTRIBUTIONS: list[tuple[int, str, str, str]] = [
    (
        0,
        "testimony",
        "fr",
        "Depuis deux hivers, il y a de la moisissure dans la chambre des enfants.",
    ),
    (0, "concern", "nl", "De ramen sluiten niet goed, het tocht overal in de flat."),
    (0, "idea", "fr", "Prévenir les locataires une semaine avant chaque intervention technique."),
    (0, "question", "fr", "Quand la rénovation énergétique de notre bloc est-elle prévue ?"),
    (0, "testimony", "nl", "Het duurt maanden voor een herstelling in de badkamer gebeurt."),
    (1, "idea", "fr", "Un potager partagé sur la pelouse derrière le bâtiment C."),
    (1, "idea", "nl", "Meer bomen en banken op het binnenplein."),
    (1, "concern", "fr", "La plaine de jeux est fermée depuis un an."),
    (1, "testimony", "fr", "Le soir, la cour est le seul endroit frais en été."),
    (1, "idea", "nl", "Een fontein of drinkwaterpunt voor de zomer."),
    (2, "concern", "fr", "Les halls d'entrée sont mal éclairés le soir."),
    (2, "testimony", "nl", "De voordeur van blok B valt niet meer in het slot."),
    (2, "idea", "fr", "Un concierge présent en soirée deux jours par semaine."),
    (2, "concern", "nl", "Er wordt 's nachts met brommers door het park gereden."),
    (2, "question", "fr", "Qui appeler quand l'interphone ne fonctionne plus ?"),
    (3, "concern", "fr", "Les encombrants restent des semaines devant les caves."),
    (3, "idea", "nl", "Een vaste ophaaldag voor grofvuil, elke maand."),
    (3, "testimony", "fr", "Les locaux poubelles débordent chaque week-end."),
    (3, "idea", "fr", "Des journées de nettoyage avec les jeunes du quartier, avec un goûter."),
    (3, "concern", "nl", "Er zijn ratten bij de containers."),
    (4, "idea", "fr", "Une fête des voisins chaque année dans la cour."),
    (4, "testimony", "nl", "Ik woon hier twintig jaar en ken mijn buren niet meer."),
    (4, "idea", "fr", "Une salle commune ouverte pour les associations de locataires."),
    (4, "concern", "fr", "Le bruit des soirées tardives dans les étages."),
    (4, "idea", "nl", "Een buurtrestaurant waar bewoners samen koken."),
    (5, "concern", "fr", "On ne sait jamais où en est notre demande de réparation."),
    (5, "idea", "nl", "Een spreekuur van de maatschappij in het gebouw zelf."),
    (5, "idea", "fr", "Un suivi des demandes par SMS pour ceux qui n'ont pas internet."),
    (5, "testimony", "fr", "Les courriers de la société sont trop compliqués à comprendre."),
    (5, "question", "nl", "Waarom stijgen de lasten elk jaar zonder uitleg?"),
    (6, "idea", "fr", "Un local pour les devoirs avec des bénévoles."),
    (6, "concern", "nl", "De jongeren hebben geen plek om te sporten."),
    (6, "idea", "fr", "Un terrain multisport à la place du parking vide."),
    (6, "testimony", "fr", "Mon fils traîne dehors parce qu'il n'y a rien à faire ici."),
    (6, "idea", "nl", "Zomerkampen samen met de buurthuizen."),
    (7, "concern", "fr", "L'ascenseur est en panne une semaine sur deux."),
    (7, "testimony", "nl", "Met de rolstoel kan ik de kelder niet bereiken."),
    (7, "idea", "fr", "Des rampes d'accès aux entrées des blocs A et D."),
    (7, "idea", "nl", "Een veilige fietsenstalling in de kelder."),
    (7, "concern", "fr", "Le bus 86 ne passe plus le dimanche."),
]

# (title, body, language, axis index, indices of cited contributions)
PROPOSALS: list[tuple[str, str, str, int, list[int]]] = [
    (
        "Plan anti-moisissure en 12 mois",
        "Diagnostic de chaque logement touché et travaux sous un an.",
        "fr",
        0,
        [0, 4],
    ),
    ("Ramen vervangen in blok C", "Dubbele beglazing voor alle flats van blok C.", "nl", 0, [1, 3]),
    (
        "Potager partagé",
        "Un potager géré par les habitants derrière le bâtiment C.",
        "fr",
        1,
        [5, 8],
    ),
    (
        "Groen binnenplein",
        "Bomen, banken en een drinkwaterpunt op het binnenplein.",
        "nl",
        1,
        [6, 9, 8],
    ),
    (
        "Rouvrir la plaine de jeux",
        "Réparer et rouvrir la plaine de jeux avant l'été.",
        "fr",
        1,
        [7],
    ),
    (
        "Éclairage et portes sûres",
        "Éclairer les halls et réparer les portes d'entrée.",
        "fr",
        2,
        [10, 11],
    ),
    ("Conciërge 's avonds", "Een conciërge twee avonden per week.", "nl", 2, [12, 14]),
    (
        "Ophaaldag voor grofvuil",
        "Elke maand een vaste ophaaldag, aangekondigd in drie talen.",
        "nl",
        3,
        [15, 16, 17],
    ),
    (
        "Journées propreté avec les jeunes",
        "Nettoyage collectif trimestriel avec goûter.",
        "fr",
        3,
        [18, 19],
    ),
    (
        "Salle commune ouverte",
        "Une salle commune gérée par les associations de locataires.",
        "fr",
        4,
        [22, 20, 24],
    ),
    (
        "Spreekuur in het gebouw",
        "Elke week een spreekuur van de maatschappij ter plaatse.",
        "nl",
        5,
        [26, 25],
    ),
    (
        "Suivi des réparations par SMS",
        "Chaque demande reçoit un numéro et des nouvelles par SMS.",
        "fr",
        5,
        [25, 27, 28],
    ),
    (
        "Terrain multisport",
        "Un terrain multisport à la place du parking vide.",
        "fr",
        6,
        [31, 32, 33],
    ),
    (
        "Ascenseurs réparés sous 48 h",
        "Un contrat de maintenance avec un délai de 48 heures.",
        "fr",
        7,
        [35],
    ),
    (
        "Toegankelijke ingangen",
        "Hellingen en automatische deuren aan blokken A en D.",
        "nl",
        7,
        [36, 37],
    ),
]

TITLE = {"fr": "Vois 1 Voisin.e", "nl": "Gluren bij de buren", "en": "Meet the neighbours"}

WORKSHOPS = [
    ("Atelier Peterbos — Anderlecht", date(2026, 2, 7), "Salle communautaire, Parc du Peterbos 9"),
    ("Atelier Querelle — Bruxelles", date(2026, 2, 14), "Maison de quartier Querelle"),
    ("Atelier Ieder zijn Huis — Evere", date(2026, 2, 21), "Buurthuis, Oudstrijderslaan"),
]


@dataclass
class Demo:
    """What the demo created, for the README, the tests and the benchmarks.

    Its own fields are the main process's (in the voting phase); `processes` has every
    demo process by phase, that one included.
    """

    process_id: UUID
    staff: dict[Role, Actor]
    axis_ids: list[UUID]
    workshop_ids: list[UUID]
    contribution_ids: list[UUID]
    proposal_ids: list[UUID]
    residents: list[Actor] = field(default_factory=list)
    spare_codes: list[str] = field(default_factory=list)
    processes: dict[str, DemoProcess] = field(default_factory=dict)


def load_demo(
    app: Voisinage, *, seed: int = 2026, voters: int = 60, every_phase: bool = True
) -> Demo:
    """Create the demo through the application's commands: the main process in the
    voting phase, then (unless `every_phase` is False) one process in each other phase."""
    rng = random.Random(seed)
    staff = {
        role: Actor(
            app.bootstrap_staff(
                email=email,
                password=DEMO_PASSWORD,
                role=role.value,
                name=f"Demo {role.value}",
            ),
            role,
        )
        for role, email in DEMO_STAFF.items()
    }
    facilitator = staff[Role.FACILITATOR]
    process_id = app.start_process(
        facilitator,
        title=TITLE,
        description={
            "fr": "Ce que les habitants du logement social veulent changer dans leur quartier.",
            "nl": "Wat bewoners van sociale woningen in hun wijk willen veranderen.",
        },
        rules={"method": "approval", "max_choices": 5, "shortlist_size": 10},
    )
    axis_ids = [app.add_axis(facilitator, process_id, name) for name in AXES]
    codes = app.issue_invitations(facilitator, process_id, voters + 10)
    residents = [app.join(process_id, code) for code in codes[:voters]]
    app.advance_phase(facilitator, process_id, "contributions")

    workshop_ids = []
    for title, on, place in WORKSHOPS:
        workshop_id = app.schedule_workshop(
            facilitator, process_id, title=title, on=on, place=place
        )
        app.open_workshop(facilitator, workshop_id)
        workshop_ids.append(workshop_id)

    contribution_ids = []
    for index, (axis, kind, language, text) in enumerate(CONTRIBUTIONS):
        workshop_id = workshop_ids[index % len(workshop_ids)]
        author = residents[index] if index % 3 == 2 else facilitator  # typed, or captured
        contribution_ids.append(
            app.record_contribution(
                author,
                workshop_id,
                kind=kind,
                text=text,
                language=language,
                axis_id=axis_ids[axis],
                # paper notes for a group, or spoken words captured for a named resident
                on_behalf_of_group=f"table {index % 4 + 1}" if index % 3 == 0 else None,
                on_behalf_of_participant=residents[index].participant_id
                if index % 3 == 1
                else None,
                quote_consent=index % 2 == 0,  # half agreed to be quoted in the report
            )
        )
    for workshop_id in workshop_ids:
        app.close_workshop(facilitator, workshop_id)

    app.advance_phase(facilitator, process_id, "proposals")
    proposal_ids = []
    for index, (title, body, language, axis, sources) in enumerate(PROPOSALS):
        author = facilitator if index % 4 == 0 else residents[index + 20]
        proposal_ids.append(
            app.submit_proposal(
                author,
                process_id,
                title=title,
                body=body,
                language=language,
                axis_id=axis_ids[axis],
                source_ids=[contribution_ids[s] for s in sources],
            )
        )
    app.advance_phase(facilitator, process_id, "voting")

    # Skewed popularity, with a cohesive minority that cares about accessibility.
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(proposal_ids))]
    for number, resident in enumerate(residents):
        if number % 5 == 0:
            choices = [proposal_ids[13], proposal_ids[14]]
        else:
            how_many = rng.randint(1, 5)
            choices = []
            while len(choices) < how_many:
                choice = rng.choices(proposal_ids, weights=weights)[0]
                if choice not in choices:
                    choices.append(choice)
        app.cast_ballot(resident, process_id, [str(c) for c in choices])

    demo = Demo(
        process_id=process_id,
        staff=staff,
        axis_ids=axis_ids,
        workshop_ids=workshop_ids,
        contribution_ids=contribution_ids,
        proposal_ids=proposal_ids,
        residents=residents,
        spare_codes=codes[voters:],
    )
    demo.processes["voting"] = DemoProcess(
        process_id,
        "voting",
        TITLE,
        workshop_ids=workshop_ids,
        contribution_ids=contribution_ids,
        proposal_ids=proposal_ids,
        residents=residents,
        spare_codes=demo.spare_codes,
    )
    if every_phase:
        demo.processes.update(load_other_phases(app, staff, seed=seed))
    return demo
