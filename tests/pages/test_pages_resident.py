"""Residents' pages through the Flask test client: plain forms, no JavaScript."""

from __future__ import annotations

import re

from app_support import settle
from pages_support import act_as, csrf_of, join, page_text

from domain.roles import Role

RECEIPT = re.compile(r'id="receipt">([^<]+)<')


def test_public_pages_answer(site):
    client = site.client()
    pid, demo = site.pid, site.demo
    for url in [
        "/",
        f"/p/{pid}",
        f"/p/{pid}/workshops",
        f"/p/{pid}/workshops/{demo.workshop_ids[0]}",
        f"/p/{pid}/proposals",
        f"/p/{pid}/proposals?axis={demo.axis_ids[0]}",
        f"/p/{pid}/proposals/{demo.proposal_ids[0]}",
        f"/p/{pid}/check",
        f"/p/{pid}/results",
        f"/p/{pid}/recommendations",
        f"/p/{pid}/join",
        "/sign-in",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = page_text(response)
        assert '<html lang="en">' in html
        assert '<main id="main"' in html and "<h1" in html, url


def test_process_page_shows_phase_and_axes(site):
    html = page_text(site.client().get(f"/p/{site.pid}"))
    assert "Meet the neighbours" in html
    assert 'aria-current="step"' in html and "Vote" in html
    assert "Living environment and green spaces" in html


def test_contribution_text_carries_its_language_and_is_escaped(site):
    html = page_text(site.client().get(f"/p/{site.pid}/workshops/{site.demo.workshop_ids[0]}"))
    assert '<blockquote lang="fr"><p>Depuis deux hivers' in html
    assert 'lang="nl"' in html


def test_proposals_grouped_by_axis_with_language(site):
    html = page_text(site.client().get(f"/p/{site.pid}/proposals"))
    assert "Housing and renovation" in html
    assert '<h3 lang="nl"><a href="' in html and "Ramen vervangen in blok C" in html


def test_unknown_process_is_404(site):
    assert site.client().get("/p/00000000-0000-0000-0000-000000000000").status_code == 404


def test_join_vote_change_vote_and_receipts_without_javascript(site):
    client = site.client()
    join(client, site, name="Amina")
    pid, proposals = site.pid, site.demo.proposal_ids
    form = client.get(f"/p/{pid}/ballot")
    html = page_text(form)
    assert form.status_code == 200
    assert html.count('type="checkbox" name="choice"') == len(proposals)
    assert "You can choose up to 5 proposals." in html

    first = client.post(
        f"/p/{pid}/ballot",
        data={"choice": [str(proposals[0]), str(proposals[3])], "csrf_token": csrf_of(form)},
    )
    assert first.status_code == 303 and first.location.endswith(f"/p/{pid}/receipt")
    receipt_page = page_text(client.get(first.location))
    old_receipt = RECEIPT.search(receipt_page).group(1)
    assert "Plan anti-moisissure en 12 mois" in receipt_page

    # changing one's vote: the form shows the stored choices and a new receipt follows
    form = client.get(f"/p/{pid}/ballot")
    html = page_text(form)
    assert "You have already voted" in html
    assert f'value="{proposals[0]}" checked' in html
    changed = client.post(
        f"/p/{pid}/ballot", data={"choice": [str(proposals[5])], "csrf_token": csrf_of(form)}
    )
    assert changed.status_code == 303
    new_receipt = RECEIPT.search(page_text(client.get(f"/p/{pid}/receipt"))).group(1)
    assert new_receipt != old_receipt

    settle(site.app, 30)
    anyone = site.client()
    counted = page_text(anyone.get(f"/p/{pid}/check", query_string={"receipt": new_receipt}))
    assert "Yes: this receipt is counted." in counted
    stale = page_text(anyone.get(f"/p/{pid}/check", query_string={"receipt": old_receipt}))
    assert "No: this receipt is not in the counted votes." in stale


def test_too_many_choices_is_explained_on_the_form(site):
    client = site.client()
    join(client, site)
    form = client.get(f"/p/{site.pid}/ballot")
    chosen = [str(p) for p in site.demo.proposal_ids[:6]]
    response = client.post(
        f"/p/{site.pid}/ballot", data={"choice": chosen, "csrf_token": csrf_of(form)}
    )
    html = page_text(response)
    assert response.status_code == 422
    assert "You chose 6 proposals, but the limit is 5." in html
    assert html.count(" checked") >= 6  # what the resident ticked is kept


def test_empty_ballot_is_explained(site):
    client = site.client()
    join(client, site)
    form = client.get(f"/p/{site.pid}/ballot")
    response = client.post(f"/p/{site.pid}/ballot", data={"csrf_token": csrf_of(form)})
    assert response.status_code == 422
    assert "Choose at least one proposal." in page_text(response)


def test_script_gets_json_with_the_receipt(site):
    client = site.client()
    join(client, site)
    form = client.get(f"/p/{site.pid}/ballot")
    response = client.post(
        f"/p/{site.pid}/ballot",
        data={"choice": [str(site.demo.proposal_ids[2])], "csrf_token": csrf_of(form)},
        headers={"X-Requested-With": "voisinage"},
    )
    assert response.status_code == 200
    assert response.json["ok"] is True and len(response.json["receipt"]) >= 16


def test_wrong_invitation_code_is_a_friendly_message(site):
    client = site.client()
    form = client.get(f"/p/{site.pid}/join")
    response = client.post(
        f"/p/{site.pid}/join", data={"code": "WRONG-CODE-0000", "csrf_token": csrf_of(form)}
    )
    assert response.status_code == 422
    assert "This invitation code is not valid." in page_text(response)


def test_the_same_code_signs_the_same_resident_in_again(site):
    code = site.code()
    first = site.client()
    form = first.get(f"/p/{site.pid}/join")
    joined = first.post(
        f"/p/{site.pid}/join", data={"code": code, "name": "Amina", "csrf_token": csrf_of(form)}
    )
    assert joined.status_code == 303
    sign_out = first.get("/sign-out")  # a resident is warned first
    assert "invitation card" in page_text(sign_out)
    first.post("/sign-out", data={"csrf_token": csrf_of(sign_out)})
    assert first.get(f"/p/{site.pid}/ballot").status_code == 303  # signed out
    head = site.voisinage.head_position()
    second = site.client()  # another phone: the QR code on the card fills the code in
    form = second.get(f"/p/{site.pid}/join?code={code}")
    assert f'value="{code}"' in page_text(form)
    response = second.post(
        f"/p/{site.pid}/join",
        data={"code": code.lower(), "csrf_token": csrf_of(form)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Welcome back!" in page_text(response)
    assert site.voisinage.head_position() == head  # nothing recorded
    assert second.get(f"/p/{site.pid}/ballot").status_code == 200


def test_resident_pages_need_joining(site):
    client = site.client()
    response = client.get(f"/p/{site.pid}/ballot")
    assert response.status_code == 303 and response.location.endswith(f"/p/{site.pid}/join")
    assert client.get(f"/p/{site.pid}/my-ideas").status_code == 303


def test_what_became_of_my_ideas(site):
    client = site.client()
    # demo resident 2 typed contribution 2 ("Prévenir les locataires...") in a workshop
    act_as(client, site.demo.residents[2])
    html = page_text(client.get(f"/p/{site.pid}/my-ideas"))
    assert "Prévenir les locataires une semaine avant" in html
    assert '<blockquote lang="fr">' in html


def test_residents_stay_signed_in_and_can_sign_out(site):
    client = site.client()
    join(client, site)
    home = client.get("/")
    assert "My neighbourhood" in page_text(home)
    warning = client.get("/sign-out")
    assert "To come back, you need the code on your invitation card." in page_text(warning)
    response = client.post("/sign-out", data={"csrf_token": csrf_of(warning)})
    assert response.status_code == 303
    assert client.get(f"/p/{site.pid}/ballot").status_code == 303


def test_a_member_finds_give_my_idea_on_the_process_page_while_a_workshop_is_open(site):
    from pages_support import open_workshop

    pid, wid = open_workshop(site)
    facilitator = site.demo.staff[Role.FACILITATOR]
    code = site.voisinage.issue_invitations(facilitator, pid, 1)[0]
    client = site.client("fr")
    form = client.get(f"/p/{pid}/join")
    client.post(f"/p/{pid}/join", data={"code": code, "csrf_token": csrf_of(form)})
    html = page_text(client.get(f"/p/{pid}"))
    assert f'href="/p/{pid}/workshops/{wid}#contribute">' in html
    assert "Donner mon idée" in html
    # the workshop's day is written out in the reader's language, not as an ISO date
    workshops = page_text(client.get(f"/p/{pid}/workshops"))
    assert "dimanche 1 mars 2026" in workshops and "2026-03-01" not in workshops
    # with no workshop open, the page says when the next one is
    site.voisinage.close_workshop(facilitator, wid)
    from datetime import date

    site.voisinage.schedule_workshop(
        facilitator, pid, title="Suite", on=date(2026, 4, 2), place="Local"
    )
    settle(site.app, 30)
    html = page_text(client.get(f"/p/{pid}"))
    assert "#contribute" not in html
    assert "Prochain atelier : Suite, jeudi 2 avril 2026, Local." in html


def test_a_resident_of_another_process_is_refused_its_resident_pages(site):
    """Residents act only in the process they joined: the pages ask RULES and the process."""
    other = site.world.process(title={"fr": "Ailleurs", "nl": "Elders"})
    settle(site.app)
    client = site.client()
    act_as(client, site.demo.residents[0])
    for page in ("ballot", "receipt", "receipt.txt", "my-ideas", "my-data.json"):
        assert client.get(f"/p/{other}/{page}").status_code == 403, page
        assert client.get(f"/p/{site.pid}/{page}").status_code in (200, 404), page
    head = site.voisinage.head_position()
    form = client.get(f"/p/{site.pid}/ballot")
    refused = client.post(f"/p/{other}/ballot", data={"csrf_token": csrf_of(form)})
    assert refused.status_code == 403
    assert site.voisinage.head_position() == head  # nothing recorded
