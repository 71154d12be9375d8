"""The hand-written form controls (outside the _macros.html fields) link a refused
submission's message to their field like the macros do: aria-invalid on the field,
aria-describedby naming the message shown beside it. One refused submission per form
in Chromium, nothing recorded, axe-core at 0 violations on the refused page."""

# ruff: noqa: F811 (pytest fixtures imported from browser_support)
from __future__ import annotations

import uuid
from typing import Any

import pytest
from app_support import settle
from browser_support import (  # noqa: F401 (fixtures)
    DESKTOP,
    PHONE,
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

NOT_COUNTED = (
    "No: this receipt is not in the counted votes. It may be an old receipt of a vote that "
    "was changed, or a typing mistake."
)
UNKNOWN_AXIS = "This axis is not part of the process. Reload the page and choose one from the list."
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
    _shots(page, "moderation-contribution-refused")
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
    # the proposal chosen to merge into is still the one chosen
    assert card.locator("select[name=target_id]").input_value() == str(process.proposal_ids[1])
    _shots(page, "moderation-merge-refused")
    _axe(page, checker)

    # hiding a proposal during the vote, from its confirmation page
    proposal = site.demo.proposal_ids[3]
    page.goto(f"{base}/p/{site.pid}/proposals/{proposal}/hide")
    page.locator("#hide-reason").fill(BLANK)
    _refused(page, site, lambda: page.locator("main form button[type=submit]").click())
    assert f"/proposals/{proposal}/hide" in page.url  # back on the confirmation
    assert _linked(page, "#hide-reason") == empty
    _shots(page, "confirm-hide-refused")
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
    _shots(page, "ballot-refused")
    _axe(page, checker)
    context.close()
    checker.context.close()


def _shots(page: Any, name: str) -> None:
    """The page as it is, full length, on a phone and on a desktop screen."""
    size = page.viewport_size
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 844 if width == PHONE else 900})
        page.screenshot(path=str(_shot(f"{name}-{width}")), full_page=True)
    page.set_viewport_size(size)


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
    _shots(page, "questionnaire-refused")
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
    _shots(page, "report-refused")
    assert violations(page) == []
    context.close()


def _join(page: Any, base: str, pid: Any, code: str) -> None:
    page.goto(f"{base}/p/{pid}/join")
    page.locator("#f-code").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/p/{pid}")


def _unmarked_but(page: Any, *selectors: str) -> None:
    """Only the controls at `selectors` are marked aria-invalid on the page."""
    marked = page.locator("[aria-invalid=true]").count()
    expected = sum(page.locator(selector).count() for selector in selectors)
    assert marked == expected, (marked, expected, selectors)


def test_a_majority_judgment_ballot_marks_the_proposals_left_ungraded(server, browser) -> None:
    base, site = server
    voting = site.world.in_voting({"method": "majority_judgment"}, proposals=3, residents=0)
    facilitator = site.demo.staff[Role.FACILITATOR]
    (code,) = site.voisinage.issue_invitations(facilitator, voting.pid, 1)
    settle(site.app)
    context = new_context(browser, language="fr", javascript=False)
    page = context.new_page()
    checker = new_context(browser, language="fr").new_page()
    _join(page, base, voting.pid, code)
    page.goto(f"{base}/p/{voting.pid}/ballot")
    first, second, third = (str(p) for p in voting.proposals)
    page.locator(f"input[name='grade-{first}'][value='good']").check()
    page.evaluate("document.querySelector('#ballot-form').noValidate = true")
    _refused(page, site, lambda: page.locator("#ballot-form button[type=submit]").click())
    expected = words("fr", "Give a grade to every proposal.")
    for proposal in (second, third):
        assert _linked(page, f"input[name='grade-{proposal}']") == expected
    assert page.locator(f"input[name='grade-{first}'][value='good']").is_checked()
    _unmarked_but(page, f"input[name='grade-{second}']", f"input[name='grade-{third}']")
    _shots(page, "ballot-grades-refused")
    _axe(page, checker)
    context.close()
    checker.context.close()


def test_a_receipt_not_counted_is_linked_to_the_check_field(server, browser) -> None:
    base, site = server
    context = new_context(browser, language="nl")
    page = context.new_page()
    page.goto(f"{base}/p/{site.pid}/check")
    page.locator("#f-receipt").fill("abc-niet-geteld")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    not_counted = words("nl", NOT_COUNTED)
    assert _linked(page, "#f-receipt") == not_counted
    assert page.locator("#f-receipt").input_value() == "abc-niet-geteld"
    _unmarked_but(page, "#f-receipt")
    _shots(page, "check-refused")
    assert violations(page) == []
    context.close()


def test_a_refused_participant_number_is_linked_to_the_erase_field(server, browser) -> None:
    base, site = server
    context = new_context(browser, language="fr", javascript=False)
    page = context.new_page()
    checker = new_context(browser, language="fr").new_page()
    sign_in_staff(page, base, Role.ADMIN)
    page.goto(f"{base}/admin/erase")
    page.locator("#f-participant").fill("pas-un-numéro")
    _refused(page, site, lambda: page.locator("main form button[type=submit]").click())
    assert _linked(page, "#f-participant") == words("fr", "This is not a participant number.")
    _unmarked_but(page, "#f-participant")
    _shots(page, "erase-refused")
    _axe(page, checker)
    context.close()
    checker.context.close()


def test_a_proposal_citing_nothing_is_linked_to_the_word_search(server, browser) -> None:
    base, site = server
    process = site.demo.processes["proposals"]
    context = new_context(browser, language="fr", javascript=False)
    page = context.new_page()
    checker = new_context(browser, language="fr").new_page()
    _join(page, base, process.process_id, process.spare_codes.pop())
    page.goto(f"{base}/p/{process.process_id}/proposals/new")
    page.locator("#f-title").fill("Des bancs à l'ombre")
    page.locator("#f-body").fill("Des bancs à l'ombre près des jeux, pour les parents.")
    _refused(page, site, lambda: page.locator("main form button.wide").click())
    tick = words("fr", "Tick at least one contribution that the proposal comes from.")
    assert _linked(page, "#f-q") == tick
    assert page.locator("#f-title").input_value() == "Des bancs à l'ombre"
    _unmarked_but(page, "#f-q", "input[name=source_ids]")
    assert (
        page.locator("fieldset.invalid").get_attribute("aria-describedby") == "f-source_ids-error"
    )
    _shots(page, "proposal-sources-refused")
    _axe(page, checker)
    context.close()
    checker.context.close()


def test_capture_links_a_refused_theme_with_and_without_javascript(server, browser) -> None:
    base, site = server
    process = site.demo.processes["contributions"]
    url = f"{base}/p/{process.process_id}/workshops/{process.open_workshop_id}/capture"
    unknown = str(uuid.uuid4())
    for javascript in (False, True):
        context = new_context(browser, language="nl", javascript=javascript)
        page = context.new_page()
        checker = new_context(browser, language="nl").new_page()
        sign_in_staff(page, base, Role.FACILITATOR)
        page.goto(url)
        page.locator("#f-text").fill("Meer bankjes bij de speeltuin")
        # a theme the process no longer has (another tab, an old page)
        page.locator("#f-axis").evaluate(
            "(s, v) => { s.add(new Option('?', v)); s.value = v; }", unknown
        )
        before = site.voisinage.head_position()
        page.locator("#capture-form button[type=submit]").click()
        page.wait_for_selector("#f-axis[aria-invalid=true]")
        assert site.voisinage.head_position() == before
        unknown_axis = words("nl", UNKNOWN_AXIS)
        assert _linked(page, "#f-axis") == unknown_axis  # beside the field, in both modes
        assert page.locator("#f-text").input_value() == "Meer bankjes bij de speeltuin"
        assert page.locator("#f-axis").input_value() == unknown  # the choice stays
        _unmarked_but(page, "#f-axis")
        _shots(page, f"capture-theme-refused-{'js' if javascript else 'nojs'}")
        if javascript:
            assert violations(page) == []
        else:
            _axe(page, checker)
        context.close()
        checker.context.close()


def test_the_recommendation_forms_link_a_refused_field(server, browser) -> None:
    base, site = server
    process = site.demo.processes["recommendations"]
    pid = process.process_id
    context = new_context(browser, language="fr", javascript=False)
    page = context.new_page()
    checker = new_context(browser, language="fr").new_page()
    sign_in_staff(page, base, Role.FACILITATOR)
    page.goto(f"{base}/p/{pid}/recommendations")
    form = page.locator("section[aria-labelledby=draft] form")
    form.locator("#f-title").fill("Des bancs partout")
    form.locator("#f-text").fill("Des bancs à l'ombre dans chaque cour.")
    form.locator("input[name=proposal]").first.check()
    form.locator("#f-language").evaluate(
        "s => { s.add(new Option('?', 'pas une langue')); s.value = 'pas une langue'; }"
    )
    with page.expect_response(lambda r: r.url.endswith("/recommendations")) as sent:
        _refused(page, site, lambda: form.locator("button[type=submit]").click())
    assert sent.value.status == 422
    assert _linked(page, "#f-language") == words("fr", "Choose a language from the list.")
    assert page.locator("#f-title").input_value() == "Des bancs partout"  # what was typed
    assert page.locator("input[name=proposal]").first.is_checked()
    _unmarked_but(page, "#f-language")
    _shots(page, "recommendation-draft-refused")
    _axe(page, checker)
    context.close()

    # the institution's answer: shown again with what was typed, the status linked
    v, fac = site.voisinage, site.demo.staff[Role.FACILITATOR]
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
    context = new_context(browser, language="nl", javascript=False)
    page = context.new_page()
    sign_in_staff(page, base, Role.INSTITUTION)
    page.goto(f"{base}/p/{pid}/recommendations/{rid}")
    page.locator("#f-institution").fill("SLRB")
    page.locator("#f-justification").fill("Wij bestuderen de kosten van de rampe.")
    page.evaluate("document.querySelectorAll('main form').forEach(f => f.noValidate = true)")
    answer = page.locator("form[action$='/answer']")
    with page.expect_response(lambda r: r.url.endswith("/answer")) as sent:
        _refused(page, site, lambda: answer.locator("button[type=submit]").click())
    assert sent.value.status == 422
    assert _linked(page, "input[name=status]") == words(
        "nl", "Choose your answer: one of the statuses in the list."
    )
    assert (
        page.locator("#f-justification").input_value() == "Wij bestuderen de kosten van de rampe."
    )
    assert page.locator("#f-institution").input_value() == "SLRB"
    _unmarked_but(page, "input[name=status]")
    _shots(page, "recommendation-answer-refused")
    _axe(page, checker)
    context.close()
    checker.context.close()


def test_the_words_to_cite_read_across_the_phone_screen(server, browser) -> None:
    """At 390 px each quote flows under its kind across the whole choice, instead of a
    narrow column of two or three words per line beside it."""
    base, site = server
    process = site.demo.processes["proposals"]
    context = new_context(browser, language="fr")
    page = context.new_page()
    _join(page, base, process.process_id, process.spare_codes.pop())
    page.goto(f"{base}/p/{process.process_id}/proposals/new")
    widths = page.eval_on_selector_all(
        ".choice > label",
        "labels => labels.map(l => [l.querySelector('q').getBoundingClientRect().width,"
        " l.getBoundingClientRect().width, l.querySelector('q').textContent.length])",
    )
    long_quotes = [(q, label) for q, label, length in widths if length > 40]
    assert long_quotes, widths
    assert all(q >= 0.65 * label for q, label in long_quotes), long_quotes  # was 0.32-0.57
    _shots(page, "proposal-form")
    context.close()
