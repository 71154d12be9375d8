"""The change between waves per indicator, as the results give it (SQLite and PostgreSQL):
mean and median per wave, the bootstrap interval of the difference checked against
SciPy's, paired on the respondents of both waves or unpaired; and the free-text answers
a facilitator may turn into contributions."""

from __future__ import annotations

import random
from typing import Any
from uuid import UUID

import numpy as np
import pytest
from scipy import stats as scipy_stats

from application import Voisinage
from domain.errors import NotAllowed


def _scipy_interval(before: list[int], after: list[int], *, paired: bool) -> tuple[float, float]:
    def difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.mean(b, axis=axis) - np.mean(a, axis=axis)

    result = scipy_stats.bootstrap(
        (before, after),
        difference,
        paired=paired,
        vectorized=True,
        n_resamples=20_000,
        method="percentile",
        confidence_level=0.95,
        random_state=np.random.default_rng(11),
    )
    return result.confidence_interval.low, result.confidence_interval.high


def _measured(app: Voisinage, world: Any, pid: UUID) -> tuple[UUID, UUID]:
    fac = world.facilitator
    qid = app.create_questionnaire(
        fac,
        pid,
        title={"fr": "Vivre ensemble", "nl": "Samenleven"},
        intro={"fr": "Cinq minutes."},
        audience=["residents"],
        anonymous=True,
    )
    app.add_question(fac, qid, kind="scale5", text={"fr": "Respecté ?"}, required=True)
    app.add_question(fac, qid, kind="text", text={"fr": "Un mot ?"})
    hypothesis = app.state_hypothesis(fac, pid, {"fr": "La co-création réduit la discrimination"})
    indicator = app.define_indicator(
        fac,
        pid,
        hypothesis_id=hypothesis,
        name={"fr": "Respect ressenti"},
        how={"fr": "Échelle de 1 à 5"},
        direction="increase",
        questions=[{"questionnaire_id": qid, "question_id": "q1"}],
    )
    return qid, indicator


def _wave(app: Voisinage, world: Any, qid: UUID, number: int, given: dict[Any, int]) -> None:
    app.open_wave(world.facilitator, qid, label={"fr": f"Vague {number}"}, sent_to=40)
    for resident, score in given.items():
        app.answer_questionnaire(resident, qid, number, {"q1": score})
    app.close_wave(world.facilitator, qid, number)


def _assert_agrees(change: dict[str, Any], before: list[int], after: list[int], paired: bool):
    difference = change["difference"]
    assert difference["paired"] is paired
    assert (difference["n_before"], difference["n_after"]) == (len(before), len(after))
    assert difference["estimate"] == pytest.approx(np.mean(after) - np.mean(before))
    low, high = _scipy_interval(before, after, paired=paired)
    # 2,000 resamples against SciPy's 20,000: endpoints within a tenth of the width.
    width = high - low
    assert abs(difference["low"] - low) < 0.1 * width, (difference, low, high)
    assert abs(difference["high"] - high) < 0.1 * width, (difference, low, high)


def test_the_change_per_indicator_is_paired_on_the_same_respondents(app, world) -> None:
    pid = world.process()
    qid, indicator = _measured(app, world, pid)
    rng = random.Random(3)
    residents = [world.resident(pid) for _ in range(24)]
    first = {r: rng.choice([1, 2, 2, 3, 3, 4]) for r in residents}
    second = {r: min(5, first[r] + rng.choice([0, 1, 1, 2])) for r in residents[:18]}
    _wave(app, world, qid, 1, first)
    _wave(app, world, qid, 2, second)

    (found,) = app.questionnaire_results(qid)["indicator_changes"]
    assert (found["indicator_id"], found["direction"]) == (str(indicator), "increase")
    (measure,) = found["measures"]
    assert measure["question_id"] == "q1"
    one, two = measure["waves"]
    assert (one["n"], two["n"]) == (24, 18)
    assert one["mean"] == pytest.approx(np.mean(list(first.values())))
    assert two["median"] == pytest.approx(np.median(list(second.values())))
    (change,) = measure["changes"]
    assert (change["from_wave"], change["to_wave"], change["respondents_in_both"]) == (1, 2, 18)
    both = residents[:18]
    _assert_agrees(change, [first[r] for r in both], [second[r] for r in both], paired=True)
    assert change["observed"] == "increase" and change["difference"]["low"] > 0


def test_different_respondents_give_an_unpaired_change_and_three_waves_three(app, world) -> None:
    pid = world.process()
    qid, _ = _measured(app, world, pid)
    rng = random.Random(5)
    residents = [world.resident(pid) for _ in range(36)]
    waves = [
        {r: rng.choice([2, 3, 3, 4]) for r in residents[:12]},
        {r: rng.choice([2, 3, 3, 4]) for r in residents[12:24]},
        {r: rng.choice([1, 2, 2, 3]) for r in residents[24:]},
    ]
    for number, given in enumerate(waves, start=1):
        _wave(app, world, qid, number, given)

    (found,) = app.questionnaire_results(qid)["indicator_changes"]
    changes = found["measures"][0]["changes"]
    assert [(c["from_wave"], c["to_wave"]) for c in changes] == [(1, 2), (2, 3), (1, 3)]
    for change in changes:
        before = list(waves[change["from_wave"] - 1].values())
        after = list(waves[change["to_wave"] - 1].values())
        assert change["respondents_in_both"] == 0
        _assert_agrees(change, before, after, paired=False)
    assert changes[2]["observed"] == "decrease"


def test_a_wave_of_one_answer_has_its_n_and_no_interval(app, world) -> None:
    pid = world.process()
    qid, _ = _measured(app, world, pid)
    residents = [world.resident(pid) for _ in range(3)]
    _wave(app, world, qid, 1, {residents[0]: 2, residents[1]: 3})
    _wave(app, world, qid, 2, {residents[2]: 5})
    (change,) = app.questionnaire_results(qid)["indicator_changes"][0]["measures"][0]["changes"]
    assert (change["before"]["n"], change["after"]["n"]) == (2, 1)
    assert change["difference"] is None and change["observed"] is None


def test_free_text_answers_are_listed_for_facilitators_only(app, world) -> None:
    pid = world.process()
    qid, _ = _measured(app, world, pid)
    resident = world.resident(pid)
    app.open_wave(world.facilitator, qid, label={"fr": "Vague 1"}, sent_to=None)
    response = app.answer_questionnaire(resident, qid, 1, {"q1": 3, "q2": "Le hall est sombre"})
    listed = app.free_text_answers(world.facilitator, qid)
    assert listed == [
        {
            "response_id": str(response),
            "wave": 1,
            "question_id": "q2",
            "text": "Le hall est sombre",
            "audience": "residents",
            "attributed": False,
            "contributed": False,
        }
    ]
    for someone in (resident, world.institution, world.auditor):
        with pytest.raises(NotAllowed):
            app.free_text_answers(someone, qid)
