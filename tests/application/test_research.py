"""Questionnaires in waves, end to end through the application, on SQLite and PostgreSQL:
wave states, anonymity, measured change between waves, one response per respondent
and wave under concurrency."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import pytest
from app_support import open_voisinage
from builders import stage

from application import Actor, Voisinage
from domain.errors import (
    AnswerAlreadyContributed,
    Conflict,
    NotAllowed,
    WaveNotOpen,
    WrongPhase,
)
from domain.response import Response


def _questionnaire(app: Voisinage, world: Any, pid: UUID, *, anonymous: bool = True) -> UUID:
    fac = world.facilitator
    qid = app.create_questionnaire(
        fac,
        pid,
        title={"fr": "Discrimination perçue", "nl": "Ervaren discriminatie"},
        intro={"fr": "Trois questions.", "nl": "Drie vragen."},
        audience=["residents"],
        anonymous=anonymous,
    )
    app.add_question(
        fac,
        qid,
        kind="scale5",
        text={"fr": "Vous sentez-vous traité avec respect ?", "nl": "Voelt u zich gerespecteerd?"},
        required=True,
    )
    app.add_question(
        fac,
        qid,
        kind="multiple",
        text={"fr": "Où ?", "nl": "Waar?"},
        options=[{"fr": "Hall"}, {"fr": "Cour"}, {"fr": "Rue"}],
    )
    # Inserted first: the order is the facilitator's, the ids stay those given at creation.
    app.add_question(fac, qid, kind="text", text={"fr": "Un mot ?"}, position=1)
    return qid


def _refused(app: Voisinage, call: Any, error: type[Exception]) -> None:
    head = app.head_position()
    with pytest.raises(error):
        call()
    assert app.head_position() == head, "a refused command recorded something"


def test_two_waves_measure_the_change_with_its_n_and_interval(app, world) -> None:
    pid = world.process()
    qid = _questionnaire(app, world, pid)
    assert [q["id"] for q in app.questionnaire(qid).questions] == ["q3", "q1", "q2"]
    residents = [world.resident(pid) for _ in range(6)]
    fac = world.facilitator
    hypothesis = app.state_hypothesis(fac, pid, {"fr": "La co-création réduit la discrimination"})
    app.define_indicator(
        fac,
        pid,
        hypothesis_id=hypothesis,
        name={"fr": "Respect ressenti"},
        how={"fr": "Échelle 1-5"},
        direction="increase",
        questions=[{"questionnaire_id": qid, "question_id": "q1"}],
    )
    app.open_wave(fac, qid, label={"fr": "Avant"}, sent_to=10)
    for resident, score in zip(residents[:5], [1, 2, 2, 3, 1], strict=True):
        app.answer_questionnaire(resident, qid, 1, {"q1": score, "q2": ["1", "3"]})
    # Changeable while open: the resident's second answer replaces the first.
    app.answer_questionnaire(residents[0], qid, 1, {"q1": 2, "q2": ["2"]})
    app.close_wave(fac, qid, 1)
    _refused(app, lambda: app.answer_questionnaire(residents[5], qid, 1, {"q1": 5}), WaveNotOpen)
    _refused(
        app, lambda: app.add_question(fac, qid, kind="text", text={"fr": "Encore ?"}), Conflict
    )
    app.open_wave(fac, qid, label={"fr": "Après"}, sent_to=10)
    for resident, score in zip(residents[1:], [4, 3, 4, 3, 5], strict=True):
        app.answer_questionnaire(resident, qid, 2, {"q1": score, "q3": "Moins de remarques"})
    app.close_wave(fac, qid, 2)

    results = app.questionnaire_results(qid)
    assert [(w["responses"], w["sent_to"], w["rate"]) for w in results["waves"]] == [
        (5, 10, 0.5),
        (5, 10, 0.5),
    ]
    scale = next(q for q in results["questions"] if q["id"] == "q1")
    before, after = scale["waves"]
    assert (before["n"], before["mean"], before["median"]) == (5, 2.0, 2.0)
    assert before["distribution"] == {"1": 1, "2": 3, "3": 1, "4": 0, "5": 0}
    assert (after["n"], after["mean"]) == (5, 3.8)
    change = scale["change"]
    # Four residents answered both waves: paired on them (2,2,3,1 -> 4,3,4,3).
    assert change["respondents_in_both"] == 4
    difference = change["difference"]
    assert difference["paired"] is True and difference["n_before"] == 4
    assert difference["estimate"] == pytest.approx((2 + 1 + 1 + 2) / 4)
    assert difference["low"] <= difference["estimate"] <= difference["high"]
    where = next(q for q in results["questions"] if q["id"] == "q2")
    assert where["waves"][0]["distribution"] == {"1": 4, "2": 1, "3": 4}
    words = next(q for q in results["questions"] if q["id"] == "q3")
    assert words["waves"][1] == {"wave": 2, "n": 5, "texts": ["Moins de remarques"] * 5}
    assert results["indicators"][0]["hypothesis_id"] == str(hypothesis)
    assert app.questionnaire_results(qid) == results, "the same store gives the same results"


def test_anonymous_responses_name_nobody_and_attributed_ones_name_the_respondent(
    app, world
) -> None:
    pid = world.process()
    resident = world.resident(pid)
    anonymous = _questionnaire(app, world, pid, anonymous=True)
    attributed = _questionnaire(app, world, pid, anonymous=False)
    for qid in (anonymous, attributed):
        app.open_wave(world.facilitator, qid, label={"fr": "Vague 1"}, sent_to=None)
    hidden = app.load(app.answer_questionnaire(resident, anonymous, 1, {"q1": 3}), Response, "r")
    named = app.load(app.answer_questionnaire(resident, attributed, 1, {"q1": 3}), Response, "r")
    assert hidden.participant_id is None
    assert named.participant_id == resident.participant_id
    stored = [n.state for n in app.recorder.select_notifications(start=0, limit=10_000)]
    given = [s for s in stored if b"q1" in s and b"respondent" in s]
    assert len(given) == 2
    # The participant id is in the attributed response's event only (as stored: hex).
    assert [resident.participant_id.hex.encode() in s for s in given] == [False, True]


def test_staff_outsiders_and_a_closed_process_are_refused(app, world) -> None:
    pid = world.process()
    qid = _questionnaire(app, world, pid)
    app.open_wave(world.facilitator, qid, label={"fr": "Vague 1"}, sent_to=None)
    other = world.process()
    outsider = world.resident(other)
    _refused(app, lambda: app.answer_questionnaire(outsider, qid, 1, {"q1": 3}), NotAllowed)
    _refused(
        app, lambda: app.answer_questionnaire(world.facilitator, qid, 1, {"q1": 3}), NotAllowed
    )
    resident = world.resident(pid)
    world.advance(pid, "contributions")
    app.close_wave(world.facilitator, qid, 1)
    _refused(app, lambda: app.answer_questionnaire(resident, qid, 1, {"q1": 3}), WaveNotOpen)
    _refused(app, lambda: app.answer_questionnaire(resident, qid, 2, {"q1": 3}), WaveNotOpen)


def test_one_response_per_respondent_and_wave_under_concurrency(app, world, database_url) -> None:
    """Sixteen threads on two application instances (two workers): eight residents
    answer twice each at the same moment. Each resident holds exactly one response,
    holding one of their two answers, and nothing is lost."""
    pid = world.process()
    qid = _questionnaire(app, world, pid)
    residents: list[Actor] = [world.resident(pid) for _ in range(8)]
    app.open_wave(world.facilitator, qid, label={"fr": "Vague 1"}, sent_to=8)
    other = open_voisinage(database_url, app.secrets)
    start = threading.Barrier(16)
    errors: list[BaseException] = []

    def answer(worker: Voisinage, resident: Actor, score: int) -> None:
        try:
            start.wait()
            worker.answer_questionnaire(resident, qid, 1, {"q1": score})
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=answer, args=(app if i % 2 else other, resident, 1 + i % 2 * 4))
        for resident in residents
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    assert not errors, errors
    counted = app.counted_responses(qid)[1]
    assert len(counted) == 8
    assert {answers["q1"] for answers in counted.values()} <= {1, 5}
    for resident in residents:
        assert app.own_response(resident, qid, 1)["q1"] in (1, 5)
    given = list(app.scan(["domain.response:Response.Given"]))
    assert len(given) == 8, "one response per resident and wave"


def test_sixteen_threads_for_one_respondent_and_others_in_parallel(
    app, world, database_url
) -> None:
    """Sixteen threads on two workers answer the same wave for the same resident, each
    with its own score, while eight other residents answer once each at the same moment.
    The resident holds exactly one response, holding one of the sixteen answers, changed
    by the later ones; no other resident's answer is lost."""
    pid = world.process()
    qid = _questionnaire(app, world, pid)
    same = world.resident(pid)
    others: list[Actor] = [world.resident(pid) for _ in range(8)]
    app.open_wave(world.facilitator, qid, label={"fr": "Vague 1"}, sent_to=9)
    other = open_voisinage(database_url, app.secrets)
    calls = [(same, 1 + i % 5, f"essai {i}") for i in range(16)]
    calls += [(resident, 1 + i % 5, f"voisin {i}") for i, resident in enumerate(others)]
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []
    ids: dict[UUID, set[UUID]] = {}

    def answer(worker: Voisinage, resident: Actor, score: int, word: str) -> None:
        try:
            start.wait()
            given = worker.answer_questionnaire(resident, qid, 1, {"q1": score, "q3": word})
            ids.setdefault(resident.participant_id, set()).add(given)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=answer, args=(app if i % 2 else other, *call))
        for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    assert not errors, errors
    assert all(len(found) == 1 for found in ids.values()), "one response id per resident"
    assert len(ids) == 1 + len(others)
    counted = app.counted_responses(qid)[1]
    assert len(counted) == 1 + len(others)
    mine = app.own_response(same, qid, 1)
    assert mine is not None and mine["q3"] in {word for _, _, word in calls[:16]}
    assert mine["q1"] == 1 + int(mine["q3"].split()[1]) % 5, "one answer, not a mix"
    assert mine in counted.values()
    for i, resident in enumerate(others):
        assert app.own_response(resident, qid, 1) == {"q1": 1 + i % 5, "q3": f"voisin {i}"}
    given = [
        e for _, e in app.scan(["domain.response:Response.Given"]) if e.questionnaire_id == qid
    ]
    assert len(given) == 1 + len(others), "one response per resident and wave"
    (response,) = ids[same.participant_id]
    changes = [e for _, e in app.scan(["domain.response:Response.Changed"])]
    assert len([e for e in changes if e.originator_id == response]) <= 15
    assert not [
        e
        for e in changes
        if e.originator_id != response
        and e.originator_id in {next(iter(found)) for found in ids.values()}
    ], "the other residents answered once: nothing changed their answers"


def test_a_closed_process_takes_no_new_questionnaire_nor_wave(app, world) -> None:
    s = stage(app, world, "recommendations")
    qid = _questionnaire(app, world, s.pid)
    world.advance(s.pid, "closed")
    _refused(
        app,
        lambda: app.open_wave(world.facilitator, qid, label={"fr": "Trop tard"}, sent_to=None),
        WrongPhase,
    )
    _refused(app, lambda: _questionnaire(app, world, s.pid), WrongPhase)
    # The research record documents the process to its end.
    app.state_hypothesis(world.facilitator, s.pid, {"fr": "Le suivi montre un effet durable"})


def test_the_research_demo_measures_a_change_between_its_two_waves(sqlite_url) -> None:
    from application.demo import load_demo
    from application.demo_research import load_research_demo

    app = open_voisinage(sqlite_url)
    try:
        loaded = load_research_demo(app, load_demo(app))
        results = app.questionnaire_results(loaded.questionnaire_id)
        assert [(w["responses"], w["sent_to"]) for w in results["waves"]] == [(24, 60), (18, 60)]
        change = results["questions"][0]["change"]
        assert change["respondents_in_both"] == 18
        difference = change["difference"]
        assert difference["paired"] is True and difference["estimate"] > 0
        assert difference["low"] <= difference["estimate"] <= difference["high"]
        assert results["indicators"][0]["id"] == str(loaded.indicator_id)
        record = app.research_record(app.questionnaire(loaded.questionnaire_id).process_id)
        assert [m["method"] for m in record["methods"]] == [
            "participatory_workshops",
            "questionnaire",
        ]
    finally:
        app.close()


def test_organisations_answer_through_their_representatives_once_per_wave(app, world) -> None:
    pid = world.process()
    fac = world.facilitator
    qid = app.create_questionnaire(
        fac,
        pid,
        title={"fr": "Un lieu fédérateur ?"},
        intro={"fr": "Pour les associations"},
        audience=["organisations"],
        anonymous=False,
    )
    app.add_question(
        fac, qid, kind="single", text={"fr": "Pour ?"}, options=[{"fr": "Oui"}, {"fr": "Non"}]
    )
    organisations = [
        app.register_organisation(fac, pid, name=f"Asbl {i}", sector="culture", commune="Ixelles")
        for i in range(3)
    ]
    first, second, lone = (world.resident(pid) for _ in range(3))
    app.add_representative(fac, organisations[0], first.participant_id)
    app.add_representative(fac, organisations[0], second.participant_id)
    app.add_representative(fac, organisations[1], lone.participant_id)
    app.open_wave(fac, qid, label={"fr": "Appel"}, sent_to=100)
    _refused(app, lambda: app.answer_questionnaire(first, qid, 1, {"q1": "1"}), NotAllowed)
    _refused(
        app,
        lambda: app.answer_questionnaire(
            lone, qid, 1, {"q1": "1"}, organisation_id=organisations[0]
        ),
        NotAllowed,
    )
    one = app.answer_questionnaire(first, qid, 1, {"q1": "1"}, organisation_id=organisations[0])
    same = app.answer_questionnaire(second, qid, 1, {"q1": "2"}, organisation_id=organisations[0])
    assert one == same, "one response per organisation and wave, whichever representative"
    app.answer_questionnaire(lone, qid, 1, {"q1": "1"}, organisation_id=organisations[1])
    results = app.questionnaire_results(qid)
    wave = results["waves"][0]
    assert (wave["responses"], wave["sent_to"], wave["by_audience"]) == (
        2,
        100,
        {"organisations": {"responses": 2, "of": 3, "rate": 2 / 3}},
    )
    assert results["questions"][0]["waves"][0]["distribution"] == {"1": 1, "2": 1}
    response = app.load(one, Response, "response")
    assert response.participant_id == organisations[0] and response.audience == "organisations"


def test_an_attributed_free_answer_becomes_a_contribution_on_behalf_of_its_author(
    app, world
) -> None:
    pid = world.process()
    qid = _questionnaire(app, world, pid, anonymous=False)
    resident = world.resident(pid)
    world.advance(pid, "contributions")
    workshop = world.workshop(pid)
    app.open_wave(world.facilitator, qid, label={"fr": "Vague 1"}, sent_to=None)
    response = app.answer_questionnaire(resident, qid, 1, {"q1": 2, "q3": "Le hall est sombre"})
    cid = app.contribute_answer(
        world.facilitator, qid, response=response, question_id="q3", workshop_id=workshop
    )
    contribution = app.contribution(cid)
    assert contribution.text == "Le hall est sombre"
    assert contribution.on_behalf_of_participant == resident.participant_id
    assert contribution.workshop_id == workshop


def test_the_same_free_answer_becomes_a_contribution_once(app, world) -> None:
    """A second "make it a contribution" of the same answer is refused by name and
    records nothing: the trail holds the answer once."""
    pid = world.process()
    qid = _questionnaire(app, world, pid)
    resident = world.resident(pid)
    world.advance(pid, "contributions")
    workshop = world.workshop(pid)
    app.open_wave(world.facilitator, qid, label={"fr": "Vague 1"}, sent_to=None)
    response = app.answer_questionnaire(resident, qid, 1, {"q1": 2, "q3": "Le hall est sombre"})

    def contribute() -> UUID:
        return app.contribute_answer(
            world.facilitator, qid, response=response, question_id="q3", workshop_id=workshop
        )

    contribute()
    head = app.head_position()
    with pytest.raises(AnswerAlreadyContributed) as refused:
        contribute()
    assert app.head_position() == head, "a refused command recorded something"
    assert refused.value.code == "answer.already_contributed"
    assert refused.value.params == {"question": "q3"}
