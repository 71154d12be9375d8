"""The Pabulib ``.pb`` format (pabulib.org/format): parse, write and count. Pure, no I/O.

A ``.pb`` file is text in three sections, each a line ``META``, ``PROJECTS`` or
``VOTES`` followed by a header row and rows of ``;``-separated fields (CSV quoting):

* META: ``key;value`` rows; ``budget`` (in currency, cents allowed), ``vote_type``
  (only ``approval`` is read here), ``rule`` (e.g. ``greedy``, ``equalshares/add1``),
  ``num_projects``, ``num_votes``, ``currency``, ...
* PROJECTS: ``project_id;cost;...`` (cost: 0 or more; optional columns such as ``votes``, ``name``,
  ``selected`` are kept as they are);
* VOTES: ``voter_id;vote;...``, ``vote`` being the comma-separated project ids.

Errors name the line (`PabulibError.line`). Counting ties go to the earlier project in
the PROJECTS section.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from domain.voting.budget import EQUAL_SHARES_RULES, RULES, Amount, count_within_budget

SECTIONS = ("meta", "projects", "votes")


class PabulibError(ValueError):
    """A file that is not a readable approval ``.pb`` file; `line` is 1-based (0: whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message


@dataclass
class PbProject:
    """One row of PROJECTS: the id, the cost and the other columns as text."""

    project_id: str
    cost: Amount
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class PbVote:
    """One row of VOTES: the voter id, the approved project ids and the other columns."""

    voter_id: str
    approved: list[str]
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class PbElection:
    """A whole ``.pb`` file: META in order, projects and votes in file order."""

    meta: dict[str, str]
    projects: list[PbProject]
    votes: list[PbVote]

    @property
    def budget(self) -> Amount:
        """The META budget, a positive amount."""
        return _amount(self.meta.get("budget", ""), 0, "META budget")

    def costs(self) -> dict[str, Amount]:
        """Project id -> cost."""
        return {p.project_id: p.cost for p in self.projects}

    def ballots(self) -> list[list[str]]:
        """The approval ballots, one per voter, in file order."""
        return [v.approved for v in self.votes]


def _amount(text: str, line: int, what: str, positive: bool = True) -> Amount:
    """An exact amount written as ``12``, ``12.0`` or ``1019940.37``: an int when whole."""
    kind = "a positive" if positive else "a non-negative"
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise PabulibError(line, f"{what} must be {kind} number, not {text!r}") from None
    if not value.is_finite() or value < 0 or (positive and value == 0):
        raise PabulibError(line, f"{what} must be {kind} number, not {text!r}")
    exact = Fraction(value)
    return exact.numerator if exact.denominator == 1 else exact


def amount_text(value: Amount) -> str:
    """An amount as written in a file: ``12`` or ``1019940.37``."""
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    return str(Decimal(value.numerator) / Decimal(value.denominator))


def amount_json(value: Amount) -> int | float:
    """An amount as a JSON number (whole amounts stay exact ints)."""
    if isinstance(value, int) or value.denominator == 1:
        return int(value)
    return float(value)


def parse(text: str) -> PbElection:
    """Read an approval ``.pb`` file; raise PabulibError naming the first bad line."""
    meta: dict[str, str] = {}
    projects: list[PbProject] = []
    votes: list[PbVote] = []
    known: dict[str, int] = {}
    section = ""
    header: list[str] = []
    vote_type_line = 0
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    line = 0
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            first = row[0].strip()
            if first.lower() in SECTIONS and len([c for c in row if c.strip()]) == 1:
                section, header = first.lower(), []
                continue
            if not section:
                raise PabulibError(line, "expected META, PROJECTS or VOTES")
            if not header and section == "meta" and first != "key":
                header = ["key", "value"]  # some published files leave the META header out
            if not header:
                header = [c.strip() for c in row]
                needed = {"meta": "key", "projects": "project_id", "votes": "voter_id"}[section]
                if header[0] != needed:
                    raise PabulibError(
                        line, f"the {section.upper()} header must start with {needed}"
                    )
                if section == "projects" and "cost" not in header:
                    raise PabulibError(line, "the PROJECTS header has no cost column")
                if section == "votes":
                    if "vote" not in header:
                        raise PabulibError(line, "the VOTES header has no vote column")
                    vote_type = meta.get("vote_type", "approval")
                    if vote_type != "approval":
                        raise PabulibError(
                            vote_type_line,
                            f"vote_type {vote_type!r} is not supported (only approval)",
                        )
                continue
            if section == "meta" and len(row) > 2:
                row = [row[0], ";".join(row[1:])]  # a value with an unquoted ';'
            if len(row) != len(header):
                raise PabulibError(line, f"{len(row)} fields where the header has {len(header)}")
            values = {k: v.strip() for k, v in zip(header, row, strict=True)}
            if section == "meta":
                meta[values["key"]] = values["value"] if "value" in values else row[1].strip()
                if values["key"] == "vote_type":
                    vote_type_line = line
            elif section == "projects":
                pid = values.pop("project_id")
                if not pid or pid in known:
                    raise PabulibError(line, f"project id {pid!r} is empty or repeated")
                cost = _amount(
                    values.pop("cost"), line, f"the cost of project {pid}", positive=False
                )
                known[pid] = line
                projects.append(PbProject(pid, cost, values))
            else:
                voter = values.pop("voter_id")
                raw = values.pop("vote")
                # a project named twice in one vote counts once (as in pabutools)
                approved = list(dict.fromkeys(p.strip() for p in raw.split(",") if p.strip()))
                for p in approved:
                    if p not in known:
                        raise PabulibError(line, f"voter {voter} votes for unknown project {p!r}")
                votes.append(PbVote(voter, approved, values))
    except csv.Error as error:
        raise PabulibError(line, f"unreadable CSV ({error})") from None
    if not projects:
        raise PabulibError(0, "no PROJECTS section (or no projects)")
    if "budget" not in meta:
        raise PabulibError(0, "META has no budget")
    election = PbElection(meta, projects, votes)
    election.budget  # noqa: B018 - validates the META budget
    return election


def write(election: PbElection) -> str:
    """The ``.pb`` text of `election` (parse(write(e)) == e)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in election.meta.items():
        writer.writerow([key, value])
    extra = _columns(p.fields for p in election.projects)
    out.write("PROJECTS\n")
    writer.writerow(["project_id", "cost", *extra])
    for p in election.projects:
        writer.writerow([p.project_id, amount_text(p.cost), *(p.fields.get(c, "") for c in extra)])
    extra = _columns(v.fields for v in election.votes)
    out.write("VOTES\n")
    writer.writerow(["voter_id", "vote", *extra])
    for v in election.votes:
        writer.writerow([v.voter_id, ",".join(v.approved), *(v.fields.get(c, "") for c in extra)])
    return out.getvalue()


def _columns(rows: Any) -> list[str]:
    """The extra columns of rows, in first-seen order."""
    seen: dict[str, None] = {}
    for fields in rows:
        seen.update(dict.fromkeys(fields))
    return list(seen)


def recorded_selection(election: PbElection) -> list[str] | None:
    """The project ids the file records as selected (``selected`` column = 1), if any."""
    if not election.projects or "selected" not in election.projects[0].fields:
        return None
    return [p.project_id for p in election.projects if p.fields.get("selected") == "1"]


def count(
    election: PbElection, rule: str | None = None, *, past_exhaustive: bool = False
) -> dict[str, Any]:
    """Count `election` with `rule`, or with its META rule when that is a supported one
    (`past_exhaustive`: the Pabulib checker's Add1, see `equal_shares_with_costs`).

    Returns a JSON-safe dict: rule, selected (ids in selection order), cost, budget,
    voters, and, when the file records a selection, whether it is reproduced.
    """
    chosen = rule or election.meta.get("rule", "")
    if chosen not in RULES:
        where = "--rule" if rule else "META rule"
        raise PabulibError(
            0, f"{where} {chosen!r} is not supported (use one of {', '.join(RULES)})"
        )
    order: Sequence[str] = [p.project_id for p in election.projects]
    outcome = count_within_budget(
        chosen, election.ballots(), order, election.costs(), election.budget,
        past_exhaustive=past_exhaustive,
    )  # fmt: skip
    result: dict[str, Any] = {
        "rule": chosen,
        "selected": outcome.selected,
        "cost": amount_json(outcome.spent),
        "budget": amount_json(outcome.budget),
        "voters": outcome.voters,
        "projects": len(order),
    }
    if chosen in EQUAL_SHARES_RULES:
        result["budget_per_voter"] = outcome.budget_per_voter
        result["runs"] = outcome.runs
    if outcome.comparison is not None:
        result["comparison"] = outcome.comparison
    recorded = recorded_selection(election)
    if recorded is not None:
        result["recorded_selected"] = recorded
        result["matches_recorded"] = sorted(recorded) == sorted(outcome.selected)
    return result


def election_of_vote(
    *,
    description: str,
    budget: Amount,
    currency: str,
    rule: str,
    projects: Sequence[tuple[str, Amount, str]],
    ballots: Sequence[Sequence[str]],
    selected: Sequence[str],
    extra_meta: dict[str, str] | None = None,
) -> PbElection:
    """A closed vote as a Pabulib election.

    `projects` are (id, cost, name) in tie-break order (the file says so: a counter
    that breaks ties by file order finds the same result); `ballots` are the counted
    approval ballots. Voters are numbered 1..n after sorting the ballots, so that the
    file holds the counted ballots and nothing about who cast them or when; ballots
    that name no project are left out (they count for nothing).
    """
    names = [p[0] for p in projects]
    index = {pid: i for i, pid in enumerate(names)}
    counted = sorted(
        (sorted((c for c in set(b) if c in index), key=index.__getitem__) for b in ballots),
        key=lambda b: [index[c] for c in b],
    )
    counted = [b for b in counted if b]
    votes = Counter(c for b in counted for c in b)
    chosen = set(selected)
    meta = {
        "description": description,
        "num_projects": str(len(projects)),
        "num_votes": str(len(counted)),
        "budget": amount_text(budget),
        "vote_type": "approval",
        "rule": rule,
        "currency": currency,
        "comment": "ties: the earlier project in PROJECTS (the process's tie-break order)",
        **(extra_meta or {}),
    }
    return PbElection(
        meta,
        [
            PbProject(
                pid,
                cost,
                {"votes": str(votes[pid]), "name": name, "selected": "1" if pid in chosen else "0"},
            )
            for pid, cost, name in projects
        ],
        [PbVote(str(i), b) for i, b in enumerate(counted, start=1)],
    )
