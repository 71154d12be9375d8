"""The new process form's voting rules: which of them each method takes, and reading them.

Every rule the API accepts (web/api/processes.py, VotingRulesSchema) has a field. The
fields come in groups, each for the methods it applies to, derived from the method's
ballot shape and the budget methods of domain/voting/rules.py: the page shows only the
chosen method's groups (without JavaScript after "Show the rules of this method", with it
at once), and only those are read, so a value typed for another method is not judged.
The domain judges the values and names the field it refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.voting import SUPPORTED
from domain.voting.rules import BUDGET_METHODS, BallotShape, VotingRules, ballot_shape

DEFAULTS = VotingRules()


@dataclass(frozen=True)
class RuleGroup:
    """Fields shown and read together, for some methods."""

    key: str
    methods: tuple[str, ...]


def _shaped(*shapes: BallotShape) -> tuple[str, ...]:
    return tuple(m.value for m in SUPPORTED if ballot_shape(m) in shapes)


GROUPS = (
    RuleGroup("choices", _shaped(BallotShape.APPROVALS, BallotShape.RANKING)),
    RuleGroup("points", _shaped(BallotShape.POINTS)),
    RuleGroup("grades", _shaped(BallotShape.GRADES)),
    RuleGroup("spending", tuple(m.value for m in BUDGET_METHODS)),
)


def chosen_method(form: Mapping[str, str]) -> str:
    """The method chosen in the form (the default one when none or an unknown one)."""
    method = form.get("method", "")
    return method if method in {m.value for m in SUPPORTED} else DEFAULTS.method.value


def shown_groups(method: str) -> set[str]:
    """The keys of the groups of fields that apply to `method`."""
    return {group.key for group in GROUPS if method in group.methods}


def rules_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The voting rules as typed: numbers as numbers, the rest as given, for the domain to
    judge; only the chosen method's fields, and optional ones only when filled in."""
    method = form.get("method", "")
    groups = shown_groups(chosen_method(form)) if method else set()
    rules: dict[str, Any] = {
        "method": method,
        "shortlist_size": _whole(form.get("shortlist_size", "")),
        "hide_results_until_close": form.get("hide_results_until_close") == "yes",
    }
    for name in ("results_batch_ballots", "results_batch_minutes"):
        _optional_whole(rules, form, name)
    if "choices" in groups:
        _optional_whole(rules, form, "max_choices")
    if "points" in groups:
        _optional_whole(rules, form, "budget")
        _optional_whole(rules, form, "max_points_per_proposal")
    if "grades" in groups:
        lines = [line.strip() for line in form.get("grades", "").splitlines()]
        if any(lines):
            rules["grades"] = [line for line in lines if line]
    if "spending" in groups and form.get("spending_limit", "").strip():
        rules["spending_limit"] = _whole(form.get("spending_limit", ""))
        rules["currency"] = form.get("currency", "").strip().upper() or DEFAULTS.currency
        rules["show_running_total"] = form.get("show_running_total") == "yes"
    return rules


def _optional_whole(rules: dict[str, Any], form: Mapping[str, str], name: str) -> None:
    text = form.get(name, "").strip()
    if text:
        rules[name] = _whole(text)


def _whole(text: str) -> int | str:
    try:
        return int(text.strip())
    except ValueError:
        return text
