"""The research record's and the questionnaires' pages read plain values returned by one
application method each (beside the read models' views): no page composes aggregates,
nor calls the application several times to build what it shows."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from app_support import settle
from pages_support import Site, act_as, sign_in

from domain.roles import Role

PLAIN = (str, int, float, bool, type(None), UUID, date)


def _plain(value: Any, where: str = "") -> list[str]:
    """Where `value` holds something other than dicts, lists and plain values."""
    if isinstance(value, dict):
        return [bad for k, v in value.items() for bad in _plain(v, f"{where}.{k}")]
    if isinstance(value, list | tuple):
        return [bad for i, v in enumerate(value) for bad in _plain(v, f"{where}[{i}]")]
    return [] if isinstance(value, PLAIN) else [f"{where}: {type(value).__name__}"]


class Recording:
    """The application, noting which of its methods a page calls and what they return."""

    def __init__(self, app: Any) -> None:
        self.app, self.calls, self.returned = app, [], []

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.app, name)
        if not callable(found) or name.startswith("_"):
            return found

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            value = found(*args, **kwargs)
            self.returned.append(value)
            return value

        return call


@pytest.fixture(scope="module")
def research(site: Site) -> dict[str, Any]:
    from application.demo_research import load_research_demo

    loaded = load_research_demo(site.voisinage, site.demo)
    settle(site.app)
    return {"qid": loaded.questionnaire_id, "resident": site.voisinage.join(site.pid, site.code())}


@pytest.mark.parametrize("who", ["visitor", "resident", "facilitator"])
@pytest.mark.parametrize(
    "page",
    [
        "/q/{qid}",
        "/q/{qid}/results",
        "/p/{pid}/research",
        "/q/{qid}/build",
        "/p/{pid}/questionnaires",
    ],
)
def test_each_page_reads_one_application_method_returning_plain_values(
    site: Site, research, monkeypatch, who, page
) -> None:
    import web.pages.questionnaires
    import web.pages.research

    client = site.client("fr")
    if who == "facilitator":
        sign_in(client, Role.FACILITATOR)
    elif who == "resident":
        act_as(client, research["resident"])
    recording = Recording(site.voisinage)
    for module in (web.pages.questionnaires, web.pages.research):
        monkeypatch.setattr(module, "voisinage", lambda: recording)
    answer = client.get(page.format(qid=research["qid"], pid=site.pid))
    if page.endswith(("/build", "/questionnaires")) and who != "facilitator":
        assert answer.status_code in (302, 303, 401, 403)
        return
    assert answer.status_code == 200
    assert len(recording.calls) == 1, recording.calls
    assert not _plain(recording.returned), _plain(recording.returned)
