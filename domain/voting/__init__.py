"""Vote counting: rules, ballot validation and pure counting functions.

One module per concept: rules.py (`Method`, `VotingRules`, `TIE_BREAK_RULE`),
ballots.py (`validate_ballot`), result.py (`CountResult`), merges.py (what a choice of
a merged proposal counts for), counting.py (`count`, which picks the method),
scoring.py (approval, dots, Borda), schulze.py, majority_judgment.py,
equal_shares.py, pav.py and budget.py (participatory budgets: greedy, and equal shares
with cost utilities and Add1, as Pabulib's ``greedy`` and ``equalshares/add1``). All
pure: no I/O, no clock, no randomness.

Methods and their ballots:

* approval: a list of proposals (at most ``max_choices``); score = approvals.
* dots: {proposal: points} within ``budget`` (at most ``max_points_per_proposal`` each).
* borda, schulze: proposals best first (a partial ranking: unranked ones come last).
* majority_judgment: {proposal: grade} on the scale ``grades`` (worst first); ungraded
  proposals count as the lowest grade; Balinski-Laraki tie-break.
* equal_shares (method of equal shares, Add1 completion as in Aarau 2023, then
  approval count) and pav (sequential proportional approval voting): approval
  ballots, a proportional shortlist of ``shortlist_size`` in selection order.
* with a ``spending_limit`` (approval or equal_shares): the proposals funded within that
  budget, given each candidate's cost (domain/voting/budget.py).

Ties are broken by the order of `candidates` given to `count` (earlier wins); the
caller passes the process's fixed tie-break order and the ties it applied are
recorded with the result. Merged proposals: a ballot's choice of a proposal that was
merged counts for the proposal it was merged into (followed through chains of
merges); a ballot that names both keeps the better rank, the better grade, the sum
of points, one approval. Withdrawn and hidden proposals are not candidates: their
choices count for nothing.
"""

from __future__ import annotations

from domain.voting.ballots import validate_ballot
from domain.voting.counting import count
from domain.voting.result import CountResult
from domain.voting.rules import (
    APPROVAL_BALLOTS,
    RANKED_BALLOTS,
    SUPPORTED,
    TIE_BREAK_RULE,
    BallotShape,
    Choices,
    Method,
    VotingRules,
    ballot_shape,
    standing_candidates,
    tie_break_key,
    tie_break_order,
)
from domain.voting.scoring import ballot_points, tallied_live

__all__ = [
    "APPROVAL_BALLOTS",
    "RANKED_BALLOTS",
    "SUPPORTED",
    "TIE_BREAK_RULE",
    "BallotShape",
    "Choices",
    "CountResult",
    "Method",
    "VotingRules",
    "ballot_points",
    "ballot_shape",
    "count",
    "standing_candidates",
    "tallied_live",
    "tie_break_key",
    "tie_break_order",
    "validate_ballot",
]
