"""Our counts against independent, well-known libraries on thousands of random profiles.

The same tie-break is applied on both sides: the candidates are shuffled into a random
tie-break order, which we pass to `count`, and the oracle gets them numbered in that
order (abcvoting's resolute rules and our tie-break both prefer the lowest index).

* equal shares (the Add1 variant pinned in domain/voting/equal_shares.py) against
  pabutools, the library of the method's authors: ``method_of_equal_shares`` with
  ``voter_budget_increment`` 1/n, completed by ``greedy_utilitarian_welfare``, projects
  named so that its lexicographic tie-break is our order; and against abcvoting's
  ``equal-shares-with-increment-completion`` wherever no run overshot k (where one
  did, abcvoting truncates the bigger run instead: see equal_shares.py);
* seq-PAV against abcvoting's ``seqpav``: the same committee as the resolute rule, and
  one of the committees of the irresolute rule (every tie branch);
* Schulze against pref_voting's ``beat_path``: our first place is the earliest of its
  winners in the tie-break order (complete rankings, where winning votes and margins
  give the same Schulze relation), and Borda scores against ``borda_scores``.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from domain.voting import VotingRules, count

abcrules = pytest.importorskip("abcvoting.abcrules", reason="abcvoting is in the dev extra")
preferences = pytest.importorskip("abcvoting.preferences")
pabutools_election = pytest.importorskip("pabutools.election", reason="pabutools is in dev")
pabutools_rules = pytest.importorskip("pabutools.rules")
pabutools_ties = pytest.importorskip("pabutools.tiebreaking")
pref_profiles = pytest.importorskip("pref_voting.profiles", reason="pref_voting is in dev")
voting_methods = pytest.importorskip("pref_voting.voting_methods")

PROFILES = 3000
ORACLE_RULE = {"equal_shares": "equal-shares-with-increment-completion", "pav": "seqpav"}


def random_approval_profile(rng: random.Random) -> tuple[list[str], list[list[str]], int]:
    """Candidates in a random tie-break order, non-empty approval ballots, a size k."""
    m = rng.randint(2, 7)
    n = rng.randint(1, 12)
    candidates = [f"c{i}" for i in range(m)]
    ballots = []
    if rng.random() < 0.5:  # independent voters with skewed popularity
        popularity = [rng.random() for _ in candidates]
        for _ in range(n):
            ballot = [c for c, p in zip(candidates, popularity, strict=True) if rng.random() < p]
            ballots.append(ballot or [rng.choice(candidates)])
    else:  # blocs of like-minded voters, where proportionality matters
        blocs = [rng.sample(candidates, rng.randint(1, m)) for _ in range(rng.randint(2, 3))]
        for _ in range(n):
            bloc = list(rng.choice(blocs))
            if rng.random() < 0.2:
                bloc.append(rng.choice(candidates))
            ballots.append(sorted(set(bloc)))
    rng.shuffle(candidates)
    return candidates, ballots, rng.randint(1, m)


def abcvoting_committees(
    rule_id: str, order: list[str], ballots: list[list[str]], k: int, resolute: bool = True
) -> list[list[str]]:
    """abcvoting's winning committees, candidates numbered in our tie-break order."""
    profile = preferences.Profile(num_cand=len(order))
    index = {c: i for i, c in enumerate(order)}
    profile.add_voters([[index[c] for c in ballot] for ballot in ballots])
    committees = abcrules.compute(rule_id, profile, k, resolute=resolute)
    return [sorted(order[i] for i in committee) for committee in committees]


def pabutools_equal_shares(order: list[str], ballots: list[list[str]], k: int) -> list[str]:
    """pabutools' MES + Add1 + greedy completion, projects named in our tie-break order."""
    election = pabutools_election
    projects = {c: election.Project(f"{i:03d}", 1) for i, c in enumerate(order)}
    instance = election.Instance(projects.values(), budget_limit=k)
    profile = election.ApprovalProfile(
        [election.ApprovalBallot({projects[c] for c in ballot}) for ballot in ballots]
    )
    outcome = pabutools_rules.completion_by_rule_combination(
        instance,
        profile,
        [pabutools_rules.method_of_equal_shares, pabutools_rules.greedy_utilitarian_welfare],
        [
            {
                "sat_class": election.Cardinality_Sat,
                "voter_budget_increment": Fraction(1, len(ballots)),
                "tie_breaking": pabutools_ties.lexico_tie_breaking,
            },
            {
                "sat_class": election.Cardinality_Sat,
                "tie_breaking": pabutools_ties.lexico_tie_breaking,
            },
        ],
    )
    return sorted(order[int(p.name)] for p in outcome)


@pytest.mark.slow
def test_equal_shares_equals_pabutools_and_abcvoting_where_no_run_overshoots() -> None:
    rng = random.Random("oracle/equal_shares")
    differences = []
    not_top_k = overshoots = abcvoting_differs = 0
    for trial in range(PROFILES):
        order, ballots, k = random_approval_profile(rng)
        rules = VotingRules.from_dict({"method": "equal_shares", "shortlist_size": k})
        result = count(rules, ballots, order)
        ours = sorted(result.shortlist)
        assert len(ours) == k and sorted(result.ranking) == sorted(order)
        top_k = count(VotingRules.from_dict({"shortlist_size": k}), ballots, order)
        not_top_k += ours != sorted(top_k.shortlist)
        if ours != pabutools_equal_shares(order, ballots, k):
            differences.append((trial, order, ballots, k, ours))
        (abcvoting,) = abcvoting_committees(ORACLE_RULE["equal_shares"], order, ballots, k)
        completed = bool(result.tallies["completed_by_approval"])
        overshoots += completed
        if ours != abcvoting:
            abcvoting_differs += 1
            assert completed, (order, ballots, k, ours, abcvoting)
    print(
        f"\n[oracle/equal_shares] profiles={PROFILES}, not_top_k_approval={not_top_k}, "
        f"differences_with_pabutools={len(differences)}, completed_by_approval={overshoots}, "
        f"of which abcvoting (truncating) differs={abcvoting_differs}"
    )
    assert not differences, differences[:3]
    assert not_top_k >= 20  # the profiles do test proportionality
    assert overshoots >= 20  # and the completion


@pytest.mark.slow
def test_seq_pav_equals_abcvoting() -> None:
    method = "pav"
    rng = random.Random(f"oracle/{method}")
    differences = []
    not_top_k = 0
    for trial in range(PROFILES):
        order, ballots, k = random_approval_profile(rng)
        rules = VotingRules.from_dict({"method": method, "shortlist_size": k})
        result = count(rules, ballots, order)
        ours = sorted(result.shortlist)
        assert len(ours) == k and sorted(result.ranking) == sorted(order)
        top_k = count(VotingRules.from_dict({"shortlist_size": k}), ballots, order)
        not_top_k += ours != sorted(top_k.shortlist)
        (theirs,) = abcvoting_committees(ORACLE_RULE[method], order, ballots, k)
        if ours != theirs:
            differences.append((trial, order, ballots, k, ours, theirs))
        every_tie = abcvoting_committees("seqpav", order, ballots, k, resolute=False)
        assert ours in every_tie, (order, ballots, k, ours, every_tie)
    print(
        f"\n[oracle/{method}] profiles={PROFILES}, not_top_k_approval={not_top_k}, "
        f"differences={len(differences)}"
    )
    assert not differences, differences[:3]
    assert not_top_k >= 20  # the profiles do test proportionality


def random_rankings(rng: random.Random) -> tuple[list[str], list[list[str]]]:
    m = rng.randint(2, 6)
    candidates = [f"c{i}" for i in range(m)]
    ballots = [rng.sample(candidates, m) for _ in range(rng.randint(1, 15))]
    rng.shuffle(candidates)
    return candidates, ballots


@pytest.mark.slow
def test_schulze_winner_and_borda_scores_equal_pref_voting() -> None:
    rng = random.Random("oracle/ranked")
    several_winners = 0
    for _ in range(PROFILES):
        order, ballots = random_rankings(rng)
        index = {c: i for i, c in enumerate(order)}
        profile = pref_profiles.Profile([[index[c] for c in ballot] for ballot in ballots])
        schulze = count(VotingRules.from_dict({"method": "schulze"}), ballots, order)
        winners = sorted(voting_methods.beat_path(profile))  # indices = tie-break order
        assert schulze.ranking[0] == order[winners[0]], (ballots, schulze.ranking, winners)
        if len(winners) > 1:
            several_winners += 1
            assert schulze.tie_breaks[0]["place"] == 1
            assert schulze.tie_breaks[0]["tied"] == [order[i] for i in winners]
        borda = count(VotingRules.from_dict({"method": "borda"}), ballots, order)
        theirs = profile.borda_scores()
        assert borda.tallies == {c: theirs[index[c]] for c in order}
    print(f"\n[oracle/ranked] profiles={PROFILES}, several_schulze_winners={several_winners}")
    assert several_winners >= 20  # the tie-break is exercised
