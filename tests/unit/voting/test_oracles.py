"""Our counts against independent, well-known libraries on thousands of random profiles.

* equal shares (Add1 completion, then approval count) against pabutools (the library
  of the equal-shares authors: ``method_of_equal_shares`` with
  ``voter_budget_increment`` 1/n, completed by ``greedy_utilitarian_welfare``), with
  projects named so that its lexicographic tie-break is our tie-break order;
* seq-PAV against abcvoting, resolute, where ties go to the lowest candidate index:
  candidates are given to abcvoting in our tie-break order;
* Schulze winners and Borda scores against pref_voting (complete rankings, where
  winning votes and margins give the same Schulze relation).
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from domain.voting import VotingRules, count

abcrules = pytest.importorskip("abcvoting.abcrules", reason="abcvoting is in the dev extra")
preferences = pytest.importorskip("abcvoting.preferences")
pabutools_election = pytest.importorskip("pabutools.election")
pabutools_rules = pytest.importorskip("pabutools.rules")
pabutools_ties = pytest.importorskip("pabutools.tiebreaking")
pref_profiles = pytest.importorskip("pref_voting.profiles")
voting_methods = pytest.importorskip("pref_voting.voting_methods")

PROFILES = 3000


def random_approval_profile(rng: random.Random) -> tuple[list[str], list[list[str]], int]:
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
    return candidates, ballots, rng.randint(1, m)


def abcvoting_committee(
    rule_id: str, candidates: list[str], ballots: list[list[str]], k: int
) -> list[str]:
    profile = preferences.Profile(num_cand=len(candidates))
    index = {c: i for i, c in enumerate(candidates)}
    profile.add_voters([[index[c] for c in ballot] for ballot in ballots])
    (committee,) = abcrules.compute(rule_id, profile, k, resolute=True)
    return sorted(candidates[i] for i in committee)


def pabutools_equal_shares(candidates: list[str], ballots: list[list[str]], k: int) -> list[str]:
    election = pabutools_election
    projects = {c: election.Project(c, 1) for c in candidates}  # c0 < c1 < ...: our order
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
    return sorted(p.name for p in outcome)


def shortlist_of_the_oracle(
    method: str, candidates: list[str], ballots: list[list[str]], k: int
) -> list[str]:
    if method == "equal_shares":
        return pabutools_equal_shares(candidates, ballots, k)
    return abcvoting_committee("seqpav", candidates, ballots, k)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["equal_shares", "pav"])
def test_proportional_shortlists_equal_the_oracles(method: str) -> None:
    rng = random.Random(f"oracle/{method}")
    differences = []
    not_top_k = 0
    for trial in range(PROFILES):
        candidates, ballots, k = random_approval_profile(rng)
        rules = VotingRules.from_dict({"method": method, "shortlist_size": k})
        ours = sorted(count(rules, ballots, candidates).shortlist)
        top_k = count(VotingRules.from_dict({"shortlist_size": k}), ballots, candidates)
        not_top_k += ours != sorted(top_k.shortlist)
        theirs = shortlist_of_the_oracle(method, candidates, ballots, k)
        if ours != theirs:
            differences.append((trial, ballots, k, ours, theirs))
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
    return candidates, ballots


@pytest.mark.slow
def test_schulze_winner_and_borda_scores_equal_pref_voting() -> None:
    rng = random.Random("oracle/ranked")
    checked = 0
    for _ in range(PROFILES):
        candidates, ballots = random_rankings(rng)
        index = {c: i for i, c in enumerate(candidates)}
        profile = pref_profiles.Profile([[index[c] for c in ballot] for ballot in ballots])
        schulze = count(VotingRules.from_dict({"method": "schulze"}), ballots, candidates)
        winners = {candidates[i] for i in voting_methods.beat_path(profile)}
        assert schulze.ranking[0] in winners, (ballots, schulze.ranking, winners)
        if len(winners) == 1:
            assert schulze.ranking[0] == next(iter(winners))
        borda = count(VotingRules.from_dict({"method": "borda"}), ballots, candidates)
        theirs = profile.borda_scores() if hasattr(profile, "borda_scores") else None
        if theirs is None:
            theirs = {
                i: sum(len(candidates) - 1 - b.index(c) for b in ballots) for c, i in index.items()
            }
        assert borda.tallies == {c: theirs[index[c]] for c in candidates}
        checked += 1
    print(f"\n[oracle/ranked] profiles={checked}, differences=0")
