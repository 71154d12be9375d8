"""The voting rules of a process: the method, the shortlist size and the limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from domain.errors import InvalidVotingRules

Choices = list[str] | dict[str, int] | dict[str, str]
TIE_BREAK_RULE = (
    "Tied candidates are ordered by sha256(process id + '/' + proposal id), ascending: "
    "fixed before the vote and recomputable by anyone."
)


class Method(StrEnum):
    """How ballots are cast and counted."""

    APPROVAL = "approval"
    DOTS = "dots"
    SCHULZE = "schulze"
    BORDA = "borda"
    MAJORITY_JUDGMENT = "majority_judgment"
    EQUAL_SHARES = "equal_shares"
    PAV = "pav"


SUPPORTED = tuple(Method)
#: Methods whose ballots are lists of approved proposals (order does not matter).
APPROVAL_BALLOTS = (Method.APPROVAL, Method.EQUAL_SHARES, Method.PAV)


@dataclass(frozen=True)
class VotingRules:
    """The voting rules of a process."""

    method: Method = Method.APPROVAL
    shortlist_size: int = 10
    max_choices: int | None = None
    budget: int | None = None
    max_points_per_proposal: int | None = None
    grades: tuple[str, ...] = ("to_reject", "poor", "fair", "good", "very_good", "excellent")
    hide_results_until_close: bool = False

    def validate(self) -> None:
        """Raise InvalidVotingRules naming the first rule that cannot be applied."""
        if self.method not in SUPPORTED:
            raise InvalidVotingRules(
                f"method '{self.method}' is not available yet (use one of {', '.join(SUPPORTED)})",
                field="method",
            )
        if not 1 <= self.shortlist_size <= 100:
            raise InvalidVotingRules("shortlist_size must be from 1 to 100", field="shortlist_size")
        if self.max_choices is not None and self.max_choices < 1:
            raise InvalidVotingRules("max_choices must be at least 1", field="max_choices")
        if self.method is Method.DOTS and (self.budget is None or self.budget < 1):
            raise InvalidVotingRules("dot voting needs a budget of at least 1", field="budget")
        if self.max_points_per_proposal is not None and self.max_points_per_proposal < 1:
            raise InvalidVotingRules(
                "max_points_per_proposal must be at least 1", field="max_points_per_proposal"
            )
        if len(self.grades) < 2 or len(set(self.grades)) != len(self.grades):
            raise InvalidVotingRules("grades must be at least two distinct names", field="grades")
        if not all(isinstance(g, str) and g.strip() for g in self.grades):
            raise InvalidVotingRules("grades must be non-empty names", field="grades")

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for event payloads."""
        data = asdict(self)
        data["method"] = self.method.value
        data["grades"] = list(self.grades)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VotingRules:
        """Build from the JSON form; unknown keys or values raise InvalidVotingRules."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise InvalidVotingRules(f"unknown voting rules: {', '.join(sorted(unknown))}")
        values = dict(data)
        try:
            values["method"] = Method(values.get("method", Method.APPROVAL))
        except ValueError:
            raise InvalidVotingRules(
                f"unknown method '{values.get('method')}'", field="method"
            ) from None
        if "grades" in values:
            if not isinstance(values["grades"], list | tuple):
                raise InvalidVotingRules("grades must be a list of names", field="grades")
            values["grades"] = tuple(values["grades"])
        if not isinstance(values.get("hide_results_until_close", False), bool):
            raise InvalidVotingRules(
                "hide_results_until_close must be true or false", field="hide_results_until_close"
            )
        for name in ("shortlist_size", "max_choices", "budget", "max_points_per_proposal"):
            value = values.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise InvalidVotingRules(f"{name} must be a whole number", field=name)
        return cls(**values)
