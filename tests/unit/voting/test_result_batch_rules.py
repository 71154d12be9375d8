"""The batch rules of live results: sensible defaults, refused when they would show one
ballot alone, kept through the rules' JSON form."""

from __future__ import annotations

import pytest

from domain.errors import InvalidVotingRules
from domain.voting import VotingRules


def test_defaults_are_ten_ballots_and_fifteen_minutes() -> None:
    rules = VotingRules.from_dict({"method": "approval"})
    assert (rules.results_batch_ballots, rules.results_batch_minutes) == (10, 15)
    again = VotingRules.from_dict(rules.to_dict())
    assert again == rules


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"results_batch_ballots": 1}, "results_batch_ballots"),  # one ballot alone
        ({"results_batch_ballots": 0}, "results_batch_ballots"),
        ({"results_batch_minutes": -1}, "results_batch_minutes"),
        ({"results_batch_minutes": 24 * 60 + 1}, "results_batch_minutes"),
    ],
)
def test_bad_batch_rules_are_named(values: dict[str, int], field: str) -> None:
    with pytest.raises(InvalidVotingRules) as refused:
        VotingRules.from_dict({"method": "approval", **values}).validate()
    assert refused.value.field == field


@pytest.mark.parametrize("value", ["10", 2.5, True, None])
def test_batch_rules_must_be_whole_numbers(value: object) -> None:
    with pytest.raises(InvalidVotingRules) as refused:
        VotingRules.from_dict({"method": "approval", "results_batch_ballots": value})
    assert refused.value.field == "results_batch_ballots"


def test_the_smallest_batch_rules_are_accepted() -> None:
    VotingRules.from_dict(
        {"method": "approval", "results_batch_ballots": 2, "results_batch_minutes": 0}
    ).validate()
