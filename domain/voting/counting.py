"""`count`: every method's count over the ballots, merges followed, ties recorded.

Approval, dots and Borda add points (Borda: with m candidates, the proposal a ballot
ranks r-th, r from 0, gets m - 1 - r points; unranked ones get 0).

Schulze (winning votes; a ranked proposal beats every unranked one, unranked ones are
not compared) orders by its beat relation on strongest paths, a strict partial order:
the ranking repeatedly takes, among the proposals no remaining proposal beats, the
earliest in the tie-break order, and records a tie-break whenever more than one was
unbeaten. So the first place is always a Schulze winner (the Condorcet winner when
there is one), and among several Schulze winners the tie-break order decides, not the
number of proposals each beats (that number is in the tallies, for explanation).

Majority judgment, equal shares and seq-PAV are in their own modules. Pure and
independent of ballot order.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.voting import majority_judgment
from domain.voting.equal_shares import equal_shares
from domain.voting.pav import sequential_pav
from domain.voting.result import CountResult
from domain.voting.rules import Choices, Method, VotingRules


def ranking_result(
    rules: VotingRules,
    ranking: list[str],
    tallies: dict[str, Any],
    ties: list[dict[str, Any]],
    counted: int,
) -> CountResult:
    """The result of a ranking method: the shortlist is the head of the ranking."""
    return CountResult(
        method=rules.method.value,
        ranking=ranking,
        shortlist=ranking[: rules.shortlist_size],
        tallies=tallies,
        tie_breaks=ties,
        ballots_counted=counted,
    )


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
        tallies = {c: {"beats": wins[c]} for c in candidates}
        ranking, ties = _schulze_order(candidates, strength)
        return ranking_result(rules, ranking, tallies, ties, counted)
    ranking, ties = _order(scores, candidates)
    return ranking_result(rules, ranking, tallies, ties, counted)


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
            "voter_budget_increment=1/n: the last virtual size whose run buys at most k), "
            "then approval count",
            "virtual_seats": outcome.virtual_seats,
            "budget_per_voter": outcome.budget_per_voter,
            "voters": outcome.voters,
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
    return ranking_result(rules, ranking, tallies, ties, counted)


def _schulze_order(
    candidates: Sequence[str], strength: Mapping[tuple[str, str], int]
) -> tuple[list[str], list[dict[str, Any]]]:
    """A linear extension of the Schulze relation, ties going to the tie-break order."""
    beaten_by = {c: 0 for c in candidates}
    beats: dict[str, list[str]] = {c: [] for c in candidates}
    for a in candidates:
        for b in candidates:
            if a != b and strength[a, b] > strength[b, a]:
                beats[a].append(b)
                beaten_by[b] += 1
    position = {c: i for i, c in enumerate(candidates)}
    available = [position[c] for c in candidates if not beaten_by[c]]
    heapq.heapify(available)
    ranking: list[str] = []
    ties: list[dict[str, Any]] = []
    while available:
        if len(available) > 1:
            tied = [candidates[i] for i in sorted(available)]
            ties.append(
                {
                    "place": len(ranking) + 1,
                    "tied": tied,
                    "order": tied,
                    "rule": "tie-break order among the proposals no other remaining one beats",
                }
            )
        chosen = candidates[heapq.heappop(available)]
        ranking.append(chosen)
        for worse in beats[chosen]:
            beaten_by[worse] -= 1
            if not beaten_by[worse]:
                heapq.heappush(available, position[worse])
    return ranking, ties


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
