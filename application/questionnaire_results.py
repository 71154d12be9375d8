"""Results of a questionnaire: response rates, distributions, the change between waves
per question and per indicator, free texts by axis. Every share comes with its n."""

from __future__ import annotations

from itertools import pairwise
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase
from application.questionnaires import GIVEN, counted_responses, questionnaire_summary
from application.research_record import research_record
from domain.errors import NotFound
from domain.organisation import Organisation
from domain.questionnaire import SCALES, TEXT, Questionnaire
from domain.response import Response
from domain.statistics import Rate, change_between_waves, distribution, summary


def observed(change: dict[str, Any]) -> dict[str, Any]:
    """The change with the direction its interval shows: "increase" when the whole
    interval is above 0, "decrease" when below, "unclear" when it holds 0, None
    without an interval (fewer than 2 answers in a wave)."""
    difference = change.get("difference")
    if difference is None:
        return {**change, "observed": None}
    if difference["low"] > 0:
        return {**change, "observed": "increase"}
    if difference["high"] < 0:
        return {**change, "observed": "decrease"}
    return {**change, "observed": "unclear"}


ORGANISATION_REGISTERED = get_topic(Organisation.Registered)  # type: ignore[attr-defined]


class ResultsCommands(VoisinageBase):
    """Reading a questionnaire's results, as counted against each wave's close."""

    def questionnaire_results(self, questionnaire_id: UUID) -> dict[str, Any]:
        """Response rate per wave, distributions per question and wave, the change of
        every scale question between the first and the last wave, free texts by axis.
        Every share comes with its n."""
        q = self.questionnaire(questionnaire_id)
        audiences: dict[str, str] = {}
        counted = counted_responses(self, questionnaire_id, audiences=audiences)
        asked = self._asked_per_audience(q)
        waves = [
            {
                "number": w["number"],
                "label": w["label"],
                "closed": w["closed"],
                **Rate(len(counted.get(w["number"], {})), w["sent_to"]).as_dict(),
                "by_audience": {
                    audience: self._audience_rate(
                        sum(
                            1 for r in counted.get(w["number"], {}) if audiences.get(r) == audience
                        ),
                        asked.get(audience) or (w["sent_to"] if len(q.audience) == 1 else None),
                    )
                    for audience in q.audience
                },
            }
            for w in q.waves
        ]
        questions = []
        for question in q.questions:
            per_wave = []
            for w in q.waves:
                answers = {
                    respondent: given[question["id"]]
                    for respondent, given in counted.get(w["number"], {}).items()
                    if question["id"] in given
                }
                per_wave.append({"wave": w["number"], **self._describe(question, answers)})
            entry: dict[str, Any] = {**question, "waves": per_wave}
            if question["kind"] in SCALES and len(q.waves) >= 2:
                first, last = q.waves[0]["number"], q.waves[-1]["number"]
                entry["change"] = {
                    "from_wave": first,
                    "to_wave": last,
                    **change_between_waves(
                        self._scale_answers(counted, first, question["id"]),
                        self._scale_answers(counted, last, question["id"]),
                    ),
                }
            questions.append(entry)
        return {
            "questionnaire": questionnaire_summary(self, questionnaire_id),
            "waves": waves,
            "questions": questions,
            "indicators": self._indicators_citing(q),
            "indicator_changes": self._indicator_changes(q, counted),
            "texts_by_axis": self.tagged_texts(questionnaire_id),
        }

    @staticmethod
    def _audience_rate(responses: int, of: int | None) -> dict[str, Any]:
        """responses of how many (20 of 100 organisations), and the share (None if unknown)."""
        rate = Rate(responses, of)
        return {"responses": responses, "of": of, "rate": rate.rate}

    def _asked_per_audience(self, q: Questionnaire) -> dict[str, int]:
        """How many could answer per audience where the store knows it: the organisations
        registered in the questionnaire's process (residents: the wave's `sent_to`)."""
        if "organisations" not in q.audience:
            return {}
        registered = sum(
            1
            for _, event in self.scan([ORGANISATION_REGISTERED])
            if event.process_id == q.process_id
        )
        return {"organisations": registered}

    def _indicator_changes(
        self, q: Questionnaire, counted: dict[int, dict[str, dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """Per indicator citing a scale question of `q`: per wave its n, mean and median,
        and the change between consecutive waves (and first to last when there are more
        than two) with its bootstrap interval, paired on the respondents of both waves
        when there are 2 or more of them, unpaired otherwise."""
        numbers = [w["number"] for w in q.waves]
        pairs = list(pairwise(numbers))
        if len(numbers) > 2:
            pairs.append((numbers[0], numbers[-1]))
        labels = {w["number"]: w["label"] for w in q.waves}
        found = []
        for indicator in self._indicators_citing(q):
            measures = []
            for cited in indicator["questions"]:
                if cited["questionnaire_id"] != str(q.id):
                    continue
                question = q.question(cited["question_id"])
                if question["kind"] not in SCALES:
                    continue
                answers = {n: self._scale_answers(counted, n, question["id"]) for n in numbers}
                measures.append(
                    {
                        "question_id": question["id"],
                        "text": question["text"],
                        "kind": question["kind"],
                        "waves": [
                            {
                                "wave": n,
                                "label": labels[n],
                                **summary(list(answers[n].values())).as_dict(),
                            }
                            for n in numbers
                        ],
                        "changes": [
                            observed(
                                {
                                    "from_wave": a,
                                    "to_wave": b,
                                    **change_between_waves(answers[a], answers[b]),
                                }
                            )
                            for a, b in pairs
                        ],
                    }
                )
            found.append(
                {
                    "indicator_id": indicator["id"],
                    "hypothesis_id": indicator["hypothesis_id"],
                    "name": indicator["name"],
                    "direction": indicator["direction"],
                    "measures": measures,
                }
            )
        return found

    @staticmethod
    def _scale_answers(
        counted: dict[int, dict[str, dict[str, Any]]], wave: int, question_id: str
    ) -> dict[str, float]:
        return {
            respondent: float(given[question_id])
            for respondent, given in counted.get(wave, {}).items()
            if question_id in given
        }

    def _describe(self, question: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
        kind = question["kind"]
        if kind in SCALES:
            low, high = SCALES[kind]
            values = list(answers.values())
            return {
                **summary(values).as_dict(),
                "distribution": {
                    str(k): v for k, v in distribution(values, range(low, high + 1)).items()
                },
            }
        if kind == TEXT:
            return {"n": len(answers), "texts": sorted(answers.values())}
        options = [option["id"] for option in question["options"]]
        return {"n": len(answers), "distribution": distribution(list(answers.values()), options)}

    def _indicators_citing(self, q: Questionnaire) -> list[dict[str, Any]]:
        record = research_record(self, q.process_id)
        return [
            indicator
            for indicator in record["indicators"]
            if any(c["questionnaire_id"] == str(q.id) for c in indicator["questions"])
        ]

    def tagged_texts(self, questionnaire_id: UUID) -> dict[str, list[str]]:
        """Free-text answers that a facilitator tagged, grouped by axis id."""
        q = self.questionnaire(questionnaire_id)
        grouped: dict[str, list[str]] = {}
        for tag in q.tags:
            try:
                response = self.load(tag["response_id"], Response, "response")
            except NotFound:
                continue
            text = response.answers.get(tag["question_id"])
            if text is not None:
                grouped.setdefault(str(tag["axis_id"]), []).append(text)
        return grouped

    def free_text_answers(self, actor: Actor, questionnaire_id: UUID) -> list[dict[str, Any]]:
        """Every free-text answer with its response id and wave, for a facilitator to tag
        or to turn into a contribution (oldest response first; the latest answer each;
        `contributed` when it already is one)."""
        authorise(actor, "turn an answer into a contribution")
        q = self.questionnaire(questionnaire_id)
        texts = [question["id"] for question in q.questions if question["kind"] == TEXT]
        if not texts:
            return []
        done = {(c["response_id"], c["question_id"]) for c in q.contributed()}
        found = []
        for _, event in self.scan([get_topic(GIVEN)]):
            if event.questionnaire_id != questionnaire_id:
                continue
            response = self.load(event.originator_id, Response, "response")
            for question_id in texts:
                text = response.answers.get(question_id)
                if text is not None:
                    found.append(
                        {
                            "response_id": str(response.id),
                            "wave": response.wave,
                            "question_id": question_id,
                            "text": text,
                            "audience": response.audience,
                            "attributed": response.participant_id is not None,
                            "contributed": (response.id, question_id) in done,
                        }
                    )
        return found
