"""A synthetic, deterministic, city-scale process, written fast into a real store.

The shape of a large Brussels process: one facilitator, 8 axes, a dozen workshops,
thousands of contributions and 1,000 proposals in French and Dutch, hundreds of
thousands of residents who joined with an invitation code, and their ballots, with a
skewed (Zipf-like, s = 1) popularity and a cohesive minority bloc that backs a few
accessibility proposals from the tail (so that a proportional shortlist differs from
the plain approval one).

Rare acts (staff, the process, axes, workshops, phases) go through the application's
commands. Bulk events (contributions, proposals, invitations, residents, ballots) are
the same domain aggregates the commands create, saved through ``app.save(*many)`` in
big batches: one transaction per batch instead of one HTTP request per event. The
events in the store are the ones the commands would have written.
"""

from __future__ import annotations

import base64
import itertools
import time
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from benchmarks.common import rng

# Words for titles and bodies: (fr, nl) pairs, combined deterministically.
ACTIONS = [
    ("Rénover", "Renoveren"),
    ("Réparer", "Herstellen"),
    ("Sécuriser", "Beveiligen"),
    ("Verdurir", "Vergroenen"),
    ("Éclairer", "Verlichten"),
    ("Nettoyer", "Schoonmaken"),
    ("Ouvrir", "Openen"),
    ("Rendre accessible", "Toegankelijk maken"),
    ("Animer", "Animeren"),
    ("Entretenir", "Onderhouden"),
]
THINGS = [
    ("les ascenseurs", "de liften"),
    ("les halls d'entrée", "de inkomhallen"),
    ("la plaine de jeux", "de speeltuin"),
    ("les caves", "de kelders"),
    ("le local vélos", "de fietsenstalling"),
    ("la salle commune", "de gemeenschapszaal"),
    ("les châssis", "de ramen"),
    ("les locaux poubelles", "de vuilnislokalen"),
    ("le potager partagé", "de gedeelde moestuin"),
    ("les parkings", "de parkings"),
    ("l'éclairage extérieur", "de buitenverlichting"),
    ("les portes d'entrée", "de voordeuren"),
]
PLACES = [
    ("du Peterbos", "van Peterbos"),
    ("de la Querelle", "van Querelle"),
    ("du Germinal", "van Germinal"),
    ("des Marolles", "van de Marollen"),
    ("de Ieder zijn Huis", "van Ieder zijn Huis"),
    ("du Foyer laekenois", "van de Lakense Haard"),
    ("de Molenbeek", "van Molenbeek"),
    ("d'Anderlecht", "van Anderlecht"),
    ("de Schaerbeek", "van Schaarbeek"),
    ("d'Evere", "van Evere"),
]
BODIES = [
    (
        "Les habitants demandent un calendrier clair et un suivi régulier en réunion "
        "de locataires.",
        "De bewoners vragen een duidelijke planning en een regelmatige opvolging op de "
        "huurdersvergadering.",
    ),
    (
        "Un budget annuel, des travaux annoncés une semaine à l'avance, en trois langues.",
        "Een jaarlijks budget, werken een week op voorhand aangekondigd, in drie talen.",
    ),
    (
        "Commencer par les blocs où vivent le plus de personnes âgées et de familles.",
        "Beginnen bij de blokken waar de meeste ouderen en gezinnen wonen.",
    ),
]
KINDS = ["testimony", "idea", "concern", "question"]
AXES = [
    {"fr": "Logement et rénovation", "nl": "Huisvesting en renovatie"},
    {"fr": "Cadre de vie et espaces verts", "nl": "Leefomgeving en groen"},
    {"fr": "Sécurité et tranquillité", "nl": "Veiligheid en rust"},
    {"fr": "Propreté", "nl": "Netheid"},
    {"fr": "Vivre-ensemble", "nl": "Samenleven"},
    {"fr": "Dialogue avec la société de logement", "nl": "Dialoog met de maatschappij"},
    {"fr": "Jeunesse et activités", "nl": "Jeugd en activiteiten"},
    {"fr": "Mobilité et accessibilité", "nl": "Mobiliteit en toegankelijkheid"},
]

#: Share of voters in the cohesive minority bloc, and the size of its slate.
BLOC_SHARE = 0.12
BLOC_SLATE = 8
#: How many choices a ballot holds (approval, at most 5): weights for 1..5.
CHOICE_COUNT_WEIGHTS = [0.15, 0.20, 0.25, 0.20, 0.20]
#: Events per resident: invitation issued + redeemed, participant registered.
EVENTS_PER_RESIDENT = 3


@dataclass(frozen=True)
class CitySpec:
    """How big the city is."""

    residents: int
    ballots: int = 0
    recasts: int = 0
    proposals: int = 1000
    contributions: int = 3000
    workshops: int = 12

    @classmethod
    def for_events(cls, events: int, proposals: int = 1000, vote_share: float = 0.8) -> CitySpec:
        """A city whose store holds about `events` events: residents, ~80% voting, 10% recast."""
        contributions = min(3000, max(proposals, events // 100))
        fixed = contributions + proposals + 60
        per_resident = EVENTS_PER_RESIDENT + vote_share * 1.1
        residents = max(10, int((events - fixed) / per_resident))
        ballots = int(residents * vote_share)
        return cls(
            residents=residents,
            ballots=ballots,
            recasts=ballots // 10,
            proposals=proposals,
            contributions=contributions,
        )

    def expected_events(self) -> int:
        """Roughly how many events the city writes."""
        return (
            self.residents * EVENTS_PER_RESIDENT
            + self.ballots
            + self.recasts
            + self.contributions
            + self.proposals
            + 3 * self.workshops
            + 15
        )


@dataclass
class City:
    """What was built, for the benchmarks to act on."""

    app: Any
    spec: CitySpec
    process_id: UUID
    facilitator: Any
    proposal_ids: list[UUID]
    resident_ids: list[UUID]
    candidates: list[str] = field(default_factory=list)
    #: residents[:voted] hold a ballot.
    voted: int = 0
    seconds: float = 0.0
    events: int = 0
    _cumulative: list[float] = field(default_factory=list)
    _popular: list[str] = field(default_factory=list)
    _bloc: list[str] = field(default_factory=list)

    def actor(self, index: int) -> Any:
        """The resident number `index`, as an actor of the process."""
        from application import Actor
        from domain.roles import Role

        return Actor(self.resident_ids[index], Role.RESIDENT, self.process_id)

    def token(self, index: int) -> str:
        """A bearer token for resident number `index` (signed with the app's secrets)."""
        return str(self.app.issue_token(self.actor(index)))

    def choices(self, source: Any, voter: int) -> list[str]:
        """Skewed choices for one voter: the bloc's slate, or Zipf-weighted picks."""
        if voter % 100 < BLOC_SHARE * 100:
            return source.sample(self._bloc, source.randint(1, 3))
        wanted = source.choices(range(1, 6), weights=CHOICE_COUNT_WEIGHTS)[0]
        picked: dict[str, None] = {}
        top = self._cumulative[-1]
        while len(picked) < wanted:
            picked[self._popular[bisect(self._cumulative, source.random() * top)]] = None
        return list(picked)

    def prepare_sampler(self, salt: str = "popularity") -> None:
        """Zipf weights (s = 1) over a shuffled order of the candidates, and the bloc."""
        source = rng(salt)
        order = list(self.candidates)
        source.shuffle(order)
        self._popular = order
        self._cumulative = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(order))))
        self._bloc = order[-BLOC_SLATE:]


def _receipt(source: Any) -> str:
    return base64.urlsafe_b64encode(source.randbytes(16)).decode().rstrip("=")


def _uuid(source: Any) -> UUID:
    return UUID(int=source.getrandbits(128), version=4)


def _save_batches(app: Any, aggregates: list[Any], batch: int) -> None:
    for start in range(0, len(aggregates), batch):
        app.save(*aggregates[start : start + batch])


def build_city(
    app: Any,
    spec: CitySpec,
    *,
    batch: int = 4000,
    salt: str = "city",
    progress: Callable[[str], None] | None = None,
) -> City:
    """Write the whole process into the (empty) store of `app`; the vote is left open."""
    from application import Actor
    from domain.contribution import Contribution
    from domain.invitation import Invitation
    from domain.participant import Participant
    from domain.proposal import Proposal
    from domain.roles import Role

    source = rng(salt)
    started = time.perf_counter()
    head_before = app.head_position()
    say = progress or (lambda _message: None)

    facilitator_id = app.bootstrap_staff(
        email=f"animation+{source.getrandbits(32)}@bench.voisinage.brussels",
        password="bench-password-1",
        role="facilitator",
        name="Bench facilitator",
    )
    facilitator = Actor(facilitator_id, Role.FACILITATOR)
    process_id = app.start_process(
        facilitator,
        title={"fr": "Bruxelles, ville voisine", "nl": "Brussel, buurstad"},
        description={
            "fr": "Un processus à l'échelle de la ville (banc d'essai).",
            "nl": "Een proces op stadsniveau (benchmark).",
        },
        rules={"method": "approval", "max_choices": 5, "shortlist_size": 10},
    )
    axis_ids = [app.add_axis(facilitator, process_id, name) for name in AXES]

    # Residents: invitation issued and redeemed, participant registered (3 events each).
    say(f"residents: {spec.residents}")
    resident_ids = [_uuid(source) for _ in range(spec.residents)]
    pending: list[Any] = []
    for number, participant_id in enumerate(resident_ids):
        code = f"{number:012d}"
        invitation = Invitation(
            process_id=process_id,
            code_digest=app.secrets.digest(f"invitation/{process_id}", code),
            issued_by=facilitator_id,
        )
        invitation.redeem(participant_id)
        pending.append(invitation)
        pending.append(
            Participant.register(
                participant_id=participant_id,
                role=Role.RESIDENT,
                process_id=process_id,
                sealed_personal=None,
            )
        )
        if len(pending) >= batch:
            app.save(*pending)
            pending = []
    if pending:
        app.save(*pending)

    app.advance_phase(facilitator, process_id, "contributions")
    workshop_ids = []
    for number in range(spec.workshops):
        place = PLACES[number % len(PLACES)]
        workshop_id = app.schedule_workshop(
            facilitator,
            process_id,
            title=f"Atelier {place[0].split(' ', 1)[-1]} #{number + 1}",
            on=date(2026, 2, 7) + timedelta(days=7 * number),
            place=f"Salle communautaire {place[0]}",
        )
        app.open_workshop(facilitator, workshop_id)
        workshop_ids.append(workshop_id)

    say(f"contributions: {spec.contributions}")
    contributions = []
    for number in range(spec.contributions):
        language = "fr" if source.random() < 0.6 else "nl"
        pick = 0 if language == "fr" else 1
        action, thing, place = (
            source.choice(ACTIONS)[pick],
            source.choice(THINGS)[pick],
            source.choice(PLACES)[pick],
        )
        on_behalf = number % 3 == 0
        contributions.append(
            Contribution.record(
                process_id=process_id,
                workshop_id=workshop_ids[number % len(workshop_ids)],
                kind=KINDS[number % len(KINDS)],
                text=f"{action} {thing} {place} : {source.choice(BODIES)[pick]}",
                language=language,
                author_id=facilitator_id if on_behalf else resident_ids[number % len(resident_ids)],
                on_behalf_of_group=f"table {number % 6 + 1}" if on_behalf else None,
                axis_id=axis_ids[number % len(axis_ids)],
            )
        )
    _save_batches(app, contributions, batch)
    for workshop_id in workshop_ids:
        app.close_workshop(facilitator, workshop_id)

    app.advance_phase(facilitator, process_id, "proposals")
    say(f"proposals: {spec.proposals}")
    proposals = []
    for number in range(spec.proposals):
        language = "fr" if number % 5 < 3 else "nl"
        pick = 0 if language == "fr" else 1
        action = ACTIONS[number % len(ACTIONS)][pick]
        thing = THINGS[(number // len(ACTIONS)) % len(THINGS)][pick]
        place = PLACES[(number // 7) % len(PLACES)][pick]
        cited = source.sample(range(len(contributions)), min(3, len(contributions)))
        proposals.append(
            Proposal.submit(
                process_id=process_id,
                title=f"{action} {thing} {place} (n° {number + 1})",
                body=BODIES[number % len(BODIES)][pick],
                language=language,
                axis_id=axis_ids[number % len(axis_ids)],
                source_ids=[contributions[c].id for c in cited],
                author_id=facilitator_id
                if number % 4 == 0
                else resident_ids[number % len(resident_ids)],
            )
        )
    _save_batches(app, proposals, batch)
    app.advance_phase(facilitator, process_id, "voting")

    process = app.process(process_id)
    city = City(
        app=app,
        spec=spec,
        process_id=process_id,
        facilitator=facilitator,
        proposal_ids=[p.id for p in proposals],
        resident_ids=resident_ids,
        candidates=list(process.ballot_candidates),
    )
    city.prepare_sampler()
    say(f"ballots: {spec.ballots} (+{spec.recasts} recast)")
    cast_bulk(city, 0, spec.ballots, recasts=spec.recasts, batch=batch)
    city.seconds = time.perf_counter() - started
    city.events = app.head_position() - head_before
    return city


def cast_bulk(city: City, start: int, stop: int, *, recasts: int = 0, batch: int = 4000) -> None:
    """Residents start..stop cast their ballots (batched); the first `recasts` change them."""
    from domain.ballot import Ballot
    from domain.voting import validate_ballot

    app = city.app
    process = app.process(city.process_id)
    rules, candidates = process.rules, process.ballot_candidates
    source = rng(f"ballots/{start}")
    pending: list[Any] = []
    for voter in range(start, stop):
        choices = validate_ballot(rules, city.choices(source, voter), candidates)
        ballot = Ballot.cast(
            process_id=city.process_id,
            voter_digest=app.secrets.digest(
                "ballot", f"{city.process_id}/{city.resident_ids[voter]}"
            ),
            choices=choices,
            receipt=_receipt(source),
        )
        if voter - start < recasts:
            ballot.recast(
                validate_ballot(rules, city.choices(source, voter + 7), candidates),
                _receipt(source),
            )
        pending.append(ballot)
        if len(pending) >= batch:
            app.save(*pending)
            pending = []
    if pending:
        app.save(*pending)
    city.voted = max(city.voted, stop)
