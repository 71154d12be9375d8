"""What one ballot adds to the live tally, and which methods are ranked by those sums."""

from __future__ import annotations

from domain.voting import Method, ballot_points, tallied_live


def test_a_ballot_adds_its_points_or_one_per_named_proposal():
    assert ballot_points(["a", "b"]) == {"a": 1, "b": 1}
    assert ballot_points({"a": 3, "b": 7}) == {"a": 3, "b": 7}
    assert ballot_points({"a": "good", "b": "poor"}) == {"a": 1, "b": 1}  # grades: mentions
    assert ballot_points([]) == {} and ballot_points(None) == {}


def test_only_additive_methods_are_ranked_by_tallies():
    assert tallied_live(Method.APPROVAL) and tallied_live(Method.DOTS)
    for method in (Method.SCHULZE, Method.BORDA, Method.MAJORITY_JUDGMENT, Method.PAV):
        assert not tallied_live(method)
    assert not tallied_live(Method.EQUAL_SHARES)
    assert tallied_live(Method.EQUAL_SHARES, within_budget=True)
