"""A participatory budget on the pages: costs and the running total on the ballot,
the budget and the .pb download on the results, in French and Dutch."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from app_support import settle
from pages_support import Site, act_as, csrf_of, page_text

from domain import pabulib
from domain.roles import Role

COSTS = (12_000, 8_500, 30_000)


def budget_vote(site: Site) -> tuple[UUID, list[UUID], object]:
    """A process with a budget of 40 000 EUR and three costed proposals, vote open."""
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    rules = {"method": "equal_shares", "spending_limit": 40_000, "show_running_total": True}
    pid = app.start_process(facilitator, title={"fr": "Budget", "nl": "Budget"}, rules=rules)
    app.advance_phase(facilitator, pid, "contributions")
    wid = app.schedule_workshop(
        facilitator, pid, title="Atelier", on=date(2026, 3, 1), place="Salle"
    )
    app.open_workshop(facilitator, wid)
    source = app.record_contribution(
        facilitator, wid, kind="idea", text="Une plaine de jeux", language="fr"
    )
    app.advance_phase(facilitator, pid, "proposals")
    ids = [
        app.submit_proposal(
            facilitator,
            pid,
            title=f"Projet {i}",
            body="Texte",
            language="fr",
            source_ids=[source],
            cost=cost,
        )
        for i, cost in enumerate(COSTS)
    ]
    (code,) = app.issue_invitations(facilitator, pid, 1)
    resident = app.join(pid, code)
    app.advance_phase(facilitator, pid, "voting")
    settle(site.app)
    return pid, ids, resident


def test_the_ballot_shows_costs_and_the_running_total_and_results_the_budget(
    fresh_site: Site,
) -> None:
    site = fresh_site
    pid, ids, resident = budget_vote(site)
    client = site.client("fr")
    act_as(client, resident)  # type: ignore[arg-type]
    form = client.get(f"/p/{pid}/ballot")
    html = page_text(form)
    assert form.status_code == 200
    assert "Le budget est de 40\u202f000\xa0€" in html  # localised, never split
    assert html.count("Coût estimé") == 3 and 'data-cost="30000"' in html
    assert "Vos choix coûtent 0\xa0€ au total (budget : 40\u202f000\xa0€)" in html  # no script
    posted = client.post(
        f"/p/{pid}/ballot",
        data={"choice": [str(ids[0]), str(ids[1])], "csrf_token": csrf_of(form)},
    )
    assert posted.status_code == 303
    again = page_text(client.get(f"/p/{pid}/ballot"))
    assert "Vos choix coûtent 20\u202f500\xa0€ au total" in again

    site.voisinage.publish_shortlist(site.demo.staff[Role.FACILITATOR], pid)
    settle(site.app)
    results = page_text(site.client("nl").get(f"/p/{pid}/results"))
    assert "Budget:" in results and "De gefinancierde voorstellen kosten samen" in results
    assert "De stemming downloaden (.pb-bestand, Pabulib-formaat)" in results
    download = site.client().get(f"/api/v1/processes/{pid}/export.pb")
    election = pabulib.parse(download.get_data(as_text=True))
    assert sorted(election.costs().values()) == sorted(COSTS)
    proposal = page_text(site.client("fr").get(f"/p/{pid}/proposals/{ids[2]}"))
    assert "Coût estimé : 30\u202f000\xa0€" in proposal
