"""Vote counting: rules, ballot validation and pure counting functions.

Methods and their ballots:

* approval: a list of proposals (at most ``max_choices``); score = approvals.
* dots: {proposal: points} within ``budget`` (at most ``max_points_per_proposal`` each).
* borda, schulze: proposals best first (a partial ranking: unranked ones come last).
* majority_judgment: {proposal: grade} on the scale ``grades`` (worst first); see
  domain/voting/majority_judgment.py.
* equal_shares (method of equal shares with increment completion) and pav
  (sequential proportional approval voting): approval ballots, a proportional
  shortlist of ``shortlist_size``; see equal_shares.py and pav.py.

Ties are broken by the order of `candidates` given to `count` (earlier wins); the
caller passes the process's fixed tie-break order and the ties it applied are
recorded with the result. Merged proposals: a ballot's choice of a proposal that was
merged counts for the proposal it was merged into (followed through chains of
merges); a ballot that names both keeps the better rank, the better grade, the sum
of points. Withdrawn and hidden proposals are not candidates: their choices count
for nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from domain.errors import InvalidBallot, InvalidVotingRules
from domain.voting import majority_judgment
from domain.voting.equal_shares import equal_shares
from domain.voting.pav import sequential_pav

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
            values["grades"] = tuple(values["grades"])
        for name in ("shortlist_size", "max_choices", "budget", "max_points_per_proposal"):
            value = values.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise InvalidVotingRules(f"{name} must be a whole number", field=name)
        return cls(**values)


def validate_ballot(rules: VotingRules, choices: object, candidates: Collection[str]) -> Choices:
    """Return normalised choices or raise InvalidBallot naming the problem."""
    allowed = set(candidates)
    if rules.method is Method.MAJORITY_JUDGMENT:
        return _validate_grades(rules, choices, allowed)
    if rules.method is Method.DOTS:
        if not isinstance(choices, Mapping) or not choices:
            raise InvalidBallot("a dot-voting ballot maps proposals to points", field="choices")
        points: dict[str, int] = {}
        for candidate, value in choices.items():
            if candidate not in allowed:
                raise InvalidBallot(f"unknown proposal: {candidate}", field="choices")
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidBallot(f"points for {candidate} must be at least 1", field="choices")
            cap = rules.max_points_per_proposal
            if cap is not None and value > cap:
                raise InvalidBallot(f"at most {cap} points for {candidate}", field="choices")
            points[str(candidate)] = value
        if rules.budget is not None and sum(points.values()) > rules.budget:
            raise InvalidBallot(
                f"{sum(points.values())} points is over the budget of {rules.budget}",
                field="choices",
            )
        return points
    if not isinstance(choices, list) or not choices:
        raise InvalidBallot("choose at least one proposal", field="choices")
    seen: list[str] = []
    for candidate in choices:
        if not isinstance(candidate, str) or candidate not in allowed:
            raise InvalidBallot(f"unknown proposal: {candidate}", field="choices")
        if candidate in seen:
            raise InvalidBallot(f"proposal {candidate} is chosen twice", field="choices")
        seen.append(candidate)
    if rules.max_choices is not None and len(seen) > rules.max_choices:
        raise InvalidBallot(
            f"{len(seen)} choices is more than the {rules.max_choices} allowed", field="choices"
        )
    return seen


def _validate_grades(rules: VotingRules, choices: object, allowed: set[str]) -> dict[str, str]:
    if not isinstance(choices, Mapping) or not choices:
        raise InvalidBallot("a majority-judgment ballot maps proposals to grades", field="choices")
    grades: dict[str, str] = {}
    for candidate, grade in choices.items():
        if candidate not in allowed:
            raise InvalidBallot(f"unknown proposal: {candidate}", field="choices")
        if grade not in rules.grades:
            raise InvalidBallot(
                f"grade {grade!r} for {candidate} is not on the scale ({', '.join(rules.grades)})",
                field="choices",
            )
        grades[str(candidate)] = str(grade)
    return grades


@dataclass(frozen=True)
class CountResult:
    """A complete, explainable count."""

    method: str
    ranking: list[str]
    shortlist: list[str]
    tallies: dict[str, Any]
    tie_breaks: list[dict[str, Any]] = field(default_factory=list)
    ballots_counted: int = 0
    tie_break_rule: str = TIE_BREAK_RULE

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for the ShortlistPublished event."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CountResult:
        """Inverse of to_dict."""
        return cls(**dict(data))


def _mapped(candidate: str, merged_into: Mapping[str, str]) -> str:
    seen = set()
    while candidate in merged_into and candidate not in seen:
        seen.add(candidate)
        candidate = merged_into[candidate]
    return candidate


def _order(
    scores: Mapping[str, float], candidates: Sequence[str]
) -> tuple[list[str], list[dict[str, Any]]]:
    position = {c: i for i, c in enumerate(candidates)}
    ranking = sorted(candidates, key=lambda c: (-scores[c], position[c]))
    ties: list[dict[str, Any]] = []
    groups: dict[float, list[str]] = {}
    for candidate in ranking:
        groups.setdefault(scores[candidate], []).append(candidate)
    for score, tied in groups.items():
        if len(tied) > 1:
            ties.append({"score": score, "tied": tied, "order": tied, "rule": "tie-break order"})
    return ranking, ties


def count(
    rules: VotingRules,
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    merged_into: Mapping[str, str] | None = None,
) -> CountResult:
    """Count ballots; pure and independent of ballot order."""
    if rules.method is Method.MAJORITY_JUDGMENT:
        return _count_grades(rules, ballots, candidates, merged_into or {})
    if rules.method in (Method.EQUAL_SHARES, Method.PAV):
        return _count_committee(rules, ballots, candidates, merged_into or {})
    merges = merged_into or {}
    valid = set(candidates)
    scores: dict[str, float] = {c: 0 for c in candidates}
    pairwise: dict[tuple[str, str], int] = {}
    counted = 0
    for ballot in ballots:
        counted += 1
        if isinstance(ballot, Mapping):  # dots: points add up across merges
            for candidate, value in ballot.items():
                target = _mapped(candidate, merges)
                if target in valid and isinstance(value, int):
                    scores[target] += value
            continue
        order: list[str] = []
        for candidate in ballot:  # the better rank is kept after merging
            target = _mapped(candidate, merges)
            if target in valid and target not in order:
                order.append(target)
        if rules.method is Method.APPROVAL:
            for target in order:
                scores[target] += 1
        elif rules.method is Method.BORDA:  # r-th of m ranked gets m - r points
            for rank, target in enumerate(order):
                scores[target] += len(candidates) - 1 - rank
        elif rules.method is Method.SCHULZE:
            ranked = set(order)
            for i, better in enumerate(order):
                for worse in order[i + 1 :]:
                    pairwise[better, worse] = pairwise.get((better, worse), 0) + 1
                for worse in valid - ranked:
                    pairwise[better, worse] = pairwise.get((better, worse), 0) + 1
    tallies: dict[str, Any] = {c: scores[c] for c in candidates}
    if rules.method is Method.SCHULZE:
        strength = _schulze_strengths(candidates, pairwise)
        wins = {
            c: sum(1 for d in candidates if d != c and strength[c, d] > strength[d, c])
            for c in candidates
        }
        scores = {c: float(w) for c, w in wins.items()}
        tallies = {c: {"beats": wins[c]} for c in candidates}
    ranking, ties = _order(scores, candidates)
    return CountResult(
        method=rules.method.value,
        ranking=ranking,
        shortlist=ranking[: rules.shortlist_size],
        tallies=tallies,
        tie_breaks=ties,
        ballots_counted=counted,
    )


def _approvals(
    ballots: Iterable[Choices], valid: set[str], merges: Mapping[str, str]
) -> list[list[str]]:
    mapped = []
    for ballot in ballots:
        chosen = {_mapped(c, merges) for c in ballot}
        mapped.append(sorted(chosen & valid))
    return mapped


def _count_committee(
    rules: VotingRules,
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    merges: Mapping[str, str],
) -> CountResult:
    """Equal shares or seq-PAV: the shortlist is the committee, in election order."""
    approvals = _approvals(ballots, set(candidates), merges)
    score = {c: 0 for c in candidates}
    for ballot in approvals:
        for c in ballot:
            score[c] += 1
    k = rules.shortlist_size
    details: dict[str, Any]
    if rules.method is Method.EQUAL_SHARES:
        outcome = equal_shares(approvals, candidates, k)
        elected, rounds = outcome.elected, outcome.rounds
        details = {
            "variant": "MES, unit costs, Add1 completion (Aarau 2023; pabutools "
            "voter_budget_increment=1/n), then approval count",
            "virtual_seats": outcome.virtual_seats,
            "completed_by_approval": outcome.completed_by_approval,
        }
    else:
        elected, rounds = sequential_pav(approvals, candidates, k)
        details = {"variant": "sequential PAV (harmonic weights 1, 1/2, 1/3, ...)"}
    rest, ties = _order(
        {c: float(score[c]) for c in candidates if c not in elected},
        [c for c in candidates if c not in elected],
    )
    ties += [
        {"round": i + 1, "tied": r["tied"], "order": r["tied"], "rule": "tie-break order"}
        for i, r in enumerate(rounds)
        if r.get("tied")
    ]
    return CountResult(
        method=rules.method.value,
        ranking=[*elected, *rest],
        shortlist=list(elected),
        tallies={
            "approvals": {c: score[c] for c in candidates},
            "rounds": rounds,
            **details,
        },
        tie_breaks=ties,
        ballots_counted=len(approvals),
    )


def _count_grades(
    rules: VotingRules,
    ballots: Iterable[Choices],
    candidates: Sequence[str],
    merges: Mapping[str, str],
) -> CountResult:
    """Majority judgment: grade counts per proposal, ranked by majority value."""
    scale = {g: i for i, g in enumerate(rules.grades)}
    counts = {c: [0] * len(scale) for c in candidates}
    valid = set(candidates)
    counted = 0
    for ballot in ballots:
        counted += 1
        best: dict[str, int] = {}
        if isinstance(ballot, Mapping):
            for candidate, grade in ballot.items():
                target = _mapped(candidate, merges)
                level = scale.get(str(grade))
                if target in valid and level is not None:
                    best[target] = max(best.get(target, 0), level)
        for c in candidates:
            counts[c][best.get(c, 0)] += 1
    groups = majority_judgment.rank(counts, candidates)
    ranking = [c for group in groups for c in group]
    ties = [
        {"tied": group, "order": group, "rule": "identical grades: tie-break order"}
        for group in groups
        if len(group) > 1
    ]
    tallies = {
        c: {
            "majority_grade": rules.grades[majority_judgment.lower_median(counts[c])]
            if counted
            else None,
            "grades": dict(zip(rules.grades, counts[c], strict=True)),
        }
        for c in candidates
    }
    return CountResult(
        method=rules.method.value,
        ranking=ranking,
        shortlist=ranking[: rules.shortlist_size],
        tallies=tallies,
        tie_breaks=ties,
        ballots_counted=counted,
    )


def _schulze_strengths(
    candidates: Sequence[str], pairwise: Mapping[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """Strongest path strengths (widest paths, winning votes)."""
    strength: dict[tuple[str, str], int] = {}
    for a in candidates:
        for b in candidates:
            if a != b:
                ab, ba = pairwise.get((a, b), 0), pairwise.get((b, a), 0)
                strength[a, b] = ab if ab > ba else 0
    for k in candidates:
        for i in candidates:
            if i == k:
                continue
            for j in candidates:
                if j not in (i, k):
                    strength[i, j] = max(strength[i, j], min(strength[i, k], strength[k, j]))
    return strength
