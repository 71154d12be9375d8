"""The ballot form for each voting method, and the choices it posts.

* approval (and the proportional rules that count approval ballots): checkboxes,
  at most ``max_choices``;
* dot voting: a number input per proposal, the points adding up to the budget at most;
* ranked ballots (Schulze, Borda): one select per rank;
* majority judgment: one radio group of grades per proposal.

The domain validates the ballot again; this module only turns form fields into the
choices and catches the common mistakes with a plain message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import get_currency_symbol
from flask_babel import format_number, get_locale, gettext, lazy_gettext

from domain.voting import BallotShape, VotingRules, ballot_shape

#: The form each ballot shape needs (the names the template switches on).
APPROVAL, DOTS, RANKING, GRADES = "approval", "dots", "ranking", "grades"
FORM_OF: dict[BallotShape, str] = {
    BallotShape.APPROVALS: APPROVAL,
    BallotShape.POINTS: DOTS,
    BallotShape.RANKING: RANKING,
    BallotShape.GRADES: GRADES,
}

#: Words for the default grade scale of `VotingRules` (custom grades show as written).
GRADE_LABELS: dict[str, Any] = {
    "excellent": lazy_gettext("Excellent"),
    "very_good": lazy_gettext("Very good"),
    "good": lazy_gettext("Good"),
    "fair": lazy_gettext("Fair"),
    "poor": lazy_gettext("Poor"),
    "to_reject": lazy_gettext("Reject"),
}

METHOD_NAMES: dict[str, Any] = {
    APPROVAL: lazy_gettext("Choose the proposals you support."),
    DOTS: lazy_gettext("Share your points between the proposals you prefer."),
    RANKING: lazy_gettext("Put the proposals in your order of preference."),
    GRADES: lazy_gettext("Give each proposal a grade."),
}


class FormProblem(ValueError):
    """A ballot form the page can explain before asking the domain."""


def method_of(rules: VotingRules) -> str:
    """Which form a process's voting method needs (from the domain's ballot shape)."""
    return FORM_OF[ballot_shape(rules.method)]


def cap_of(rules: VotingRules, candidates: int) -> int:
    """The most proposals an approval or ranked ballot may name."""
    return rules.max_choices or candidates


def budget_of(rules: VotingRules) -> int:
    """The points of a dot-voting ballot (the domain requires a budget for dots)."""
    return rules.budget or 0


def grades_of(rules: VotingRules) -> list[tuple[str, str]]:
    """(value posted, label) of each grade of the process's scale, best first.

    The value posted is the grade's name, as the domain counts it.
    """
    return [(grade, str(GRADE_LABELS.get(grade, grade))) for grade in reversed(rules.grades)]


def parse(rules: VotingRules, form: Mapping[str, Any], candidates: Sequence[str]) -> Any:
    """The choices of a posted ballot form, in the domain's form for the method."""
    allowed = [str(c) for c in candidates]
    method = method_of(rules)
    getlist = getattr(form, "getlist", None)
    if method == APPROVAL:
        chosen = list(dict.fromkeys(getlist("choice") if getlist else form.get("choice", [])))
        chosen = [c for c in chosen if c in allowed]
        cap = cap_of(rules, len(allowed))
        if not chosen:
            raise FormProblem(gettext("Choose at least one proposal."))
        if len(chosen) > cap:
            raise FormProblem(
                gettext(
                    "You chose %(count)s proposals, but the limit is %(cap)s. Remove some.",
                    count=len(chosen),
                    cap=cap,
                )
            )
        return chosen
    if method == DOTS:
        points: dict[str, int] = {}
        for candidate in allowed:
            raw = str(form.get(f"points-{candidate}", "") or "0").strip()
            try:
                value = int(raw)
            except ValueError:
                raise FormProblem(gettext("Points must be whole numbers.")) from None
            if value < 0:
                raise FormProblem(gettext("Points cannot be negative."))
            if value:
                points[candidate] = value
        budget = budget_of(rules)
        if not points:
            raise FormProblem(gettext("Give at least one point."))
        if sum(points.values()) > budget:
            raise FormProblem(
                gettext(
                    "You gave %(used)s points, but you have %(budget)s. Remove some.",
                    used=sum(points.values()),
                    budget=budget,
                )
            )
        return points
    if method == RANKING:
        order: list[str] = []
        for rank in range(1, len(allowed) + 1):
            ranked = str(form.get(f"rank-{rank}", "") or "")
            if not ranked or ranked not in allowed:
                continue
            if ranked in order:
                raise FormProblem(gettext("Each proposal can have only one rank."))
            order.append(ranked)
        if not order:
            raise FormProblem(gettext("Rank at least one proposal."))
        return order
    grades: dict[str, str] = {}
    valid = set(rules.grades)
    for candidate in allowed:
        grade = str(form.get(f"grade-{candidate}", "") or "")
        if grade in valid:
            grades[candidate] = grade
    if len(grades) < len(allowed):
        raise FormProblem(gettext("Give a grade to every proposal."))
    return grades


@dataclass
class Candidate:
    """A proposal on the ballot, as the form shows it."""

    id: str
    title: str
    body: str
    language: str
    axis_id: str | None
    cost: int | None = None
    cost_text: str = ""


def money(amount: int, currency: str) -> str:
    """An amount for the page, localised: ``1 200 €`` in French."""
    symbol = get_currency_symbol(currency, locale=get_locale())
    return f"{format_number(amount)}\xa0{symbol}"  # never split from its number


@dataclass
class BallotForm:
    """What the ballot template needs: method, limits, candidates and the current state."""

    method: str
    explanation: str
    candidates: list[Candidate]
    cap: int = 0
    budget: int = 0
    grades: list[tuple[str, str]] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    points: dict[str, int] = field(default_factory=dict)
    ranks: dict[int, str] = field(default_factory=dict)
    graded: dict[str, str] = field(default_factory=dict)
    #: A participatory budget: the amount, its currency, and whether the page shows the
    #: running total of one's choices.
    spending_limit: int | None = None
    currency: str = "EUR"
    running_total: bool = False

    @property
    def budget_text(self) -> str:
        """The budget, localised (empty when the process selects k proposals)."""
        return money(self.spending_limit, self.currency) if self.spending_limit else ""

    @property
    def total_text(self) -> str:
        """What the checked proposals cost together, localised."""
        total = sum(c.cost or 0 for c in self.candidates if c.id in self.checked)
        return money(total, self.currency)

    @property
    def currency_symbol(self) -> str:
        """The currency's symbol in the page's language."""
        return str(get_currency_symbol(self.currency, locale=get_locale()))

    @classmethod
    def build(
        cls,
        rules: VotingRules,
        ids: Sequence[str],
        proposals: Mapping[str, Mapping[str, Any]],
        current: Any,
        submitted: Any,
    ) -> BallotForm:
        """The form for the candidates `ids` (their read-model rows in `proposals`),
        filled from what was posted or the stored ballot."""
        ids = [str(i) for i in ids]
        currency = rules.currency or "EUR"
        candidates = [candidate(proposals.get(pid), currency) for pid in ids]
        form = cls(
            method=method_of(rules),
            explanation=str(METHOD_NAMES[method_of(rules)]),
            candidates=[c for c in candidates if c is not None],
            cap=cap_of(rules, len(ids)),
            budget=budget_of(rules),
            grades=grades_of(rules) if method_of(rules) == GRADES else [],
            spending_limit=rules.spending_limit,
            currency=currency,
            running_total=rules.show_running_total,
        )
        if submitted is not None:
            form.fill_from_form(submitted, ids)
        elif current is not None:
            form.fill_from_choices(current)
        return form

    def fill_from_form(self, submitted: Any, ids: list[str]) -> None:
        """Keep what the resident posted (after a refusal)."""
        getlist = getattr(submitted, "getlist", None)
        self.checked = set(getlist("choice") if getlist else [])
        for candidate_id in ids:
            raw = submitted.get(f"points-{candidate_id}")
            if raw and str(raw).isdigit():
                self.points[candidate_id] = int(raw)
            grade = submitted.get(f"grade-{candidate_id}")
            if grade:
                self.graded[candidate_id] = str(grade)
        for rank in range(1, len(ids) + 1):
            value = submitted.get(f"rank-{rank}")
            if value:
                self.ranks[rank] = str(value)

    def fill_from_choices(self, choices: Any) -> None:
        """Show the stored ballot."""
        if isinstance(choices, Mapping):
            for key, value in choices.items():
                if self.method == DOTS:
                    self.points[str(key)] = int(value)
                else:
                    self.graded[str(key)] = str(value)
        else:
            items = [str(c) for c in choices]
            self.checked = set(items)
            self.ranks = {index: c for index, c in enumerate(items, start=1)}


def candidate(proposal: Mapping[str, Any] | None, currency: str = "EUR") -> Candidate | None:
    """A proposal on the ballot, from its read-model row (None when there is no row)."""
    if proposal is None:
        return None
    cost = proposal.get("cost")
    axis_id = proposal.get("axis_id")
    return Candidate(
        id=str(proposal["proposal_id"]),
        title=str(proposal["title"]),
        body=str(proposal["body"]),
        language=str(proposal["language"]),
        axis_id=str(axis_id) if axis_id else None,
        cost=cost,
        cost_text=money(cost, currency) if cost is not None else "",
    )


def describe(
    rules: VotingRules, choices: Any, proposals: Mapping[str, Mapping[str, Any]]
) -> list[tuple[Candidate, str]]:
    """Each chosen proposal (its read-model row in `proposals`) with what the ballot
    gave it (points, rank or grade)."""
    method = method_of(rules)
    currency = rules.currency or "EUR"
    described: list[tuple[Candidate, str]] = []
    if isinstance(choices, Mapping):
        labels = dict(grades_of(rules))
        for key, value in choices.items():
            found = candidate(proposals.get(str(key)), currency)
            if found is None:
                continue
            if method == DOTS:
                detail = gettext("%(points)s points", points=value)
            else:
                detail = labels.get(str(value), str(value))
            described.append((found, detail))
        return described
    for index, key in enumerate(choices, start=1):
        found = candidate(proposals.get(str(key)), currency)
        if found is not None:
            detail = gettext("rank %(rank)s", rank=index) if method == RANKING else ""
            described.append((found, detail))
    return described


def budget_summary(shortlist: Mapping[str, Any] | None) -> dict[str, str] | None:
    """The budget and what the funded proposals cost, localised, for the results page
    (None when the process selected k proposals)."""
    result = (shortlist or {}).get("result") or {}
    tallies = result.get("tallies") or {}
    if not isinstance(tallies, Mapping) or tallies.get("budget") is None:
        return None
    currency = str(tallies.get("currency") or "EUR")
    return {
        "budget": money(int(tallies["budget"]), currency),
        "spent": money(int(tallies.get("spent") or 0), currency),
        "rule": str(tallies.get("rule", "")),
    }
