"""Ballot validation per method: a clear error naming the problem, or normalised choices.

`candidates` are the proposals a ballot may name now: withdrawn and hidden proposals
are not among them, so naming one is refused as an unknown proposal.

* approval, equal_shares, pav: a non-empty list of distinct proposals, at most
  ``max_choices`` (order kept, but counted as a set);
* schulze, borda: a non-empty list of distinct proposals, best first (at most
  ``max_choices`` when set); a repeated proposal is a duplicate rank;
* dots: {proposal: points}, each at least 1 and at most ``max_points_per_proposal``,
  in total at most ``budget``;
* majority_judgment: {proposal: grade}, grades from ``grades``; proposals left out
  count as the lowest grade when counting.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from domain.errors import InvalidBallot
from domain.voting.rules import Choices, Method, VotingRules


def validate_ballot(rules: VotingRules, choices: object, candidates: Collection[str]) -> Choices:
    """Return normalised choices or raise InvalidBallot naming the problem."""
    allowed = set(candidates)
    if rules.method is Method.MAJORITY_JUDGMENT:
        return _validate_grades(rules, choices, allowed)
    if rules.method is Method.DOTS:
        if not isinstance(choices, Mapping) or not choices:
            raise InvalidBallot(
                "a dot-voting ballot maps proposals to points", field="choices", code="ballot.empty"
            )
        points: dict[str, int] = {}
        for candidate, value in choices.items():
            if candidate not in allowed:
                raise InvalidBallot(
                    f"unknown proposal: {candidate}", field="choices", code="ballot.unknown"
                )
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidBallot(
                    f"points for {candidate} must be at least 1",
                    field="choices",
                    code="ballot.points_at_least",
                )
            cap = rules.max_points_per_proposal
            if cap is not None and value > cap:
                raise InvalidBallot(
                    f"at most {cap} points for {candidate}",
                    field="choices",
                    code="ballot.points_cap",
                    params={"max": cap},
                )
            points[str(candidate)] = value
        if rules.budget is not None and sum(points.values()) > rules.budget:
            raise InvalidBallot(
                f"{sum(points.values())} points is over the budget of {rules.budget}",
                field="choices",
                code="ballot.over_budget",
                params={"points": sum(points.values()), "budget": rules.budget},
            )
        return points
    if not isinstance(choices, list) or not choices:
        raise InvalidBallot("choose at least one proposal", field="choices", code="ballot.empty")
    seen: list[str] = []
    for candidate in choices:
        if not isinstance(candidate, str) or candidate not in allowed:
            raise InvalidBallot(
                f"unknown proposal: {candidate}", field="choices", code="ballot.unknown"
            )
        if candidate in seen:
            ranked = rules.method in (Method.SCHULZE, Method.BORDA)
            problem = f"is ranked twice (ranks {seen.index(candidate) + 1} and {len(seen) + 1})"
            raise InvalidBallot(
                f"proposal {candidate} {problem if ranked else 'is chosen twice'}",
                field="choices",
                code="ballot.twice",
            )
        seen.append(candidate)
    if rules.max_choices is not None and len(seen) > rules.max_choices:
        raise InvalidBallot(
            f"{len(seen)} choices is more than the {rules.max_choices} allowed",
            field="choices",
            code="ballot.too_many",
            params={"count": len(seen), "max": rules.max_choices},
        )
    return seen


def _validate_grades(rules: VotingRules, choices: object, allowed: set[str]) -> dict[str, str]:
    if not isinstance(choices, Mapping) or not choices:
        raise InvalidBallot(
            "a majority-judgment ballot maps proposals to grades",
            field="choices",
            code="ballot.empty",
        )
    grades: dict[str, str] = {}
    for candidate, grade in choices.items():
        if candidate not in allowed:
            raise InvalidBallot(
                f"unknown proposal: {candidate}", field="choices", code="ballot.unknown"
            )
        if grade not in rules.grades:
            raise InvalidBallot(
                f"grade {grade!r} for {candidate} is not on the scale ({', '.join(rules.grades)})",
                field="choices",
                code="ballot.grade",
            )
        grades[str(candidate)] = str(grade)
    return grades
