"""The research record of a process: hypotheses, methodology, indicators, expected effects.

Every process is also a research-action project. Facilitators write its record; everyone
can read it; it is part of the trail: an indicator names the hypothesis it tests and
the questionnaire questions that measure it.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput
from domain.identities import research_record_id
from domain.text import clean_localised

#: Methods of a research-action methodology.
METHODS = (
    "participatory_workshops",
    "qualitative_collection",
    "questionnaire",
    "satisfaction_measurement",
    "living_lab",
    "interviews",
    "observation",
)
#: The direction in which an indicator is expected to move if the hypothesis holds.
DIRECTIONS = ("increase", "decrease", "no_change")
#: For whom an axis is expected to have effects (the Mutualisons living-lab grid).
EFFECT_TARGETS = ("people", "publics", "organisations")


class ResearchRecord(Aggregate):
    """One per process (its id derives from the process id)."""

    @classmethod
    def begin(cls, process_id: UUID) -> ResearchRecord:
        """The empty record of a process."""
        return cls(id=research_record_id(process_id), process_id=process_id)

    @event("Begun")
    def __init__(self, *, id: UUID, process_id: UUID) -> None:
        self.process_id = process_id
        self.hypotheses: dict[UUID, dict[str, str]] = {}
        self.methods: list[dict[str, Any]] = []
        self.indicators: dict[UUID, dict[str, Any]] = {}
        self.expected_effects: dict[UUID, dict[str, dict[str, str]]] = {}

    def state_hypothesis(self, text: object) -> UUID:
        """Add a hypothesis ("does co-creation reduce perceived discrimination?")."""
        hypothesis_id = uuid4()
        self._hypothesis_stated(
            hypothesis_id=hypothesis_id,
            text=clean_localised(text, field="text", min_length=10, max_length=1000),
        )
        return hypothesis_id

    def require_hypotheses(self, hypothesis_ids: list[UUID]) -> None:
        """Raise InvalidInput (field hypothesis_ids) unless every id is a hypothesis of
        this record (a recommendation cites the hypotheses it addresses)."""
        unknown = [str(h) for h in hypothesis_ids if h not in self.hypotheses]
        if unknown:
            raise InvalidInput(
                f"not a hypothesis of this process's research record: {', '.join(unknown)}",
                field="hypothesis_ids",
                code="research.hypothesis_unknown",
            )

    @event("HypothesisStated")
    def _hypothesis_stated(self, *, hypothesis_id: UUID, text: dict[str, str]) -> None:
        self.hypotheses[hypothesis_id] = text

    def describe_method(
        self, *, method: object, description: object, start: object, end: object
    ) -> None:
        """Add a method of the methodology, with when it is used."""
        if method not in METHODS:
            raise InvalidInput(
                f"method must be one of {', '.join(METHODS)}",
                field="method",
                code="research.method",
            )
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, date):
                raise InvalidInput(f"{name} must be a date", field=name, code="research.date")
        assert isinstance(start, date) and isinstance(end, date)
        if end < start:
            raise InvalidInput(
                "end must not be before start", field="end", code="research.end_before_start"
            )
        self._method_described(
            method=method,
            description=clean_localised(
                description, field="description", min_length=3, max_length=2000
            ),
            start=start,
            end=end,
        )

    @event("MethodDescribed")
    def _method_described(
        self, *, method: str, description: dict[str, str], start: date, end: date
    ) -> None:
        self.methods.append(
            {"method": method, "description": description, "start": start, "end": end}
        )

    def define_indicator(
        self,
        *,
        hypothesis_id: UUID,
        name: object,
        how: object,
        direction: object,
        questions: list[dict[str, Any]],
    ) -> UUID:
        """Tie an indicator to a hypothesis: what is measured, how, the expected direction,
        and the questionnaire questions that measure it (checked by the caller)."""
        if hypothesis_id not in self.hypotheses:
            raise InvalidInput(
                f"hypothesis {hypothesis_id} is not in this record",
                field="hypothesis_id",
                code="research.hypothesis_unknown",
            )
        if direction not in DIRECTIONS:
            raise InvalidInput(
                f"direction must be one of {', '.join(DIRECTIONS)}",
                field="direction",
                code="research.direction",
            )
        indicator_id = uuid4()
        self._indicator_defined(
            indicator_id=indicator_id,
            hypothesis_id=hypothesis_id,
            name=clean_localised(name, field="name", min_length=3, max_length=200),
            how=clean_localised(how, field="how", min_length=3, max_length=2000),
            direction=direction,
            questions=questions,
        )
        return indicator_id

    @event("IndicatorDefined")
    def _indicator_defined(
        self,
        *,
        indicator_id: UUID,
        hypothesis_id: UUID,
        name: dict[str, str],
        how: dict[str, str],
        direction: str,
        questions: list[dict[str, Any]],
    ) -> None:
        self.indicators[indicator_id] = {
            "hypothesis_id": hypothesis_id,
            "name": name,
            "how": how,
            "direction": direction,
            "questions": questions,
        }

    def set_expected_effects(self, axis_id: UUID, effects: object) -> None:
        """State, for one axis, the effects expected for people, publics and organisations
        (a text per target, each in FR/NL/EN; at least one target)."""
        if not isinstance(effects, dict) or not effects:
            raise InvalidInput(
                f"effects needs at least one of {', '.join(EFFECT_TARGETS)}",
                field="effects",
                code="research.no_effects",
            )
        cleaned: dict[str, dict[str, str]] = {}
        for target, text in effects.items():
            if target not in EFFECT_TARGETS:
                raise InvalidInput(
                    f"effects has unknown target '{target}' (use {', '.join(EFFECT_TARGETS)})",
                    field="effects",
                    code="research.effect_target",
                )
            cleaned[target] = clean_localised(
                text, field=f"effects.{target}", min_length=3, max_length=2000
            )
        self._expected_effects_set(axis_id=axis_id, effects=cleaned)

    @event("ExpectedEffectsSet")
    def _expected_effects_set(self, *, axis_id: UUID, effects: dict[str, dict[str, str]]) -> None:
        self.expected_effects[axis_id] = effects
