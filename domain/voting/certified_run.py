"""One run of equal shares with cost utilities in floating point, certified or refused.

Add1 repeats a run of the method of equal shares for every unit added to the budget
per voter (hundreds of runs on a city's budget), and only the selection of each run
matters to the completion; the exact engine (`domain.voting.equal_shares.mes_run`)
spends most of its time in exact fractions and per-ballot Python loops. This engine
makes the same run with numpy floats and proves, decision by decision, that exact
arithmetic would have decided the same way:

* every supporter group's budget is a float within `error` of its exact value (one
  bound for the whole run, grown by each purchase by the price's own error);
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
    ) -> None:
        self.groups = len(weight)
        self.members = [np.asarray(s, dtype=np.intp) for s in supporters]
        weights = np.asarray(weight, dtype=np.float64)
        self.weights = [weights[m] for m in self.members]
        self.score = list(score)
        self.cost = [float(c) for c in cost]
        self.exact_cost = list(cost)
        self.neighbours = [np.asarray(n, dtype=np.intp) for n in neighbours]

    def run(self, per_voter: Any, limit: int) -> list[int]:
        """The purchases of one run at `per_voter` (exact), or raise Uncertain."""
        candidates = len(self.members)
        budget_per_voter = float(per_voter)
        budgets = np.full(self.groups, budget_per_voter)
        error = EPS * budget_per_voter  # every budget is within `error` of the exact one
        # the price of a candidate: key = price / cost, its error, 1/key when exact, price
        key = [0.0] * candidates
        key_error = [0.0] * candidates
        exact_payers = [0] * candidates
        price = [0.0] * candidates
        price_error = [0.0] * candidates
        stale = np.zeros(candidates, dtype=bool)
        alive = [False] * candidates
        heap = []
        for i, (supporters, cost) in enumerate(zip(self.score, self.cost, strict=True)):
            # untouched supporters all pay q = cost / s: the key is exactly 1 / s
            if not supporters or cost <= 0:
                continue
            q = cost / supporters
            if q * (1 + EPS) > budget_per_voter - error:  # unaffordable or too close to say
                if per_voter * supporters < self.exact_cost[i]:
                    continue  # never affordable: budgets only fall
                raise Uncertain(f"can candidate {i} be afforded?")
            alive[i] = True
            exact_payers[i] = supporters
            key[i] = 1.0 / supporters
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
            total_error = self.score[i] * error + (len(paid) + 1) * EPS * total
            if total + total_error < cost:
                alive[i] = False
                return False
            if total - total_error < cost:
                raise Uncertain(f"can candidate {i} be afforded?")
            weight_before = sorted_weights.cumsum()  # exact integers
            weight_before -= sorted_weights
            prices = (cost - before) / (self.score[i] - weight_before)
            pays_price = sorted_money >= prices
            split = int(pays_price.argmax())
            if not pays_price[split]:
                raise Uncertain(f"no split found for candidate {i}")
            q = float(prices[split])
            capped = float(before[split])
            payers = self.score[i] - float(weight_before[split])
            if split == 0 or sorted_money[split - 1] == 0.0:
                # only supporters with nothing left pay less: q = cost / payers exactly
                q_error = EPS * q
                exact_payers[i] = int(payers)
                key[i] = 1.0 / payers
                key_error[i] = EPS * key[i]
            else:
                # `before` is a running sum less the next term: both rounded
                capped_error = float(weight_before[split]) * error + (split + 2) * EPS * (
                    capped + float(paid[split])
                )
                q_error = (capped_error + EPS * (cost + capped)) / payers + EPS * q
                if not float(sorted_money[split - 1]) + error < q - q_error:
                    raise Uncertain(f"who pays all they have for candidate {i}?")
                exact_payers[i] = 0
                key[i] = q / cost
                key_error[i] = q_error / cost + EPS * key[i]
            if not q + q_error <= float(sorted_money[split]) - error:
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
            money -= q  # the certified split: < 0 exactly for those paying all they have
            np.maximum(money, 0.0, out=money)
            budgets[members] = money
            error += price_error[best] + EPS * budget_per_voter
            alive[best] = False
            stale[self.neighbours[best]] = True  # only candidates in the heap are read
            elected.append(best)
        return elected
