"""The linking attempts of issue 13, played over the API: 8 residents join and vote at
once; the ranking is polled after each ballot by every role; every API answer and export
is read as each role. The attacker knows when each resident voted (the strongest
position) and links a resident when every assignment of valid ballots consistent with
what was shown gives that resident the same ballot. Links found: 0.

The same attacker on the unbatched live tally (the projection's internal table) links
all 8: the test can fail.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Iterator
from typing import Any

from api_support import Api, drive
from app_support import settle

RULES = {
    "method": "approval",
    "max_choices": 3,
    "shortlist_size": 2,
    # the most favourable batches to an attacker that the rules allow
    "results_batch_ballots": 2,
    "results_batch_minutes": 0,
}
ROLES = (None, "resident", "facilitator", "institution", "auditor", "admin")
MAX_ENUMERATED = 4


def valid_ballots(candidates: list[str], max_choices: int) -> list[frozenset[str]]:
    return [
        frozenset(c)
        for size in range(1, max_choices + 1)
        for c in itertools.combinations(candidates, size)
    ]


def diff(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {c: after.get(c, 0) - before.get(c, 0) for c in set(before) | set(after)}


def attack(
    readings: list[tuple[int, dict[str, float]]],
    voters: list[str],
    candidates: list[str],
    truth: dict[str, frozenset[str]],
) -> int:
    """Residents whose ballot is the only one consistent with two readings of the tally.

    `readings[i]` is (ballots shown, scores) read just after voter i-1 voted (0: before).
    """
    ballots = valid_ballots(candidates, RULES["max_choices"])
    linked: set[str] = set()
    shown = [(i, r) for i, r in enumerate(readings)]
    changes = [shown[0]] + [
        (i, r) for (i, r), (_, prev) in zip(shown[1:], shown, strict=False) if r != prev
    ]
    for (i, before), (j, after) in itertools.pairwise(changes):
        between = voters[i:j]
        delta = diff(before[1], after[1])
        if not between or len(between) > MAX_ENUMERATED:
            continue
        consistent = [
            combo
            for combo in itertools.product(ballots, repeat=len(between))
            if all(sum(1 for b in combo if c in b) == delta.get(c, 0) for c in candidates)
        ]
        for k, voter in enumerate(between):
            guesses = {combo[k] for combo in consistent}
            if len(guesses) == 1 and guesses == {truth[voter]}:
                linked.add(voter)
    return len(linked)


def scores_of(document: Any) -> tuple[int, dict[str, float]]:
    ranking = document or {}
    return int(ranking.get("ballots_counted") or 0), {
        r["proposal_id"]: r["score"] for r in ranking.get("ranking") or [] if r["score"] is not None
    }


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def _bundle_attack(
    api: Api, truth: dict[str, frozenset[str]], identifiers: dict[str, set[str]]
) -> tuple[int, int]:
    """The audit bundle as an auditor and an admin download it: (residents linked by a
    registration followed by a ballot, resident identifiers found anywhere in it)."""
    linked, named = 0, 0
    client = api.flask_app.test_client()
    for role in ("auditor", "admin"):
        answer = client.get(
            "/api/v1/audit/bundle", headers={"Authorization": f"Bearer {api.tokens[role]}"}
        )
        assert answer.status_code == 200, (role, answer.status_code)
        text = answer.get_data(as_text=True)
        named += sum(1 for ids in identifiers.values() for i in ids if i in text)
        last_registered = None
        for line in map(json.loads, text.splitlines()):
            if line.get("kind") != "event":
                continue
            if line["topic"].startswith("domain.participant:Participant"):
                last_registered = line.get("originator_id")
            elif line["topic"] == "domain.ballot:Ballot.Cast" and last_registered in truth:
                state = json.loads(base64.b64decode(line["state"]))
                linked += frozenset(state["choices"]) == truth[last_registered]
    return linked, named


def test_no_role_links_a_resident_to_their_choices(api: Api, record_property: Any) -> None:
    w = drive(api, "proposals", rules=RULES)
    candidates = [w.ids["own_proposal"], w.ids["proposal"], w.ids["other"]]
    a, b, c = candidates
    # no two consecutive ballots alike: a unanimous batch would give itself away
    wanted = [[a], [b], [c], [a, b], [a, c], [b, c], [a, b, c], [a]]
    codes = api.ok("POST", f"/processes/{w.pid}/invitations", {"count": 8}, "facilitator")["codes"]
    api.ok("POST", f"/processes/{w.pid}/phase", {"phase": "voting"}, "facilitator")
    views = api.flask_app.extensions["views"]

    voters: list[str] = []
    truth: dict[str, frozenset[str]] = {}
    identifiers: dict[str, set[str]] = {}
    readings: dict[Any, list[tuple[int, dict[str, float]]]] = {role: [] for role in ROLES}
    live: list[tuple[int, dict[str, float]]] = []
    documents: list[tuple[str, Any]] = []

    def poll() -> None:
        for role in ROLES:
            answer = api.call("GET", f"/processes/{w.pid}/ranking", who=role)
            assert answer.status == 200, (role, answer.status)
            readings[role].append(scores_of(answer.json))
            documents.append((f"ranking as {role}", answer.json))
            detail = api.call("GET", f"/processes/{w.pid}", who=role)
            documents.append((f"process as {role}", detail.json))
        live.append(scores_of(views.live_ranking(w.pid)))

    poll()
    for index, (code, choices) in enumerate(zip(codes, wanted, strict=True)):
        joined = api.ok("POST", f"/processes/{w.pid}/join", {"code": code})
        token = joined["token"]
        api.tokens[f"voter{index}"] = token
        receipt = api.ok(
            "PUT", f"/processes/{w.pid}/ballot", {"choices": choices}, f"voter{index}"
        )["receipt"]
        pid_of_voter = joined["participant_id"]
        voters.append(pid_of_voter)
        truth[pid_of_voter] = frozenset(choices)
        identifiers[pid_of_voter] = {pid_of_voter, code, receipt, token}
        api.call("GET", f"/processes/{w.pid}/proposals")  # read own writes, as a client would
        settle(api.flask_app, 30.0)
        poll()

    # every export and log, as each role that may read it
    for role in ROLES:
        for path in (
            "/audit/events?limit=1000",
            "/audit/verify",
            f"/processes/{w.pid}/trail.prov.json",
            f"/processes/{w.pid}/proposals",
        ):
            answer = api.call("GET", path, who=role)
            if answer.status == 200:
                documents.append((f"{path} as {role}", answer.json))
    log = api.ok("GET", "/audit/events?limit=1000", who="auditor")["events"]
    bundle_links, bundle_named = _bundle_attack(api, truth, identifiers)

    links = {role: attack(readings[role], voters, candidates, truth) for role in ROLES}
    baseline = attack(live, voters, candidates, truth)
    # the event log: a registration directly followed by a ballot names neither
    ballot_rows = [e for e in log if "Ballot" in e["topic"]]
    named = [e for e in log if ("Participant" in e["topic"] or "Ballot" in e["topic"])]
    adjacency = sum(
        1
        for first, second in itertools.pairwise(log)
        if "Participant" in first["topic"]
        and "Ballot" in second["topic"]
        and (first["originator_id"] or second["originator_id"])
    )
    # no object anywhere holds a resident's identifier and choices together
    together = [
        name
        for name, document in documents
        for node in walk(document)
        if any(k in node for k in ("choices", "ballot", "ballots"))
        and any(i in json.dumps(node) for ids in identifiers.values() for i in ids)
    ]
    figures = {
        "voters": len(voters),
        "links_by_role": links,
        "unbatched_baseline_links": baseline,
        "ballot_events": len(ballot_rows),
        "adjacent_named": adjacency,
        "identity_next_to_choices": len(together),
        "bundle_links": bundle_links,
        "bundle_identifiers": bundle_named,
    }
    line = f"secrecy/linking {json.dumps(figures)}"
    print(line)
    record_property("secrecy/linking", json.dumps(figures))
    assert baseline == len(voters), line  # the attack works on an unbatched tally
    assert all(n == 0 for n in links.values()), line
    assert len(ballot_rows) == len(voters) and adjacency == 0, line
    assert all(e["originator_id"] is None for e in named), line
    assert not together, line + "\n" + "\n".join(together[:10])
    assert bundle_links == 0 and bundle_named == 0, line
    # the vote still closes with everything counted, and the audit still verifies
    api.ok("POST", f"/processes/{w.pid}/shortlist", {}, "facilitator")
    settle(api.flask_app, 30.0)
    final = api.ok("GET", f"/processes/{w.pid}/ranking")
    assert final["ballots_counted"] == 8 and final["live"] is False
    assert api.ok("GET", "/audit/verify", who="auditor")["ok"] is True


def test_default_rules_show_nothing_for_the_first_ten_ballots(api: Api) -> None:
    rules = {"method": "approval", "max_choices": 3, "shortlist_size": 2}
    w = drive(api, "voting", rules=rules)  # one ballot cast already
    codes = api.ok("POST", f"/processes/{w.pid}/invitations", {"count": 8}, "facilitator")["codes"]
    for index, code in enumerate(codes):
        api.tokens[f"v{index}"] = api.ok("POST", f"/processes/{w.pid}/join", {"code": code})[
            "token"
        ]
        api.ok("PUT", f"/processes/{w.pid}/ballot", {"choices": [w.ids["other"]]}, f"v{index}")
        settle(api.flask_app, 30.0)
        shown = api.ok("GET", f"/processes/{w.pid}/ranking", who="facilitator")
        assert shown["ballots_counted"] == 0 and shown["batch"]["published"] is False
        assert all(r["score"] is None for r in shown["ranking"])


def test_batch_rules_that_would_show_one_ballot_are_422(api: Api) -> None:
    head = api.head()
    title = {"fr": "Vote", "nl": "Stemming"}
    for rules in ({"results_batch_ballots": 1}, {"results_batch_minutes": -5}):
        answer = api.call("POST", "/processes", {"title": title, "rules": rules}, "facilitator")
        assert answer.status == 422, answer.json
        assert next(iter(rules)) in json.dumps(answer.json["errors"])
    assert api.head() == head
