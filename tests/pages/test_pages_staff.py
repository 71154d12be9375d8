"""Facilitators', the institution's and auditors' pages through the Flask test client."""

from __future__ import annotations

import re
from html import unescape

from app_support import settle
from pages_support import csrf_of, join, open_workshop, page_text, sign_in

from domain.roles import Role


def test_fast_capture_returns_to_the_form_with_settings_kept(site):
    pid, wid = open_workshop(site)
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    form = client.get(f"/p/{pid}/workshops/{wid}/capture")
    html = page_text(form)
    assert form.status_code == 200
    assert re.search(r'<textarea id="f-text" name="text"[^>]*autofocus', html)
    response = client.post(
        f"/p/{pid}/workshops/{wid}/capture",
        data={
            "text": "Het licht in de gang is stuk.",
            "kind": "concern",
            "language": "nl",
            "group": "tafel 3",
            "csrf_token": csrf_of(form),
        },
    )
    assert response.status_code == 303
    assert response.location.endswith(f"/p/{pid}/workshops/{wid}/capture")
    html = page_text(client.get(response.location))
    assert "Recorded. Next one." in html
    assert 'value="concern" checked' in html
    assert '<option value="nl" lang="nl" selected' in html
    assert 'value="tafel 3"' in html
    assert '<blockquote lang="nl"><p>Het licht in de gang is stuk.</p>' in html  # last captured
    # and residents see it in the workshop
    public = page_text(site.client().get(f"/p/{pid}/workshops/{wid}"))
    assert "Het licht in de gang is stuk." in public and "captured for: tafel 3" in public


def test_capture_refusal_keeps_the_text(site):
    pid, wid = open_workshop(site)
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    form = client.get(f"/p/{pid}/workshops/{wid}/capture")
    response = client.post(
        f"/p/{pid}/workshops/{wid}/capture",
        data={"text": "Des bancs", "kind": "idea", "language": "12", "csrf_token": csrf_of(form)},
    )
    html = page_text(client.get(response.location))
    assert "Language:" in html and ">Des bancs</textarea>" in html


def test_resident_contributes_in_an_open_workshop(site):
    pid, wid = open_workshop(site)
    code = site.voisinage.issue_invitations(site.demo.staff[Role.FACILITATOR], pid, 1)[0]
    client = site.client()
    form = client.get(f"/p/{pid}/join")
    client.post(f"/p/{pid}/join", data={"code": code, "csrf_token": csrf_of(form)})
    page = client.get(f"/p/{pid}/workshops/{wid}")
    assert "Give your words" in page_text(page)
    response = client.post(
        f"/p/{pid}/workshops/{wid}/contributions",
        data={
            "kind": "idea",
            "text": "Un banc près de l'arrêt",
            "language": "fr",
            "csrf_token": csrf_of(page),
        },
    )
    assert response.status_code == 303
    html = page_text(client.get(response.location))
    assert "Thank you! Your words are recorded." in html and "Un banc près de l" in html
    assert "Un banc près de l" in page_text(client.get(f"/p/{pid}/my-ideas"))


def test_moderation_hide_restore_and_tag(site):
    pid, wid = open_workshop(site)
    facilitator = site.demo.staff[Role.FACILITATOR]
    cid = site.voisinage.record_contribution(
        facilitator, wid, kind="idea", text="Texte à modérer", language="fr"
    )
    settle(site.app)
    axis = next(iter(site.voisinage.process(pid).axes))
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{pid}/moderation")
    assert page.status_code == 200 and "Texte à modérer" in page_text(page)
    token = csrf_of(page)
    url = f"/p/{pid}/contributions/{cid}/moderate"
    # a reason is required: a friendly refusal, never a 500
    refused = client.post(url, data={"action": "hide", "reason": "", "csrf_token": token})
    assert "Reason" in page_text(client.get(refused.location))
    client.post(url, data={"action": "hide", "reason": "propos injurieux", "csrf_token": token})
    html = page_text(client.get(f"/p/{pid}/moderation?status=hidden"))
    assert "Hidden: propos injurieux" in html
    assert "Texte à modérer" not in page_text(site.client().get(f"/p/{pid}/workshops/{wid}"))
    client.post(url, data={"action": "restore", "reason": "erreur", "csrf_token": token})
    client.post(url, data={"action": "tag", "axis_id": str(axis), "csrf_token": token})
    assert site.voisinage.contribution(cid).axis_id == axis
    assert site.voisinage.contribution(cid).visible


def test_phase_control_moves_to_the_next_phase(site):
    pid = site.world.process(title={"fr": "Brouillon", "en": "Draft one"})
    settle(site.app)
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    dashboard = client.get(f"/p/{pid}/facilitate")
    assert f'href="/p/{pid}/phase/confirm"' in page_text(dashboard)
    page = client.get(f"/p/{pid}/phase/confirm")
    assert 'name="to" value="contributions"' in page_text(page)
    response = client.post(
        f"/p/{pid}/phase", data={"to": "contributions", "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 303
    assert "The process moved to: Workshops." in page_text(client.get(response.location))
    # a stale page asking again is refused politely
    again = client.post(
        f"/p/{pid}/phase", data={"to": "contributions", "csrf_token": csrf_of(page)}
    )
    assert "The process can only move on to its next stage, “Proposals”." in unescape(
        page_text(client.get(again.location))
    )


def test_close_vote_publish_recommend_answer_and_audit(fresh_site):
    site = fresh_site
    pid = site.pid
    resident = site.client()
    join(resident, site)
    form = resident.get(f"/p/{pid}/ballot")
    resident.post(
        f"/p/{pid}/ballot",
        data={"choice": [str(site.demo.proposal_ids[13])], "csrf_token": csrf_of(form)},
    )

    facilitator = site.client()
    sign_in(facilitator, Role.FACILITATOR)
    page = facilitator.get(f"/p/{pid}/facilitate")
    assert "Live count" in page_text(page)
    assert f'href="/p/{pid}/shortlist/confirm"' in page_text(page)
    page = facilitator.get(f"/p/{pid}/shortlist/confirm")
    assert "Residents can no longer vote" in page_text(page)
    published = facilitator.post(f"/p/{pid}/shortlist", data={"csrf_token": csrf_of(page)})
    assert published.status_code == 303 and published.location.endswith(f"/p/{pid}/results")

    results = page_text(site.client().get(f"/p/{pid}/results"))
    assert '<ol class="bar-chart" aria-labelledby="chart-title">' in results
    assert 'fill="url(#bar-hatch)"' in results and 'fill="url(#bar-dots)"' in results
    assert "Ascenseurs réparés sous 48 h" in results
    assert re.search(r'class="bar-value">\d+ ✓<span class="visually-hidden">', results)
    assert "Counting method: Approval: each resident ticks the proposals they support." in results
    assert "61 votes counted." in results

    page = facilitator.get(f"/p/{pid}/recommendations")
    shortlisted = re.findall(r'name="proposal" value="([^"]+)"', page_text(page))
    assert shortlisted
    drafted = facilitator.post(
        f"/p/{pid}/recommendations",
        data={
            "title": "Accessibilité",
            "text": "Rampes aux blocs A et D.",
            "language": "fr",
            "proposal": shortlisted[:1],
            "csrf_token": csrf_of(page),
        },
    )
    assert drafted.status_code == 303
    rid = drafted.location.rsplit("/", 1)[-1]
    page = facilitator.get(f"/p/{pid}/facilitate")
    facilitator.post(f"/p/{pid}/phase", data={"to": "recommendations", "csrf_token": csrf_of(page)})
    page = facilitator.get(drafted.location)
    sent = facilitator.post(
        f"/p/{pid}/recommendations/{rid}/submit", data={"csrf_token": csrf_of(page)}
    )
    assert "Sent to the institution." in page_text(facilitator.get(sent.location))

    institution = site.client()
    sign_in(institution, Role.INSTITUTION)
    page = institution.get(f"/p/{pid}/recommendations/{rid}")
    assert 'name="status" value="accepted"' in page_text(page)
    short = institution.post(
        f"/p/{pid}/recommendations/{rid}/answer",
        data={"status": "accepted", "justification": "ok", "csrf_token": csrf_of(page)},
    )
    # refused, the page comes back with the justification's own message beside it
    assert short.status_code == 422
    assert "Explain your answer in at least 10 characters" in page_text(short)
    institution.post(
        f"/p/{pid}/recommendations/{rid}/answer",
        data={
            "status": "accepted",
            "justification": "Budget prévu en 2027.",
            "csrf_token": csrf_of(page),
        },
    )
    done = institution.post(
        f"/p/{pid}/recommendations/{rid}/progress",
        data={
            "percent": "40",
            "note": "Rampe du bloc A posée.",
            "on": "2026-06-01",
            "csrf_token": csrf_of(page),
        },
    )
    html = page_text(institution.get(done.location))
    assert "Accepted" in html and "Budget prévu en 2027." in html
    assert 'max="100" value="40"' in html and '<span class="progress-value">40%</span>' in html
    assert "Rampe du bloc A posée." in html

    # residents read the answer; the auditor follows the trail and checks the store
    public = page_text(site.client().get(f"/p/{pid}/recommendations"))
    assert "Accessibilité" in public and "Answer: Accepted" in public
    auditor = site.client()
    sign_in(auditor, Role.AUDITOR)
    trail = page_text(auditor.get(f"/p/{pid}/trail/{rid}"))
    assert f"/proposals/{shortlisted[0]}" in trail
    assert "Atelier" in trail  # back to the workshops
    events = auditor.get("/audit/events")
    assert events.status_code == 200
    html = page_text(events)
    assert re.search(
        r'<summary class="mono">[0-9a-f]{12}…</summary><span class="mono">[0-9a-f]{64}</span>', html
    )
    assert "Later events" in html
    second = page_text(auditor.get("/audit/events?after=50"))
    assert '<td class="num" data-label="Position">51</td>' in second and "Earlier events" in second
    verified = page_text(auditor.get("/audit/verify?run=1"))
    assert "Everything matches." in verified


def test_moderating_a_proposal_hides_or_merges_it_with_a_reason(fresh_site):
    site = fresh_site
    pid = site.demo.process_id
    first, second, third = site.demo.proposal_ids[:3]
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{pid}/moderation")
    token = csrf_of(page)
    url = f"/p/{pid}/proposals/{first}/moderate"
    refused = client.post(url, data={"action": "merge", "reason": "doublon", "csrf_token": token})
    assert refused.status_code == 303  # a friendly refusal (no target), never a 500
    assert site.voisinage.proposal(first).merged_into is None
    merged = client.post(
        url,
        data={
            "action": "merge",
            "reason": "doublon",
            "target_id": str(second),
            "csrf_token": token,
        },
    )
    assert merged.status_code == 303 and merged.location.endswith(f"#p-{first}")
    shown = page_text(client.get(merged.location))
    assert "Merged." in shown  # although the refusal's message was never displayed
    assert "name the proposal to merge into" in shown  # ... which is shown now, with it
    assert site.voisinage.proposal(first).merged_into == second
    client.post(
        f"/p/{pid}/proposals/{third}/moderate",
        data={"action": "hide", "reason": "hors sujet", "csrf_token": token},
    )
    assert site.voisinage.proposal(third).hidden_reason == "hors sujet"


def test_unsafe_text_is_refused_on_the_pages_in_the_reader_s_language(site):
    """NUL, other controls and bidi overrides typed or pasted into a form: a translated
    refusal that names the field, the text kept for correction, nothing recorded."""
    pid, wid = open_workshop(site)
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    unsafe = ("Des bancs \u0000 dans la cour", "Des bancs \u0007", "Des bancs \u202e cour")
    for text in unsafe:
        form = client.get(f"/p/{pid}/workshops/{wid}/capture")
        before = site.voisinage.head_position()
        sent = client.post(
            f"/p/{pid}/workshops/{wid}/capture",
            data={"kind": "idea", "language": "fr", "text": text, "csrf_token": csrf_of(form)},
        )
        assert sent.status_code == 303
        html = page_text(client.get(sent.location))
        assert "ne peut pas être affiché sans risque" in html, html[:2000]
        assert "Texte" in html  # the field is named
        assert site.voisinage.head_position() == before
    resident = site.client("nl")
    form = resident.get(f"/p/{site.pid}/join")
    before = site.voisinage.head_position()
    answer = resident.post(
        f"/p/{site.pid}/join",
        data={"code": site.code(), "name": "Amina\u0000", "csrf_token": csrf_of(form)},
    )
    assert answer.status_code == 422, page_text(answer)[:500]
    assert "niet veilig getoond" in page_text(answer)
    assert site.voisinage.head_position() == before


def test_a_paper_note_is_attributed_to_a_resident_by_the_code_on_their_card(site):
    pid, wid = open_workshop(site)
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    (code,) = app.issue_invitations(facilitator, pid, 1)  # the resident never joined online
    axis = site.app.extensions["views"].process(pid)["axes"][0]["axis_id"]
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    form = client.get(f"/p/{pid}/workshops/{wid}/capture")
    response = client.post(
        f"/p/{pid}/workshops/{wid}/capture",
        data={
            "text": "Un composteur dans la cour.",
            "kind": "idea",
            "language": "fr",
            "resident_code": code.lower(),
            "axis": axis,
            "csrf_token": csrf_of(form),
        },
    )
    assert response.status_code == 303
    html = page_text(client.get(response.location))
    assert "Recorded. Next one." in html
    # the theme was not asked to be kept: the next note starts without it
    assert f'<option value="{axis}" selected' not in html
    # the resident later signs in with the same card and finds their idea
    resident = site.client()
    join_form = resident.get(f"/p/{pid}/join?code={code}")
    resident.post(f"/p/{pid}/join", data={"code": code, "csrf_token": csrf_of(join_form)})
    assert "Un composteur dans la cour." in page_text(resident.get(f"/p/{pid}/my-ideas"))


def test_a_wrong_resident_code_keeps_the_note_and_records_nothing(site):
    pid, wid = open_workshop(site)
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    form = client.get(f"/p/{pid}/workshops/{wid}/capture")
    head = site.voisinage.head_position()
    response = client.post(
        f"/p/{pid}/workshops/{wid}/capture",
        data={
            "text": "Une note à ne pas perdre.",
            "kind": "idea",
            "language": "fr",
            "resident_code": "AAAA-BBBB-CCCC",
            "csrf_token": csrf_of(form),
        },
    )
    html = page_text(client.get(response.location))
    assert "Code d&#39;invitation de l&#39;habitant :" in html
    assert "Une note à ne pas perdre." in html and 'value="AAAA-BBBB-CCCC"' in html
    assert site.voisinage.head_position() == head


def test_a_kept_theme_is_shown_and_can_be_cleared(site):
    pid, wid = open_workshop(site)
    axis = site.app.extensions["views"].process(pid)["axes"][0]["axis_id"]
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    form = client.get(f"/p/{pid}/workshops/{wid}/capture")
    client.post(
        f"/p/{pid}/workshops/{wid}/capture",
        data={
            "text": "Des poubelles plus grandes.",
            "kind": "idea",
            "language": "fr",
            "axis": axis,
            "keep_axis": "yes",
            "csrf_token": csrf_of(form),
        },
    )
    html = page_text(client.get(f"/p/{pid}/workshops/{wid}/capture"))
    assert f'<option value="{axis}" selected' in html
    assert "Theme kept from the last note: Cleanliness." in html
