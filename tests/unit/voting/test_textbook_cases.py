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
        assert (
            [(t["place"], t["tied"]) for t in result.tie_breaks]
            == [
                (1, order),  # all three are Schulze winners
                (2, order[1:]),  # then the two left
            ]
        )
        assert all(t["order"] == t["tied"] for t in result.tie_breaks)
        assert result.tallies == {c: {"beats": 0} for c in order}


def test_schulze_ties_between_winners_go_to_the_order_not_to_the_number_beaten() -> None:
    # A and B tie (2-2) and neither beats the other on strongest paths; B beats C and D,
    # A beats only D. Both A and B are Schulze winners: the tie-break order decides.
    ballots = [list("ABCD"), list("ABDC"), list("BCDA"), list("BDCA")]
    result = count(rules("schulze"), ballots, list("ABCD"))
    assert result.tallies["B"]["beats"] > result.tallies["A"]["beats"]
    assert result.ranking[0] == "A"
    assert result.tie_breaks[0] == {
        "place": 1,
        "tied": ["A", "B"],
        "order": ["A", "B"],
        "rule": "tie-break order among the proposals no other remaining one beats",
    }
    assert count(rules("schulze"), ballots, list("BACD")).ranking[0] == "B"


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


def test_equal_shares_keeps_the_last_run_within_k_and_completes_it() -> None:
    """Three voters, k = 4: each is 4/3 of a seat, so each gets one proposal."""
    ballots = [["a1", "a2"], ["b1", "b2"], ["c1", "c2"]]
    candidates = ["a1", "a2", "b1", "b2", "c1", "c2"]
    result = count(rules("equal_shares", shortlist_size=4), ballots, candidates)
    # K = 4 and 5 buy a1, b1, c1 (price 1 each, all tied); K = 6 would buy all six
    assert result.shortlist == ["a1", "b1", "c1", "a2"]
    assert result.tallies["virtual_seats"] == 5
    assert result.tallies["budget_per_voter"] == "5/3"
    assert result.tallies["completed_by_approval"] == ["a2"]
    assert [r["tied"] for r in result.tallies["rounds"]] == [
        candidates,
        ["b1", "b2", "c1", "c2"],
        ["c1", "c2"],
    ]
    assert [t["round"] for t in result.tie_breaks if "round" in t] == [1, 2, 3]


def test_abcvoting_increment_completion_truncates_the_bigger_run_instead() -> None:
    """The documented difference from abcvoting: it keeps a1, a2, b1, b2 and leaves the
    third voter, a bloc of n/k, without a proposal."""
    abcrules = pytest.importorskip("abcvoting.abcrules")
    preferences = pytest.importorskip("abcvoting.preferences")
    profile = preferences.Profile(num_cand=6)
    profile.add_voters([[0, 1], [2, 3], [4, 5]])
    (committee,) = abcrules.compute(
        "equal-shares-with-increment-completion", profile, 4, resolute=True
    )
    assert sorted(committee) == [0, 1, 2, 3]


def test_equal_shares_with_fewer_approved_than_seats_takes_them_all() -> None:
    result = count(rules("equal_shares", shortlist_size=3), [["b"], ["b"], ["c"]], list("abcd"))
    assert result.shortlist == ["b", "c", "a"]
    assert result.tallies["completed_by_approval"] == ["a"]
    assert result.ranking == ["b", "c", "a", "d"]


def test_equal_shares_ballots_naming_only_withdrawn_proposals_hold_no_budget() -> None:
    with_abstention = count(
        rules("equal_shares", shortlist_size=2), [["a"], ["b"], ["gone"]], ["a", "b"]
    )
    assert with_abstention.tallies["voters"] == 2
    assert with_abstention.ballots_counted == 3
    assert with_abstention.shortlist == ["a", "b"]


def test_seq_pav_rounds_and_ties() -> None:
    ballots = [["a", "b"], ["a", "b"], ["c"]]
    result = count(rules("pav", shortlist_size=2), ballots, ["b", "a", "c"])
    assert result.shortlist == ["b", "a"]  # b and a tie on 2; then a (1) ties c (1)
    assert [r["score"] for r in result.tallies["rounds"]] == ["2", "1"]
    assert [r["tied"] for r in result.tallies["rounds"]] == [["b", "a"], ["a", "c"]]
    assert result.ranking == ["b", "a", "c"]


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
    pav = count(
        rules("pav", shortlist_size=1),
        [["old", "new"], ["x"], ["x"], ["old"]],
        ["x", "new"],
        merged,
    )
    assert pav.shortlist == ["x"]  # x and new both have 2 supporters: the order decides
    assert pav.tallies["approvals"] == {"x": 2, "new": 2}
    chain = count(
        rules("schulze"), [["older", "x"], ["x", "new"]], ["new", "x"], {"older": "old", **merged}
    )
    assert chain.ranking == ["new", "x"]  # new ranks first on one ballot, x on the other
    borda = count(rules("borda"), [["x", "old", "new"]], ["new", "x"], merged)
    assert borda.tallies == {"new": 0, "x": 1}  # new keeps old's (second) rank


BALLOT_ERRORS = [
    ("approval", {"max_choices": 1}, ["p1", "p2"], "more than the 1 allowed"),
    ("approval", {}, ["p1", "zz"], "unknown proposal: zz"),
    ("approval", {}, ["p1", "p1"], "chosen twice"),
    ("approval", {}, [], "at least one"),
    ("equal_shares", {}, ["nope"], "unknown proposal"),
    ("pav", {"max_choices": 2}, ["p1", "p2", "p3"], "more than the 2 allowed"),
    ("schulze", {}, ["p1", "p2", "p1"], "p1 is ranked twice \\(ranks 1 and 3\\)"),
    ("schulze", {}, ["p1", "withdrawn"], "unknown proposal: withdrawn"),
    ("schulze", {"max_choices": 2}, ["p1", "p2", "p3"], "more than the 2 allowed"),
    ("borda", {}, {"p1": 1}, "choose at least one"),
    ("borda", {}, ["p2", "p2"], "p2 is ranked twice"),
    ("borda", {}, ["p1", "hidden"], "unknown proposal: hidden"),
    ("pav", {}, ["p1", "p1"], "chosen twice"),
    ("equal_shares", {"max_choices": 1}, ["p1", "p2"], "more than the 1 allowed"),
    ("dots", {"budget": 5}, {"zz": 1}, "unknown proposal: zz"),
    ("dots", {"budget": 5}, {"p1": "3"}, "at least 1"),
    ("dots", {"budget": 5}, {"p1": 4, "p2": 2}, "over the budget of 5"),
    ("dots", {"budget": 5, "max_points_per_proposal": 2}, {"p1": 3}, "at most 2 points"),
    ("dots", {"budget": 5}, {"p1": 0}, "at least 1"),
    ("dots", {"budget": 5}, ["p1"], "maps proposals to points"),
    ("majority_judgment", {}, {"p1": "superb"}, "not on the scale"),
    ("majority_judgment", {}, {"zz": "good"}, "unknown proposal"),
    ("majority_judgment", {}, ["p1"], "maps proposals to grades"),
    ("majority_judgment", {"grades": ["no", "yes"]}, {"p1": "good"}, "'good' for p1 is not on"),
    ("majority_judgment", {}, {"p1": 3}, "not on the scale"),
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
    with pytest.raises(InvalidVotingRules, match="grades must be a list"):
        rules("majority_judgment", grades="bad")  # not split into letters
    with pytest.raises(InvalidVotingRules, match="max_points_per_proposal"):
        rules("dots", budget=5, max_points_per_proposal=0).validate()
    with pytest.raises(InvalidVotingRules, match="hide_results_until_close"):
        rules("approval", hide_results_until_close="yes")
    for method in ("equal_shares", "pav"):
        rules(method, shortlist_size=3).validate()  # max_choices is optional
        rules(method, shortlist_size=3, max_choices=5).validate()


def test_approval_choices_are_kept_in_the_order_given_but_count_as_a_set() -> None:
    a = count(rules("approval"), [["p2", "p1"]], ["p1", "p2"])
    b = count(rules("approval"), [["p1", "p2"]], ["p1", "p2"])
    assert a == b
