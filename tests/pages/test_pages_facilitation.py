"""Facilitators create a process, its rules and axes on the pages, and every irreversible
step (the next phase, closing the vote) first says in plain words what will happen."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from uuid import UUID

import pytest
from app_support import settle
from pages_support import csrf_of, join, page_text, sign_in

from domain.phases import Phase
from domain.roles import Role
from domain.voting import Method, VotingRules


def _process_in(site, phase: str, rules=None):
    """A new process moved on (through the application) to `phase`."""
    pid = site.world.in_phase(phase, rules, title={"fr": "Cour intérieure", "nl": "Binnenkoer"})
    settle(site.app)
    return pid


def test_next_phase_goes_through_a_page_saying_what_changes_for_residents(site):
    pid = _process_in(site, "contributions")
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    dashboard = page_text(client.get(f"/p/{pid}/facilitate"))
    assert f'href="/p/{pid}/phase/confirm"' in dashboard
    assert f'action="/p/{pid}/phase"' not in dashboard  # no more one-click advance

    page = client.get(f"/p/{pid}/phase/confirm")
    html = page_text(page)
    assert page.status_code == 200
    assert "Go to the next stage: Proposals" in html
    assert "from “Workshops” to “Proposals”" in html
    then, no_longer = html.split("Residents can then:")[1].split("Residents can no longer:")
    assert "write a proposal" in then and "withdraw their proposal" in then
    assert "give their ideas in an open workshop" in no_longer
    assert "This cannot be undone" in html
    assert f'href="/p/{pid}/facilitate"' in html and "Go back without changing anything" in html
    assert site.voisinage.process(pid).phase is Phase.CONTRIBUTIONS  # looking changes nothing

    done = client.post(f"/p/{pid}/phase", data={"to": "proposals", "csrf_token": csrf_of(page)})
    assert done.status_code == 303
    assert site.voisinage.process(pid).phase is Phase.PROPOSALS
    assert "The process moved to: Proposals." in page_text(client.get(done.location))


def test_the_confirmation_before_the_vote_counts_the_candidates(site):
    pid = _process_in(site, "proposals")
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    html = page_text(client.get(f"/p/{pid}/phase/confirm"))
    assert "Go to the next stage: Vote" in html
    assert "become the choices on the ballot. Number of proposals: 0." in html
    assert "vote, and change their vote" in html.split("Residents can then:")[1]
    assert "write a proposal" in html.split("Residents can no longer:")[1]


def test_closing_the_vote_says_how_many_ballots_are_counted_and_needs_csrf(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    dashboard = page_text(client.get(f"/p/{site.pid}/facilitate"))
    assert f'href="/p/{site.pid}/shortlist/confirm"' in dashboard
    assert f'action="/p/{site.pid}/shortlist"' not in dashboard

    before = site.voisinage.head_position()
    page = client.get(f"/p/{site.pid}/shortlist/confirm")
    html = page_text(page)
    ballots = site.app.extensions["views"].process(site.pid)["counts"]["ballots"]
    assert ballots > 0
    assert "The vote closes now." in html
    assert f"Ballots cast so far: {ballots}. They are all counted" in html
    assert "Residents can no longer vote or change their vote." in html
    assert "This cannot be undone" in html
    assert (
        f'action="/p/{site.pid}/shortlist"' in html and "Go back without changing anything" in html
    )

    # straight to the act without the confirmation page: still refused without the token
    assert client.post(f"/p/{site.pid}/shortlist").status_code == 400
    assert client.post(f"/p/{site.pid}/phase", data={"to": "shortlisted"}).status_code == 400
    assert site.voisinage.head_position() == before
    assert site.voisinage.process(site.pid).phase is Phase.VOTING

    # the phase page of a process in its vote leads to closing the vote, not around it
    moved = client.get(f"/p/{site.pid}/phase/confirm")
    assert moved.status_code == 303 and moved.location.endswith(f"/p/{site.pid}/shortlist/confirm")


def test_no_confirmation_to_close_a_vote_that_is_not_open(site):
    pid = _process_in(site, "proposals")
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    refused = client.get(f"/p/{pid}/shortlist/confirm")
    assert refused.status_code == 303
    assert "not possible at this stage" in page_text(client.get(refused.location))


def test_facilitator_creates_a_process_with_its_rules_then_adds_an_axis(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    assert 'href="/processes/new"' in page_text(client.get("/"))
    form = client.get("/processes/new")
    html = page_text(form)
    assert form.status_code == 200
    assert '<option value="borda"' in html and "Ranking with points" in html
    assert len(re.findall(r'<option value="', html)) == len(Method)

    created = client.post(
        "/processes/new",
        data={
            "title_fr": "Jardin partagé",
            "title_nl": "Gedeelde tuin",
            "description_fr": "Que faire du terrain derrière le bloc C ?",
            "method": "borda",
            "shortlist_size": "5",
            "hide_results_until_close": "yes",
            "csrf_token": csrf_of(form),
        },
    )
    assert created.status_code == 303
    found = re.fullmatch(r".*/p/([0-9a-f-]{36})/facilitate", created.location)
    assert found
    pid = UUID(found.group(1))
    process = site.voisinage.process(pid)
    assert process.title == {"fr": "Jardin partagé", "nl": "Gedeelde tuin"}
    assert process.description == {"fr": "Que faire du terrain derrière le bloc C ?"}
    assert process.rules.method is Method.BORDA
    assert process.rules.shortlist_size == 5 and process.rules.hide_results_until_close
    assert process.phase is Phase.DRAFT

    dashboard = client.get(created.location)
    html = page_text(dashboard)
    assert "The process is created." in html and "No axis yet." in html
    added = client.post(
        f"/p/{pid}/axes",
        data={"axis_fr": "Espaces verts", "axis_nl": "Groen", "csrf_token": csrf_of(dashboard)},
    )
    assert added.status_code == 303 and added.location.endswith("#axes")
    assert list(site.voisinage.process(pid).axes.values()) == [
        {"fr": "Espaces verts", "nl": "Groen"}
    ]
    row = site.app.extensions["views"].process(pid)
    assert [axis["name"] for axis in row["axes"]] == [{"fr": "Espaces verts", "nl": "Groen"}]
    assert "Espaces verts" in page_text(client.get(added.location))


def test_dots_take_the_points_per_resident(site):
    client = site.client()
    sign_in(client, Role.ADMIN)  # "start a process" is the admin's act too
    form = client.get("/processes/new")
    data = {"title_nl": "Speelplein", "method": "dots", "shortlist_size": "3"}
    missing = client.post("/processes/new", data={**data, "csrf_token": csrf_of(form)})
    assert missing.status_code == 422
    assert "Points per resident:" in page_text(missing)
    created = client.post(
        "/processes/new", data={**data, "budget": "5", "csrf_token": csrf_of(form)}
    )
    assert created.status_code == 303
    pid = UUID(created.location.split("/p/")[1].split("/")[0])
    rules = site.voisinage.process(pid).rules
    assert rules.method is Method.DOTS and rules.budget == 5


def test_bad_input_shows_the_field_and_records_nothing(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    form = client.get("/processes/new")
    token = csrf_of(form)
    good = {"title_fr": "Local commun", "method": "approval", "shortlist_size": "4"}
    before = site.voisinage.head_position()

    no_title = client.post(
        "/processes/new", data={**good, "title_fr": " ", "shortlist_size": "7", "csrf_token": token}
    )
    assert no_title.status_code == 422
    html = page_text(no_title)
    assert "Title: This text is empty. Write something, then send it again." in html
    assert 'name="shortlist_size" type="number" value="7"' in html  # what was typed stays
    # the message is beside the field, linked to it (both titles: either one is enough)
    assert '<p class="field-error" id="f-title_fr-error">' in html
    assert re.search(
        r'id="f-title_fr"[^>]*aria-invalid="true" aria-describedby="f-title_fr-error"', html
    )

    zero = client.post("/processes/new", data={**good, "shortlist_size": "0", "csrf_token": token})
    assert zero.status_code == 422
    html = page_text(zero)
    assert "Size of the shortlist: Give a whole number from 1 to 100." in html
    assert 'aria-describedby="f-shortlist_size-hint f-shortlist_size-error"' in html
    assert "aria-invalid" not in html.split('id="f-shortlist_size"')[0]  # only that field
    assert 'value="Local commun"' in html

    words = client.post(
        "/processes/new", data={**good, "shortlist_size": "cinq", "csrf_token": token}
    )
    assert words.status_code == 422 and "Size of the shortlist:" in page_text(words)
    assert site.voisinage.head_position() == before

    pid = _process_in(site, "draft")
    before = site.voisinage.head_position()
    dashboard = client.get(f"/p/{pid}/facilitate")
    empty = client.post(f"/p/{pid}/axes", data={"axis_fr": "", "csrf_token": csrf_of(dashboard)})
    assert empty.status_code == 422
    assert "Name: This text is empty. Write something, then send it again." in page_text(empty)
    assert site.voisinage.head_position() == before


def test_the_axis_form_is_only_there_while_axes_can_be_added(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    voting = page_text(client.get(f"/p/{site.pid}/facilitate"))
    assert f'action="/p/{site.pid}/axes"' not in voting
    assert "Logement et rénovation" in voting or "Housing and renovation" in voting
    pid = _process_in(site, "proposals")
    assert f'action="/p/{pid}/axes"' in page_text(client.get(f"/p/{pid}/facilitate"))


def test_residents_and_visitors_cannot_create_or_advance(site):
    resident = site.client()
    join(resident, site)
    assert 'href="/processes/new"' not in page_text(resident.get("/"))
    assert resident.get("/processes/new").status_code == 403
    assert resident.get(f"/p/{site.pid}/phase/confirm").status_code == 403
    assert resident.get(f"/p/{site.pid}/shortlist/confirm").status_code == 403
    page = resident.get(f"/p/{site.pid}/ballot")
    before = site.voisinage.head_position()
    refused = resident.post(
        "/processes/new",
        data={
            "title_fr": "Pirate",
            "method": "approval",
            "shortlist_size": "3",
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 403
    assert site.voisinage.head_position() == before

    visitor = site.client()
    assert 'href="/processes/new"' not in page_text(visitor.get("/"))
    sent = visitor.get("/processes/new")
    assert sent.status_code == 303 and "/sign-in" in sent.location


def test_the_confirmation_speaks_french_and_dutch(site):
    pid = _process_in(site, "contributions")
    for language, words in (("fr", "Les habitants pourront alors"), ("nl", "Bewoners kunnen dan")):
        client = site.client(language)
        sign_in(client, Role.FACILITATOR)
        html = page_text(client.get(f"/p/{pid}/phase/confirm"))
        assert words in html
        assert "Residents can" not in html and "cannot be undone" not in html


def _vote_open(site, rules):
    """A new process with one proposal, its vote open."""
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    pid = _process_in(site, "contributions", rules=rules)
    wid = app.schedule_workshop(
        facilitator, pid, title="Atelier", on=date(2026, 3, 1), place="Salle"
    )
    app.open_workshop(facilitator, wid)
    cid = app.record_contribution(
        facilitator, wid, kind="idea", text="Des bancs", language="fr", on_behalf_of_group="t1"
    )
    app.advance_phase(facilitator, pid, "proposals")
    app.submit_proposal(
        facilitator, pid, title="Bancs", body="Texte", language="fr", source_ids=[cid]
    )
    app.advance_phase(facilitator, pid, "voting")
    settle(site.app)
    return pid


def test_the_live_count_is_on_the_dashboard_unless_the_rules_hide_it_from_everyone(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    rules = {"method": "approval", "shortlist_size": 3}
    shown = _vote_open(site, rules)
    assert "Live count (not public)" in page_text(client.get(f"/p/{shown}/facilitate"))
    hidden = _vote_open(site, {**rules, "hide_results_until_close": True})
    page = page_text(client.get(f"/p/{hidden}/facilitate"))
    assert "Live count (not public)" not in page and "Close the vote" in page


def test_the_new_process_form_offers_every_rule_the_api_accepts(site):
    from web.api.processes import VotingRulesSchema

    client = site.client()
    sign_in(client, Role.FACILITATOR)
    html = page_text(client.get("/processes/new"))
    for name in VotingRulesSchema().fields:
        assert f'name="{name}"' in html, name


def _groups_shown(html: str) -> set[str]:
    shown = set()
    for methods, hidden in re.findall(r'data-methods="([^"]+)"( hidden disabled)?>', html):
        if not hidden:
            shown.add(methods)
    return shown


def test_without_javascript_the_chosen_method_brings_its_own_rules(site):
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    form = client.get("/processes/new")
    assert _groups_shown(page_text(form)) == {
        "approval schulze borda equal_shares pav",  # at most N choices
        "approval equal_shares",  # a budget to share out
    }
    before = site.voisinage.head_position()
    shown = client.post(
        "/processes/new",
        data={"title_fr": "Cour", "method": "dots", "show": "method", "csrf_token": csrf_of(form)},
    )
    html = page_text(shown)
    assert shown.status_code == 200 and site.voisinage.head_position() == before
    assert _groups_shown(html) == {"dots"} and 'value="Cour"' in html
    assert '<option value="dots" selected>' in html
    majority = client.post(
        "/processes/new",
        data={"method": "majority_judgment", "show": "method", "csrf_token": csrf_of(form)},
    )
    assert _groups_shown(page_text(majority)) == {"majority_judgment"}


def test_a_budget_process_with_every_rule_from_the_form(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    form = client.get("/processes/new")
    created = client.post(
        "/processes/new",
        data={
            "title_fr": "Budget de quartier",
            "method": "equal_shares",
            "shortlist_size": "6",
            "max_choices": "4",
            "spending_limit": "50000",
            "currency": "eur",
            "show_running_total": "yes",
            "results_batch_ballots": "25",
            "results_batch_minutes": "30",
            "budget": "abc",  # a dot-voting field: not this method's, not read
            "grades": "x",
            "csrf_token": csrf_of(form),
        },
    )
    assert created.status_code == 303, page_text(created)
    pid = UUID(created.location.split("/p/")[1].split("/")[0])
    rules = site.voisinage.process(pid).rules
    assert rules.method is Method.EQUAL_SHARES and rules.max_choices == 4
    assert rules.spending_limit == 50000 and rules.currency == "EUR"
    assert rules.show_running_total and rules.budget is None
    assert (rules.results_batch_ballots, rules.results_batch_minutes) == (25, 30)
    assert rules.grades == VotingRules().grades


def test_majority_judgment_takes_its_grades_one_per_line(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    form = client.get("/processes/new")
    data = {"title_nl": "Plein", "method": "majority_judgment", "shortlist_size": "3"}
    one = client.post(
        "/processes/new", data={**data, "grades": "Slecht\n\n", "csrf_token": csrf_of(form)}
    )
    assert one.status_code == 422
    html = page_text(one)
    assert "Grades: Give at least two different grades, one per line" in html
    assert re.search(r'id="f-grades"[^>]*aria-invalid="true"', html)
    created = client.post(
        "/processes/new",
        data={**data, "grades": " Slecht\nGoed \nZeer goed", "csrf_token": csrf_of(form)},
    )
    assert created.status_code == 303
    pid = UUID(created.location.split("/p/")[1].split("/")[0])
    assert site.voisinage.process(pid).rules.grades == ("Slecht", "Goed", "Zeer goed")


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "Budget à répartir : Donnez un nombre entier de 1 à 1 000 000 000 000."),
        ("nl", "Te verdelen budget: Geef een geheel getal van 1 tot 1.000.000.000.000."),
    ],
)
def test_a_refused_rule_is_said_in_words_with_its_limits(site, language, sentence):
    client = site.client(language)
    sign_in(client, Role.FACILITATOR)
    form = client.get("/processes/new")
    before = site.voisinage.head_position()
    refused = client.post(
        "/processes/new",
        data={
            "title_fr": "Budget",
            "method": "approval",
            "shortlist_size": "3",
            "spending_limit": "0",
            "csrf_token": csrf_of(form),
        },
    )
    assert refused.status_code == 422
    html = unescape(page_text(refused))
    said = " ".join(html.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert sentence in said, said[said.find("<main") :][:800]
    assert "spending_limit must be" not in html
    assert re.search(r'id="f-spending_limit"[^>]*aria-invalid="true"', html)
    # a pav vote has no budget: its form does not read a spending limit
    created = client.post(
        "/processes/new",
        data={
            "title_fr": "Sans budget",
            "method": "pav",
            "shortlist_size": "3",
            "spending_limit": "0",
            "csrf_token": csrf_of(form),
        },
    )
    assert created.status_code == 303
    assert site.voisinage.head_position() != before
