"""Every API route as data: where it is tried, by whom, with what, and what must follow.

``path`` names ids of the driven process in braces: {pid} the process, {wid} its open
workshop, {spare} a scheduled one, {cid} a contribution, {own} the resident's proposal,
{prop} a facilitator's proposal, {other} another one, {rid} a drafted recommendation,
{sub} a submitted one, {receipt} the resident's receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api_support import Api, World

Check = Callable[[Api, World, Any], None]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    phase: str
    who: str | None
    body: Any = None
    status: int = 200
    check: Check | None = None
    bad: tuple[Any, str] | None = None  # (body, field named in the errors)
    wrong_role: str | None = None
    wrong_phase: str | None = None  # a phase where the same call is 409

    @property
    def template(self) -> str:
        """'/processes/{}/ballot' (as the route table names it)."""
        import re

        return re.sub(r"\{[a-z]+\}", "{}", self.path)

    def url(self, w: World) -> str:
        names = {
            "pid": w.pid,
            "wid": w.ids.get("workshop", ""),
            "spare": w.ids.get("spare_workshop", ""),
            "cid": w.ids.get("contribution", ""),
            "own": w.ids.get("own_proposal", ""),
            "prop": w.ids.get("proposal", ""),
            "other": w.ids.get("other", ""),
            "rid": w.ids.get("recommendation", ""),
            "sub": w.ids.get("submitted", ""),
            "receipt": w.ids.get("receipt", ""),
        }
        return self.path.format(**names)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def _get(api: Api, path: str, who: str | None = None) -> Any:
    return api.ok("GET", path, who=who)


def phase_is(phase: str) -> Check:
    return lambda api, w, _: _assert(_get(api, f"/processes/{w.pid}")["phase"] == phase)


def _assert(condition: bool) -> None:
    assert condition


IDEA = {"kind": "idea", "text": "Un potager sur le toit", "language": "fr"}
PROPOSAL = {"title": "Potager", "body": "Sur le toit", "language": "fr"}
RECOMMENDATION = {"title": "Ascenseurs", "text": "Réparer", "language": "fr"}

ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/auth/token",
        "draft",
        None,
        {"email": "auditor@api.example", "password": "api-tests-password"},
        201,
        check=lambda api, w, answer: _assert(answer["role"] == "auditor" and answer["token"]),
        bad=({"email": "auditor@api.example"}, "password"),
    ),
    Route(
        "POST",
        "/processes",
        "draft",
        "facilitator",
        {"title": {"fr": "Nouveau", "nl": "Nieuw"}, "rules": {"method": "borda"}},
        201,
        check=lambda api, w, answer: _assert(
            _get(api, f"/processes/{answer['id']}")["rules"]["method"] == "borda"
        ),
        bad=({"title": {"fr": "Nouveau"}, "rules": {"method": "plurality"}}, "rules"),
        wrong_role="resident",
    ),
    Route(
        "GET",
        "/processes",
        "draft",
        None,
        check=lambda api, w, answer: _assert(w.pid in {p["process_id"] for p in answer}),
    ),
    Route(
        "GET",
        "/processes/{pid}",
        "contributions",
        None,
        check=lambda api, w, answer: _assert(
            answer["phase"] == "contributions" and answer["axes"][0]["axis_id"] == w.ids["axis"]
        ),
    ),
    Route(
        "POST",
        "/processes/{pid}/phase",
        "contributions",
        "facilitator",
        {"phase": "proposals"},
        check=phase_is("proposals"),
        bad=({"phase": 3}, "phase"),
        wrong_role="institution",
        wrong_phase="proposals",
    ),
    Route(
        "POST",
        "/processes/{pid}/axes",
        "contributions",
        "facilitator",
        {"name": {"fr": "Mobilité", "nl": "Mobiliteit"}},
        201,
        check=lambda api, w, answer: _assert(
            answer["id"] in {a["axis_id"] for a in _get(api, f"/processes/{w.pid}")["axes"]}
        ),
        bad=({"name": {"de": "Mobilität"}}, "name"),
        wrong_role="resident",
        wrong_phase="voting",
    ),
    Route(
        "POST",
        "/processes/{pid}/invitations",
        "proposals",
        "facilitator",
        {"count": 3},
        201,
        check=lambda api, w, answer: _assert(len(set(answer["codes"])) == 3),
        bad=({"count": 0}, "count"),
        wrong_role="auditor",
    ),
    Route(
        "POST",
        "/processes/{pid}/join",
        "proposals",
        None,
        "CODE",
        201,
        check=lambda api, w, answer: _assert(
            answer["role"] == "resident" and answer["process_id"] == w.pid
        ),
        bad=({"code": "AAAA-BBBB-CCCC"}, "code"),
    ),
    Route(
        "POST",
        "/processes/{pid}/workshops",
        "contributions",
        "facilitator",
        {"title": "Atelier 2", "on": "2026-05-01", "place": "Maison de quartier"},
        201,
        check=lambda api, w, answer: _assert(
            answer["id"] in {x["workshop_id"] for x in _get(api, f"/processes/{w.pid}/workshops")}
        ),
        bad=({"title": "Atelier 2", "on": "le 1er mai", "place": "Salle"}, "on"),
        wrong_role="resident",
        wrong_phase="proposals",
    ),
    Route(
        "GET",
        "/processes/{pid}/workshops",
        "contributions",
        None,
        check=lambda api, w, answer: _assert(
            {x["workshop_id"] for x in answer} == {w.ids["workshop"], w.ids["spare_workshop"]}
        ),
    ),
    Route(
        "POST",
        "/workshops/{spare}/status",
        "contributions",
        "facilitator",
        {"status": "open"},
        check=lambda api, w, answer: _assert(
            {x["workshop_id"]: x["status"] for x in _get(api, f"/processes/{w.pid}/workshops")}[
                w.ids["spare_workshop"]
            ]
            == "open"
        ),
        bad=({"status": "paused"}, "status"),
        wrong_role="resident",
    ),
    Route(
        "POST",
        "/workshops/{wid}/contributions",
        "contributions",
        "resident",
        IDEA,
        201,
        check=lambda api, w, answer: _assert(
            answer["id"]
            in {
                c["contribution_id"]
                for c in _get(api, f"/workshops/{w.ids['workshop']}/contributions")
            }
        ),
        bad=({**IDEA, "kind": "rant"}, "kind"),
        wrong_role="auditor",
        wrong_phase="proposals",
    ),
    Route(
        "GET",
        "/workshops/{wid}/contributions",
        "contributions",
        None,
        check=lambda api, w, answer: _assert(
            [c["text"] for c in answer] == ["Des bancs"] and "author_id" not in answer[0]
        ),
    ),
    Route(
        "POST",
        "/contributions/{cid}/moderation",
        "contributions",
        "facilitator",
        {"action": "hide", "reason": "hors sujet"},
        check=lambda api, w, answer: _assert(
            _get(api, f"/workshops/{w.ids['workshop']}/contributions") == []
        ),
        bad=({"action": "delete", "reason": "x"}, "action"),
        wrong_role="resident",
        wrong_phase="closed",
    ),
    Route(
        "POST",
        "/processes/{pid}/proposals",
        "proposals",
        "resident",
        {**PROPOSAL, "source_ids": ["{cid}"]},
        201,
        check=lambda api, w, answer: _assert(
            answer["id"] in {p["proposal_id"] for p in _get(api, f"/processes/{w.pid}/proposals")}
        ),
        bad=({**PROPOSAL, "source_ids": ["not-a-uuid"]}, "source_ids"),
        wrong_role="institution",
        wrong_phase="voting",
    ),
    Route(
        "GET",
        "/processes/{pid}/proposals",
        "proposals",
        None,
        check=lambda api, w, answer: _assert(len(answer) == 3),
    ),
    Route(
        "POST",
        "/proposals/{own}/revisions",
        "proposals",
        "resident",
        {"title": "Des bancs à l'ombre", "body": "Dans la cour"},
        201,
        check=lambda api, w, answer: _assert(
            answer == {"revision": 2}
            and {p["proposal_id"]: p["title"] for p in _get(api, f"/processes/{w.pid}/proposals")}[
                w.ids["own_proposal"]
            ]
            == "Des bancs à l'ombre"
        ),
        bad=({"title": "x", "body": "y"}, "title"),
        wrong_role="auditor",
        wrong_phase="voting",
    ),
    Route(
        "POST",
        "/proposals/{own}/withdrawal",
        "voting",
        "resident",
        {},
        check=lambda api, w, answer: _assert(
            w.ids["own_proposal"] not in _get(api, f"/processes/{w.pid}")["candidates"]
            or {p["proposal_id"]: p["status"] for p in _get(api, f"/processes/{w.pid}/proposals")}[
                w.ids["own_proposal"]
            ]
            == "withdrawn"
        ),
        bad=({"reason": "unknown field"}, "reason"),
        wrong_role="institution",
        wrong_phase="shortlisted",
    ),
    Route(
        "POST",
        "/proposals/{other}/moderation",
        "voting",
        "facilitator",
        {"action": "merge", "reason": "doublon", "target_id": "{prop}"},
        check=lambda api, w, answer: _assert(
            {
                p["proposal_id"]: p["merged_into"]
                for p in _get(api, f"/processes/{w.pid}/proposals")
            }[w.ids["other"]]
            == w.ids["proposal"]
        ),
        bad=({"action": "merge"}, "reason"),
        wrong_role="resident",
        wrong_phase="shortlisted",
    ),
    Route(
        "PUT",
        "/processes/{pid}/ballot",
        "voting",
        "resident",
        {"choices": ["{prop}", "{other}"]},
        check=lambda api, w, answer: _assert(
            _get(api, f"/processes/{w.pid}/ballot", "resident")["receipt"] == answer["receipt"]
        ),
        bad=({"choices": ["{prop}", "{other}", "{own}"]}, "choices"),
        wrong_role="facilitator",
        wrong_phase="proposals",
    ),
    Route(
        "GET",
        "/processes/{pid}/ballot",
        "voting",
        "resident",
        check=lambda api, w, answer: _assert(answer["choices"] == [w.ids["proposal"]]),
        wrong_role="auditor",
    ),
    Route(
        "DELETE",
        "/processes/{pid}/ballot",
        "voting",
        "resident",
        {},
        check=lambda api, w, answer: _assert(
            api.call("GET", f"/processes/{w.pid}/ballot", who="resident").status == 404
        ),
        bad=({"choices": []}, "choices"),
        wrong_role="facilitator",
        wrong_phase="shortlisted",
    ),
    Route(
        "GET",
        "/processes/{pid}/receipts/{receipt}",
        "voting",
        None,
        check=lambda api, w, answer: _assert(
            answer == {"receipt": w.ids["receipt"], "counted": True}
        ),
    ),
    Route(
        "GET",
        "/processes/{pid}/ranking",
        "voting",
        None,
        check=lambda api, w, answer: _assert(
            answer["ranking"][0]["proposal_id"] == w.ids["proposal"]
            and answer["ballots_counted"] == 1
        ),
    ),
    Route(
        "POST",
        "/processes/{pid}/shortlist",
        "voting",
        "facilitator",
        {},
        201,
        check=lambda api, w, answer: _assert(
            answer["shortlist"][0] == w.ids["proposal"]
            and phase_is("shortlisted")(api, w, None) is None
        ),
        bad=({"method": "borda"}, "method"),
        wrong_role="resident",
        wrong_phase="proposals",
    ),
    Route(
        "GET",
        "/processes/{pid}/shortlist",
        "shortlisted",
        None,
        check=lambda api, w, answer: _assert(
            answer["shortlist"][0]["proposal_id"] == w.ids["proposal"]
            and answer["method"] == "approval"
        ),
    ),
    Route(
        "POST",
        "/processes/{pid}/recommendations",
        "shortlisted",
        "facilitator",
        {**RECOMMENDATION, "proposal_ids": ["{prop}"]},
        201,
        check=lambda api, w, answer: _assert(
            _get(api, f"/recommendations/{answer['id']}/trail")["proposals"][0]["proposal_id"]
            == w.ids["proposal"]
        ),
        bad=({**RECOMMENDATION, "proposal_ids": []}, "proposal_ids"),
        wrong_role="institution",
        wrong_phase="voting",
    ),
    Route(
        "POST",
        "/recommendations/{rid}/submission",
        "recommendations",
        "facilitator",
        {},
        check=lambda api, w, answer: _assert(
            _get(api, f"/recommendations/{w.ids['recommendation']}/trail")["recommendation"][
                "submitted"
            ]
        ),
        bad=({"now": True}, "now"),
        wrong_role="institution",
        wrong_phase="shortlisted",
    ),
    Route(
        "POST",
        "/recommendations/{sub}/answers",
        "recommendations",
        "institution",
        {
            "status": "partially_accepted",
            "justification": "Budget 2027",
            "progress": 20,
            "note": "Étude",
        },
        201,
        check=lambda api, w, answer: _assert(
            "partially_accepted" in str(_get(api, f"/recommendations/{w.ids['submitted']}/trail"))
        ),
        bad=({"status": "accepted"}, "justification"),
        wrong_role="facilitator",
    ),
    Route(
        "GET",
        "/recommendations/{rid}/trail",
        "shortlisted",
        None,
        check=lambda api, w, answer: _assert(
            answer["recommendation"]["recommendation_id"] == w.ids["recommendation"]
            and w.ids["contribution"] in str(answer)
            and w.ids["workshop"] in str(answer)
        ),
    ),
    Route(
        "GET",
        "/contributions/{cid}/outcome",
        "shortlisted",
        None,
        check=lambda api, w, answer: _assert(
            [r["recommendation_id"] for r in answer["recommendations"]] == [w.ids["recommendation"]]
        ),
    ),
    Route(
        "GET",
        "/processes/{pid}/trail.prov.json",
        "shortlisted",
        "auditor",
        check=lambda api, w, answer: _assert("entity" in answer and "wasDerivedFrom" in answer),
        wrong_role="resident",
    ),
    Route(
        "GET",
        "/audit/events",
        "proposals",
        "auditor",
        check=lambda api, w, answer: _assert(
            len(answer["events"]) == answer["chain_head"]["position"] == api.head()
        ),
        wrong_role="facilitator",
    ),
    Route(
        "GET",
        "/audit/verify",
        "shortlisted",
        "auditor",
        check=lambda api, w, answer: _assert(answer["ok"] and answer["shortlists"] == 1),
        wrong_role="institution",
    ),
    Route(
        "GET",
        "/openapi.json",
        "draft",
        None,
        check=lambda api, w, answer: _assert(answer["openapi"].startswith("3.")),
    ),
)
