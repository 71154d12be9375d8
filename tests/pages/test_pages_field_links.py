"""The last hand-written controls link a refused submission to their field, as the
_macros.html fields do: the message beside the control, the control marked
aria-invalid="true" and described by that message, the other fields left unmarked,
nothing recorded (the browser side is in test_pages_field_links_browser.py)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from app_support import settle
from pages_support import Site, act_as, csrf_of, page_text, sign_in

from domain.roles import Role

CONTROL = re.compile(r"<(?:input|select|textarea|fieldset)\b[^>]*>", re.S)


def marked(html: str) -> dict[str, str]:
    """Each control marked aria-invalid (by its id, else its name and value): the text
    of the message it is described by (asserting that message is on the page)."""
    found: dict[str, str] = {}
    for tag in CONTROL.findall(html):
        if 'aria-invalid="true"' not in tag:
            continue
        key = _attr(tag, "id") or f"{_attr(tag, 'name')}={_attr(tag, 'value')}"
        described = (_attr(tag, "aria-describedby") or "").split()
        assert described, tag
        shown = rf'<p class="field-error" id="{described[-1]}"[^>]*>(.*?)</p>'
        message = re.search(shown, html, re.S)
        assert message, (tag, described)
        found[key] = re.sub(r"<[^>]+>", "", message.group(1)).strip()
    return found


def _attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def _unchanged(site: Site) -> Any:
    head = site.voisinage.head_position()
    return lambda: site.voisinage.head_position() == head


def test_an_ungraded_proposal_of_a_majority_judgment_ballot_is_marked(site: Site) -> None:
    voting = site.world.in_voting({"method": "majority_judgment"}, proposals=3, residents=1)
    settle(site.app)
    client = site.client("fr")
    act_as(client, voting.residents[0])
    form = client.get(f"/p/{voting.pid}/ballot")
    first, second, third = (str(p) for p in voting.proposals)
    same = _unchanged(site)
    refused = client.post(
        f"/p/{voting.pid}/ballot",
        data={f"grade-{first}": "good", "csrf_token": csrf_of(form)},
    )
    assert refused.status_code == 422 and same()
    html = page_text(refused)
    found = marked(html)
    radios = {k for k in found if k.startswith("grade-")}
    assert {k.split("=")[0] for k in radios} == {f"grade-{second}", f"grade-{third}"}
    assert set(found.values()) == {"Donnez une note à chaque proposition."}
    # the graded proposal's choice is kept and not marked
    assert re.search(rf'name="grade-{first}" value="good"[^>]*checked', html)
    assert not any(k.startswith(f"grade-{first}") for k in found)
    groups = re.findall(r'<fieldset class="grades[^"]*"[^>]*aria-describedby="([^"]+)"', html)
    assert len(groups) == 2, groups


def test_a_receipt_not_counted_is_marked_on_the_check_field(site: Site) -> None:
    client = site.client("nl")
    html = page_text(client.get(f"/p/{site.pid}/check?receipt=NIET-GETELD"))
    found = marked(html)
    assert list(found) == ["f-receipt"]
    assert found["f-receipt"].startswith("Nee: dit ontvangstbewijs")
    assert page_text(client.get(f"/p/{site.pid}/check")).count('aria-invalid="true"') == 0


def test_a_refused_participant_number_is_marked_on_the_erase_field(site: Site) -> None:
    client = site.client("fr")
    sign_in(client, Role.ADMIN)
    form = client.get("/admin/erase")
    for given, status in (("pas-un-numéro", 422), (str(uuid.uuid4()), 404)):
        same = _unchanged(site)
        refused = client.post(
            "/admin/erase", data={"participant_id": given, "csrf_token": csrf_of(form)}
        )
        assert refused.status_code == status and same()
        found = marked(page_text(refused))
        assert list(found) == ["f-participant"], given
        assert 'value="' + given + '"' in page_text(refused)


def test_a_proposal_citing_nothing_is_marked_on_the_search_of_words(site: Site) -> None:
    process = site.demo.processes["proposals"]
    client = site.client("fr")
    join_code = process.spare_codes.pop()
    form = client.get(f"/p/{process.process_id}/join")
    client.post(
        f"/p/{process.process_id}/join",
        data={"code": join_code, "name": "", "csrf_token": csrf_of(form)},
    )
    page = client.get(f"/p/{process.process_id}/proposals/new")
    same = _unchanged(site)
    refused = client.post(
        f"/p/{process.process_id}/proposals/new",
        data={
            "title": "Des bancs",
            "body": "Des bancs à l'ombre près des jeux.",
            "language": "fr",
            "q": "banc",
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 422 and same()
    html = page_text(refused)
    found = marked(html)
    assert "f-q" in found
    assert {k for k in found if not k.startswith("source_ids=")} == {"f-q"}
    assert 'id="f-title"' in html and not re.search(r'id="f-title"[^>]*aria-invalid', html)
    assert re.search(r'<fieldset class="field invalid" aria-describedby="f-source_ids-error"', html)


def test_capture_marks_a_refused_theme_language_or_kind(site: Site) -> None:
    process = site.demo.processes["contributions"]
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    wid = process.open_workshop_id
    url = f"/p/{process.process_id}/workshops/{wid}/capture"
    cases = {
        "f-axis": {"axis": str(uuid.uuid4())},
        "f-language": {"language": "pas une langue"},
        "kind": {"kind": "rumeur"},
    }
    for expected, change in cases.items():
        page = client.get(url)
        same = _unchanged(site)
        data = {"text": "Plus de bancs", "kind": "idea", "language": "fr", **change}
        sent = client.post(url, data={**data, "csrf_token": csrf_of(page)})
        assert sent.status_code == 303 and same(), expected
        html = page_text(client.get(url))
        found = marked(html)
        keys = {k.split("=")[0] for k in found}
        assert keys == {expected}, (expected, found)
        assert ">Plus de bancs</textarea>" in html
        if expected == "f-axis":  # the refused theme stays chosen
            assert f'<option value="{change["axis"]}" selected' in html


def test_the_recommendation_forms_mark_a_refused_language(site: Site) -> None:
    process = site.demo.processes["recommendations"]
    pid = process.process_id
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{pid}/recommendations")
    html = page_text(page)
    proposal = re.search(r'name="proposal" value="([^"]+)"', html)
    assert proposal, "no shortlisted proposal to cite"
    same = _unchanged(site)
    sent = client.post(
        f"/p/{pid}/recommendations",
        data={
            "title": "Des bancs",
            "text": "Des bancs partout.",
            "language": "pas une langue",
            "proposal": proposal.group(1),
            "csrf_token": csrf_of(page),
        },
    )
    assert sent.status_code == 422 and same()  # the page again, what was typed kept
    html = page_text(sent)
    assert marked(html) == {"f-language": "Choisissez une langue dans la liste."}
    assert 'value="Des bancs"' in html and ">Des bancs partout.</textarea>" in html
    assert re.search(rf'name="proposal" value="{proposal.group(1)}"[^>]*checked', html)
    # citing nothing: the proposals' fieldset and boxes
    sent = client.post(
        f"/p/{pid}/recommendations",
        data={
            "title": "Des bancs",
            "text": "Des bancs partout.",
            "language": "fr",
            "csrf_token": csrf_of(page),
        },
    )
    assert sent.status_code == 422 and same()
    html = page_text(sent)
    assert {k.split("=")[0] for k in marked(html)} == {"proposal"}
    assert re.search(r'<fieldset class="invalid" aria-describedby="f-proposal-error"', html)


def test_a_refused_revision_of_a_draft_keeps_what_was_typed(site: Site) -> None:
    process = site.demo.processes["recommendations"]
    pid = process.process_id
    v = site.voisinage
    fac = site.demo.staff[Role.FACILITATOR]
    shortlist = [uuid.UUID(p) for p in v.process(pid).shortlist.shortlist]
    rid = v.draft_recommendation(
        fac, pid, title="Un brouillon", text="Un texte.", language="fr", proposal_ids=shortlist[:1]
    )
    settle(site.app)
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    url = f"/p/{pid}/recommendations/{rid}"
    page = client.get(url)
    same = _unchanged(site)
    refused = client.post(
        f"{url}/edit",
        data={
            "title": "Un brouillon revu",
            "text": "Un texte revu.",
            "language": "pas une langue",
            "proposal": [str(p) for p in shortlist[:2]],
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 422 and same()
    html = page_text(refused)
    assert marked(html) == {"f-language": "Choisissez une langue dans la liste."}
    assert 'value="Un brouillon revu"' in html and ">Un texte revu.</textarea>" in html
    for proposal in shortlist[:2]:
        assert re.search(rf'name="proposal" value="{proposal}"[^>]*checked', html)
    assert v.recommendation(rid).title == "Un brouillon"


def test_a_refused_answer_is_shown_again_with_what_was_typed(site: Site) -> None:
    process = site.demo.processes["recommendations"]
    pid = process.process_id
    v = site.voisinage
    fac = site.demo.staff[Role.FACILITATOR]
    shortlist = [uuid.UUID(p) for p in v.process(pid).shortlist.shortlist]
    rid = v.draft_recommendation(
        fac,
        pid,
        title="Une rampe",
        text="Une rampe au bloc B.",
        language="fr",
        proposal_ids=shortlist[:1],
    )
    v.submit_recommendation(fac, rid)
    settle(site.app)
    client = site.client("nl")
    sign_in(client, Role.INSTITUTION)
    url = f"/p/{pid}/recommendations/{rid}"
    page = client.get(url)
    same = _unchanged(site)
    refused = client.post(
        f"{url}/answer",
        data={
            "justification": "Wij bestuderen de kosten.",
            "institution": "SLRB",
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 422 and same()
    html = page_text(refused)
    assert ">Wij bestuderen de kosten.</textarea>" in html
    assert 'name="institution" type="text" value="SLRB"' in html
    assert set(marked(html).values()) == {"Kies uw antwoord: een van de statussen in de lijst."}
    assert {k.split("=")[0] for k in marked(html)} == {"status"}
    assert re.search(r'<fieldset[^>]*aria-describedby="f-status-error"', html)
    # a short justification: that field, the status chosen kept
    refused = client.post(
        f"{url}/answer",
        data={
            "status": "accepted",
            "justification": "Oui",
            "institution": "SLRB",
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 422 and same()
    html = page_text(refused)
    assert marked(html) == {
        "f-justification": "Leg uw antwoord uit in minstens 10 tekens: de bewoners lezen het."
    }
    assert re.search(r'value="accepted"[^>]*checked', html)
    assert v.recommendation(rid).answer is None


def test_a_refused_merge_keeps_its_target_chosen(site: Site) -> None:
    process = site.demo.processes["proposals"]
    pid = process.process_id
    first, second = process.proposal_ids[:2]
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{pid}/moderation?kind=proposals")
    same = _unchanged(site)
    sent = client.post(
        f"/p/{pid}/proposals/{first}/moderate",
        data={
            "action": "merge",
            "target_id": str(second),
            "reason": "  ",
            "csrf_token": csrf_of(page),
        },
    )
    assert sent.status_code == 303 and same()
    html = page_text(client.get(sent.location))
    select = re.search(rf'<select id="mt-{first}"[^>]*>(.*?)</select>', html, re.S)
    assert select
    assert re.search(rf'<option value="{second}"[^>]*selected', select.group(1))
    assert list(marked(html)) == [f"mr-{first}"]
