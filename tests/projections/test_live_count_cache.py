"""The live count of a method that is not tallied (Schulze here) is made once per state of
the ballots: reading the ranking again without a ballot change does not recount (a
count took 0.8-1.6 s at city scale, on every GET)."""

from __future__ import annotations

from app_support import sync

import projections.queries.voting


def test_the_live_count_is_kept_until_a_ballot_changes(app, world, storage, views, monkeypatch):
    made = world.small_process({"method": "schulze", "shortlist_size": 2})
    sync(storage, views)
    calls = []
    real = projections.queries.voting.count
    monkeypatch.setattr(
        projections.queries.voting, "count", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    first = views.live_ranking(made["pid"])
    again = views.live_ranking(made["pid"])
    assert first == again and first["counted_by"] == "count"
    assert len(calls) == 1
    app.cast_ballot(
        made["residents"][0], made["pid"], [str(made["proposals"][1]), str(made["proposals"][0])]
    )
    sync(storage, views)
    changed = views.live_ranking(made["pid"])
    assert len(calls) == 2
    assert changed["ballot_changes"] == first["ballot_changes"] + 1
