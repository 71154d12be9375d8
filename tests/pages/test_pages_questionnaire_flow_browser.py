"""A questionnaire from end to end in Chromium, in French and in Dutch, with JavaScript
and without: a facilitator builds it and opens a wave with the forms, two residents
answer, and the results are read. Every page is checked by axe-core (0 violations); on
the results, each label of the SVG bars is at least 12 px and lies inside its chart at
390 and at 1280 px (long option names included); screenshots in test-artifacts/."""

from __future__ import annotations

import re

import pytest
from test_pages_browser import ARTIFACTS, _axe_script, _context, _join, browser, server

from application.demo import DEMO_PASSWORD, DEMO_STAFF
from domain.roles import Role

__all__ = ["browser", "server"]  # the browser tests' fixtures, shared
pytestmark = pytest.mark.browser

LONG = "Un lieu fédérateur partagé par les associations du quartier, ouvert le soir"
LANG = {"fr": "fr", "nl": "nl"}
THANKS = {"fr": "Merci : vos réponses sont enregistrées", "nl": "Bedankt: uw antwoorden zijn"}
MEAN = {"fr": "Moyenne 3,5, médiane 3,5 (n = 2)", "nl": "Gemiddelde 3,5, mediaan 3,5 (n = 2)"}

#: Each text of each chart: its box, the chart's box, its font size in px.
MEASURE = """() => [...document.querySelectorAll('svg.answers-chart')].flatMap(svg => {
  const outer = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => {
    const box = t.getBoundingClientRect();
    const scale = outer.width / svg.viewBox.baseVal.width;
    return {text: t.textContent, left: box.left - outer.left, right: outer.right - box.right,
            top: box.top - outer.top, bottom: outer.bottom - box.bottom,
            px: parseFloat(getComputedStyle(t).fontSize) * scale};
  });
})"""


def _axe(page: object) -> list[tuple[str, str]]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    fallback = _axe_script()
    if fallback:
        axe.axe_script = fallback
    return [(v["id"], v["help"]) for v in axe.run(page).response["violations"]]


def _submit(page: object, action: str) -> None:
    page.locator(f"form[action$='{action}'] button[type=submit]").last.click()  # type: ignore[attr-defined]


def _build(page: object, base: str, pid: object, language: str) -> str:
    """The facilitator's forms: create, two questions (one with long choices), a wave."""
    page.goto(f"{base}/language/{language}?next=/sign-in")  # type: ignore[attr-defined]
    page.fill("input[name=email]", DEMO_STAFF[Role.FACILITATOR])  # type: ignore[attr-defined]
    page.fill("input[name=password]", DEMO_PASSWORD)  # type: ignore[attr-defined]
    page.locator("form button[type=submit]").last.click()  # type: ignore[attr-defined]
    page.goto(f"{base}/p/{pid}/questionnaires")  # type: ignore[attr-defined]
    page.fill("input[name=title_fr]", f"Un lieu partagé ({language})")  # type: ignore[attr-defined]
    page.fill("input[name=title_nl]", f"Een gedeelde plek ({language})")  # type: ignore[attr-defined]
    page.fill("textarea[name=intro_fr]", "Deux questions, une minute.")  # type: ignore[attr-defined]
    page.fill("textarea[name=intro_nl]", "Twee vragen, één minuut.")  # type: ignore[attr-defined]
    _submit(page, "/questionnaires")
    page.wait_for_url(re.compile(r".*/q/[0-9a-f-]+/build$"))  # type: ignore[attr-defined]
    build = str(page.url)  # type: ignore[attr-defined]
    page.select_option("select[name=kind]", "scale5")  # type: ignore[attr-defined]
    page.fill("input[name=text_fr]", "Vous sentez-vous écouté ?")  # type: ignore[attr-defined]
    page.fill("input[name=text_nl]", "Voelt u zich gehoord?")  # type: ignore[attr-defined]
    page.check("input[name=required]")  # type: ignore[attr-defined]
    _submit(page, "/build/questions")
    page.wait_for_url(build)  # type: ignore[attr-defined]
    page.select_option("select[name=kind]", "single")  # type: ignore[attr-defined]
    page.fill("input[name=text_fr]", "Que souhaitez-vous ?")  # type: ignore[attr-defined]
    page.fill("input[name=text_nl]", "Wat wenst u?")  # type: ignore[attr-defined]
    page.fill("textarea[name=options_fr]", f"{LONG}\nRien")  # type: ignore[attr-defined]
    page.fill(  # type: ignore[attr-defined]
        "textarea[name=options_nl]",
        "Een gedeelde plek van de verenigingen van de wijk, ook 's avonds open\nNiets",
    )
    _submit(page, "/build/questions")
    page.wait_for_url(build)  # type: ignore[attr-defined]
    page.fill("input[name=label_fr]", "Avant")  # type: ignore[attr-defined]
    page.fill("input[name=label_nl]", "Voor")  # type: ignore[attr-defined]
    page.fill("input[name=sent_to]", "100")  # type: ignore[attr-defined]
    _submit(page, "/build/waves")
    page.wait_for_url(build)  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("lang") == LANG[language]  # type: ignore[attr-defined]
    return build.removesuffix("/build")


def _answer(browser: object, base: str, site: object, questionnaire: str, **how: object) -> None:
    """A resident joins with a spare code and answers with the plain form."""
    context = _context(browser, javascript=bool(how["javascript"]))
    page = context.new_page()  # type: ignore[attr-defined]
    _join(page, base, site)  # type: ignore[arg-type]
    page.goto(f"{base}/language/{how['language']}?next={questionnaire.removeprefix(base)}")
    page.check(f"input[name=q1][value='{how['score']}']")
    page.check(f"input[name=q2][value='{how['choice']}']")
    _submit(page, "/answers")
    page.wait_for_url(questionnaire)
    assert page.get_by_text(THANKS[str(how["language"])]).first.is_visible()
    context.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_build_answer_and_read_a_questionnaire(server, browser, javascript, language) -> None:
    base, site = server
    tag = f"{language}-{'js' if javascript else 'no-js'}"
    context = _context(browser, javascript=javascript)
    page = context.new_page()
    questionnaire = _build(page, base, site.pid, language)
    page.screenshot(path=str(ARTIFACTS / f"questionnaire-flow-build-{tag}.png"), full_page=True)
    context.close()
    for score, choice in ((3, "1"), (4, "2")):
        _answer(browser, base, site, questionnaire, javascript=javascript, language=language,
                score=score, choice=choice)  # fmt: skip
    # Read the results with this context's JavaScript setting, then measure and run
    # axe-core (both need scripts in the page) at a phone's and a laptop's width.
    context = _context(browser, javascript=javascript)
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next={questionnaire.removeprefix(base)}/results")
    text = page.locator("main").inner_text()
    assert MEAN[language] in text, text
    assert "50" in text and "(1/2)" in text
    context.close()
    violations: dict[str, list[tuple[str, str]]] = {}
    for width in (390, 1280):
        context = _context(browser, javascript=True)
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/language/{language}?next={questionnaire.removeprefix(base)}/results")
        texts = page.evaluate(MEASURE)
        assert len(texts) >= 2 * 5 + 2 * 2, texts  # two bars' labels and values at least
        cut = [t for t in texts if min(t["left"], t["right"], t["top"], t["bottom"]) < -0.5]
        assert not cut, f"labels outside their chart at {width} px: {cut}"
        small = [t for t in texts if t["px"] < 12]
        assert not small, f"labels under 12 px at {width} px: {small}"
        print(
            f"[{tag} {width}px] {len(texts)} texts, smallest {min(t['px'] for t in texts):.1f} px"
        )
        page.screenshot(
            path=str(ARTIFACTS / f"questionnaire-flow-results-{tag}-{width}.png"), full_page=True
        )
        for url in (questionnaire, f"{questionnaire}/results"):
            if width == 390:
                page.goto(url)
                if found := _axe(page):
                    violations[url] = found
        context.close()
    assert not violations, violations
