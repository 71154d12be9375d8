"""Each role's journey through the pages alone, in Chromium, in French and Dutch, with
and without JavaScript for residents; every page state reached is checked by axe-core and
saved as a screenshot in test-artifacts/journeys/, alternately at 390 px and 1280 px
(the journey without JavaScript starts on the phone, the one with it on the desktop,
so each state is seen at both widths: journey_support).

What another role does between two steps (the facilitator moving the process to its
next phase during a resident's journey) is done through the application's commands.
"""

# ruff: noqa: F811 (pytest fixtures imported from browser_support)
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from app_support import settle
from browser_support import (  # noqa: F401 (fixtures)
    DESKTOP,
    PHONE,
    browser,
    new_context,
    server,
    sign_in_staff,
    words,
)
from journey_support import Journey
from pages_support import Site

from domain.roles import Role

pytestmark = pytest.mark.browser

LANGUAGES = ["fr", "nl"]


def _resident_process(site: Site) -> tuple[UUID, str, UUID, UUID]:
    """A process of its own in the contributions phase, with an open workshop, a group's
    paper note in it, and one invitation code: (pid, code, workshop, note)."""
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    pid = app.start_process(
        facilitator,
        title={"fr": "Cité des Jardins", "nl": "Tuinwijk", "en": "Garden estate"},
        rules={"method": "approval", "max_choices": 2},
    )
    app.add_axis(facilitator, pid, {"fr": "Propreté", "nl": "Netheid", "en": "Cleanliness"})
    (code,) = app.issue_invitations(facilitator, pid, 1)
    app.advance_phase(facilitator, pid, "contributions")
    wid = app.schedule_workshop(
        facilitator, pid, title="Atelier des Jardins", on=date(2026, 4, 2), place="Salle"
    )
    app.open_workshop(facilitator, wid)
    note = app.record_contribution(
        facilitator, wid, kind="idea", text="Des bancs", language="fr", on_behalf_of_group="table 1"
    )
    settle(site.app)
    return pid, code, wid, note


def _next_phase(site: Site, pid: UUID, to: str) -> None:
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    app.advance_phase(facilitator, pid, to)
    settle(site.app)


def _click(page: Any, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state()


def _join(page: Any, base: str, pid: UUID, code: str, language: str) -> None:
    page.goto(f"{base}/p/{pid}/join")
    page.locator("#f-code").fill(code.lower().replace("-", " "))
    page.locator("#f-name").fill("Fatima")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/p/{pid}")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_resident_journey(server, browser, language: str, javascript: bool) -> None:
    base, site = server
    w = lambda msgid, **params: words(language, msgid, **params)  # noqa: E731
    pid, code, wid, note = _resident_process(site)
    context = new_context(browser, language=language, javascript=javascript)
    page = context.new_page()
    checker = None if javascript else new_context(browser, language=language).new_page()
    journey = Journey(
        page, "resident", language, javascript, checker, DESKTOP if javascript else PHONE
    )

    # signs in with the code on the invitation card
    page.goto(f"{base}/p/{pid}/join")
    journey.state("join")
    _join(page, base, pid, code, language)
    journey.state("process-contributions")

    # gives an idea while the workshop is open
    _click(page, "link", w("Give my idea"))
    idea = {"fr": "Des bacs à compost près du bloc A.", "nl": "Compostbakken bij blok A."}
    page.locator("#f-text").fill(idea[language])
    page.locator("#f-kind").select_option("idea")
    _click(page, "button", w("Send"))
    assert page.get_by_text(idea[language]).first.is_visible()
    journey.state("idea-given")

    # writes a proposal citing it, revises it; writes another and withdraws it
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    app.close_workshop(facilitator, wid)
    _next_phase(site, pid, "proposals")
    page.goto(f"{base}/p/{pid}/proposals")
    journey.state("proposals")
    _click(page, "link", w("Write a proposal"))
    page.locator("#f-title").fill("Compost")
    page.locator("#f-body").fill(idea[language])
    page.locator("#f-q").fill(idea[language].split()[1])
    if javascript:
        page.locator("#f-q").press("Enter")
    else:
        _click(page, "button", w("Search"))
    page.wait_for_load_state()
    page.locator("input[name=source_ids]").first.check()
    journey.state("proposal-form")
    _click(page, "button", w("Publish my proposal"))
    assert page.locator("h1").inner_text().strip() == "Compost"
    journey.state("proposal-published")
    _click(page, "link", w("Change my proposal"))
    page.locator("#f-title").fill(
        "Compost pour tous" if language == "fr" else "Compost voor iedereen"
    )
    _click(page, "button", w("Save the changes"))
    revised = page.locator("h1").inner_text().strip()
    assert revised.startswith("Compost ")
    journey.state("proposal-revised")
    _click(page, "link", w("All proposals"))
    _click(page, "link", w("Write a proposal"))
    page.locator("#f-title").fill("Bancs")
    page.locator("#f-body").fill("Deux bancs" if language == "fr" else "Twee banken")
    page.locator("input[name=source_ids]").first.check()
    _click(page, "button", w("Publish my proposal"))
    _click(page, "link", w("Withdraw my proposal"))
    journey.state("withdraw-confirm")
    _click(page, "button", w("Withdraw my proposal"))
    journey.state("withdrawn")
    app.submit_proposal(
        facilitator,
        pid,
        title="Bancs à l'ombre",
        body="Trois bancs",
        language="fr",
        source_ids=[note],
    )

    # votes, keeps the receipt, checks it
    _next_phase(site, pid, "voting")
    page.goto(f"{base}/p/{pid}")
    journey.state("process-voting")
    _click(page, "link", w("Vote for proposals"))
    journey.state("ballot")
    page.get_by_label(revised).check()
    page.get_by_label("Bancs à l'ombre").check()
    _click(page, "button", w("Send my vote"))
    if javascript:
        page.locator("#ballot-result #receipt").wait_for()
        journey.state("voted-in-place")
        page.goto(f"{base}/p/{pid}/receipt")
    receipt = page.locator("#receipt").inner_text().strip()
    assert len(receipt) >= 16
    copy = page.get_by_role("button", name=w("Copy it"))
    if javascript:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        copy.click()
        page.get_by_text(w("Copied: paste it wherever you keep your notes.")).wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == receipt
    else:
        assert not copy.is_visible()  # offered only where it works
        with page.expect_download() as download:
            page.get_by_role("link", name=w("Save it as a file")).click()
        assert receipt in Path(download.value.path()).read_text(encoding="utf-8")
    journey.state("receipt")
    _click(page, "link", w("Check that it is counted"))
    assert page.get_by_text(w("Yes: this receipt is counted.")).is_visible()
    journey.state("receipt-checked")

    # reads the results and what became of the idea
    app.publish_shortlist(facilitator, pid)
    settle(site.app)
    page.goto(f"{base}/p/{pid}")
    _click(page, "link", w("Results of the vote"))
    assert page.get_by_text(revised).first.is_visible()
    journey.state("results")
    _click(page, "link", w("My ideas"))
    assert page.get_by_text(idea[language]).first.is_visible()
    assert page.get_by_role("link", name=revised).is_visible()
    journey.state("my-ideas")

    # signs out, warned, and back in with the same code as the same participant
    _click(page, "link", w("Sign out"))
    assert page.get_by_text(
        w("To come back, you need the code on your invitation card.")
    ).is_visible()
    journey.state("sign-out-warning")
    _click(page, "button", w("Sign out"))
    journey.state("signed-out")
    _join(page, base, pid, code, language)
    page.goto(f"{base}/p/{pid}/my-ideas")
    assert page.get_by_text(idea[language]).first.is_visible()
    page.goto(f"{base}/p/{pid}/receipt")
    assert page.locator("#receipt").inner_text().strip() == receipt
    journey.state("back-in")
    context.close()
    if checker is not None:
        checker.context.close()
    journey.report()


def _staff_journey(browser: Any, name: str, language: str) -> tuple[Any, Any, Journey]:
    """A JavaScript context for a staff member; French starts on the phone, Dutch on the
    desktop, so the pair sees every state at both widths."""
    context = new_context(browser, language=language)
    page = context.new_page()
    return (
        context,
        page,
        Journey(page, name, language, True, first=PHONE if language == "fr" else DESKTOP),
    )


def _advance(page: Any, base: str, pid: UUID, w: Any, journey: Journey | None = None) -> None:
    """The facilitator goes to the next stage after its confirmation page."""
    page.goto(f"{base}/p/{pid}/facilitate")
    page.locator(
        "#next-step ~ p a.button, section[aria-labelledby=next-step] a.button"
    ).first.click()
    page.wait_for_load_state()
    if journey is not None:
        journey.state("phase-confirm")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", LANGUAGES)
def test_facilitator_journey(server, browser, language: str) -> None:
    base, site = server
    w = lambda msgid, **params: words(language, msgid, **params)  # noqa: E731
    context, page, journey = _staff_journey(browser, "facilitator", language)
    sign_in_staff(page, base, Role.FACILITATOR)
    journey.state("signed-in")

    # creates a process with its rules, then its axes
    page.goto(f"{base}/processes/new")
    page.locator("#f-title_fr").fill(f"Quartier Nord {language}")
    page.locator("#f-title_nl").fill(f"Noordwijk {language}")
    page.locator("#f-method").select_option("approval")
    page.locator("#f-max_choices").fill("2")
    page.locator("#f-shortlist_size").fill("2")
    journey.state("new-process")
    _click(page, "button", w("Create the process"))
    pid = UUID(page.url.split("/p/")[1].split("/")[0])
    assert site.voisinage.process(pid).rules.max_choices == 2
    for fr, nl in (("Propreté", "Netheid"), ("Jeunesse", "Jeugd")):
        page.locator("#f-axis_fr").fill(fr)
        page.locator("#f-axis_nl").fill(nl)
        _click(page, "button", w("Add the axis"))
    assert page.get_by_text({"fr": "Jeunesse", "nl": "Jeugd"}[language], exact=True).is_visible()
    journey.state("facilitate-axes")

    # prints invitation cards
    page.locator("#f-count").fill("3")
    _click(page, "button", w("Issue codes"))
    assert page.locator(".invitation-card").count() == 3
    code = page.locator(".card-code strong").first.inner_text().strip()
    journey.state("invitation-cards")
    household = new_context(browser, language=language).new_page()
    _join(household, base, pid, code, language)  # the household joins with its card
    resident = site.voisinage.join(pid, code)  # the same participant, for its ballot below

    # opens a workshop and captures paper notes, one attributed to the resident's code
    _advance(page, base, pid, w, journey)
    page.locator("#f-title").fill("Atelier Nord")
    page.locator("#f-place").fill("Salle des fêtes")
    _click(page, "button", w("Plan"))
    _click(page, "button", w("Open the workshop"))
    journey.state("workshop-open")
    _click(page, "link", w("Capture paper notes"))
    journey.state("capture")
    notes = ["Le local vélo est trop petit.", "Plus de poubelles au parc.", "Un banc cassé."]
    for text, who in zip(notes, ("#f-resident_code", "#f-group", "#f-group"), strict=True):
        page.locator("#f-text").fill(text)
        page.locator("#f-resident_code").fill(code if who == "#f-resident_code" else "")
        page.locator("#f-group").fill("" if who == "#f-resident_code" else "Table 2")
        page.locator("#f-text").press("Control+Enter")
        page.wait_for_function(
            "w => document.getElementById('capture-recent').textContent.includes(w)", arg=text
        )
    journey.state("captured")
    settle(site.app)
    household.goto(f"{base}/p/{pid}/my-ideas")  # the resident finds the note spoken aloud
    assert household.get_by_text(notes[0]).first.is_visible()
    assert not household.get_by_text(notes[1]).count()
    household.context.close()

    # moderates: filters, hides a note with its reason
    page.goto(f"{base}/p/{pid}/moderation")
    page.locator("#f-status").select_option("all")
    _click(page, "button", w("Filter"))
    journey.state("moderation-filtered")
    card = page.locator("li[id^=c-]", has_text=notes[2])
    card.locator("summary").click()
    card.locator("input[name=reason]").fill("Doublon" if language == "fr" else "Dubbel")
    card.get_by_role("button", name=w("Hide")).click()
    page.wait_for_load_state()
    assert page.get_by_text(w("Hidden. The reason is kept in the history.")).is_visible()
    journey.state("moderation-hidden")

    # merges two proposals, shows into what
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    page.goto(f"{base}/p/{pid}/workshops")
    _advance(page, base, pid, w)
    workshop = site.app.extensions["views"].workshops(pid)[0]["workshop_id"]
    cited = [
        UUID(str(c["contribution_id"]))
        for c in site.app.extensions["views"].contributions(workshop)
    ][:1]
    proposals = {
        title: app.submit_proposal(
            facilitator, pid, title=title, body="Texte", language="fr", source_ids=cited
        )
        for title in ("Local vélo agrandi", "Un plus grand local vélo", "Poubelles au parc")
    }
    settle(site.app)
    page.goto(f"{base}/p/{pid}/moderation?kind=proposals")
    card = page.locator(f"#p-{proposals['Un plus grand local vélo']}")
    card.locator("summary").click()
    card.locator("select[name=target_id]").select_option(str(proposals["Local vélo agrandi"]))
    card.locator("input[name=reason]").last.fill("Même idée" if language == "fr" else "Zelfde idee")
    card.get_by_role("button", name=w("Merge")).click()
    page.wait_for_load_state()
    assert page.get_by_text(w("Merged."), exact=True).is_visible()
    page.locator("#f-status").select_option("all")
    _click(page, "button", w("Filter"))
    merged = page.locator(f"#p-{proposals['Un plus grand local vélo']}")
    assert "Local vélo agrandi" in merged.inner_text()
    journey.state("merged")

    # during the vote, hides a proposal after a confirmation that says what happens
    _advance(page, base, pid, w)
    app.cast_ballot(resident, pid, [str(proposals["Poubelles au parc"])])
    settle(site.app)
    page.goto(f"{base}/p/{pid}/moderation?kind=proposals")
    card = page.locator(f"#p-{proposals['Poubelles au parc']}")
    card.locator("summary").click()
    card.get_by_role("link", name=w("Hide…")).click()
    page.wait_for_load_state()
    journey.state("hide-confirm")
    page.locator("#hide-reason").fill("Hors sujet" if language == "fr" else "Niet ter zake")
    _click(page, "button", w("Yes, hide it and stop counting its votes"))
    journey.state("hidden-during-vote")

    # publishes the shortlist after its confirmation
    page.goto(f"{base}/p/{pid}/facilitate")
    _click(page, "link", w("Close the vote and publish the shortlist"))
    journey.state("publish-confirm")
    _click(page, "button", w("Yes, close the vote and publish"))
    assert "/results" in page.url
    journey.state("published")

    # drafts a recommendation and edits the draft
    _advance(page, base, pid, w)
    page.goto(f"{base}/p/{pid}/recommendations")
    page.locator("#f-title").fill("Un local vélo")
    page.locator("#f-text").fill("Agrandir le local vélo du bloc A avant l'été.")
    page.locator("input[name=proposal]").first.check()
    journey.state("recommendation-form")
    _click(page, "button", w("Save the draft"))
    page.locator("#f-title").fill("Un local vélo plus grand")
    _click(page, "button", w("Save the draft"))
    assert page.locator("#f-title").input_value() == "Un local vélo plus grand"
    journey.state("recommendation-edited")
    context.close()
    journey.report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_institution_officer_journey(server, browser, language: str) -> None:
    base, site = server
    w = lambda msgid, **params: words(language, msgid, **params)  # noqa: E731
    process = site.demo.processes["recommendations"]
    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    title = f"Éclairer les halls ({language})"
    rid = app.draft_recommendation(
        facilitator,
        process.process_id,
        title=title,
        text="Des lampes à détecteur dans chaque hall.",
        language="fr",
        proposal_ids=process.proposal_ids[:1],
    )
    app.submit_recommendation(facilitator, rid)
    settle(site.app)
    context, page, journey = _staff_journey(browser, "institution", language)
    sign_in_staff(page, base, Role.INSTITUTION)
    assert page.url.endswith("/institution")  # the to-do list, not the residents' home
    journey.state("to-do")
    _click(page, "link", title)
    assert f"/recommendations/{rid}" in page.url
    journey.state("recommendation")
    page.locator("input[name=status]").first.check()
    page.locator("#f-justification").fill("Nous commençons les travaux en mai.")
    page.locator("#f-institution").fill("SLRB")
    _click(page, "button", w("Publish the answer"))
    assert page.get_by_text("SLRB").first.is_visible()  # the answer names the institution
    journey.state("answered")
    percent = page.locator("#f-percent")
    page.locator("#f-note").fill("Premier quart fait.")
    page.locator("#f-institution").fill("SLRB")
    percent.fill("40")
    _click(page, "button", w("Report progress"))
    journey.state("progress")
    # a decrease without a note long enough is refused, beside the note
    before = site.voisinage.head_position()
    page.locator("#f-percent").fill("10")
    page.locator("#f-note").fill("Moins bien")
    page.locator("#f-institution").fill("SLRB")
    _click(page, "button", w("Report progress"))
    assert site.voisinage.head_position() == before
    note = page.locator("#f-note")
    assert note.get_attribute("aria-invalid") == "true"
    assert "f-note-error" in (note.get_attribute("aria-describedby") or "")
    assert note.input_value() == "Moins bien"  # what was typed stays
    assert page.locator("#f-percent").input_value() == "10"
    journey.state("decrease-refused")
    page.locator("#f-percent").fill("30")
    page.locator("#f-note").fill("Un chantier a été repoussé par le fournisseur.")
    page.locator("#f-institution").fill("SLRB")
    _click(page, "button", w("Report progress"))
    assert site.voisinage.head_position() > before
    journey.state("decrease-explained")
    context.close()
    journey.report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_auditor_journey(server, browser, language: str) -> None:
    import csv
    import io
    import json

    base, site = server
    w = lambda msgid, **params: words(language, msgid, **params)  # noqa: E731
    context, page, journey = _staff_journey(browser, "auditor", language)
    sign_in_staff(page, base, Role.AUDITOR)
    page.goto(f"{base}/audit/events")
    journey.state("events")
    _click(page, "link", w("Later events"))
    assert "after=" in page.url
    journey.state("events-later")
    page.locator("#f-process").select_option(str(site.pid))
    page.locator("#f-kind").select_option("domain.process:Process.PhaseOpened")
    _click(page, "button", w("Filter"))
    shown = page.locator("table.event-log tbody tr").count()
    assert shown == 3  # contributions, proposals, voting
    journey.state("events-filtered")
    prov = w("This process's trail (PROV-JSON)")
    downloads = {}
    for label in (
        w("These events (CSV)"),
        w("These events (JSON)"),
        prov,
        w("The audit bundle (for voisinage-verify)"),
    ):
        with page.expect_download() as info:
            page.get_by_role("link", name=label).click()
        downloads[label] = Path(info.value.path()).read_bytes().decode("utf-8", "replace")
    rows = list(csv.DictReader(io.StringIO(downloads[w("These events (CSV)")])))
    events = json.loads(downloads[w("These events (JSON)")])["events"]
    assert len(rows) == len(events) == shown
    assert str(site.pid) in downloads[prov] and json.loads(downloads[prov])
    assert downloads[w("The audit bundle (for voisinage-verify)")]
    _click(page, "link", w("Verify the store"))
    journey.state("verify")
    _click(page, "button", w("Run the verification"))
    assert page.get_by_text(w("Everything matches.")).is_visible()
    journey.state("verified")
    context.close()
    journey.report()
