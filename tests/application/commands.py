"""Every command of the Voisinage application, as data the tests walk.

For each command: the phase it is tried in, how to call it as a given actor, the
roles allowed to perform it, a phase where it is refused, the invalid inputs with the
named error (and field) each must raise, and what the allowed path must leave behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from builders import Stage

from application import Actor
from domain.errors import (
    AlreadyExists,
    Conflict,
    DomainError,
    InvalidAnswer,
    InvalidBallot,
    InvalidInput,
    InvalidInvitation,
    InvalidQuestion,
    InvalidResponse,
    InvalidText,
    InvalidTransition,
    InvalidVotingRules,
    InvitationAlreadyUsed,
    NotEditable,
    NotFound,
    ProgressDecreaseUnexplained,
    UnknownSource,
    WaveNotOpen,
    WrongPhase,
)
from domain.roles import Role

R, F, INST, A, ADM = Role.RESIDENT, Role.FACILITATOR, Role.INSTITUTION, Role.AUDITOR, Role.ADMIN
Call = Callable[[Stage, Actor], Any]


@dataclass(frozen=True)
class Invalid:
    """An input the command must refuse with `error` (naming `field` when given)."""

    label: str
    call: Call
    error: type[DomainError]
    field: str | None = None


@dataclass(frozen=True)
class Command:
    name: str
    phase: str
    call: Call
    allowed: frozenset[Role]
    wrong_phase: str | None = None
    phase_error: type[DomainError] = WrongPhase
    invalid: tuple[Invalid, ...] = ()
    check: Callable[[Stage, Any], None] | None = None
    members_only: bool = False  # residents of another process are refused
    prepare: Callable[[Stage], None] | None = None  # more to set up once the stage is built


def prepared(s: Stage, command: Command) -> Stage:
    """The stage with what the command needs beyond it (its `prepare`)."""
    if command.prepare is not None:
        command.prepare(s)
    return s


def _staff(s: Stage, actor: Actor, **overrides: Any) -> Any:
    values = {"email": f"new-{uuid4().hex[:6]}@example.org", "password": "0123456789ab"}
    values.update(overrides)
    return s.app.register_staff(
        actor, email=values["email"], password=values["password"], role="facilitator", name="Nour"
    )


def _start(s: Stage, actor: Actor, title: Any = None, rules: Any = None) -> UUID:
    return s.app.start_process(
        actor, title=title or {"fr": "Nouveau processus", "nl": "Nieuw proces"}, rules=rules
    )


def _workshop(s: Stage, actor: Actor, title: str = "Atelier", on: Any = date(2026, 4, 1)) -> UUID:
    return s.app.schedule_workshop(actor, s.pid, title=title, on=on, place="Salle")


def _contribute(s: Stage, actor: Actor, kind: str = "idea", text: str = "Un potager") -> UUID:
    return s.app.record_contribution(actor, s.wid, kind=kind, text=text, language="fr")


def _propose(s: Stage, actor: Actor, title: str = "Un potager", sources: Any = None) -> UUID:
    return s.app.submit_proposal(
        actor,
        s.pid,
        title=title,
        body="Sur le toit",
        language="fr",
        source_ids=[s.cid] if sources is None else sources,
    )


def _revise(s: Stage, actor: Actor, title: str = "Des bancs à l'ombre") -> int:
    return s.app.revise_proposal(
        actor, s.own_proposal, title=title, body="Dans la cour", source_ids=[s.cid]
    )


def _draft(s: Stage, actor: Actor, proposals: Any = None) -> UUID:
    published = s.app.process(s.pid).shortlist
    shortlisted = [UUID(published.shortlist[0])] if published else [s.proposals[0]]
    return s.app.draft_recommendation(
        actor,
        s.pid,
        title="Ascenseurs",
        text="Réparer",
        language="fr",
        proposal_ids=shortlisted if proposals is None else proposals,
    )


def prepare_hypothesis(s: Stage) -> None:
    """A hypothesis in the research record (it may be written in every phase)."""
    s.research["hypothesis"] = s.app.state_hypothesis(
        s.facilitator, s.pid, {"fr": "La co-création réduit la discrimination perçue"}
    )


def _draft_addressing(s: Stage, actor: Actor, hypotheses: Any = None) -> UUID:
    published = s.app.process(s.pid).shortlist
    return s.app.draft_recommendation(
        actor,
        s.pid,
        title="Moins de discrimination",
        text="Des ateliers réguliers",
        language="fr",
        proposal_ids=[UUID(published.shortlist[0])] if published else [s.proposals[0]],
        hypothesis_ids=[s.research["hypothesis"]] if hypotheses is None else hypotheses,
    )


def _revise_draft(s: Stage, actor: Actor, rid: Any = None, **overrides: Any) -> None:
    published = s.app.process(s.pid).shortlist
    values: dict[str, Any] = {
        "title": "Ascenseurs réparés",
        "text": "Réparer en trois jours",
        "language": "nl",
        "proposal_ids": [UUID(p) for p in published.shortlist[:2]],
    }
    values.update(overrides)
    s.app.revise_recommendation(actor, rid or s.draft, **values)


def _not_shortlisted(s: Stage) -> UUID:
    published = s.app.process(s.pid).shortlist
    return next(p for p in (s.own_proposal, *s.proposals) if str(p) not in published.shortlist)


def _phase(s: Stage) -> str:
    return s.app.process(s.pid).phase.value


# --- research-action (questionnaires in waves, the research record) ---------------------

SCALE, CHOICE, FREE = "q1", "q2", "q3"


def prepare_research(s: Stage) -> None:
    """A hypothesis, a questionnaire with wave 1 open and the resident's answer to it,
    and a second questionnaire still being built."""
    app, fac = s.app, s.facilitator
    sent = app.create_questionnaire(
        fac,
        s.pid,
        title={"fr": "Vivre ensemble", "nl": "Samenleven"},
        intro={"fr": "Cinq minutes, anonyme.", "nl": "Vijf minuten, anoniem."},
        audience=["residents"],
        anonymous=True,
    )
    app.add_question(
        fac, sent, kind="scale5", text={"fr": "Vous sentez-vous respecté ?"}, required=True
    )
    app.add_question(
        fac,
        sent,
        kind="single",
        text={"fr": "Venez-vous aux ateliers ?"},
        options=[{"fr": "Oui"}, {"fr": "Non"}],
    )
    app.add_question(fac, sent, kind="text", text={"fr": "Un mot sur le quartier ?"})
    app.open_wave(fac, sent, label={"fr": "Avant les ateliers"}, sent_to=40)
    answer = {SCALE: 2, CHOICE: "1", FREE: "Les ascenseurs"}
    s.research = {
        "sent": sent,
        "building": app.create_questionnaire(
            fac,
            s.pid,
            title={"fr": "Suivi"},
            intro={"fr": "Après."},
            audience=["residents"],
            anonymous=False,
        ),
        "hypothesis": app.state_hypothesis(
            fac,
            s.pid,
            {
                "fr": "La co-création réduit la discrimination perçue",
                "nl": "Co-creatie vermindert ervaren discriminatie",
            },
        ),
        "response": app.answer_questionnaire(s.resident, sent, 1, answer),
    }
    app.add_question(fac, s.research["building"], kind="scale10", text={"fr": "Note de 0 à 10"})


def _record(s: Stage) -> dict[str, Any]:
    return s.app.research_record(s.pid)


def _method(
    s: Stage, actor: Actor, method: str = "questionnaire", end: date = date(2026, 6, 1)
) -> None:
    s.app.describe_method(
        actor,
        s.pid,
        method=method,
        description={"fr": "Deux vagues"},
        start=date(2026, 3, 1),
        end=end,
    )


def _indicator(s: Stage, actor: Actor, hypothesis: Any = None, questions: Any = None) -> UUID:
    return s.app.define_indicator(
        actor,
        s.pid,
        hypothesis_id=hypothesis or s.research["hypothesis"],
        name={"fr": "Respect ressenti"},
        how={"fr": "Échelle de 1 à 5, avant et après"},
        direction="increase",
        questions=[{"questionnaire_id": s.research["sent"], "question_id": SCALE}]
        if questions is None
        else questions,
    )


def _questionnaire(
    s: Stage, actor: Actor, audience: Any = ("residents",), title: Any = None
) -> UUID:
    return s.app.create_questionnaire(
        actor,
        s.pid,
        title=title or {"fr": "Besoins des associations", "nl": "Noden van verenigingen"},
        intro={"fr": "Dix questions", "nl": "Tien vragen"},
        audience=list(audience),
        anonymous=False,
    )


def _question(s: Stage, actor: Actor, kind: str = "multiple", options: Any = None) -> str:
    return s.app.add_question(
        actor,
        s.research["building"],
        kind=kind,
        text={"fr": "Quels besoins ?", "nl": "Welke noden?"},
        options=[{"fr": "Un lieu"}, {"fr": "Du matériel"}] if options is None else options,
        required=True,
    )


def _answer(s: Stage, actor: Actor, **answers: Any) -> UUID:
    given = {SCALE: 4, CHOICE: "2", FREE: "Plus de bancs"}
    given.update(answers)
    return s.app.answer_questionnaire(actor, s.research["sent"], 1, given)


RESEARCH_COMMANDS: tuple[Command, ...] = (
    Command(
        "state a hypothesis",
        "contributions",
        lambda s, a: s.app.state_hypothesis(
            a, s.pid, {"fr": "Les ateliers renforcent la confiance"}
        ),
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "empty",
                lambda s, a: s.app.state_hypothesis(a, s.pid, {"fr": "  "}),
                InvalidText,
                "text.fr",
            ),
            Invalid(
                "unknown language",
                lambda s, a: s.app.state_hypothesis(a, s.pid, {"de": "Vertrauen wächst"}),
                InvalidText,
                "text",
            ),
        ),
        check=lambda s, h: any(x["id"] == str(h) for x in _record(s)["hypotheses"]),
        prepare=prepare_research,
    ),
    Command(
        "describe a method",
        "contributions",
        _method,
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "unknown method", lambda s, a: _method(s, a, method="magic"), InvalidInput, "method"
            ),
            Invalid(
                "ends before it starts",
                lambda s, a: _method(s, a, end=date(2026, 1, 1)),
                InvalidInput,
                "end",
            ),
        ),
        check=lambda s, _: _record(s)["methods"][-1]["method"] == "questionnaire",
        prepare=prepare_research,
    ),
    Command(
        "define an indicator",
        "contributions",
        _indicator,
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "unknown hypothesis",
                lambda s, a: _indicator(s, a, hypothesis=uuid4()),
                InvalidInput,
                "hypothesis_id",
            ),
            Invalid(
                "unknown question",
                lambda s, a: _indicator(
                    s, a, questions=[{"questionnaire_id": s.research["sent"], "question_id": "q9"}]
                ),
                InvalidInput,
                "questions",
            ),
        ),
        check=lambda s, i: (
            next(x for x in _record(s)["indicators"] if x["id"] == str(i))["questions"]
            == [{"questionnaire_id": str(s.research["sent"]), "question_id": SCALE}]
        ),
        prepare=prepare_research,
    ),
    Command(
        "set expected effects",
        "contributions",
        lambda s, a: s.app.set_expected_effects(
            a, s.pid, s.axis, {"organisations": {"fr": "Mutualiser un lieu"}}
        ),
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "unknown target",
                lambda s, a: s.app.set_expected_effects(
                    a, s.pid, s.axis, {"planet": {"fr": "Oui"}}
                ),
                InvalidInput,
                "effects",
            ),
            Invalid(
                "unknown axis",
                lambda s, a: s.app.set_expected_effects(
                    a, s.pid, uuid4(), {"people": {"fr": "Confiance"}}
                ),
                NotFound,
                "axis_id",
            ),
        ),
        check=lambda s, _: (
            _record(s)["expected_effects"][0]["effects"]["organisations"]["fr"]
            == "Mutualiser un lieu"
        ),
    ),
    Command(
        "create a questionnaire",
        "draft",
        _questionnaire,
        frozenset({F, ADM}),
        wrong_phase="closed",
        invalid=(
            Invalid(
                "unknown audience",
                lambda s, a: _questionnaire(s, a, audience=["tourists"]),
                InvalidInput,
                "audience",
            ),
            Invalid(
                "no title",
                lambda s, a: _questionnaire(s, a, title={"fr": ""}),
                InvalidText,
                "title.fr",
            ),
        ),
        check=lambda s, q: s.app.questionnaire(q).waves == [],
    ),
    Command(
        "add a question",
        "proposals",
        _question,
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "unknown kind", lambda s, a: _question(s, a, kind="essay"), InvalidQuestion, "kind"
            ),
            Invalid(
                "one option",
                lambda s, a: _question(s, a, options=[{"fr": "Seul"}]),
                InvalidQuestion,
                "options",
            ),
            Invalid(
                "after a wave opened",
                lambda s, a: s.app.add_question(
                    a, s.research["sent"], kind="text", text={"fr": "Encore ?"}
                ),
                Conflict,
            ),
        ),
        check=lambda s, q: (
            s.app.questionnaire(s.research["building"]).question(q)["kind"] == "multiple"
        ),
        prepare=prepare_research,
    ),
    Command(
        "open a wave",
        "voting",
        lambda s, a: s.app.open_wave(a, s.research["building"], label={"fr": "Suivi"}, sent_to=100),
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "nobody asked",
                lambda s, a: s.app.open_wave(
                    a, s.research["building"], label={"fr": "Suivi"}, sent_to=0
                ),
                InvalidInput,
                "sent_to",
            ),
            Invalid(
                "one already open",
                lambda s, a: s.app.open_wave(
                    a, s.research["sent"], label={"fr": "Suivi"}, sent_to=None
                ),
                Conflict,
            ),
        ),
        check=lambda s, n: n == 1 and s.app.questionnaire(s.research["building"]).open_wave == 1,
        prepare=prepare_research,
    ),
    Command(
        "close a wave",
        "contributions",
        lambda s, a: s.app.close_wave(a, s.research["sent"], 1),
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "not open", lambda s, a: s.app.close_wave(a, s.research["sent"], 2), WaveNotOpen
            ),
        ),
        check=lambda s, _: s.app.questionnaire(s.research["sent"]).open_wave is None,
        prepare=prepare_research,
    ),
    Command(
        "tag an answer",
        "contributions",
        lambda s, a: s.app.tag_answer(
            a, s.research["sent"], response=s.research["response"], question_id=FREE, axis_id=s.axis
        ),
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "not a free text",
                lambda s, a: s.app.tag_answer(
                    a,
                    s.research["sent"],
                    response=s.research["response"],
                    question_id=SCALE,
                    axis_id=s.axis,
                ),
                InvalidInput,
                "question_id",
            ),
            Invalid(
                "unknown response",
                lambda s, a: s.app.tag_answer(
                    a, s.research["sent"], response=uuid4(), question_id=FREE, axis_id=s.axis
                ),
                InvalidInput,
                "response",
            ),
        ),
        check=lambda s, _: (
            s.app.tagged_texts(s.research["sent"]) == {str(s.axis): ["Les ascenseurs"]}
        ),
        prepare=prepare_research,
    ),
    Command(
        "answer a questionnaire",
        "contributions",
        _answer,
        frozenset({R}),
        members_only=True,
        invalid=(
            Invalid(
                "off the scale", lambda s, a: _answer(s, a, q1=6), InvalidResponse, "answers.q1"
            ),
            Invalid(
                "required left out",
                lambda s, a: _answer(s, a, q1=None),
                InvalidResponse,
                "answers.q1",
            ),
            Invalid(
                "unknown option", lambda s, a: _answer(s, a, q2="7"), InvalidResponse, "answers.q2"
            ),
            Invalid(
                "unsafe text",
                lambda s, a: _answer(s, a, q3="a\u202eb"),
                InvalidResponse,
                "answers.q3",
            ),
        ),
        check=lambda s, _: (
            s.app.own_response(s.resident, s.research["sent"], 1)
            == {SCALE: 4, CHOICE: "2", FREE: "Plus de bancs"}
        ),
        prepare=prepare_research,
    ),
    Command(
        "turn an answer into a contribution",
        "contributions",
        lambda s, a: s.app.contribute_answer(
            a,
            s.research["sent"],
            response=s.research["response"],
            question_id=FREE,
            workshop_id=s.wid,
        ),
        frozenset({F}),
        wrong_phase="proposals",
        invalid=(
            Invalid(
                "not a free text",
                lambda s, a: s.app.contribute_answer(
                    a,
                    s.research["sent"],
                    response=s.research["response"],
                    question_id=SCALE,
                    workshop_id=s.wid,
                ),
                InvalidInput,
                "question_id",
            ),
            Invalid(
                "unknown workshop",
                lambda s, a: s.app.contribute_answer(
                    a,
                    s.research["sent"],
                    response=s.research["response"],
                    question_id=FREE,
                    workshop_id=uuid4(),
                ),
                NotFound,
            ),
        ),
        # The questionnaire is anonymous: the contribution names a group, not the resident.
        check=lambda s, cid: (
            s.app.contribution(cid).text == "Les ascenseurs"
            and s.app.contribution(cid).on_behalf_of_participant is None
        ),
        prepare=prepare_research,
    ),
    Command(
        "register an organisation",
        "draft",
        lambda s, a: s.app.register_organisation(
            a,
            s.pid,
            name="Maison de quartier Querelle",
            sector="cohésion sociale",
            commune="Bruxelles",
            contact={"name": "Nadia", "email": "nadia@example.org"},
        ),
        frozenset({F, ADM}),
        wrong_phase="closed",
        invalid=(
            Invalid(
                "no name",
                lambda s, a: s.app.register_organisation(
                    a, s.pid, name=" ", sector="culture", commune="Evere"
                ),
                InvalidText,
                "name",
            ),
            Invalid(
                "unknown contact field",
                lambda s, a: s.app.register_organisation(
                    a,
                    s.pid,
                    name="Bota75",
                    sector="culture",
                    commune="Bruxelles",
                    contact={"age": "40"},
                ),
                InvalidInput,
                "contact",
            ),
        ),
        check=lambda s, oid: (
            s.app.organisation(oid).sealed_contact is not None
            and "Nadia" not in s.app.organisation(oid).sealed_contact
        ),
    ),
    Command(
        "register organisations",
        "proposals",
        lambda s, a: s.app.register_organisations(
            a,
            s.pid,
            [
                {"name": "Bota75", "sector": "culture", "commune": "Schaerbeek"},
                {
                    "name": "Repair café Jette",
                    "sector": "environnement",
                    "commune": "Jette",
                    "contact": {"email": "repair@example.org"},
                },
            ],
        ),
        frozenset({F, ADM}),
        wrong_phase="closed",
        invalid=(
            Invalid(
                "the second has no commune: none is registered",
                lambda s, a: s.app.register_organisations(
                    a,
                    s.pid,
                    [
                        {"name": "Bota75", "sector": "culture", "commune": "Schaerbeek"},
                        {"name": "Sans commune", "sector": "culture", "commune": ""},
                    ],
                ),
                InvalidText,
                "organisations.1.commune",
            ),
            Invalid(
                "an empty list",
                lambda s, a: s.app.register_organisations(a, s.pid, []),
                InvalidInput,
                "organisations",
            ),
            Invalid(
                "an unknown field",
                lambda s, a: s.app.register_organisations(
                    a, s.pid, [{"name": "X y", "sector": "culture", "commune": "Evere", "age": 3}]
                ),
                InvalidInput,
                "age",
            ),
        ),
        check=lambda s, ids: (
            [s.app.organisation(i).name for i in ids] == ["Bota75", "Repair café Jette"]
            and s.app.organisation(ids[0]).sealed_contact is None
            and "repair@" not in (s.app.organisation(ids[1]).sealed_contact or "repair@")
        ),
    ),
    Command(
        "add a representative",
        "contributions",
        lambda s, a: s.app.add_representative(
            a, s.research["organisation"], s.resident.participant_id
        ),
        frozenset({F, ADM}),
        invalid=(
            Invalid(
                "staff are no representatives",
                lambda s, a: s.app.add_representative(
                    a, s.research["organisation"], s.facilitator.participant_id
                ),
                InvalidInput,
                "participant_id",
            ),
            Invalid(
                "unknown organisation",
                lambda s, a: s.app.add_representative(a, uuid4(), s.resident.participant_id),
                NotFound,
            ),
        ),
        check=lambda s, _: (
            s.app.organisation(s.research["organisation"]).representatives
            == [s.resident.participant_id]
        ),
        prepare=lambda s: s.research.update(
            organisation=s.app.register_organisation(
                s.facilitator, s.pid, name="Bota75", sector="culture", commune="Schaerbeek"
            )
        ),
    ),
    Command(
        "erase an organisation's contact",
        "contributions",
        lambda s, a: s.app.erase_organisation_contact(a, s.research["organisation"], confirm=True),
        frozenset({ADM}),
        invalid=(
            Invalid(
                "not confirmed",
                lambda s, a: s.app.erase_organisation_contact(
                    a, s.research["organisation"], confirm=False
                ),
                InvalidInput,
                "confirm",
            ),
            Invalid(
                "unknown organisation",
                lambda s, a: s.app.erase_organisation_contact(a, uuid4(), confirm=True),
                NotFound,
            ),
        ),
        check=lambda s, _: s.app.organisation(s.research["organisation"]).contact_erased,
        prepare=lambda s: s.research.update(
            organisation=s.app.register_organisation(
                s.facilitator,
                s.pid,
                name="Bota75",
                sector="culture",
                commune="Schaerbeek",
                contact={"name": "Nadia", "email": "nadia@example.org"},
            )
        ),
    ),
)


COMMANDS: tuple[Command, ...] = (
    Command(
        "register staff",
        "draft",
        _staff,
        frozenset({ADM}),
        invalid=(
            Invalid(
                "short password",
                lambda s, a: _staff(s, a, password="short"),
                InvalidInput,
                "password",
            ),
            Invalid(
                "not an e-mail", lambda s, a: _staff(s, a, email="nobody"), InvalidInput, "email"
            ),
            Invalid(
                "e-mail taken",
                lambda s, a: _staff(s, a, email="fac@example.org"),
                AlreadyExists,
                "email",
            ),
        ),
        check=lambda s, pid: s.app.participant(pid).role is F,
    ),
    Command(
        "erase a participant",
        "contributions",
        lambda s, a: s.app.erase_participant(a, s.resident.participant_id),
        frozenset({ADM}),
        invalid=(
            Invalid(
                "unknown participant", lambda s, a: s.app.erase_participant(a, uuid4()), NotFound
            ),
        ),
        check=lambda s, _: s.app.participant(s.resident.participant_id).erased,
    ),
    Command(
        "erase a participant once confirmed",
        "contributions",
        lambda s, a: s.app.confirm_erasure(a, s.resident.participant_id, True),
        frozenset({ADM}),
        invalid=(
            Invalid(
                "not confirmed",
                lambda s, a: s.app.confirm_erasure(a, s.resident.participant_id, False),
                InvalidInput,
                "confirm",
            ),
        ),
        check=lambda s, _: s.app.participant(s.resident.participant_id).erased,
    ),
    Command(
        "download one's data",
        "voting",
        lambda s, a: s.app.export_own_data(a),
        frozenset({R}),
        check=lambda s, data: (
            data["participant_id"] == str(s.resident.participant_id)
            and data["ballot"] is not None
            and data["ballot"]["counted"]
        ),
    ),
    Command(
        "compose the report",
        "shortlisted",
        lambda s, a: s.app.compose_report(
            a, s.pid, introductions={"summary": {"fr": "Ce que les habitants ont dit."}}, quotes=[]
        ),
        frozenset({F, ADM}),
        wrong_phase="draft",
        invalid=(
            Invalid(
                "a quote without consent",
                lambda s, a: s.app.compose_report(a, s.pid, introductions={}, quotes=[s.cid]),
                InvalidInput,
                "quotes",
            ),
        ),
    ),
    Command(
        "start a process",
        "draft",
        _start,
        frozenset({F, ADM}),
        invalid=(
            Invalid("empty title", lambda s, a: _start(s, a, title={"fr": ""}), InvalidText),
            Invalid(
                "unknown method",
                lambda s, a: _start(s, a, rules={"method": "plurality"}),
                InvalidVotingRules,
                "method",
            ),
        ),
        check=lambda s, pid: s.app.process(pid).phase.value == "draft",
    ),
    Command(
        "advance the phase",
        "contributions",
        lambda s, a: s.app.advance_phase(a, s.pid, "proposals"),
        frozenset({F, ADM}),
        wrong_phase="proposals",  # proposals -> proposals is not the next phase
        phase_error=InvalidTransition,
        invalid=(
            Invalid(
                "unknown phase",
                lambda s, a: s.app.advance_phase(a, s.pid, "later"),
                InvalidInput,
                "phase",
            ),
            Invalid(
                "skipping a phase",
                lambda s, a: s.app.advance_phase(a, s.pid, "voting"),
                InvalidTransition,
            ),
        ),
        check=lambda s, _: _phase(s) == "proposals",
    ),
    Command(
        "add an axis",
        "contributions",
        lambda s, a: s.app.add_axis(a, s.pid, {"fr": "Mobilité", "nl": "Mobiliteit"}),
        frozenset({F, ADM}),
        wrong_phase="voting",
        invalid=(Invalid("no name", lambda s, a: s.app.add_axis(a, s.pid, {}), InvalidText),),
        check=lambda s, axis: s.app.process(s.pid).axes[axis]["fr"] == "Mobilité",
    ),
    Command(
        "set voting rules",
        "proposals",
        lambda s, a: s.app.set_voting_rules(a, s.pid, {"method": "borda", "shortlist_size": 3}),
        frozenset({F, ADM}),
        wrong_phase="voting",
        invalid=(
            Invalid(
                "dots without budget",
                lambda s, a: s.app.set_voting_rules(a, s.pid, {"method": "dots"}),
                InvalidVotingRules,
                "budget",
            ),
        ),
        check=lambda s, _: s.app.process(s.pid).rules.method.value == "borda",
    ),
    Command(
        "issue invitations",
        "voting",
        lambda s, a: s.app.issue_invitations(a, s.pid, 2),
        frozenset({F, ADM}),
        wrong_phase="closed",
        invalid=(
            Invalid(
                "none", lambda s, a: s.app.issue_invitations(a, s.pid, 0), InvalidInput, "count"
            ),
            Invalid(
                "too many",
                lambda s, a: s.app.issue_invitations(a, s.pid, 10_000),
                InvalidInput,
                "count",
            ),
        ),
        check=lambda s, codes: len(codes) == 2 and len(set(codes)) == 2,
    ),
    Command(
        "join",
        "proposals",
        lambda s, a: s.app.join(s.pid, s.codes[0]),
        frozenset({R, F, INST, A, ADM}),  # public: the code is the credential
        wrong_phase="closed",
        invalid=(
            Invalid(
                "unknown code",
                lambda s, a: s.app.join(s.pid, "AAAA-BBBB-CCCC"),
                InvalidInvitation,
                "code",
            ),
            Invalid("empty code", lambda s, a: s.app.join(s.pid, " "), InvalidInvitation, "code"),
        ),
        check=lambda s, actor: actor.role is R and actor.process_id == s.pid,
    ),
    Command(
        "schedule a workshop",
        "contributions",
        _workshop,
        frozenset({F, ADM}),
        wrong_phase="proposals",
        invalid=(
            Invalid("no title", lambda s, a: _workshop(s, a, title=""), InvalidText),
            Invalid("not a date", lambda s, a: _workshop(s, a, on="tomorrow"), InvalidInput, "on"),
        ),
        check=lambda s, wid: s.app.workshop(wid).status == "scheduled",
    ),
    Command(
        "open a workshop",
        "contributions",
        lambda s, a: s.app.open_workshop(a, s.spare_wid),
        frozenset({F, ADM}),
        wrong_phase="voting",
        invalid=(
            Invalid("already open", lambda s, a: s.app.open_workshop(a, s.wid), Conflict),
            Invalid("unknown workshop", lambda s, a: s.app.open_workshop(a, uuid4()), NotFound),
        ),
        check=lambda s, _: s.app.workshop(s.spare_wid).status == "open",
    ),
    Command(
        "close a workshop",
        "contributions",
        lambda s, a: s.app.close_workshop(a, s.wid),
        frozenset({F, ADM}),
        invalid=(
            Invalid("unknown workshop", lambda s, a: s.app.close_workshop(a, uuid4()), NotFound),
        ),
        check=lambda s, _: s.app.workshop(s.wid).status == "closed",
    ),
    Command(
        "record a contribution",
        "contributions",
        _contribute,
        frozenset({R, F}),
        wrong_phase="proposals",
        members_only=True,
        invalid=(
            Invalid(
                "unknown kind", lambda s, a: _contribute(s, a, kind="rant"), InvalidInput, "kind"
            ),
            Invalid("empty text", lambda s, a: _contribute(s, a, text="  "), InvalidText, "text"),
        ),
        check=lambda s, cid: s.app.contribution(cid).text == "Un potager",
    ),
    Command(
        "moderate a contribution",
        "proposals",
        lambda s, a: s.app.moderate_contribution(a, s.captured, action="hide", reason="hors sujet"),
        frozenset({F, ADM}),
        wrong_phase="closed",
        invalid=(
            Invalid(
                "unknown action",
                lambda s, a: s.app.moderate_contribution(a, s.captured, action="delete"),
                InvalidInput,
                "action",
            ),
            Invalid(
                "hide without reason",
                lambda s, a: s.app.moderate_contribution(a, s.captured, action="hide", reason=""),
                InvalidText,
            ),
        ),
        check=lambda s, _: not s.app.contribution(s.captured).visible,
    ),
    Command(
        "submit a proposal",
        "proposals",
        _propose,
        frozenset({R, F}),
        wrong_phase="voting",
        members_only=True,
        invalid=(
            Invalid(
                "title too short", lambda s, a: _propose(s, a, title="x"), InvalidText, "title"
            ),
            Invalid(
                "unknown source",
                lambda s, a: _propose(s, a, sources=[uuid4()]),
                UnknownSource,
                "source_ids",
            ),
            Invalid("no source", lambda s, a: _propose(s, a, sources=[]), InvalidInput),
        ),
        check=lambda s, p: s.app.proposal(p).source_ids == [s.cid],
    ),
    Command(
        "revise a proposal",
        "proposals",
        _revise,
        frozenset({R, F}),
        wrong_phase="voting",
        invalid=(
            Invalid("title too short", lambda s, a: _revise(s, a, title="x"), InvalidText, "title"),
        ),
        check=lambda s, revision: (
            revision == 2 and s.app.proposal(s.own_proposal).title == "Des bancs à l'ombre"
        ),
    ),
    Command(
        "withdraw a proposal",
        "voting",
        lambda s, a: s.app.withdraw_proposal(a, s.own_proposal),
        frozenset({R, F}),
        wrong_phase="shortlisted",
        invalid=(
            Invalid("unknown proposal", lambda s, a: s.app.withdraw_proposal(a, uuid4()), NotFound),
        ),
        check=lambda s, _: str(s.own_proposal) not in s.app.process(s.pid).ballot_candidates,
    ),
    Command(
        "moderate a proposal",
        "voting",
        lambda s, a: s.app.moderate_proposal(
            a, s.proposals[1], action="merge", reason="doublon", target_id=s.proposals[0]
        ),
        frozenset({F, ADM}),
        wrong_phase="shortlisted",
        invalid=(
            Invalid(
                "unknown action",
                lambda s, a: s.app.moderate_proposal(
                    a, s.proposals[1], action="delete", reason="x"
                ),
                InvalidInput,
                "action",
            ),
            Invalid(
                "merge without target",
                lambda s, a: s.app.moderate_proposal(a, s.proposals[1], action="merge", reason="x"),
                InvalidInput,
                "target_id",
            ),
        ),
        check=lambda s, _: s.app.proposal(s.proposals[1]).merged_into == s.proposals[0],
    ),
    Command(
        "cast a ballot",
        "voting",
        lambda s, a: s.app.cast_ballot(a, s.pid, [str(s.proposals[1])]),
        frozenset({R}),
        wrong_phase="proposals",
        members_only=True,
        invalid=(
            Invalid(
                "unknown proposal",
                lambda s, a: s.app.cast_ballot(a, s.pid, [str(uuid4())]),
                InvalidBallot,
                "choices",
            ),
            Invalid(
                "too many choices",
                lambda s, a: s.app.cast_ballot(
                    a, s.pid, [str(p) for p in (s.own_proposal, *s.proposals)]
                ),
                InvalidBallot,
                "choices",
            ),
            Invalid(
                "nothing chosen",
                lambda s, a: s.app.cast_ballot(a, s.pid, []),
                InvalidBallot,
                "choices",
            ),
        ),
        check=lambda s, receipt: s.app.own_ballot(s.resident, s.pid).receipt == receipt,
    ),
    Command(
        "withdraw a ballot",
        "voting",
        lambda s, a: s.app.withdraw_ballot(a, s.pid),
        frozenset({R}),
        wrong_phase="shortlisted",
        members_only=True,
        check=lambda s, _: not s.app.own_ballot(s.resident, s.pid).counted,
    ),
    Command(
        "publish the shortlist",
        "voting",
        lambda s, a: s.app.publish_shortlist(a, s.pid),
        frozenset({F, ADM}),
        wrong_phase="proposals",
        check=lambda s, result: _phase(s) == "shortlisted" and result.ballots_counted == 1,
    ),
    Command(
        "draft a recommendation",
        "shortlisted",
        _draft,
        frozenset({F, ADM}),
        wrong_phase="voting",
        invalid=(
            Invalid(
                "not shortlisted",
                lambda s, a: _draft(s, a, proposals=[_not_shortlisted(s)]),
                InvalidInput,
                "proposal_ids",
            ),
            Invalid(
                "no proposal", lambda s, a: _draft(s, a, proposals=[]), InvalidInput, "proposal_ids"
            ),
        ),
        check=lambda s, rid: not s.app.recommendation(rid).submitted,
    ),
    Command(
        "revise a recommendation",
        "recommendations",
        _revise_draft,
        frozenset({F, ADM}),
        wrong_phase="closed",
        invalid=(
            Invalid(
                "already sent",
                lambda s, a: _revise_draft(s, a, rid=s.submitted),
                NotEditable,
            ),
            Invalid(
                "not shortlisted",
                lambda s, a: _revise_draft(s, a, proposal_ids=[_not_shortlisted(s)]),
                InvalidInput,
                "proposal_ids",
            ),
            Invalid(
                "no proposal",
                lambda s, a: _revise_draft(s, a, proposal_ids=[]),
                InvalidInput,
                "proposal_ids",
            ),
            Invalid(
                "title too short", lambda s, a: _revise_draft(s, a, title="A"), InvalidText, "title"
            ),
        ),
        check=lambda s, _: (
            s.app.recommendation(s.draft).title == "Ascenseurs réparés"
            and s.app.recommendation(s.draft).language == "nl"
            and len(s.app.recommendation(s.draft).proposal_ids) == 2
        ),
    ),
    Command(
        "draft a recommendation addressing hypotheses",
        "shortlisted",
        lambda s, a: _draft_addressing(s, a),
        frozenset({F, ADM}),
        wrong_phase="voting",
        invalid=(
            Invalid(
                "a hypothesis of no record",
                lambda s, a: _draft_addressing(s, a, [uuid4()]),
                InvalidInput,
                "hypothesis_ids",
            ),
            Invalid(
                "not ids",
                lambda s, a: _draft_addressing(s, a, ["hypothesis one"]),
                InvalidInput,
                "hypothesis_ids",
            ),
        ),
        check=lambda s, rid: s.app.recommendation(rid).hypothesis_ids == [s.research["hypothesis"]],
        prepare=prepare_hypothesis,
    ),
    Command(
        "revise the hypotheses a recommendation addresses",
        "recommendations",
        lambda s, a: _revise_draft(s, a, hypothesis_ids=[s.research["hypothesis"]]),
        frozenset({F, ADM}),
        wrong_phase="closed",
        invalid=(
            Invalid(
                "a hypothesis of no record",
                lambda s, a: _revise_draft(s, a, hypothesis_ids=[uuid4()]),
                InvalidInput,
                "hypothesis_ids",
            ),
        ),
        check=lambda s, _: (
            s.app.recommendation(s.draft).hypothesis_ids == [s.research["hypothesis"]]
        ),
        prepare=prepare_hypothesis,
    ),
    Command(
        "submit a recommendation",
        "recommendations",
        lambda s, a: s.app.submit_recommendation(a, s.draft),
        frozenset({F, ADM}),
        wrong_phase="shortlisted",
        invalid=(
            Invalid("twice", lambda s, a: s.app.submit_recommendation(a, s.submitted), Conflict),
        ),
        check=lambda s, _: s.app.recommendation(s.draft).submitted,
    ),
    Command(
        "answer a recommendation",
        "recommendations",
        lambda s, a: s.app.answer_recommendation(
            a, s.submitted or s.draft, status="under_study", justification="Budget 2027"
        ),
        frozenset({INST}),
        wrong_phase="shortlisted",
        invalid=(
            Invalid(
                "no justification",
                lambda s, a: s.app.answer_recommendation(
                    a, s.submitted, status="rejected", justification=""
                ),
                InvalidAnswer,
            ),
            Invalid(
                "unknown status",
                lambda s, a: s.app.answer_recommendation(
                    a, s.submitted, status="maybe", justification="x"
                ),
                InvalidAnswer,
            ),
            Invalid(
                "not submitted",
                lambda s, a: s.app.answer_recommendation(
                    a, s.draft, status="accepted", justification="x"
                ),
                Conflict,
            ),
        ),
        check=lambda s, _: s.app.recommendation(s.submitted).answer is not None,
    ),
    Command(
        "report progress",
        "recommendations",
        lambda s, a: s.app.report_progress(
            a, s.answered or s.draft, percent=40, note="Deux ascenseurs"
        ),
        frozenset({INST}),
        wrong_phase="shortlisted",
        invalid=(
            Invalid(
                "over 100",
                lambda s, a: s.app.report_progress(a, s.answered, percent=140, note="x"),
                InvalidAnswer,
                "percent",
            ),
            Invalid(
                "before an answer",
                lambda s, a: s.app.report_progress(a, s.submitted, percent=10, note="x"),
                Conflict,
            ),
            Invalid(
                "lower than before without saying why",
                lambda s, a: s.app.report_progress(a, s.answered, percent=30, note="Retard"),
                ProgressDecreaseUnexplained,
                "note",
            ),
        ),
        # 60 % already reported: the allowed path (40 %) goes down and says why
        prepare=lambda s: (
            s.answered
            and s.app.report_progress(
                s.institution, s.answered, percent=60, note="Trois ascenseurs"
            )
        ),
        check=lambda s, _: s.app.recommendation(s.answered).progress == 40,
    ),
    Command(
        "answer and report progress at once",
        "recommendations",
        lambda s, a: s.app.respond_to_recommendation(
            a,
            s.submitted or s.draft,
            status="accepted",
            justification="Budget 2027",
            percent=10,
            note="Étude lancée",
        ),
        frozenset({INST}),
        wrong_phase="shortlisted",
        invalid=(
            Invalid(
                "a bad note refuses the answer with it",
                lambda s, a: s.app.respond_to_recommendation(
                    a,
                    s.submitted,
                    status="accepted",
                    justification="Budget 2027",
                    percent=10,
                    note="abc \u0000 def",
                ),
                InvalidText,
                "note",
            ),
            Invalid(
                "neither an answer nor a progress",
                lambda s, a: s.app.respond_to_recommendation(a, s.submitted),
                InvalidInput,
                "status",
            ),
        ),
        check=lambda s, _: (
            s.app.recommendation(s.submitted).answer is not None
            and s.app.recommendation(s.submitted).progress == 10
        ),
    ),
    *RESEARCH_COMMANDS,
)

#: The application's public commands and the entry of COMMANDS that covers each.
COVERS = {
    "register_staff": "register staff",
    "erase_participant": "erase a participant",
    "erase_organisation_contact": "erase an organisation's contact",
    "confirm_erasure": "erase a participant once confirmed",
    "export_own_data": "download one's data",
    "compose_report": "compose the report",
    "start_process": "start a process",
    "advance_phase": "advance the phase",
    "add_axis": "add an axis",
    "set_voting_rules": "set voting rules",
    "issue_invitations": "issue invitations",
    "join": "join",
    "schedule_workshop": "schedule a workshop",
    "open_workshop": "open a workshop",
    "close_workshop": "close a workshop",
    "record_contribution": "record a contribution",
    "moderate_contribution": "moderate a contribution",
    "submit_proposal": "submit a proposal",
    "revise_proposal": "revise a proposal",
    "withdraw_proposal": "withdraw a proposal",
    "moderate_proposal": "moderate a proposal",
    "cast_ballot": "cast a ballot",
    "withdraw_ballot": "withdraw a ballot",
    "publish_shortlist": "publish the shortlist",
    "draft_recommendation": "draft a recommendation",
    "revise_recommendation": "revise a recommendation",
    "submit_recommendation": "submit a recommendation",
    "answer_recommendation": "answer a recommendation",
    "report_progress": "report progress",
    "respond_to_recommendation": "answer and report progress at once",
    "state_hypothesis": "state a hypothesis",
    "describe_method": "describe a method",
    "define_indicator": "define an indicator",
    "set_expected_effects": "set expected effects",
    "create_questionnaire": "create a questionnaire",
    "add_question": "add a question",
    "open_wave": "open a wave",
    "close_wave": "close a wave",
    "tag_answer": "tag an answer",
    "answer_questionnaire": "answer a questionnaire",
    "contribute_answer": "turn an answer into a contribution",
    "register_organisation": "register an organisation",
    "register_organisations": "register organisations",
    "add_representative": "add a representative",
}

UNUSED = (InvitationAlreadyUsed,)  # tested apart: a code admits one participant
