"""A real browser (Debian's Chromium through Playwright) against a real server.

A resident joins with a spare invitation code and votes twice: once with JavaScript
off (plain form, POST then the receipt page) and once with it on (live count, vote
sent without a reload). Screenshots go to test-artifacts/; axe-core checks the
resident pages for serious or critical accessibility violations.
"""

# ruff: noqa: F811 (pytest fixtures imported from browser_support)
from __future__ import annotations

import pytest
from app_support import settle
from browser_support import (  # noqa: F401 (fixtures, and names other modules import)
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    browser,
    server,
)
from browser_support import axe_script as _axe_script
from browser_support import require_browser as _require_browser  # noqa: F401
from pages_support import Site

pytestmark = pytest.mark.browser


def _context(browser: object, javascript: bool) -> object:
    return browser.new_context(  # type: ignore[attr-defined]
        java_script_enabled=javascript,
        viewport={"width": 390, "height": 844},  # a phone
        device_scale_factor=1,
        locale="fr-BE",
    )


def _join(page: object, base: str, site: Site) -> None:
    page.goto(f"{base}/p/{site.pid}/join")  # type: ignore[attr-defined]
    page.get_by_label("Code d'invitation").fill(site.code().lower())  # type: ignore[attr-defined]
    page.get_by_label("Votre prénom").fill("Fatima")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Participer").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/p/{site.pid}")  # type: ignore[attr-defined]


def test_vote_without_javascript(server, browser):
    base, site = server
    context = _context(browser, javascript=False)
    page = context.new_page()
    _join(page, base, site)
    assert page.locator("h1").inner_text() == "Vois 1 Voisin.e"
    page.get_by_role("link", name="Voter pour des propositions").click()
    page.wait_for_url(f"{base}/p/{site.pid}/ballot")  # measure the ballot, not the page before
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(ARTIFACTS / "ballot-no-js.png"), full_page=True)
    print(f"[ballot] 15 proposals at 390 px: {height} px")
    assert height < 3000, height  # was 3,720 px
    page.get_by_label("Plan anti-moisissure en 12 mois").check()
    page.get_by_label("Potager partagé").check()
    page.get_by_role("button", name="Envoyer mon vote").click()
    page.wait_for_url(f"{base}/p/{site.pid}/receipt")
    receipt = page.locator("#receipt").inner_text()
    assert len(receipt) >= 16
    assert page.get_by_text("Votre vote est enregistré").first.is_visible()
    assert not page.get_by_role("button", name="Le copier").is_visible()  # needs JavaScript
    page.screenshot(path=str(ARTIFACTS / "receipt-no-js.png"), full_page=True)
    # change the vote, still without JavaScript
    page.get_by_role("link", name="Changer mon vote").click()
    page.get_by_label("Potager partagé").uncheck()
    page.get_by_role("button", name="Changer mon vote").click()
    page.wait_for_url(f"{base}/p/{site.pid}/receipt")
    assert page.locator("#receipt").inner_text() != receipt
    context.close()


def test_vote_with_javascript(server, browser):
    base, site = server
    context = _context(browser, javascript=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _join(page, base, site)
    page.goto(f"{base}/p/{site.pid}/ballot")
    counter = page.locator("#ballot-counter")
    assert counter.inner_text() == "0 propositions choisies sur 5"
    page.get_by_label("Terrain multisport").check()
    page.get_by_label("Toegankelijke ingangen").check()
    assert counter.inner_text() == "2 propositions choisies sur 5"
    page.screenshot(path=str(ARTIFACTS / "ballot-js.png"), full_page=True)
    url_before = page.url
    page.get_by_role("button", name="Envoyer mon vote").click()
    receipt = page.locator("#ballot-result #receipt")
    receipt.wait_for()
    assert page.url == url_before  # no reload
    shown = receipt.inner_text()
    assert len(shown) >= 16
    page.screenshot(path=str(ARTIFACTS / "receipt-js.png"), full_page=True)
    page.goto(f"{base}/p/{site.pid}/receipt")
    assert page.locator("#receipt").inner_text() == shown
    # the receipt is copied in one tap (the button exists only where it can work)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.get_by_role("button", name="Le copier").click()
    page.get_by_text("Copié : collez-le").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == shown
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


def test_resident_pages_have_no_serious_accessibility_violations(server, browser):
    from axe_playwright_python.sync_playwright import Axe

    base, site = server
    axe = Axe()
    fallback = _axe_script()
    if fallback:
        axe.axe_script = fallback
    context = _context(browser, javascript=True)
    page = context.new_page()
    pages = [f"{base}/", f"{base}/p/{site.pid}", f"{base}/p/{site.pid}/join"]
    found: dict[str, list[str]] = {}

    def check(url: str) -> None:
        page.goto(url)
        results = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        if serious:
            found[url] = serious

    for url in pages:
        check(url)
    _join(page, base, site)
    for url in [
        f"{base}/p/{site.pid}/workshops",
        f"{base}/p/{site.pid}/workshops/{site.demo.workshop_ids[0]}",
        f"{base}/p/{site.pid}/proposals",
        f"{base}/p/{site.pid}/ballot",
        f"{base}/p/{site.pid}/receipt",
        f"{base}/p/{site.pid}/check",
        f"{base}/p/{site.pid}/my-ideas",
        f"{base}/p/{site.pid}/results",
    ]:
        check(url)
    page.screenshot(path=str(ARTIFACTS / "results.png"), full_page=True)
    context.close()
    assert not found, found


def test_results_chart_after_the_vote_closes(server, browser):
    """Last of this module: closes the vote, then reads the chart like a resident."""
    from axe_playwright_python.sync_playwright import Axe

    from domain.roles import Role

    base, site = server
    site.voisinage.publish_shortlist(site.demo.staff[Role.FACILITATOR], site.pid)
    settle(site.app)
    context = _context(browser, javascript=False)
    page = context.new_page()
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(f"{base}/p/{site.pid}/results")
    assert page.locator("ol.bar-chart li").count() == len(site.demo.proposal_ids)
    assert page.locator("ol.bar-chart .bar-value").count() == len(site.demo.proposal_ids)
    page.screenshot(path=str(ARTIFACTS / "results-chart.png"), full_page=True)
    # on a phone the labels stay readable (at least 12 px) and nothing runs off the right
    page.set_viewport_size({"width": 390, "height": 844})
    sizes = page.eval_on_selector_all(
        "ol.bar-chart .bar-title, ol.bar-chart .bar-value, .results-table td",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 12, sizes
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, overflow
    page.screenshot(path=str(ARTIFACTS / "results-phone.png"), full_page=True)
    context.close()
    context = _context(browser, javascript=True)
    page = context.new_page()
    page.goto(f"{base}/p/{site.pid}/results")
    violations = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    context.close()
    assert not violations, violations


def _process_in_vote(site: Site, rules: dict) -> tuple[object, list[str]]:
    """A process of its own with these rules and three proposals, in the voting phase."""
    from datetime import date

    from domain.roles import Role

    app, facilitator = site.voisinage, site.demo.staff[Role.FACILITATOR]
    pid = app.start_process(facilitator, title={"fr": f"Vote {rules['method']}"}, rules=rules)
    app.advance_phase(facilitator, pid, "contributions")
    wid = app.schedule_workshop(
        facilitator, pid, title="Atelier", on=date(2026, 3, 1), place="Salle"
    )
    app.open_workshop(facilitator, wid)
    cid = app.record_contribution(
        facilitator, wid, kind="idea", text="Des bancs", language="fr", on_behalf_of_group="table 1"
    )
    app.advance_phase(facilitator, pid, "proposals")
    proposals = [
        str(
            app.submit_proposal(
                facilitator, pid, title=title, body="Texte", language="fr", source_ids=[cid]
            )
        )
        for title in ("Bancs à l'ombre", "Potager partagé", "Ascenseur réparé")
    ]
    app.advance_phase(facilitator, pid, "voting")
    (code,) = app.issue_invitations(facilitator, pid, 1)
    settle(site.app)
    return pid, [code, *proposals]


METHODS = {
    "approval": {"method": "approval", "max_choices": 2},
    "equal_shares": {"method": "equal_shares", "max_choices": 2},
    "pav": {"method": "pav"},
    "dots": {"method": "dots", "budget": 10},
    "borda": {"method": "borda"},
    "schulze": {"method": "schulze"},
    "majority_judgment": {"method": "majority_judgment"},
}


@pytest.mark.parametrize("method", sorted(METHODS))
def test_the_ballot_page_casts_a_valid_ballot_for_every_method(server, browser, method):
    """The page's fields come from the domain's rules for each method (the majority-
    judgment page used to post grade positions that the domain refused)."""
    base, site = server
    pid, (code, first, second, third) = _process_in_vote(site, METHODS[method])
    context = _context(browser, javascript=False)
    page = context.new_page()
    page.goto(f"{base}/p/{pid}/join")
    page.get_by_label("Code d'invitation").fill(code)
    page.get_by_role("button", name="Participer").click()
    page.wait_for_url(f"{base}/p/{pid}")
    page.goto(f"{base}/p/{pid}/ballot")
    if method in ("approval", "equal_shares", "pav"):
        page.get_by_label("Bancs à l'ombre").check()
        page.get_by_label("Ascenseur réparé").check()
        expected: object = sorted([first, third])
    elif method == "dots":
        page.locator(f"#points-{first}").fill("7")
        page.locator(f"#points-{third}").fill("3")
        expected = {first: 7, third: 3}
    elif method in ("borda", "schulze"):
        page.get_by_label("Rang 1").select_option(third)
        page.get_by_label("Rang 2").select_option(first)
        expected = [third, first]
    else:
        for proposal, grade in ((first, "excellent"), (second, "poor"), (third, "good")):
            page.locator(f"input[name='grade-{proposal}'][value='{grade}']").check()
        expected = {first: "excellent", second: "poor", third: "good"}
    page.screenshot(path=str(ARTIFACTS / f"ballot-{method}.png"), full_page=True)
    page.get_by_role("button", name="Envoyer mon vote").click()
    page.wait_for_url(f"{base}/p/{pid}/receipt")
    assert page.get_by_text("Votre vote est enregistré").first.is_visible()
    context.close()
    stored = [
        event.choices
        for _, event in site.voisinage.scan(["domain.ballot:Ballot.Cast"])
        if event.process_id == pid
    ]
    assert len(stored) == 1
    got = (
        sorted(stored[0])
        if isinstance(expected, list) and method not in ("borda", "schulze")
        else stored[0]
    )
    assert got == expected, (method, stored[0])
