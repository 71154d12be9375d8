"""Live results are shown in batches: k ballot changes and T minutes (SQLite and PostgreSQL)."""

from __future__ import annotations

import time

from app_support import sync

RULES = {
    "method": "approval",
    "max_choices": 2,
    "shortlist_size": 2,
    "results_batch_ballots": 3,
    "results_batch_minutes": 10,
}


def scores(ranking):
    return {r["proposal_id"]: r["score"] for r in ranking["ranking"]}


def test_ranking_changes_only_after_k_changes_and_t_minutes(app, world, views, storage):
    made = world.small_process(rules=RULES)  # 3 ballots cast
    pid, (p1, p2, _) = made["pid"], made["proposals"]
    residents = made["residents"]
    sync(storage, views)
    now = time.time()
    first = views.ranking(pid, now=now)
    # 3 changes >= k and no batch before: the first batch is published at once
    assert first["batch"]["published"] and first["ballots_counted"] == 3
    assert scores(first) == {str(p1): 2, str(p2): 2}

    # one more ballot (recast): nothing changes, neither at once nor after T minutes
    app.cast_ballot(residents[2], pid, [str(p1)])
    sync(storage, views)
    assert scores(views.ranking(pid, now=now + 1)) == scores(first)
    assert scores(views.ranking(pid, now=now + 3600)) == scores(first)

    # three changes, but too early: still the first batch
    app.cast_ballot(residents[3], pid, [str(p2)])
    app.withdraw_ballot(residents[1], pid)
    sync(storage, views)
    early = views.ranking(pid, now=now + 60)
    assert scores(early) == scores(first) and early["ballots_counted"] == 3
    # T minutes later the next batch shows all three changes together
    later = views.ranking(pid, now=now + 601)
    assert later["ballots_counted"] == 3
    assert scores(later) == {str(p1): 2, str(p2): 1}
    assert later["batch"]["ballot_changes"] == 6
    # the live tally (internal) was always exact
    assert scores(views.live_ranking(pid)) == scores(later)


def test_nothing_is_shown_before_the_first_batch(app, world, views, storage):
    made = world.small_process(rules={**RULES, "results_batch_ballots": 5})
    sync(storage, views)
    shown = views.ranking(made["pid"])
    assert shown["batch"]["published"] is False
    assert shown["ballots_counted"] == 0
    assert all(r["score"] is None and r["rank"] is None for r in shown["ranking"])
    assert "result" not in shown


def test_after_the_close_the_ranking_is_the_count(app, world, views, storage):
    made = world.small_process(rules={**RULES, "results_batch_ballots": 50})
    app.publish_shortlist(world.facilitator, made["pid"])
    sync(storage, views)
    shown = views.ranking(made["pid"])
    assert shown["live"] is False and shown["ballots_counted"] == 3 and "batch" not in shown


def test_one_resident_recasting_cannot_isolate_the_next_voter(app, world, views, storage):
    """k = 3, no wait: an accomplice recasts twice, then the target votes. Three changes,
    but two ballots: no new batch, so the difference of two readings is not the target's
    ballot. A third ballot changing releases the batch."""
    made = world.small_process(rules={**RULES, "results_batch_minutes": 0})
    pid, (p1, p2, _) = made["pid"], made["proposals"]
    accomplice, target = made["residents"][0], made["residents"][3]
    sync(storage, views)
    first = views.ranking(pid)
    assert first["batch"]["published"]
    app.cast_ballot(accomplice, pid, [str(p2)])
    app.cast_ballot(accomplice, pid, [str(p1)])
    app.cast_ballot(target, pid, [str(p2)])
    sync(storage, views)
    held = views.ranking(pid)
    assert scores(held) == scores(first) and held["ballots_counted"] == 3
    assert held["batch"]["ballot_changes"] == first["batch"]["ballot_changes"]
    app.cast_ballot(made["residents"][2], pid, [str(p1)])  # a third ballot changes
    sync(storage, views)
    released = views.ranking(pid)
    assert released["ballots_counted"] == 4
    assert scores(released) == scores(views.live_ranking(pid)) != scores(first)
