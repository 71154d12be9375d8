"""The voting rules of a process: the method, the shortlist size and the limits."""

from __future__ import annotations

import hashlib
from collections.abc import Container, Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from domain.errors import InvalidVotingRules
from domain.phases import Phase

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
#: Methods that can select proposals within a budget.
BUDGET_METHODS = (Method.APPROVAL, Method.EQUAL_SHARES)
BUDGET_KEYS = ("spending_limit", "currency", "show_running_total")
#: A batch of live results holds at least this many ballot changes: never one alone.
MIN_BATCH_BALLOTS = 2
#: Methods whose ballots are lists of approved proposals (order does not matter).
APPROVAL_BALLOTS = (Method.APPROVAL, Method.EQUAL_SHARES, Method.PAV)
#: Methods whose ballots rank proposals, best first.
RANKED_BALLOTS = (Method.SCHULZE, Method.BORDA)


class BallotShape(StrEnum):
    """What a ballot of a method looks like (see domain.voting.ballots)."""

    APPROVALS = "approvals"  # a list of proposals, as a set
    POINTS = "points"  # {proposal: points} within a budget
    RANKING = "ranking"  # a list of proposals, best first
    GRADES = "grades"  # {proposal: grade name}


def _at_least(low: int) -> dict[str, Any]:
    return {"code": "rules.at_least", "params": {"min": low}}


def tie_break_key(process_id: object, candidate: object) -> str:
    """A candidate's place in the tie-break order (earlier wins): sha256 of
    "process id/proposal id", compared as hex text (see TIE_BREAK_RULE)."""
    return hashlib.sha256(f"{process_id}/{candidate}".encode()).hexdigest()


def standing_candidates(
    candidates: Iterable[Hashable],
    removed: Container[Hashable],
    merged_into: Container[Hashable],
) -> list[str]:
    """The candidates a ballot may choose, as text in their order: those neither removed
    (withdrawn or hidden) nor merged into another during the vote."""
    return [str(c) for c in candidates if c not in removed and c not in merged_into]


def tie_break_order(process_id: object, candidates: Iterable[object]) -> list[str]:
    """Candidates (as text) in the order that breaks ties, earlier wins: ascending
    `tie_break_key`, fixed before the vote and recomputable by any auditor."""
    return sorted((str(c) for c in candidates), key=lambda c: tie_break_key(process_id, c))


def ballot_shape(method: Method) -> BallotShape:
    """The shape of a ballot for `method`."""
    if method is Method.DOTS:
        return BallotShape.POINTS
    if method in RANKED_BALLOTS:
        return BallotShape.RANKING
    if method is Method.MAJORITY_JUDGMENT:
        return BallotShape.GRADES
    return BallotShape.APPROVALS


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
    #: Participatory budget: select proposals within this amount (whole units of
    #: `currency`) instead of `shortlist_size` proposals; approval counts greedily by
    #: votes, equal_shares by equal shares with cost utilities (domain/voting/budget.py).
    spending_limit: int | None = None
    currency: str = "EUR"
    #: The ballot page shows the running total of the resident's choices.
    show_running_total: bool = False

    @property
    def within_budget(self) -> bool:
        """Whether the process selects proposals within a budget (not k proposals)."""
        return self.spending_limit is not None

    def hides_live_results(self, phase: Phase) -> bool:
        """Whether the results are hidden from every role in `phase`: with
        `hide_results_until_close`, while the vote is open."""
        return self.hide_results_until_close and phase is Phase.VOTING

    @property
    def budget_rule(self) -> str | None:
        """The Pabulib ``rule`` of a budget count: ``greedy`` or ``equalshares/add1``."""
        if not self.within_budget:
            return None
        return "equalshares/add1" if self.method is Method.EQUAL_SHARES else "greedy"

    #: Live results change only in batches: at least this many ballot changes (casts,
    #: recasts, withdrawals) and this many minutes since the last published batch, so
    #: no single ballot can be read from the difference between two readings.
    results_batch_ballots: int = 10
    results_batch_minutes: int = 15

    def validate(self) -> None:
        """Raise InvalidVotingRules naming the first rule that cannot be applied."""
        if self.method not in SUPPORTED:
            raise InvalidVotingRules(
                f"method '{self.method}' is not available yet (use one of {', '.join(SUPPORTED)})",
                field="method",
                code="rules.method",
            )
        if not 1 <= self.shortlist_size <= 100:
            raise InvalidVotingRules(
                "shortlist_size must be from 1 to 100",
                field="shortlist_size",
                code="rules.range",
                params={"min": 1, "max": 100},
            )
        if self.max_choices is not None and self.max_choices < 1:
            raise InvalidVotingRules(
                "max_choices must be at least 1", field="max_choices", **_at_least(1)
            )
        if self.method is Method.DOTS and (self.budget is None or self.budget < 1):
            raise InvalidVotingRules(
                "dot voting needs a budget of at least 1", field="budget", **_at_least(1)
            )
        if self.max_points_per_proposal is not None and self.max_points_per_proposal < 1:
            raise InvalidVotingRules(
                "max_points_per_proposal must be at least 1",
                field="max_points_per_proposal",
                **_at_least(1),
            )
        if not MIN_BATCH_BALLOTS <= self.results_batch_ballots <= 100_000:
            raise InvalidVotingRules(
                f"results_batch_ballots must be from {MIN_BATCH_BALLOTS} to 100000",
                field="results_batch_ballots",
                code="rules.range",
                params={"min": MIN_BATCH_BALLOTS, "max": 100_000},
            )
        if not 0 <= self.results_batch_minutes <= 24 * 60:
            raise InvalidVotingRules(
                "results_batch_minutes must be from 0 to 1440",
                field="results_batch_minutes",
                code="rules.range",
                params={"min": 0, "max": 24 * 60},
            )
        if len(self.grades) < 2 or len(set(self.grades)) != len(self.grades):
            raise InvalidVotingRules(
                "grades must be at least two distinct names", field="grades", code="rules.grades"
            )
        if not all(isinstance(g, str) and g.strip() for g in self.grades):
            raise InvalidVotingRules(
                "grades must be non-empty names", field="grades", code="rules.grades"
            )
        if self.spending_limit is not None:
            if not 1 <= self.spending_limit <= 10**12:
                raise InvalidVotingRules(
                    "spending_limit must be from 1 to 10^12",
                    field="spending_limit",
                    code="rules.range",
                    params={"min": 1, "max": 10**12},
                )
            if self.method not in BUDGET_METHODS:
                raise InvalidVotingRules(
                    "a budget is counted with approval (greedy by votes) or equal_shares",
                    field="method",
                    code="rules.budget_method",
                )
        if not (
            isinstance(self.currency, str) and len(self.currency) == 3 and self.currency.isalpha()
        ):
            raise InvalidVotingRules(
                "currency must be a three-letter code", field="currency", code="rules.currency"
            )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for event payloads (the budget keys only for a budget)."""
        data = asdict(self)
        data["method"] = self.method.value
        data["grades"] = list(self.grades)
        if not self.within_budget:
            for name in BUDGET_KEYS:
                del data[name]
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
                f"unknown method '{values.get('method')}'", field="method", code="rules.method"
            ) from None
        if "grades" in values:
            if not isinstance(values["grades"], list | tuple):
                raise InvalidVotingRules("grades must be a list of names", field="grades")
            values["grades"] = tuple(values["grades"])
        if not isinstance(values.get("hide_results_until_close", False), bool):
            raise InvalidVotingRules(
                "hide_results_until_close must be true or false", field="hide_results_until_close"
            )
        if not isinstance(values.get("show_running_total", False), bool):
            raise InvalidVotingRules(
                "show_running_total must be true or false", field="show_running_total"
            )
        for name in (
            "shortlist_size",
            "max_choices",
            "budget",
            "max_points_per_proposal",
            "spending_limit",
            "results_batch_ballots",
            "results_batch_minutes",
        ):
            value = values.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise InvalidVotingRules(
                    f"{name} must be a whole number", field=name, code="rules.whole"
                )
        for name in ("results_batch_ballots", "results_batch_minutes"):
            if name in values and values[name] is None:
                raise InvalidVotingRules(
                    f"{name} must be a whole number", field=name, code="rules.whole"
                )
        return cls(**values)
