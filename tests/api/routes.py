"""Every API route as data: where it is tried, by whom, with what, and what must follow.

``path`` names ids of the driven process in braces: {pid} the process, {wid} its open
workshop, {spare} a scheduled one, {cid} a contribution, {own} the resident's proposal,
{prop} a facilitator's proposal, {other} another one, {rid} a drafted recommendation,
{sub} a submitted one, {receipt} the resident's receipt, {resident} the resident's
participant id; {axis} its axis, {table} an open-data table, and after a route's
`prepare` {qid} a questionnaire with wave {wave} open, {bid} one being built,
{response} the resident's response, {hyp} a hypothesis, {oid} an organisation the
resident represents, {code} an unused invitation code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api_support import Api, DrivenProcess
from organisation_routes import organisation_routes

Check = Callable[[Api, DrivenProcess, Any], None]


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
    prepare: Callable[[Api, DrivenProcess], None] | None = None  # more to set up after the drive

    @property
    def template(self) -> str:
        """'/processes/{}/ballot' (as the route table names it)."""
        import re

        return re.sub(r"\{[a-z]+\}", "{}", self.path.partition("?")[0])

    def url(self, w: DrivenProcess) -> str:
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
            "resident": w.ids.get("resident", ""),
            "table": "tallies",
            "axis": w.ids.get("axis", ""),
            "qid": w.ids.get("questionnaire", ""),
            "bid": w.ids.get("building", ""),
            "response": w.ids.get("response", ""),
            "hyp": w.ids.get("hypothesis", ""),
            "oid": w.ids.get("organisation", ""),
            "code": w.codes[0] if w.codes else "",
            "wave": "1",
        }
        return self.path.format(**names)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def _get(api: Api, path: str, who: str | None = None) -> Any:
    return api.ok("GET", path, who=who)


def phase_is(phase: str) -> Check:
    return lambda api, w, _: _assert(_get(api, f"/processes/{w.pid}")["phase"] == phase)


def _pb_export(api: Api, w: DrivenProcess, _: Any) -> None:
    """The .pb export: text naming the published shortlist as selected, read back."""
    from domain import pabulib

    response = api.flask_app.test_client().get(f"/api/v1/processes/{w.pid}/export.pb")
    assert response.mimetype == "text/plain"
    assert "attachment" in response.headers["Content-Disposition"]
    election = pabulib.parse(response.get_data(as_text=True))
    shortlist = api.ok("GET", f"/processes/{w.pid}/shortlist")["shortlist"]
    published = sorted(p["proposal_id"] for p in shortlist)
    assert sorted(pabulib.recorded_selection(election) or []) == published
    assert election.meta["rule"] == "greedy" and election.meta["vote_type"] == "approval"


def _assert(condition: bool) -> None:
    assert condition


IDEA = {"kind": "idea", "text": "Un potager sur le toit", "language": "fr", "quote_consent": True}
PROPOSAL = {"title": "Potager", "body": "Sur le toit", "language": "fr"}
RECOMMENDATION = {"title": "Ascenseurs", "text": "Réparer", "language": "fr"}

# --- research-action: the research record and questionnaires in waves ---------------------


def prepare_research(api: Api, w: DrivenProcess) -> None:
    """A questionnaire with wave 1 open and the resident's answer ({qid}, {response}), one
    still being built ({bid}) and a hypothesis ({hyp})."""
    pid, fac = w.pid, "facilitator"
    new = {"intro": {"fr": "Cinq minutes"}, "audience": ["residents"], "anonymous": True}
    qid = api.ok(
        "POST", f"/processes/{pid}/questionnaires", {"title": {"fr": "Vivre ici"}, **new}, fac
    )["id"]
    for question in (
        {"kind": "scale5", "text": {"fr": "Vous sentez-vous respecté ?"}, "required": True},
        {
            "kind": "single",
            "text": {"fr": "Venez-vous ?"},
            "options": [{"fr": "Oui"}, {"fr": "Non"}],
        },
        {"kind": "text", "text": {"fr": "Un mot ?"}},
    ):
        api.ok("POST", f"/questionnaires/{qid}/questions", question, fac)
    api.ok("POST", f"/questionnaires/{qid}/waves", {"label": {"fr": "Avant"}, "sent_to": 20}, fac)
    answers = {"answers": {"q1": 2, "q2": "1", "q3": "Les ascenseurs"}}
    w.ids["questionnaire"] = qid
    w.ids["response"] = api.ok(
        "PUT", f"/questionnaires/{qid}/waves/1/response", answers, "resident"
    )["id"]
    bid = api.ok(
        "POST", f"/processes/{pid}/questionnaires", {"title": {"fr": "Suivi"}, **new}, fac
    )["id"]
    api.ok(
        "POST",
        f"/questionnaires/{bid}/questions",
        {"kind": "scale10", "text": {"fr": "Note ?"}},
        fac,
    )
    w.ids["building"] = bid
    hypothesis = {"text": {"fr": "La co-création réduit la discrimination perçue"}}
    w.ids["hypothesis"] = api.ok("POST", f"/processes/{pid}/research/hypotheses", hypothesis, fac)[
        "id"
    ]


def prepare_hypothesis(api: Api, w: DrivenProcess) -> None:
    """A hypothesis in the research record ({hyp}; it may be written in every phase)."""
    hypothesis = {"text": {"fr": "Les ateliers renforcent la confiance"}}
    w.ids["hypothesis"] = api.ok(
        "POST", f"/processes/{w.pid}/research/hypotheses", hypothesis, "facilitator"
    )["id"]


UNKNOWN = "00000000-0000-4000-8000-000000000000"

RESEARCH_ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/questionnaires/{qid}/contributions",
        "contributions",
        "facilitator",
        {"response_id": "{response}", "question_id": "q3", "workshop_id": "{wid}"},
        201,
        check=lambda api, w, answer: _assert(
            [
                (c["contribution_id"] == answer["id"], c["text"])
                for c in _get(api, f"/workshops/{w.ids['workshop']}/contributions")
                if c["text"] == "Les ascenseurs"
            ]
            == [(True, "Les ascenseurs")]
        ),
        bad=(
            {"response_id": "{response}", "question_id": "q1", "workshop_id": "{wid}"},
            "question_id",
        ),
        wrong_role="resident",
        wrong_phase="proposals",
        prepare=prepare_research,
    ),
    Route(
        "GET",
        "/processes/{pid}/research",
        "contributions",
        None,
        check=lambda api, w, answer: _assert(answer["hypotheses"][0]["id"] == w.ids["hypothesis"]),
        prepare=prepare_research,
    ),
    Route(
        "POST",
        "/processes/{pid}/research/hypotheses",
        "contributions",
        "facilitator",
        {
            "text": {
                "fr": "Les ateliers renforcent la confiance",
                "nl": "Ateliers versterken vertrouwen",
            }
        },
        201,
        check=lambda api, w, answer: _assert(
            answer["id"]
            in {h["id"] for h in _get(api, f"/processes/{w.pid}/research")["hypotheses"]}
        ),
        bad=({"text": {"de": "Vertrauen"}}, "text"),
        wrong_role="resident",
    ),
    Route(
        "POST",
        "/processes/{pid}/research/methods",
        "contributions",
        "facilitator",
        {
            "method": "questionnaire",
            "description": {"fr": "Deux vagues"},
            "start": "2026-03-01",
            "end": "2026-06-01",
        },
        201,
        check=lambda api, w, answer: _assert(
            _get(api, f"/processes/{w.pid}/research")["methods"][0]["end"] == "2026-06-01"
        ),
        bad=(
            {
                "method": "magic",
                "description": {"fr": "x"},
                "start": "2026-03-01",
                "end": "2026-06-01",
            },
            "method",
        ),
        wrong_role="institution",
    ),
    Route(
        "POST",
        "/processes/{pid}/research/indicators",
        "contributions",
        "facilitator",
        {
            "hypothesis_id": "{hyp}",
            "name": {"fr": "Respect ressenti"},
            "how": {"fr": "Échelle 1-5"},
            "direction": "increase",
            "questions": [{"questionnaire_id": "{qid}", "question_id": "q1"}],
        },
        201,
        check=lambda api, w, answer: _assert(
            _get(api, f"/processes/{w.pid}/research")["indicators"][0]["questions"][0][
                "question_id"
            ]
            == "q1"
        ),
        bad=(
            {
                "hypothesis_id": "{hyp}",
                "name": {"fr": "Respect"},
                "how": {"fr": "Échelle"},
                "direction": "sideways",
            },
            "direction",
        ),
        wrong_role="resident",
        prepare=prepare_research,
    ),
    Route(
        "POST",
        "/processes/{pid}/research/effects",
        "contributions",
        "facilitator",
        {"axis_id": "{axis}", "effects": {"organisations": {"fr": "Mutualiser un lieu"}}},
        check=lambda api, w, answer: _assert(
            _get(api, f"/processes/{w.pid}/research")["expected_effects"][0]["axis_id"]
            == w.ids["axis"]
        ),
        bad=({"axis_id": "{axis}", "effects": {"planet": {"fr": "Oui"}}}, "effects"),
        wrong_role="resident",
    ),
    Route(
        "GET",
        "/processes/{pid}/questionnaires",
        "contributions",
        None,
        check=lambda api, w, answer: _assert(
            [q["id"] for q in answer] == [w.ids["questionnaire"], w.ids["building"]]
        ),
        prepare=prepare_research,
    ),
    Route(
        "POST",
        "/processes/{pid}/questionnaires",
        "draft",
        "facilitator",
        {
            "title": {"fr": "Besoins"},
            "intro": {"fr": "Dix questions"},
            "audience": ["residents"],
            "anonymous": False,
        },
        201,
        check=lambda api, w, answer: _assert(
            _get(api, f"/questionnaires/{answer['id']}")["anonymous"] is False
        ),
        bad=(
            {
                "title": {"fr": "Besoins"},
                "intro": {"fr": "x"},
                "audience": ["tourists"],
                "anonymous": True,
            },
            "audience",
        ),
        wrong_role="resident",
        wrong_phase="closed",
    ),
    Route(
        "GET",
        "/questionnaires/{qid}",
        "contributions",
        None,
        check=lambda api, w, answer: _assert(
            [q["id"] for q in answer["questions"]] == ["q1", "q2", "q3"]
            and answer["open_wave"] == 1
        ),
        prepare=prepare_research,
    ),
    Route(
        "POST",
        "/questionnaires/{bid}/questions",
        "contributions",
        "facilitator",
        {
            "kind": "multiple",
            "text": {"fr": "Quels besoins ?"},
            "options": [{"fr": "Un lieu"}, {"fr": "Du matériel"}],
        },
        201,
        check=lambda api, w, answer: _assert(answer["id"] == "q2"),
        bad=({"kind": "essay", "text": {"fr": "Racontez"}}, "kind"),
        wrong_role="resident",
        prepare=prepare_research,
    ),
    Route(
        "POST",
        "/questionnaires/{bid}/waves",
        "contributions",
        "facilitator",
        {"label": {"fr": "Suivi"}, "sent_to": 100},
        201,
        check=lambda api, w, answer: _assert(answer["number"] == 1),
        bad=({"label": {"fr": "Suivi"}, "sent_to": "many"}, "sent_to"),
        wrong_role="resident",
        prepare=prepare_research,
    ),
    Route(
        "POST",
        "/questionnaires/{qid}/waves/{wave}/closure",
        "contributions",
        "facilitator",
        {},
        check=lambda api, w, answer: _assert(
            _get(api, f"/questionnaires/{w.ids['questionnaire']}")["open_wave"] is None
        ),
        bad=({"now": True}, "now"),
        wrong_role="resident",
        prepare=prepare_research,
    ),
    Route(
        "PUT",
        "/questionnaires/{qid}/waves/{wave}/response",
        "contributions",
        "resident",
        {"answers": {"q1": 4, "q3": "Plus de bancs"}},
        check=lambda api, w, answer: _assert(
            answer["id"] == w.ids["response"]
            and _get(api, f"/questionnaires/{w.ids['questionnaire']}/waves/1/response", "resident")[
                "answers"
            ]
            == {"q1": 4, "q3": "Plus de bancs"}
        ),
        bad=({"answers": {"q1": 9}}, "answers.q1"),
        wrong_role="facilitator",
        prepare=prepare_research,
    ),
    Route(
        "GET",
        "/questionnaires/{qid}/waves/{wave}/response",
        "contributions",
        "resident",
        check=lambda api, w, answer: _assert(answer["answers"]["q3"] == "Les ascenseurs"),
        wrong_role="auditor",
        prepare=prepare_research,
    ),
    Route(
        "POST",
        "/questionnaires/{qid}/tags",
        "contributions",
        "facilitator",
        {"response_id": "{response}", "question_id": "q3", "axis_id": "{axis}"},
        check=lambda api, w, answer: _assert(
            _get(api, f"/questionnaires/{w.ids['questionnaire']}/results")["texts_by_axis"]
            == {w.ids["axis"]: ["Les ascenseurs"]}
        ),
        bad=(
            {"response_id": "{response}", "question_id": "q1", "axis_id": "{axis}"},
            "question_id",
        ),
        wrong_role="resident",
        prepare=prepare_research,
    ),
    Route(
        "GET",
        "/questionnaires/{qid}/results",
        "contributions",
        None,
        check=lambda api, w, answer: _assert(
            (answer["waves"][0]["responses"], answer["waves"][0]["sent_to"]) == (1, 20)
            and answer["questions"][0]["waves"][0]["distribution"]["2"] == 1
        ),
        prepare=prepare_research,
    ),
    Route(
        "GET",
        "/questionnaires/{qid}/results.csv",
        "contributions",
        None,
        check=lambda api, w, answer: _assert(
            answer is None
        ),  # CSV, not JSON: see test_questionnaires
        prepare=prepare_research,
    ),
)


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
        # one ballot: below the default batch of 10, nothing of the tally is shown yet
        check=lambda api, w, answer: _assert(
            answer["ballots_counted"] == 0
            and answer["batch"]["published"] is False
            and {e["proposal_id"] for e in answer["ranking"]} >= {w.ids["proposal"]}
            and all(e["score"] is None for e in answer["ranking"])
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
        "/processes/{pid}/recommendations",
        "shortlisted",
        "facilitator",
        {**RECOMMENDATION, "proposal_ids": ["{prop}"], "hypothesis_ids": ["{hyp}"]},
        201,
        check=lambda api, w, answer: _assert(
            [
                h["hypothesis_id"]
                for h in _get(api, f"/recommendations/{answer['id']}/trail")["hypotheses"]
            ]
            == [w.ids["hypothesis"]]
        ),
        bad=(
            {**RECOMMENDATION, "proposal_ids": ["{prop}"], "hypothesis_ids": [UNKNOWN]},
            "hypothesis_ids",
        ),
        wrong_role="institution",
        wrong_phase="voting",
        prepare=prepare_hypothesis,
    ),
    Route(
        "POST",
        "/recommendations/{rid}/revisions",
        "recommendations",
        "facilitator",
        {**RECOMMENDATION, "title": "Ascenseurs réparés", "proposal_ids": ["{prop}"]},
        check=lambda api, w, answer: _assert(
            _get(api, f"/recommendations/{w.ids['recommendation']}/trail")["recommendation"][
                "title"
            ]
            == "Ascenseurs réparés"
        ),
        bad=({**RECOMMENDATION, "title": "", "proposal_ids": ["{prop}"]}, "title"),
        wrong_role="institution",
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
        "/processes/{pid}/export.pb",
        "shortlisted",
        None,
        check=_pb_export,
        wrong_phase="voting",
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
        "/status",
        "voting",
        "facilitator",
        check=lambda api, w, answer: _assert(
            {p["name"] for p in answer["projections"]}
            >= {"participation", "ranking", "trail", "audit_chain"}
            and all(p["error"] is None for p in answer["projections"])
            and answer["head"] >= max(p["position"] for p in answer["projections"])
        ),
        wrong_role="resident",
    ),
    Route(
        "GET",
        "/me/data",
        "voting",
        "resident",
        check=lambda api, w, answer: _assert(
            answer["participant_id"] == w.ids["resident"]
            and answer["ballot"] == {"receipt": w.ids["receipt"], "counted": True}
            and [c["contribution_id"] for c in answer["contributions"]] == [w.ids["contribution"]]
            and [p["proposal_id"] for p in answer["proposals"]] == [w.ids["own_proposal"]]
        ),
        wrong_role="facilitator",
    ),
    Route(
        "POST",
        "/participants/{resident}/erasure",
        "contributions",
        "admin",
        {"confirm": True},
        check=lambda api, w, _: _assert(
            api.call("GET", f"/processes/{w.pid}/ballot", who="resident").status == 401
        ),
        bad=({}, "confirm"),
        wrong_role="facilitator",
    ),
    Route(
        "GET",
        "/audit/proofs/inclusion?index=0&size=2",
        "proposals",
        None,
        check=lambda api, w, answer: _assert(answer["index"] == 0 and answer["position"] == 1),
    ),
    Route(
        "GET",
        "/audit/proofs/consistency?from=1&to=2",
        "proposals",
        None,
        check=lambda api, w, answer: _assert(answer["from"] == 1 and answer["proof"]),
    ),
    Route(
        "GET",
        "/audit/checkpoints",
        "proposals",
        None,
        check=lambda api, w, answer: _assert(answer["public_key"].startswith(answer["origin"])),
    ),
    Route(
        "GET",
        "/audit/witnesses",
        "draft",
        None,
        check=lambda api, w, answer: _assert(answer["witnesses"] == []),  # none configured
    ),
    Route(
        "GET",
        "/audit/bundle",
        "shortlisted",
        "auditor",
        check=lambda api, w, answer: _assert(answer is None),  # JSON lines, not one document
        wrong_role="facilitator",
    ),
    Route(
        "GET",
        "/openapi.json",
        "draft",
        None,
        check=lambda api, w, answer: _assert(answer["openapi"].startswith("3.")),
    ),
    # --- the process report and open data -------------------------------------------------
    Route(
        "PUT",
        "/processes/{pid}/report/composition",
        "shortlisted",
        "facilitator",
        {"introductions": {"summary": {"fr": "Résumé", "nl": "Samenvatting"}}, "quotes": []},
        check=lambda api, w, _: _assert(
            _get(api, f"/processes/{w.pid}/report/composition", "facilitator")["introductions"]
            == {"summary": {"fr": "Résumé", "nl": "Samenvatting"}}
        ),
        bad=({"introductions": {"preface": {"fr": "Avant-propos"}}}, "introductions"),
        wrong_role="resident",
        wrong_phase="draft",
    ),
    Route(
        "GET",
        "/processes/{pid}/report/composition",
        "shortlisted",
        "facilitator",
        check=lambda api, w, answer: _assert(answer["quotes"] == [] and answer["quotable"] == []),
        wrong_role="institution",
    ),
    Route(
        "GET",
        "/processes/{pid}/report.json",
        "shortlisted",
        None,
        check=lambda api, w, answer: _assert(
            [e["proposal_id"] for e in answer["vote"]["shortlist"]]
            == [e["proposal_id"] for e in _get(api, f"/processes/{w.pid}/shortlist")["shortlist"]]
        ),
        wrong_phase="voting",
    ),
    Route(
        "GET",
        "/processes/{pid}/open-data.zip",
        "shortlisted",
        None,
        wrong_phase="voting",
    ),
    Route(
        "GET",
        "/processes/{pid}/open-data/{table}.csv",
        "shortlisted",
        None,
        wrong_phase="voting",
    ),
    Route(
        "GET",
        "/processes/{pid}/open-data/{table}",
        "shortlisted",
        None,
        check=lambda api, w, answer: _assert(
            [r["proposal_id"] for r in answer if r["shortlisted"]]
            == [e["proposal_id"] for e in _get(api, f"/processes/{w.pid}/shortlist")["shortlist"]]
        ),
        wrong_phase="voting",
    ),
    *RESEARCH_ROUTES,
    *organisation_routes(Route),
)
