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

from domain.voting.ballots import validate_ballot
from domain.voting.counting import count
from domain.voting.result import CountResult
from domain.voting.rules import (
    APPROVAL_BALLOTS,
    SUPPORTED,
    TIE_BREAK_RULE,
    Choices,
    Method,
    VotingRules,
)

__all__ = [
    "APPROVAL_BALLOTS",
    "SUPPORTED",
    "TIE_BREAK_RULE",
    "Choices",
    "CountResult",
    "Method",
    "VotingRules",
    "count",
    "validate_ballot",
]
