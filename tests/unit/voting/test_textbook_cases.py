"""Counting: textbook cases with known answers, ties and ballot validation per method."""

from __future__ import annotations

import pytest

from domain.errors import InvalidBallot, InvalidVotingRules
from domain.voting import Method, VotingRules, count, validate_ballot


def rules(method: str, **extra: object) -> VotingRules:
    return VotingRules.from_dict({"method": method, **extra})


def expand(groups: list[tuple[int, str]]) -> list[list[str]]:
    """'5 ACBED' style groups of ranked ballots."""
    return [list(order) for times, order in groups for _ in range(times)]


def test_schulze_wikipedia_example_of_45_voters() -> None:
    ballots = expand(
        [
            (5, "ACBED"),
            (5, "ADECB"),
            (8, "BEDAC"),
            (3, "CABED"),
            (7, "CAEBD"),
            (2, "CBADE"),
            (7, "DCEBA"),
            (8, "EBADC"),
        ]
    )
    result = count(rules("schulze", shortlist_size=2), ballots, list("ABCDE"))
    assert result.ranking == list("EACBD")
    assert result.shortlist == ["E", "A"]
    assert result.ballots_counted == 45
    assert result.tie_breaks == []


def test_condorcet_paradox_is_broken_by_the_recorded_order() -> None:
    ballots = [list("ABC"), list("BCA"), list("CAB")]
    for order in (list("ABC"), list("CBA")):
        result = count(rules("schulze"), ballots, order)
        assert result.ranking == order  # a perfect three-way tie: the tie-break order
        assert result.tie_breaks == [
            {"score": 0.0, "tied": order, "order": order, "rule": "tie-break order"}
        ]


def test_borda_scores_on_a_partial_ranking() -> None:
    result = count(rules("borda"), [["A", "B", "C"], ["B"], ["C", "B"]], ["A", "B", "C"])
    # 3 candidates: first gets 2, second 1, third 0; unranked get nothing
    assert result.tallies == {"A": 2, "B": 1 + 2 + 1, "C": 0 + 0 + 2}
    assert result.ranking == ["B", "A", "C"]  # A and C tie on 2: A is earlier


def test_a_30_percent_minority_wins_a_seat_with_equal_shares_not_with_approval() -> None:
    majority = [f"a{i}" for i in range(5)]
    minority = [f"b{i}" for i in range(5)]
    ballots = [majority] * 7 + [minority] * 3
    candidates = majority + minority
    top_k = count(rules("approval", shortlist_size=5), ballots, candidates)
    assert top_k.shortlist == majority
    shares = count(rules("equal_shares", shortlist_size=5), ballots, candidates)
    assert set(shares.shortlist) & set(minority), shares.shortlist
    assert len(shares.shortlist) == 5
    pav = count(rules("pav", shortlist_size=5), ballots, candidates)
    assert set(pav.shortlist) & set(minority), pav.shortlist


def test_equal_shares_records_payments_and_its_completion() -> None:
    ballots = [["a", "b"], ["a"], ["c"]]
    result = count(rules("equal_shares", shortlist_size=2), ballots, ["a", "b", "c"])
    assert result.shortlist == ["a", "c"]
    assert result.ranking == ["a", "c", "b"]
    assert result.tallies["approvals"] == {"a": 2, "b": 1, "c": 1}
    assert [r["proposal_id"] for r in result.tallies["rounds"]] == ["a", "c"]
    assert result.tallies["rounds"][0]["max_payment"] == "1/2"
    assert result.tallies["virtual_seats"] >= 2


def test_majority_judgment_median_and_its_tie_break() -> None:
    scale = ["reject", "poor", "fair", "good", "excellent"]
    ballots = [
        {"A": "fair", "B": "poor"},
        {"A": "fair", "B": "fair"},
        {"A": "good", "B": "excellent"},
    ]
    result = count(rules("majority_judgment", grades=scale), ballots, ["B", "A"])
    # both medians are "fair"; without one median A has fair/good, B poor/excellent:
    # the lower medians are fair and poor, so A ranks first despite the tie-break order
    assert result.ranking == ["A", "B"]
    assert result.tallies["A"]["majority_grade"] == "fair"
    assert result.tallies["B"]["grades"] == {
        "reject": 0,
        "poor": 1,
        "fair": 1,
        "good": 0,
        "excellent": 1,
    }


def test_majority_judgment_ungraded_counts_as_the_lowest_grade() -> None:
    scale = ["reject", "good"]
    result = count(
        rules("majority_judgment", grades=scale),
        [{"A": "good"}, {"B": "good"}, {"A": "good"}],
        ["B", "A"],
    )
    assert result.ranking == ["A", "B"]
    assert result.tallies["B"]["grades"] == {"reject": 2, "good": 1}


def test_merged_proposals_count_for_their_target() -> None:
    merged = {"old": "new"}
    approval = count(rules("approval"), [["old"], ["new", "old"], ["x"]], ["new", "x"], merged)
    assert approval.tallies == {"new": 2, "x": 1}  # a ballot naming both counts once
    grades = count(
        rules("majority_judgment", grades=["no", "yes"]),
        [{"old": "yes", "new": "no"}],
        ["new"],
        merged,
    )
    assert grades.tallies["new"]["grades"] == {"no": 0, "yes": 1}  # the better grade
    shares = count(
        rules("equal_shares", shortlist_size=1), [["old"], ["x"], ["old"]], ["new", "x"], merged
    )
    assert shares.shortlist == ["new"]


BALLOT_ERRORS = [
    ("approval", {"max_choices": 1}, ["p1", "p2"], "more than the 1 allowed"),
    ("approval", {}, ["p1", "zz"], "unknown proposal: zz"),
    ("approval", {}, ["p1", "p1"], "chosen twice"),
    ("approval", {}, [], "at least one"),
    ("equal_shares", {}, ["nope"], "unknown proposal"),
    ("pav", {"max_choices": 2}, ["p1", "p2", "p3"], "more than the 2 allowed"),
    ("schulze", {}, ["p1", "p2", "p1"], "chosen twice"),
    ("borda", {}, {"p1": 1}, "choose at least one"),
    ("dots", {"budget": 5}, {"p1": 4, "p2": 2}, "over the budget of 5"),
    ("dots", {"budget": 5, "max_points_per_proposal": 2}, {"p1": 3}, "at most 2 points"),
    ("dots", {"budget": 5}, {"p1": 0}, "at least 1"),
    ("dots", {"budget": 5}, ["p1"], "maps proposals to points"),
    ("majority_judgment", {}, {"p1": "superb"}, "not on the scale"),
    ("majority_judgment", {}, {"zz": "good"}, "unknown proposal"),
    ("majority_judgment", {}, ["p1"], "maps proposals to grades"),
]


@pytest.mark.parametrize(("method", "extra", "choices", "message"), BALLOT_ERRORS)
def test_invalid_ballots_name_the_problem(
    method: str, extra: dict[str, object], choices: object, message: str
) -> None:
    with pytest.raises(InvalidBallot, match=message) as refused:
        validate_ballot(rules(method, **extra), choices, ["p1", "p2", "p3"])
    assert refused.value.field == "choices"


def test_every_method_is_available_and_bad_rules_are_named() -> None:
    for method in Method:
        extra = {"budget": 10} if method is Method.DOTS else {}
        rules(method.value, **extra).validate()
    with pytest.raises(InvalidVotingRules, match="unknown method"):
        rules("plurality")
    with pytest.raises(InvalidVotingRules, match="budget"):
        rules("dots").validate()
    with pytest.raises(InvalidVotingRules, match="grades"):
        rules("majority_judgment", grades=["only"]).validate()


def test_approval_choices_are_kept_in_the_order_given_but_count_as_a_set() -> None:
    a = count(rules("approval"), [["p2", "p1"]], ["p1", "p2"])
    b = count(rules("approval"), [["p1", "p2"]], ["p1", "p2"])
    assert a == b
