"""The results page explains the method in plain words and the ties that decided seats."""

from __future__ import annotations

from app_support import settle
from pages_support import page_text

from domain.roles import Role

TIE_FOR_THE_LAST_SEAT = ([0, 1], [0, 2], [0])  # Bancs 3, Potager 1, Ascenseur 1
NO_TIE = ([0, 1], [0, 1], [0, 2])  # Bancs 3, Potager 2, Ascenseur 1


def _voted(site, ballots=TIE_FOR_THE_LAST_SEAT):
    """Approval, two seats, three proposals, three ballots (indexes into the proposals)."""
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    voting = site.world.in_voting(
        {"method": "approval", "shortlist_size": 2},
        proposals=["Bancs", "Potager", "Ascenseur"],
        residents=3,
        title={"fr": "Vote serré"},
    )
    pid, proposals = voting.pid, voting.proposals
    for resident, choices in zip(voting.residents, ballots, strict=True):
        app.cast_ballot(resident, pid, [str(proposals[i]) for i in choices])
    result = app.publish_shortlist(facilitator, pid)
    settle(site.app)
    titles = dict(zip(map(str, proposals), ("Bancs", "Potager", "Ascenseur"), strict=True))
    return pid, result, titles


def test_a_tie_for_the_last_seat_is_explained_in_the_reader_s_language(site):
    pid, result, titles = _voted(site)
    kept, left_out = (
        titles[str(result.shortlist[1])],
        ({"Potager", "Ascenseur"} - {titles[str(result.shortlist[1])]}).pop(),
    )
    html = page_text(site.client("fr").get(f"/p/{pid}/results"))
    assert '<h2 id="ties">Scores égaux</h2>' in html
    assert (
        "ont obtenu le même score (1), et la sélection n'avait de place que pour une "
        "partie d'entre elles. L'ordre de tirage fixé avant le vote a décidé : "
        f"{kept} dans la sélection, {left_out} non."
    ) in html
    assert "Méthode de comptage : Approbation : chaque habitant coche" in html


def test_a_count_without_ties_shows_no_tie_section(site):
    pid, result, titles = _voted(site, NO_TIE)
    assert [titles[str(p)] for p in result.shortlist] == ["Bancs", "Potager"]
    html = page_text(site.client("nl").get(f"/p/{pid}/results"))
    assert "Bancs" in html and "Potager" in html
    assert 'id="ties"' not in html and "Gelijke scores" not in html
