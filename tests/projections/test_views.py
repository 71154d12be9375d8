"""The read models as residents, facilitators and auditors query them (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json

from app_support import sync


def test_processes_workshops_contributions_and_proposals(app, world, views, storage):
    made = world.small_process()
    sync(storage, views)
    pid = str(made["pid"])
    c1, _, c3, c4 = map(str, made["contributions"])
    p1, p2, p3 = map(str, made["proposals"])

    (listed,) = views.list_processes()
    assert listed["process_id"] == pid and listed["phase"] == "voting"
    detail = views.process(made["pid"])
    assert detail["axes"][0]["axis_id"] == str(made["axis"])
    assert detail["counts"] == {"workshops": 2, "contributions": 3, "proposals": 2, "ballots": 3}
    assert views.process("00000000-0000-0000-0000-000000000000") is None

    assert [w["contribution_count"] for w in views.workshops(pid)] == [2, 1]
    w2 = str(made["workshops"][1])
    assert [c["contribution_id"] for c in views.contributions(w2)] == [c3]
    hidden = views.contributions(w2, include_hidden=True)
    assert [c["contribution_id"] for c in hidden] == [c3, c4]
    assert hidden[1]["hidden_reason"] == "Hors sujet ici"
    assert "author_id" not in views.contributions(w2)[0]
    # supports: visible proposals citing the contribution (p1 absorbed p3's source c3)
    by_id = {c["contribution_id"]: c for c in views.contributions(made["workshops"][0])}
    assert by_id[c1]["supports"] == 1 and by_id[c1]["axis_id"] == str(made["axis"])
    assert views.contribution(c3)["supports"] == 1

    proposals = {p["proposal_id"]: p for p in views.proposals(pid)}
    assert proposals[p3]["status"] == "merged" and proposals[p3]["merged_into"] == p1
    assert proposals[p1]["merged_from"] == [p3]
    assert set(proposals[p1]["source_ids"]) == {c1, c3}
    assert [p["proposal_id"] for p in views.proposals(pid, axis_id=made["axis"])] == []
    assert views.proposal(p2)["visible"] is True

    queue = views.moderation_queue(pid)
    assert [c["contribution_id"] for c in queue["hidden_contributions"]] == [c4]
    assert queue["recent_contributions"][0]["contribution_id"] == c4
    assert {a["action"] for a in queue["recent_actions"]} == {"tag", "hide", "merge"}
    json.dumps([views.list_processes(), queue, views.proposals(pid, include_hidden=True)])


def test_ranking_receipts_and_shortlist(app, world, views, storage):
    made = world.small_process()
    pid, (p1, p2, _) = made["pid"], made["proposals"]
    residents, receipts = made["residents"], made["receipts"]
    sync(storage, views)
    ranking = views.live_ranking(pid)
    assert ranking["counted_by"] == "tallies" and ranking["ballots_counted"] == 3
    # equal scores: the documented tie-break order (sha256 of process/proposal) decides
    tied = sorted(
        [str(p1), str(p2)], key=lambda c: hashlib.sha256(f"{pid}/{c}".encode()).hexdigest()
    )
    assert [(r["proposal_id"], r["score"]) for r in ranking["ranking"]] == [(c, 2) for c in tied]
    digest = app.receipt_digest
    assert all(views.receipt_counted(pid, digest(r)) for r in receipts)
    assert not any(views.receipt_counted(pid, r) for r in receipts)  # digests only
    # a recast subtracts the old choices and adds the new ones; the old receipt stops counting
    new = app.cast_ballot(residents[2], pid, [str(p1)])
    app.withdraw_ballot(residents[1], pid)
    sync(storage, views)
    ranking = views.live_ranking(pid)
    scores = {r["proposal_id"]: r["score"] for r in ranking["ranking"]}
    assert scores == {str(p1): 2, str(p2): 0}
    assert ranking["ranking"][0]["title"] == "Potager"
    assert views.receipt_counted(pid, digest(new))
    assert not views.receipt_counted(pid, digest(receipts[2]))
    assert not views.receipt_counted(pid, digest(receipts[1]))
    assert not views.receipt_counted(made["proposals"][1], digest(new))  # another process
    assert views.shortlist(pid) is None

    result = app.publish_shortlist(world.facilitator, pid)
    sync(storage, views)
    shortlist = views.shortlist(pid)
    assert [e["proposal_id"] for e in shortlist["shortlist"]] == result.shortlist
    assert shortlist["result"]["ballots_counted"] == result.ballots_counted
    assert shortlist["chain_head"]["position"] > 0
    assert views.ranking(pid)["live"] is False
    json.dumps([ranking, shortlist])


def test_audit_events_and_chain_head(app, world, views, storage):
    world.process()
    head = sync(storage, views)
    events = views.audit_events(after=0, limit=3)
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    assert len(events) == 3 and len(events[0]["hash"]) == 64
    assert views.chain_head()["position"] == head
    from_store = app.chain_head()  # the same chain, computed from the store
    assert views.chain_head() == {k: from_store[k] for k in ("position", "hash")}
    # ... with a signed checkpoint of the whole tree (one leaf per event)
    assert from_store["checkpoint"].split("\n")[1] == str(app.head_position())
    later = views.audit_events(after=events[-1]["position"], limit=1000)
    assert len(events) + len(later) == len(views.audit_events(limit=1000))


def test_trail_of_a_merged_proposal(app, world, views, storage):
    made = world.small_process()
    pid, (p1, p2, p3) = made["pid"], made["proposals"]
    app.publish_shortlist(world.facilitator, pid)
    rid = world.answered_recommendation(pid, [p1])
    sync(storage, views)
    trail = views.trail(rid)
    assert trail["recommendation"]["answer"] == "accepted"
    (entry,) = trail["proposals"]
    assert entry["proposal_id"] == str(p1) and entry["rank"] in (1, 2)
    assert entry["merged_from"] == [{"proposal_id": str(p3), "title": "Jardin"}]
    cited = {c["contribution_id"] for c in entry["contributions"]}
    assert cited == {str(made["contributions"][0]), str(made["contributions"][2])}
    # the idea behind the merged proposal reached the recommendation through the merge
    outcome = views.outcome(made["contributions"][2])
    assert {p["proposal_id"] for p in outcome["proposals"]} == {str(p1), str(p3)}
    (recommendation,) = outcome["recommendations"]
    assert recommendation["recommendation_id"] == str(rid)
    assert recommendation["answers"][0]["status"] == "accepted"
    assert recommendation["progress"] == 30
    assert views.outcome(made["contributions"][1])["recommendations"] == []
    assert views.trail(p2) is None and views.outcome(p2) is None
    json.dumps([trail, outcome, views.trail_json(pid)])


def test_the_vote_and_proposals_by_id_as_the_ballot_form_reads_them(app, world, views, storage):
    made = world.small_process()
    pid, (p1, p2, p3) = made["pid"], map(str, made["proposals"])
    sync(storage, views)
    vote = views.vote(pid)
    assert vote["candidates"] == [p1, p2] and vote["open"] is True
    assert vote["removed"] == {} and vote["rules"]["method"] == "approval"
    assert views.vote("00000000-0000-0000-0000-000000000000") is None

    app.moderate_proposal(world.facilitator, made["proposals"][1], action="hide", reason="Hors")
    sync(storage, views)
    vote = views.vote(pid)
    assert vote["candidates"] == [p1] and list(vote["removed"]) == [p2]

    found = views.proposals_by_id([p1, p2, p3, "00000000-0000-0000-0000-000000000000"])
    assert set(found) == {p1, p2, p3}
    assert found[p1]["title"] == "Potager" and found[p2]["hidden"] is True
    assert found[p3]["status"] == "merged" and "author_id" not in found[p1]
    assert views.proposals_by_id([]) == {}

    app.publish_shortlist(world.facilitator, pid)
    sync(storage, views)
    assert views.vote(pid)["open"] is False
