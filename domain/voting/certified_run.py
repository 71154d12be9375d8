"""One run of equal shares with cost utilities in floating point, certified or refused.

Add1 repeats a run of the method of equal shares for every unit added to the budget
per voter (hundreds of runs on a city's budget), and only the selection of each run
matters to the completion; the exact engine (`domain.voting.equal_shares.mes_run`)
spends most of its time in exact fractions and per-ballot Python loops. This engine
makes the same run with numpy floats and proves, decision by decision, that exact
arithmetic would have decided the same way:

* every supporter group's budget is a float within a bound of its exact value: first
  one bound for all, grown by each purchase by the price's error; where that is too
  coarse (a price's error counts the bound once per capped supporter, so on large
  elections the bound for all outgrows the budgets), one bound per group (0 once the
  group has paid all it had; a purchase adds the price's error and the subtraction's
  rounding to each payer's own bound);
* a price is computed from the supporters' budgets sorted by their floats; the split
  between supporters who pay all they have and those who pay the price is accepted
  only when the floats on both sides of it are further apart than the errors allow,
  and the price's error is bounded from the sums it came from;
* the candidate bought must have a key (price per unit of utility) whose upper bound
  is below every other candidate's lower bound; where the supporters capped are only
  those with nothing left, the key is exactly 1 / (supporters paying), an integer
  comparison, so the usual ties (equal supporters, equal budgets) are decided
  exactly, by the tie-break order;
* a candidate is dropped as unaffordable only when its supporters' money is below
  its cost by more than the error.

Any decision the floats cannot certify raises `Uncertain`, and the caller counts that
run exactly instead. The result of a certified run is therefore the exact run's
purchases; the rounds' prices, which need exact values, come from the exact engine.
The error bounds use 8 times the unit roundoff of IEEE doubles per operation.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Sequence
from typing import Any

import numpy as np

#: Relative error allowed per floating-point operation (8 x 2**-53).
EPS = 2.0**-50


class Uncertain(Exception):
    """A decision that floating point cannot certify: count this run exactly."""


class CertifiedRun:
    """The float engine for one election; `run` is called once per budget per voter.

    `supporters[i]` lists the ballot groups approving candidate i, `weight[g]` the
    voters in group g, `score[i]` the supporters' total weight (0: never bought),
    `cost[i]` the exact costs and `neighbours[i]` the candidates sharing a supporter.
    """

    def __init__(
        self,
        weight: Sequence[int],
        supporters: Sequence[Sequence[int]],
        score: Sequence[int],
        cost: Sequence[Any],
        neighbours: Sequence[Sequence[int]],
        *,
        each_group: bool = False,
    ) -> None:
        self.groups = len(weight)
        self.members = [np.asarray(s, dtype=np.intp) for s in supporters]
        weights = np.asarray(weight, dtype=np.float64)
        self.weights = [weights[m] for m in self.members]
        self.score = list(score)
        self.cost = [float(c) for c in cost]
        self.exact_cost = list(cost)
        self.neighbours = [np.asarray(n, dtype=np.intp) for n in neighbours]
        # before any purchase, candidate i's supporters all pay cost / s: its key is
        # exactly 1 / s; candidates by that price, to see which a run can afford
        biddable = [i for i, (s, c) in enumerate(zip(score, self.cost, strict=True)) if s and c > 0]
        self.by_price = sorted(biddable, key=lambda i: self.cost[i] / self.score[i])
        self.prices = [self.cost[i] / self.score[i] for i in self.by_price]
        self.first_key = [1.0 / s if s else 0.0 for s in self.score]
        #: Once one bound for the whole run could not decide, bound each group's budget.
        self.each_group = each_group

    def run(self, per_voter: Any, limit: int) -> list[int]:
        """The purchases of one run at `per_voter` (exact), or raise Uncertain.

        First with one error bound for every budget (cheaper; enough on most elections);
        where that cannot decide, again with a bound per group, for this run and the
        next ones (the bound for all grows with the largest price errors: on 100,000
        ballots it stopped deciding within the first purchases)."""
        if not self.each_group:
            try:
                return self._run(per_voter, limit, each_group=False)
            except Uncertain:
                self.each_group = True
        return self._run(per_voter, limit, each_group=True)

    def _run(self, per_voter: Any, limit: int, *, each_group: bool) -> list[int]:
        candidates = len(self.members)
        budget_per_voter = float(per_voter)
        budgets = np.full(self.groups, budget_per_voter)
        # with `each_group`, each group's budget is within errors[g] of the exact one (0
        # once it is spent); otherwise every budget is within `error`
        errors = np.full(self.groups if each_group else 0, EPS * budget_per_voter)
        error = EPS * budget_per_voter
        # the price of a candidate: key = price / cost, its error, 1/key when exact, price
        key = [0.0] * candidates
        key_error = [0.0] * candidates
        exact_payers = [0] * candidates
        price = [0.0] * candidates
        price_error = [0.0] * candidates
        stale = np.zeros(candidates, dtype=bool)
        alive = [False] * candidates
        # affordable for sure below `surely`, never above `never`, in fractions between
        surely = bisect.bisect_right(self.prices, (budget_per_voter - error) / (1 + EPS))
        never = bisect.bisect_right(self.prices, (budget_per_voter + error) / (1 - EPS))
        for i in self.by_price[surely:never]:
            if per_voter * self.score[i] >= self.exact_cost[i]:
                raise Uncertain(f"can candidate {i} be afforded?")
        heap = []
        for i, q in zip(self.by_price[:surely], self.prices, strict=False):
            alive[i] = True
            exact_payers[i] = self.score[i]
            key[i] = self.first_key[i]
            key_error[i] = EPS * key[i]
            price[i], price_error[i] = q, EPS * q
            heap.append((key[i] - key_error[i], i))
        heapq.heapify(heap)

        def reprice(i: int) -> bool:
            """Price candidate i now; False when it can never be afforded again."""
            members, weights = self.members[i], self.weights[i]
            money = budgets[members]
            order = money.argsort()
            sorted_money = money[order]
            sorted_weights = weights[order]
            paid = sorted_weights * sorted_money
            before = paid.cumsum()  # then the money of the supporters before each one
            total = float(before[-1])
            before -= paid
            cost = self.cost[i]
            if each_group:
                sorted_errors = errors[members][order]
                weighted_errors = sorted_weights * sorted_errors
                budgets_error = float(weighted_errors.sum())
            else:
                budgets_error = self.score[i] * error
            total_error = budgets_error + (len(paid) + 1) * EPS * total
            if total + total_error < cost:
                alive[i] = False
                return False
            if total - total_error < cost:
                raise Uncertain(f"can candidate {i} be afforded?")
            # the weight of each supporter and of those after it (exact integers), and
            # what all would pay at a price equal to each one's budget: the first that
            # reaches the cost is the first who pays the price, not all they have
            from_here = sorted_weights[::-1].cumsum()[::-1]
            reaches = sorted_money * from_here
            reaches += before
            split = int(reaches.searchsorted(cost))
            if split == len(reaches):
                raise Uncertain(f"no split found for candidate {i}")
            capped = float(before[split])
            payers = float(from_here[split])
            q = (cost - capped) / payers
            if split == 0 or sorted_money[split - 1] == 0.0:
                # only supporters with nothing left pay less: q = cost / payers exactly
                q_error = EPS * q
                exact_payers[i] = int(payers)
                key[i] = 1.0 / payers
                key_error[i] = EPS * key[i]
            else:
                # the capped budgets' own errors, and `before` is a running sum less
                # the next term: both rounded
                if each_group:
                    capped_error = float(weighted_errors[:split].sum())
                    highest = float((sorted_money[:split] + sorted_errors[:split]).max())
                else:
                    capped_error = (self.score[i] - payers) * error
                    highest = float(sorted_money[split - 1]) + error
                capped_error += (split + 2) * EPS * (capped + float(paid[split]))
                q_error = (capped_error + EPS * (cost + capped)) / payers + EPS * q
                if not highest < q - q_error:
                    raise Uncertain(f"who pays all they have for candidate {i}?")
                exact_payers[i] = 0
                key[i] = q / cost
                key_error[i] = q_error / cost + EPS * key[i]
            if each_group:
                lowest = float((sorted_money[split:] - sorted_errors[split:]).min())
            else:
                lowest = float(sorted_money[split]) - error
            if not q + q_error <= lowest:
                raise Uncertain(f"who pays the price of candidate {i}?")
            price[i], price_error[i] = q, q_error
            stale[i] = False
            return True

        def better(a: int, b: int) -> int:
            """The candidate with the smaller exact key (the earlier one when equal)."""
            if exact_payers[a] and exact_payers[b]:
                if exact_payers[a] != exact_payers[b]:
                    return a if exact_payers[a] > exact_payers[b] else b
                return min(a, b)
            if key[a] + key_error[a] < key[b] - key_error[b]:
                return a
            if key[b] + key_error[b] < key[a] - key_error[a]:
                return b
            raise Uncertain(f"candidates {a} and {b} too close to order")

        elected: list[int] = []
        while len(elected) < limit:
            best = -1
            aside: list[int] = []
            while heap:
                lower, j = heap[0]
                if best >= 0 and lower > key[best] + key_error[best]:
                    break  # every candidate left is certainly worse than `best`
                heapq.heappop(heap)
                if stale[j]:
                    if reprice(j):
                        heapq.heappush(heap, (key[j] - key_error[j], j))
                    continue
                if best < 0:
                    best = j
                else:
                    winner = better(best, j)
                    aside.append(j if winner == best else best)
                    best = winner
            if best < 0:
                break
            for j in aside:
                heapq.heappush(heap, (key[j] - key_error[j], j))
            members = self.members[best]
            money = budgets[members]
            q = price[best]
            # the certified split: < 0 exactly for those who pay all they have
            money -= q
            if each_group:  # a payer's error grows by the price's and the rounding
                paying = errors[members] + (price_error[best] + EPS * budget_per_voter)
                paying[money < 0.0] = 0.0
                errors[members] = paying
            else:
                error += price_error[best] + EPS * budget_per_voter
            np.maximum(money, 0.0, out=money)
            budgets[members] = money
            alive[best] = False
            stale[self.neighbours[best]] = True  # only candidates in the heap are read
            elected.append(best)
        return elected
