"""The API through Flask's test client: a real app on a real SQLite file, and a process
driven over the API itself to any phase."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from app_support import build_app, close_app

from domain.phases import ORDER, Phase

PASSWORD = "api-tests-password"
STAFF = ("facilitator", "institution", "auditor", "admin")


@dataclass
class Answer:
    status: int
    json: Any
    headers: Any


@dataclass
class Api:
    """JSON calls with a role's token; reads wait for the caller's last write."""

    flask_app: Any
    tokens: dict[str, str] = field(default_factory=dict)
    position: str | None = None

    @property
    def voisinage(self) -> Any:
        return self.flask_app.extensions["voisinage"]

    def head(self) -> int:
        return int(self.voisinage.head_position())

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        who: str | None = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = dict(headers or {})
        if who is not None:
            sent["Authorization"] = f"Bearer {self.tokens[who]}"
        if key is not None:
            sent["Idempotency-Key"] = key
        if method == "GET" and self.position:
            sent.setdefault("X-Voisinage-After", self.position)
        response = self.flask_app.test_client().open(
            f"/api/v1{path}", method=method, json=body, headers=sent
        )
        if response.headers.get("X-Voisinage-Position"):
            self.position = response.headers["X-Voisinage-Position"]
        return Answer(response.status_code, response.get_json(silent=True), response.headers)

    def ok(self, method: str, path: str, body: Any = None, who: str | None = None) -> Any:
        answer = self.call(method, path, body, who)
        assert answer.status < 300, f"{method} {path} as {who}: {answer.status} {answer.json}"
        return answer.json


def make_api(database_url: str, **config: Any) -> Api:
    """The web app on the store (app_support.build_app), staff of every role with tokens."""
    api = Api(build_app(database_url, **config))
    for role in STAFF:
        email = f"{role}@api.example"
        api.voisinage.bootstrap_staff(email=email, password=PASSWORD, role=role, name=role)
        api.tokens[role] = api.ok("POST", "/auth/token", {"email": email, "password": PASSWORD})[
            "token"
        ]
    return api


def close_api(api: Api) -> None:
    close_app(api.flask_app)


@dataclass
class DrivenProcess:
    """What a process driven over the API holds at its phase (ids as text)."""

    pid: str
    phase: str
    ids: dict[str, str] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)


def reached(phase: str, step: str) -> bool:
    return ORDER.index(Phase(phase)) >= ORDER.index(Phase(step))


def drive(api: Api, phase: str, rules: dict[str, Any] | None = None) -> DrivenProcess:
    """Create a process over the API and run it to `phase`."""
    rules = rules or {"method": "approval", "max_choices": 2, "shortlist_size": 2}
    title = {"fr": "Vois 1 Voisin.e", "nl": "Gluren bij de buren"}
    pid = api.ok("POST", "/processes", {"title": title, "rules": rules}, "facilitator")["id"]
    w = DrivenProcess(pid, phase)
    w.codes = api.ok("POST", f"/processes/{pid}/invitations", {"count": 4}, "facilitator")["codes"]
    joined = api.ok("POST", f"/processes/{pid}/join", {"code": w.codes.pop()})
    api.tokens["resident"] = joined["token"]
    w.ids["resident"] = joined["participant_id"]
    w.ids["axis"] = api.ok(
        "POST", f"/processes/{pid}/axes", {"name": {"fr": "Axe"}}, "facilitator"
    )["id"]
    if not reached(phase, "contributions"):
        return w
    api.ok("POST", f"/processes/{pid}/phase", {"phase": "contributions"}, "facilitator")
    workshop = {"title": "Atelier", "on": "2026-03-01", "place": "Salle"}
    w.ids["workshop"] = api.ok("POST", f"/processes/{pid}/workshops", workshop, "facilitator")["id"]
    w.ids["spare_workshop"] = api.ok(
        "POST", f"/processes/{pid}/workshops", workshop, "facilitator"
    )["id"]
    api.ok("POST", f"/workshops/{w.ids['workshop']}/status", {"status": "open"}, "facilitator")
    idea = {"kind": "idea", "text": "Des bancs", "language": "fr"}
    w.ids["contribution"] = api.ok(
        "POST", f"/workshops/{w.ids['workshop']}/contributions", idea, "resident"
    )["id"]
    if not reached(phase, "proposals"):
        return w
    api.ok("POST", f"/processes/{pid}/phase", {"phase": "proposals"}, "facilitator")
    for name, who in (
        ("own_proposal", "resident"),
        ("proposal", "facilitator"),
        ("other", "facilitator"),
    ):
        body = {
            "title": f"Proposition {name}",
            "body": "Texte",
            "language": "fr",
            "source_ids": [w.ids["contribution"]],
        }
        w.ids[name] = api.ok("POST", f"/processes/{pid}/proposals", body, who)["id"]
    if not reached(phase, "voting"):
        return w
    api.ok("POST", f"/processes/{pid}/phase", {"phase": "voting"}, "facilitator")
    w.ids["receipt"] = api.ok(
        "PUT", f"/processes/{pid}/ballot", {"choices": [w.ids["proposal"]]}, "resident"
    )["receipt"]
    if not reached(phase, "shortlisted"):
        return w
    api.ok("POST", f"/processes/{pid}/shortlist", {}, "facilitator")
    w.ids["recommendation"] = recommend(api, w)
    if not reached(phase, "recommendations"):
        return w
    api.ok("POST", f"/processes/{pid}/phase", {"phase": "recommendations"}, "facilitator")
    w.ids["submitted"] = recommend(api, w)
    api.ok("POST", f"/recommendations/{w.ids['submitted']}/submission", {}, "facilitator")
    if not reached(phase, "closed"):
        return w
    api.ok("POST", f"/processes/{pid}/phase", {"phase": "closed"}, "facilitator")
    return w


def recommend(api: Api, w: DrivenProcess) -> str:
    body = {
        "title": "Ascenseurs",
        "text": "Réparer",
        "language": "fr",
        "proposal_ids": [w.ids["proposal"]],
    }
    return str(api.ok("POST", f"/processes/{w.pid}/recommendations", body, "facilitator")["id"])


def unknown() -> str:
    return str(uuid.uuid4())
