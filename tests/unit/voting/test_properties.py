"""Properties of the counts, on generated profiles (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.voting import VotingRules, count

CANDIDATES = [f"p{i}" for i in range(6)]
METHODS = ["approval", "borda", "schulze", "equal_shares", "pav"]


def rules(method: str, k: int = 3) -> VotingRules:
    return VotingRules.from_dict({"method": method, "shortlist_size": k})


approval_ballot = st.lists(st.sampled_from(CANDIDATES), min_size=1, max_size=4, unique=True)
ranked_ballot = st.permutations(CANDIDATES).map(list)
dots_ballot = st.dictionaries(st.sampled_from(CANDIDATES), st.integers(1, 3), min_size=1)
graded_ballot = st.dictionaries(
    st.sampled_from(CANDIDATES), st.sampled_from(["to_reject", "poor", "fair", "good"]), min_size=1
)


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(METHODS),
    ballots=st.lists(approval_ballot, min_size=1, max_size=20),
    seed=st.randoms(use_true_random=False),
)
def test_counts_do_not_depend_on_the_order_of_ballots(method, ballots, seed) -> None:
    shuffled = list(ballots)
    seed.shuffle(shuffled)
    assert count(rules(method), ballots, CANDIDATES) == count(rules(method), shuffled, CANDIDATES)


@settings(max_examples=100, deadline=None)
@given(
    method=st.sampled_from(["majority_judgment", "dots"]),
    data=st.data(),
    seed=st.randoms(use_true_random=False),
)
def test_graded_and_dots_counts_do_not_depend_on_the_order_of_ballots(method, data, seed) -> None:
    ballot = graded_ballot if method == "majority_judgment" else dots_ballot
    ballots = data.draw(st.lists(ballot, min_size=1, max_size=20))
    shuffled = list(ballots)
    seed.shuffle(shuffled)
    rules = VotingRules.from_dict({"method": method, "budget": 20})
    assert count(rules, ballots, CANDIDATES) == count(rules, shuffled, CANDIDATES)


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(METHODS),
    ballots=st.lists(approval_ballot, min_size=1, max_size=15),
    merged=st.dictionaries(st.sampled_from(CANDIDATES[3:]), st.sampled_from(CANDIDATES[:3])),
)
def test_a_merged_proposal_counts_as_its_target(method, ballots, merged) -> None:
    """Counting with merges = counting ballots rewritten to the targets (the better
    rank kept), over the proposals that were not merged away."""
    candidates = [c for c in CANDIDATES if c not in merged]
    rewritten = [list(dict.fromkeys(merged.get(c, c) for c in ballot)) for ballot in ballots]
    assert count(rules(method), ballots, candidates, merged) == count(
        rules(method), rewritten, candidates
    )


def condorcet_winner(ballots: list[list[str]]) -> str | None:
    for c in CANDIDATES:
        if all(
            sum(b.index(c) < b.index(d) for b in ballots) * 2 > len(ballots)
            for d in CANDIDATES
            if d != c
        ):
            return c
    return None


@settings(max_examples=300, deadline=None)
@given(ballots=st.lists(ranked_ballot, min_size=1, max_size=25))
def test_schulze_elects_the_condorcet_winner_when_there_is_one(ballots) -> None:
    winner = condorcet_winner(ballots)
    if winner is not None:
        assert count(rules("schulze"), ballots, CANDIDATES).ranking[0] == winner


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["equal_shares", "pav"]),
    sizes=st.lists(st.integers(1, 12), min_size=2, max_size=5),
    k=st.integers(1, 8),
    seed=st.randoms(use_true_random=False),
)
def test_proportional_methods_give_every_bloc_its_share_on_party_lists(
    method, sizes, k, seed
) -> None:
    """Parties approve their own k candidates; a party of s of n voters gets at least
    floor(k*s/n) seats (lower quota), so any bloc of at least n/k voters gets one of its
    own, whatever the tie-break order; top-k approval does not guarantee this."""
    parties = [[f"party{p}-{i}" for i in range(k)] for p in range(len(sizes))]
    ballots = [parties[p] for p, size in enumerate(sizes) for _ in range(size)]
    candidates = [c for party in parties for c in party]
    seed.shuffle(candidates)
    n = sum(sizes)
    shortlist = count(rules(method, k), ballots, candidates).shortlist
    assert len(shortlist) == len(set(shortlist)) == k
    for p, size in enumerate(sizes):
        seats = sum(1 for c in shortlist if c in parties[p])
        assert seats >= (k * size) // n, (sizes, k, shortlist)
        if size * k >= n:
            assert seats >= 1, (sizes, k, shortlist)


def majority_value_by_removal(grades: list[int]) -> list[int]:
    """Balinski-Laraki, as defined: take the lower median, remove it, repeat."""
    left = sorted(grades)
    value = []
    while left:
        value.append(left.pop((len(left) - 1) // 2))
    return value


@settings(max_examples=300, deadline=None)
@given(
    ballots=st.lists(graded_ballot, min_size=1, max_size=15),
    seed=st.randoms(use_true_random=False),
)
def test_majority_judgment_ranks_as_repeated_median_removal(ballots, seed) -> None:
    """The grade-count shortcut equals removing medians one by one from the sorted
    grades (ungraded = lowest), ties by identical grades going to the order."""
    order = list(CANDIDATES)
    seed.shuffle(order)
    scale = ["to_reject", "poor", "fair", "good", "very_good", "excellent"]
    mj = VotingRules.from_dict({"method": "majority_judgment", "grades": scale})
    grades = {c: [scale.index(b[c]) if c in b else 0 for b in ballots] for c in order}
    value = {c: majority_value_by_removal(grades[c]) for c in order}
    expected = sorted(order, key=lambda c: [-g for g in value[c]] + [order.index(c)])
    result = count(mj, ballots, order)
    assert result.ranking == expected
    assert all(result.tallies[c]["majority_grade"] == scale[value[c][0]] for c in order)
    for tie in result.tie_breaks:
        assert len({tuple(value[c]) for c in tie["tied"]}) == 1
