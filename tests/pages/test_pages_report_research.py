"""The report's research-action sections: the methodology the facilitators recorded
and the questionnaire results with the change measured between two waves.

The demo process gets the research demo (a hypothesis, two methods, an indicator,
expected effects on an axis, a questionnaire answered by 24 then 18 residents of 60
asked), then its shortlist is published so that the report is public.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from app_support import build_app, close_app, settle, sqlite_url_in
from pages_support import page_text

from application.demo import load_demo
from application.demo_research import HYPOTHESIS, load_research_demo
from domain.roles import Role


@pytest.fixture(scope="module")
def researched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    app = build_app(sqlite_url_in(tmp_path_factory.mktemp("research-report")))
    v = app.extensions["voisinage"]
    demo = load_demo(v)
    research = load_research_demo(v, demo)
    v.publish_shortlist(demo.staff[Role.FACILITATOR], demo.process_id)
    settle(app)
    yield {"app": app, "pid": demo.process_id, "research": research, "voisinage": v}
    close_app(app)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "fr",
            ["Ateliers participatifs", "7 février 2026", "Respect ressenti", "40 %", "18"],
        ),
        ("nl", ["Participatieve workshops", "7 februari 2026", "Ervaren respect", "40%", "18"]),
    ],
)
def test_the_report_shows_the_methodology_and_the_measured_change(researched, language, words):
    client = researched["app"].test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get(f"/p/{researched['pid']}/report")
    assert response.status_code == 200
    text = _text(page_text(response))
    assert HYPOTHESIS[language] in text
    for word in words:
        assert word in text, word
    # The two waves, each with its number of answers out of the 60 asked.
    assert re.search(r"Avant 24 60 40" if language == "fr" else r"Voor 24 60 40", text), text[
        -3000:
    ]
    results = researched["voisinage"].questionnaire_results(researched["research"].questionnaire_id)
    estimate = results["questions"][0]["change"]["difference"]["estimate"]
    assert estimate > 0
    shown = f"{round(estimate, 2):.2f}".rstrip("0").rstrip(".")
    assert shown.replace(".", ",") in text


def test_the_report_json_carries_the_research_record_and_the_results(researched):
    client = researched["app"].test_client()
    data = client.get(f"/api/v1/processes/{researched['pid']}/report.json").get_json()
    assert [h["text"]["en"] for h in data["methodology"]["hypotheses"]] == [HYPOTHESIS["en"]]
    assert data["methodology"]["indicators"][0]["hypothesis"] == HYPOTHESIS
    [result] = data["questionnaires"]
    assert [(w["responses"], w["sent_to"]) for w in result["waves"]] == [(24, 60), (18, 60)]


def test_a_process_without_research_has_no_such_sections(tmp_path):
    app = build_app(sqlite_url_in(tmp_path))
    try:
        v = app.extensions["voisinage"]
        demo = load_demo(v)
        v.publish_shortlist(demo.staff[Role.FACILITATOR], demo.process_id)
        settle(app)
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        html = page_text(client.get(f"/p/{demo.process_id}/report"))
        assert "Methodology and hypotheses" not in html
        assert "Questionnaires and measured change" not in html
        assert "The workshops" in html
    finally:
        close_app(app)


def test_open_data_has_the_questionnaire_counts_but_no_free_text(researched):
    import csv
    import io

    client = researched["app"].test_client()
    response = client.get(
        f"/api/v1/processes/{researched['pid']}/open-data/questionnaire_aggregates",
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    felt = [r for r in rows if r["question"] == "q1"]
    assert {r["wave"] for r in felt} == {"Avant", "Après"}
    assert sum(int(r["count"]) for r in felt if r["wave"] == "Avant") == 24
    assert sum(int(r["count"]) for r in felt if r["wave"] == "Après") == 18
    assert not [r for r in rows if r["question"] == "q3"]  # the free-text question
