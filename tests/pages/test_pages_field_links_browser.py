"""The hand-written form controls (outside the _macros.html fields) link a refused
submission's message to their field like the macros do: aria-invalid on the field,
aria-describedby naming the message shown beside it. One refused submission per form
in Chromium, nothing recorded, axe-core at 0 violations on the refused page."""

# ruff: noqa: F811 (pytest fixtures imported from browser_support)
from __future__ import annotations

from typing import Any

import pytest
from browser_support import (  # noqa: F401 (fixtures)
    browser,
    new_context,
    server,
    sign_in_staff,
    violations,
    words,
)
from pages_support import Site

from domain.roles import Role

pytestmark = pytest.mark.browser

BLANK = "   "  # passes the browser's minlength, refused by the domain as empty


def _linked(page: Any, selector: str) -> str:
    """The message the field at `selector` is described by (asserting it is refused)."""
    field = page.locator(selector).first
    assert field.get_attribute("aria-invalid") == "true", selector
    described = (field.get_attribute("aria-describedby") or "").split()
    assert described, selector
    message = page.locator(f"[id='{described[-1]}']")
    assert message.is_visible()
    return message.inner_text().strip()


def _refused(page: Any, site: Site, submit: Any) -> None:
    before = site.voisinage.head_position()
    submit()
    page.wait_for_load_state()
    assert site.voisinage.head_position() == before  # nothing recorded


def test_moderation_reasons_are_linked_to_their_refused_field(server, browser) -> None:
    base, site = server
    empty = words("fr", "This text is empty. Write something, then send it again.")
    context = new_context(browser, language="fr", javascript=False)
    page = context.new_page()
    checker = new_context(browser, language="fr").new_page()
    sign_in_staff(page, base, Role.FACILITATOR)

    # hiding a contribution (contributions phase)
    process = site.demo.processes["contributions"]
    page.goto(f"{base}/p/{process.process_id}/moderation")
    card = page.locator("li[id^=c-]").first
    cid = card.get_attribute("id")
    card.locator("summary").click()
    card.locator("input[name=reason]").fill(BLANK)
    _refused(page, site, lambda: card.get_by_role("button", name="Masquer").click())
    assert _linked(page, f"#r-{cid.removeprefix('c-')}") == empty
    # only that item's field is marked, its form left open
    assert page.locator(f"#{cid} details").get_attribute("open") is not None
    assert page.locator("[aria-invalid=true]").count() == 1
    page.screenshot(path=str(_shot("moderation-contribution-refused")), full_page=True)
    _axe(page, checker)

    # merging two proposals (proposals phase)
    process = site.demo.processes["proposals"]
    page.goto(f"{base}/p/{process.process_id}/moderation?kind=proposals")
    pid = process.proposal_ids[0]
    card = page.locator(f"#p-{pid}")
    card.locator("summary").click()
    card.locator("select[name=target_id]").select_option(str(process.proposal_ids[1]))
    card.locator(f"#mr-{pid}").fill(BLANK)
    _refused(page, site, lambda: card.get_by_role("button", name="Fusionner").click())
    assert _linked(page, f"#mr-{pid}") == empty
    assert page.locator(f"#pr-{pid}").get_attribute("aria-invalid") is None  # not hide's
    page.screenshot(path=str(_shot("moderation-merge-refused")), full_page=True)
    _axe(page, checker)

    # hiding a proposal during the vote, from its confirmation page
    proposal = site.demo.proposal_ids[3]
    page.goto(f"{base}/p/{site.pid}/proposals/{proposal}/hide")
    page.locator("#hide-reason").fill(BLANK)
    _refused(page, site, lambda: page.locator("main form button[type=submit]").click())
    assert f"/proposals/{proposal}/hide" in page.url  # back on the confirmation
    assert _linked(page, "#hide-reason") == empty
    page.screenshot(path=str(_shot("confirm-hide-refused")), full_page=True)
    _axe(page, checker)
    context.close()
    checker.context.close()


def test_a_ballot_with_too_many_choices_is_linked_to_the_choices(server, browser) -> None:
    base, site = server
    context = new_context(browser, language="nl", javascript=False)
    page = context.new_page()
    checker = new_context(browser, language="nl").new_page()
    page.goto(f"{base}/p/{site.pid}/join")
    page.locator("#f-code").fill(site.code())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/p/{site.pid}")
    page.goto(f"{base}/p/{site.pid}/ballot")
    boxes = page.locator("input[name=choice]")
    for index in range(6):  # the rules allow 5
        boxes.nth(index).check()
    _refused(page, site, lambda: page.locator("#ballot-form button[type=submit]").click())
    message = _linked(page, "input[name=choice]")
    assert message and "5" in message, message
    fieldset = page.locator("#ballot-form fieldset").first
    assert fieldset.get_attribute("aria-describedby") == "f-choices-error"
    page.screenshot(path=str(_shot("ballot-refused")), full_page=True)
    _axe(page, checker)
    context.close()
    checker.context.close()


def _shot(name: str) -> Any:
    from journey_support import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"field-links-{name}.png"


def _axe(page: Any, checker: Any) -> None:
    from journey_support import Journey

    journey = Journey(page, "field-links", "fr", False, checker)
    assert violations(journey._axe_page()) == []


def test_a_refused_questionnaire_answer_is_linked_to_its_question(server, browser) -> None:
    from test_pages_questionnaires import questionnaire

    base, site = server
    qid = questionnaire(site)
    context = new_context(browser, language="fr")
    page = context.new_page()
    page.goto(f"{base}/p/{site.pid}/join")
    page.locator("#f-code").fill(site.code())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/p/{site.pid}")
    page.goto(f"{base}/q/{qid}")
    # a browser that does not check `required` (older ones, or assistive tools)
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.get_by_label("La cour").check()  # the required scale left unanswered
    _refused(page, site, lambda: page.locator("main form button[type=submit]").click())
    first = page.locator("main form input[type=radio]").first
    name = first.get_attribute("name")
    assert _linked(page, "main form input[type=radio]")
    group = page.locator("main form fieldset").first
    assert group.get_attribute("aria-describedby") == f"f-{name}-error"
    page.screenshot(path=str(_shot("questionnaire-refused")), full_page=True)
    assert violations(page) == []
    context.close()


def test_a_refused_report_introduction_is_linked_to_its_field(server, browser) -> None:
    base, site = server
    process = site.demo.processes["recommendations"]
    context = new_context(browser, language="nl")
    page = context.new_page()
    sign_in_staff(page, base, Role.FACILITATOR)
    page.goto(f"{base}/p/{process.process_id}/report/compose")
    field = page.locator("textarea[name^=intro-]").nth(1)
    name = field.get_attribute("id")
    field.evaluate("e => e.removeAttribute('maxlength')")  # a browser without the limit
    field.fill("x" * 3001)
    _refused(page, site, lambda: page.locator("main form button[type=submit]").last.click())
    assert _linked(page, f"#{name}")
    assert page.locator(f"#{name}").input_value() == "x" * 3001  # what was typed stays
    assert page.locator("[aria-invalid=true]").count() == 1
    page.screenshot(path=str(_shot("report-refused")), full_page=True)
    assert violations(page) == []
    context.close()
