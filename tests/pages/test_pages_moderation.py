"""The moderation page: a short, filtered and paginated queue, a log in words, merging by
choosing the target, a confirmation before hiding a proposal during the vote, and only
the forms the phase permits."""

from __future__ import annotations

import re
from datetime import date

from app_support import settle
from markupsafe import escape
from pages_support import csrf_of, open_workshop, page_text, sign_in

from domain.roles import Role


def _ids(html: str, prefix: str) -> list[str]:
    return re.findall(rf'<li(?: class="card")? id="{prefix}-([0-9a-f-]{{36}})"', html)


def test_the_queue_is_filtered_and_paginated(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    first = page_text(client.get(f"/p/{site.pid}/moderation"))
    assert len(_ids(first, "c")) == 20  # the demo has 40 contributions: 20 per page
    assert f"/p/{site.pid}/moderation?kind=contributions&amp;status=review&amp;page=2" in first
    assert "Page 1 of 2" in first
    second = page_text(client.get(f"/p/{site.pid}/moderation?page=2"))
    assert len(_ids(second, "c")) == 20 and not set(_ids(first, "c")) & set(_ids(second, "c"))
    assert "Previous page" in second and "Next page" not in second
    proposals = page_text(client.get(f"/p/{site.pid}/moderation?kind=proposals"))
    assert len(_ids(proposals, "p")) == 15 and not _ids(proposals, "c")
    assert "Page 1 of" not in proposals  # one page only: no pager
    hidden = page_text(client.get(f"/p/{site.pid}/moderation?status=hidden"))
    assert "Nothing here." in hidden and not _ids(hidden, "c")
    # nonsense filters fall back to the first choice instead of failing
    odd = client.get(f"/p/{site.pid}/moderation?kind=x&status=y&page=zz")
    assert odd.status_code == 200 and len(_ids(page_text(odd), "c")) == 20


def test_the_voting_phase_offers_no_tag_form(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    html = page_text(client.get(f"/p/{site.pid}/moderation"))
    assert _ids(html, "c")  # contributions are listed, and can still be hidden
    assert 'value="hide"' in html
    assert 'value="tag"' not in html and 'name="axis_id"' not in html
    assert "At this stage, themes can no longer be changed." in html


def test_the_log_says_who_did_what_and_when_in_words(site):
    pid, wid = open_workshop(site)
    facilitator = site.demo.staff[Role.FACILITATOR]
    cid = site.voisinage.record_contribution(
        facilitator, wid, kind="idea", text="Des poubelles partout dans la cour", language="fr"
    )
    site.voisinage.moderate_contribution(facilitator, cid, action="hide", reason="doublon")
    settle(site.app)
    admin = site.client("fr")
    sign_in(admin, Role.ADMIN)
    html = page_text(admin.get(f"/p/{pid}/moderation"))
    log = html[html.index('id="log"') :]
    assert " · Demo facilitator (animateur)</p>" in log  # the name and the role
    assert "A masqué la contribution « Des poubelles partout dans la cour »" in log
    assert "Raison : doublon" in log
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", log)  # no raw ISO moment
    assert re.search(r"\d{1,2} [a-zéû]+\.? 20\d\d \d{2}:\d{2}", log), log  # localised
    assert "item_kind" not in log and ">hide<" not in log and ">contribution<" not in log
    # the facilitator who acted reads "you"
    mine = site.client()
    sign_in(mine, Role.FACILITATOR)
    own = page_text(mine.get(f"/p/{pid}/moderation"))
    assert "You" in own[own.index('id="log"') :]
    assert "Hid the contribution “Des poubelles partout dans la cour”" in own


def test_merging_chooses_the_target_from_a_list_and_shows_into_what(fresh_site):
    site = fresh_site
    pid = site.pid
    first, second = site.demo.proposal_ids[:2]
    target_title = str(escape(site.voisinage.proposal(second).title))
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{pid}/moderation?kind=proposals")
    html = page_text(page)
    select = re.search(
        rf'<select id="mt-{first}" name="target_id" required>(.*?)</select>', html, re.S
    )
    assert select, "no list of proposals to merge into"
    assert f'value="{second}"' in select.group(1) and target_title in select.group(1)
    assert f'value="{first}"' not in select.group(1)  # not into itself
    sent = client.post(
        f"/p/{pid}/proposals/{first}/moderate",
        data={
            "action": "merge",
            "target_id": str(second),
            "reason": "doublon",
            "csrf_token": csrf_of(page),
        },
    )
    assert sent.status_code == 303
    assert site.voisinage.proposal(first).merged_into == second
    link = f'Merged into <a href="/p/{pid}/proposals/{second}">{target_title}</a>'
    everything = page_text(client.get(f"/p/{pid}/moderation?kind=proposals&status=all"))
    assert link in everything
    title = escape(site.voisinage.proposal(first).title)
    assert f"Merged the proposal “{title}” into “{target_title}”" in everything
    public = page_text(site.client().get(f"/p/{pid}/proposals/{first}"))
    assert link in public


def test_hiding_during_the_vote_asks_first_and_says_what_happens_to_the_votes(fresh_site):
    site = fresh_site
    pid = site.pid
    proposal = site.demo.proposal_ids[0]
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    queue = page_text(client.get(f"/p/{pid}/moderation?kind=proposals"))
    item = queue[queue.index(f'id="p-{proposal}"') :]
    item = item[: item.index("</li>")]
    assert f'href="/p/{pid}/proposals/{proposal}/hide"' in item
    assert 'value="hide"' not in item  # no one-click hide during the vote
    confirm = client.get(f"/p/{pid}/proposals/{proposal}/hide")
    html = page_text(confirm)
    assert confirm.status_code == 200
    ranking = site.app.extensions["views"].ranking(pid)
    score = next(r["score"] for r in ranking["ranking"] if r["proposal_id"] == str(proposal))
    if score is None:
        assert "Its votes will no longer count" in html
    else:
        assert f"This proposal has {int(score)} votes in the last count shown" in html
    assert "cannot come back onto the ballot" in html
    assert 'name="reason"' in html and 'value="hide"' in html
    before = site.voisinage.head_position()
    refused = client.post(
        f"/p/{pid}/proposals/{proposal}/moderate",
        data={"action": "hide", "reason": "", "csrf_token": csrf_of(confirm)},
    )
    assert refused.status_code == 303 and site.voisinage.head_position() == before
    client.post(
        f"/p/{pid}/proposals/{proposal}/moderate",
        data={"action": "hide", "reason": "hors sujet", "csrf_token": csrf_of(confirm)},
    )
    assert site.voisinage.proposal(proposal).hidden_reason == "hors sujet"
    hidden = page_text(client.get(f"/p/{pid}/moderation?kind=proposals&status=hidden"))
    item = hidden[hidden.index(f'id="p-{proposal}"') :]
    item = item[: item.index("</li>")]
    assert "it cannot come back onto the ballot, so it stays hidden" in item
    assert "Show again" not in item and 'value="restore"' not in item
    # the page in French says the same, in French
    french = site.client("fr")
    sign_in(french, Role.FACILITATOR)
    other = site.demo.proposal_ids[1]
    text = page_text(french.get(f"/p/{pid}/proposals/{other}/hide"))
    assert "Masquer une proposition pendant le vote" in text
    assert "What will happen" not in text and "votes in the last count" not in text
    # a proposal no longer on the ballot has no confirmation to offer
    again = client.get(f"/p/{pid}/proposals/{proposal}/hide")
    assert again.status_code == 303


def test_workshops_are_opened_only_while_contributions_are_gathered(site):
    pid, _ = open_workshop(site)
    facilitator = site.demo.staff[Role.FACILITATOR]
    later = site.voisinage.schedule_workshop(
        facilitator, pid, title="Atelier de mai", on=date(2026, 5, 1), place="Salle"
    )
    settle(site.app)
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    assert "Open the workshop" in page_text(client.get(f"/p/{pid}/facilitate"))
    site.voisinage.advance_phase(facilitator, pid, "proposals")
    settle(site.app)
    page = client.get(f"/p/{pid}/facilitate")
    html = page_text(page)
    assert "Open the workshop" not in html
    assert "Close the workshop" in html  # the one still open can be closed
    capture = page_text(client.get(f"/p/{pid}/workshops/{later}/capture"))
    assert 'name="action" value="open"' not in capture
    before = site.voisinage.head_position()
    client.post(
        f"/p/{pid}/workshops/{later}/status",
        data={"action": "open", "csrf_token": csrf_of(page)},
    )
    assert site.voisinage.head_position() == before
    assert site.voisinage.workshop(later).status == "scheduled"


def test_a_closed_process_offers_no_invitation_or_moderation_form(fresh_site):
    site = fresh_site
    facilitator = site.demo.staff[Role.FACILITATOR]
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    assert "Issue codes" in page_text(client.get(f"/p/{site.pid}/facilitate"))
    site.voisinage.publish_shortlist(facilitator, site.pid)
    site.voisinage.advance_phase(facilitator, site.pid, "recommendations")
    site.voisinage.advance_phase(facilitator, site.pid, "closed")
    settle(site.app)
    dashboard = page_text(client.get(f"/p/{site.pid}/facilitate"))
    assert "Issue codes" not in dashboard and 'name="count"' not in dashboard
    queue = page_text(client.get(f"/p/{site.pid}/moderation"))
    assert _ids(queue, "c") and "Moderate" not in queue and 'value="hide"' not in queue
    proposals = page_text(client.get(f"/p/{site.pid}/moderation?kind=proposals"))
    assert "proposals can no longer be hidden, shown again or merged" in proposals
    assert 'value="merge"' not in proposals and "/hide" not in proposals
