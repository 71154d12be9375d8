"""`voisinage demo` also loads the research-action demo: the hypothesis on perceived
discrimination and the questionnaire's baseline and follow-up waves."""

from __future__ import annotations

import re
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner

from web.cli import build_application, main


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("VOISINAGE_SECRET_KEY", "VOISINAGE_PSEUDONYM_KEY", "VOISINAGE_CHECKPOINT_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/voisinage.sqlite")
    return tmp_path


def test_the_demo_loads_the_research_record_and_two_measured_waves(store: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    found = re.search(
        r"/p/([0-9a-f-]{36})/research, questionnaire results /q/([0-9a-f-]{36})/results",
        result.output,
    )
    assert found, result.output
    pid, qid = UUID(found.group(1)), UUID(found.group(2))
    app = build_application()
    try:
        record = app.research_record(pid)
        assert "discrimination" in record["hypotheses"][0]["text"]["fr"]
        results = app.questionnaire_results(qid)
        assert [(w["responses"], w["sent_to"]) for w in results["waves"]] == [(24, 60), (18, 60)]
        (indicator,) = results["indicator_changes"]
        (change,) = indicator["measures"][0]["changes"]
        assert change["respondents_in_both"] == 18 and change["difference"]["paired"] is True
    finally:
        app.close()
