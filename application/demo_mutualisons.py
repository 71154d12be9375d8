"""A Mutualisons-like living lab among Brussels organisations: about a hundred
associations registered, a questionnaire to organisations on their needs for a shared
place and their position on a "lieu fédérateur" (about twenty answered, each through a
representative), a co-creation workshop gathering organisations, and cooperation axes
with the effects expected for people, publics and organisations.

Run after `load_demo` (it uses the demo's staff); everything goes through the
application's commands, so the demo is also a test of them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from application.actors import Actor
from application.app import Voisinage
from application.demo import Demo
from domain.roles import Role

COMMUNES = (
    "Anderlecht",
    "Bruxelles",
    "Etterbeek",
    "Forest",
    "Ixelles",
    "Jette",
    "Molenbeek-Saint-Jean",
    "Saint-Gilles",
    "Saint-Josse-ten-Noode",
    "Schaerbeek",
    "Uccle",
    "Watermael-Boitsfort",
)
SECTORS = (
    ("culture", "Centre culturel", "Collectif artistique"),
    ("cohésion sociale", "Maison de quartier", "Asbl de cohésion sociale"),
    ("jeunesse", "Maison de jeunes", "École de devoirs"),
    ("santé", "Maison médicale", "Réseau santé"),
    ("logement", "Comité de locataires", "Agence immobilière sociale"),
    ("éducation permanente", "Atelier d'alphabétisation", "Université populaire"),
    ("environnement", "Potager collectif", "Repair café"),
)
NEEDS = (
    {"fr": "Une salle de réunion", "nl": "Een vergaderzaal", "en": "A meeting room"},
    {"fr": "Des bureaux partagés", "nl": "Gedeelde kantoren", "en": "Shared offices"},
    {"fr": "Un espace de stockage", "nl": "Opslagruimte", "en": "Storage space"},
    {
        "fr": "Une salle d'activités pour nos publics",
        "nl": "Een activiteitenzaal voor ons publiek",
        "en": "An activity room for our publics",
    },
    {"fr": "Une cuisine", "nl": "Een keuken", "en": "A kitchen"},
    {"fr": "Du matériel partagé", "nl": "Gedeeld materiaal", "en": "Shared equipment"},
)
POSITIONS = (
    {"fr": "Pour", "nl": "Voor", "en": "In favour"},
    {"fr": "Plutôt pour", "nl": "Eerder voor", "en": "Rather in favour"},
    {"fr": "Plutôt contre", "nl": "Eerder tegen", "en": "Rather against"},
    {"fr": "Contre", "nl": "Tegen", "en": "Against"},
    {"fr": "Sans avis", "nl": "Geen mening", "en": "No opinion"},
)
AXES = (
    (
        {"fr": "Mutualiser un lieu", "nl": "Een plek delen", "en": "Sharing a place"},
        {
            "people": {"fr": "Moins d'isolement des travailleurs", "nl": "Minder isolement"},
            "publics": {"fr": "Des activités plus proches", "nl": "Activiteiten dichterbij"},
            "organisations": {"fr": "Des loyers partagés", "nl": "Gedeelde huurprijzen"},
        },
    ),
    (
        {"fr": "Partager des ressources", "nl": "Middelen delen", "en": "Sharing resources"},
        {
            "people": {"fr": "Des compétences échangées", "nl": "Uitgewisselde vaardigheden"},
            "publics": {"fr": "Un meilleur accueil", "nl": "Een beter onthaal"},
            "organisations": {"fr": "Moins de coûts fixes", "nl": "Minder vaste kosten"},
        },
    ),
    (
        {
            "fr": "Co-programmer des activités",
            "nl": "Samen activiteiten plannen",
            "en": "Planning activities together",
        },
        {
            "people": {"fr": "Des projets communs", "nl": "Gemeenschappelijke projecten"},
            "publics": {"fr": "Une offre plus variée", "nl": "Een gevarieerder aanbod"},
            "organisations": {"fr": "Une visibilité commune", "nl": "Gedeelde zichtbaarheid"},
        },
    ),
)
IDEAS = (
    "Un planning partagé des salles, en ligne et sur papier",
    "Une cuisine commune pour les repas des publics",
    "Un lieu ouvert le soir et le week-end",
    "Une charte d'occupation écrite ensemble",
    "Un fonds commun pour le matériel",
    "Des permanences communes d'accueil",
)


@dataclass
class MutualisonsDemo:
    """What the Mutualisons demo created."""

    process_id: UUID
    questionnaire_id: UUID
    workshop_id: UUID
    organisation_ids: list[UUID]
    responses: int
    #: codes of representatives whose organisation has not answered yet (to try it)
    representative_codes: dict[str, str] = field(default_factory=dict)


def load_mutualisons_demo(
    app: Voisinage,
    demo: Demo,
    *,
    seed: int = 2026,
    organisations: int = 100,
    responses: int = 20,
    spare_representatives: int = 3,
) -> MutualisonsDemo:
    """Register the organisations, ask them, gather some of them in a workshop."""
    rng = random.Random(seed)
    fac = demo.staff[Role.FACILITATOR]
    pid = app.start_process(
        fac,
        title={
            "fr": "Mutualisons : un lieu fédérateur ?",
            "nl": "Mutualisons: een verbindende plek?",
            "en": "Mutualisons: a unifying place?",
        },
        description={
            "fr": "Un living lab entre associations bruxelloises sur un lieu partagé.",
            "nl": "Een living lab tussen Brusselse verenigingen over een gedeelde plek.",
            "en": "A living lab among Brussels associations about a shared place.",
        },
    )
    axes = [app.add_axis(fac, pid, name) for name, _ in AXES]
    app.advance_phase(fac, pid, "contributions")
    entries = []
    for index in range(organisations):
        sector, *kinds = SECTORS[index % len(SECTORS)]
        commune = COMMUNES[(index * 5) % len(COMMUNES)]
        entries.append(
            {
                "name": f"{kinds[index % 2]} {commune} {index // len(SECTORS) + 1}",
                "sector": sector,
                "commune": commune,
                "contact": {
                    "name": f"Contact {index + 1}",
                    "email": f"asbl{index + 1}@example.org",
                },
            }
        )
    organisation_ids = app.register_organisations(fac, pid, entries)
    _research_record(app, demo, pid, axes)
    qid = _questionnaire(app, demo, pid)
    asked = rng.sample(organisation_ids, responses + spare_representatives)
    codes = app.issue_invitations(fac, pid, len(asked))
    representatives = {}
    for organisation, code in zip(asked, codes, strict=True):
        participant = app.add_representative(fac, organisation, code=code)
        representatives[organisation] = Actor(participant, Role.RESIDENT, pid)
    for organisation in asked[:responses]:
        needs = sorted(rng.sample(["1", "2", "3", "4", "5", "6"], rng.randint(1, 3)))
        answers = {
            "q1": needs,
            "q2": rng.choice(["1", "1", "1", "2", "2", "3", "4", "5"]),
            "q3": rng.choice([2, 3, 4, 4, 5, 5]),
        }
        if rng.random() < 0.5:
            answers["q4"] = rng.choice(IDEAS)
        app.answer_questionnaire(
            representatives[organisation], qid, 1, answers, organisation_id=organisation
        )
    workshop = app.schedule_workshop(
        fac,
        pid,
        title="Atelier de co-création Bota75",
        on=date(2026, 5, 12),
        place="Bota75, Schaerbeek",
    )
    app.open_workshop(fac, workshop)
    for index, organisation in enumerate(asked[:8]):
        app.record_contribution(
            representatives[organisation],
            workshop,
            kind="idea",
            text=IDEAS[index % len(IDEAS)],
            language="fr",
            axis_id=axes[index % len(axes)],
            on_behalf_of_organisation=organisation,
        )
    app.record_contribution(
        fac,
        workshop,
        kind="concern",
        text="Qui gère les clés et les horaires ?",
        language="fr",
        on_behalf_of_organisation=asked[8],
    )
    spare = dict(zip(asked[responses:], codes[responses:], strict=True))
    return MutualisonsDemo(
        pid,
        qid,
        workshop,
        organisation_ids,
        responses,
        {str(organisation): code for organisation, code in spare.items()},
    )


def _research_record(app: Voisinage, demo: Demo, pid: UUID, axes: list[UUID]) -> None:
    fac = demo.staff[Role.FACILITATOR]
    app.state_hypothesis(
        fac,
        pid,
        {
            "fr": "Un lieu fédérateur renforce la coopération entre associations",
            "nl": "Een verbindende plek versterkt de samenwerking tussen verenigingen",
            "en": "A unifying place strengthens cooperation among associations",
        },
    )
    for method, text, start, end in (
        ("questionnaire", "Questionnaire aux associations", date(2026, 3, 1), date(2026, 4, 15)),
        ("participatory_workshops", "Atelier de co-création", date(2026, 5, 12), date(2026, 5, 12)),
        ("living_lab", "Living lab Bota75", date(2026, 6, 1), date(2026, 12, 15)),
    ):
        app.describe_method(fac, pid, method=method, description={"fr": text}, start=start, end=end)
    for axis, (_, effects) in zip(axes, AXES, strict=True):
        app.set_expected_effects(fac, pid, axis, effects)


def _questionnaire(app: Voisinage, demo: Demo, pid: UUID) -> UUID:
    fac = demo.staff[Role.FACILITATOR]
    qid = app.create_questionnaire(
        fac,
        pid,
        title={
            "fr": "Vos besoins pour un lieu partagé",
            "nl": "Uw noden voor een gedeelde plek",
            "en": "Your needs for a shared place",
        },
        intro={
            "fr": "Dix minutes, une réponse par association, donnée par un de ses représentants.",
            "nl": "Tien minuten, één antwoord per vereniging, door een vertegenwoordiger.",
            "en": "Ten minutes, one answer per association, given by one of its representatives.",
        },
        audience=["organisations"],
        anonymous=False,
    )
    app.add_question(
        fac,
        qid,
        kind="multiple",
        text={
            "fr": "De quoi votre association a-t-elle besoin dans un lieu partagé ?",
            "nl": "Wat heeft uw vereniging nodig in een gedeelde plek?",
            "en": "What does your association need in a shared place?",
        },
        options=list(NEEDS),
        required=True,
    )
    app.add_question(
        fac,
        qid,
        kind="single",
        text={
            "fr": "Que pensez-vous de la proposition d'un « lieu fédérateur » ?",
            "nl": "Wat vindt u van het voorstel van een „verbindende plek”?",
            "en": "What do you think of the proposal of a “unifying place”?",
        },
        options=list(POSITIONS),
        required=True,
    )
    app.add_question(
        fac,
        qid,
        kind="scale5",
        text={
            "fr": "Votre intérêt à coopérer avec d'autres associations",
            "nl": "Uw interesse om met andere verenigingen samen te werken",
            "en": "Your interest in cooperating with other associations",
        },
    )
    app.add_question(
        fac,
        qid,
        kind="text",
        text={
            "fr": "Ce qu'un lieu fédérateur devrait offrir",
            "nl": "Wat een verbindende plek zou moeten bieden",
            "en": "What a unifying place should offer",
        },
    )
    app.open_wave(
        fac,
        qid,
        label={"fr": "Appel aux associations", "nl": "Oproep aan de verenigingen", "en": "Call"},
        sent_to=100,
    )
    return qid
