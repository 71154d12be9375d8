"""The authorisation matrix: every API route, every role and no token, against a table.

The table below is the API contract of DESIGN.md written as data, with the deliberate
widenings of application/authorisation.py (RULES) listed apart. Each route of the app's
url_map under /api/v1 must appear in it (a new route without an entry fails the test).
A role is *allowed* when the answer is neither 401 nor 403 (a 404, 409 or 422 means the
request passed authorisation and failed later); a refusal must be 401 without a token,
403 with one, problem+json, and must record nothing (the store's head does not move).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from app_support import settle
from security_support import build_cast

R, F, INST, A, ADM = "resident", "facilitator", "institution", "auditor", "admin"
ROLES = (R, F, INST, A, ADM)
ANON = "anonymous"
EVERYONE = frozenset({*ROLES, ANON})

#: (method, path with {} for parameters) -> who may, per the contract in DESIGN.md.
CONTRACT: dict[tuple[str, str], frozenset[str]] = {
    ("POST", "/auth/token"): EVERYONE,
    ("POST", "/processes"): frozenset({F}),
    ("GET", "/processes"): EVERYONE,
    ("GET", "/processes/{}"): EVERYONE,
    ("POST", "/processes/{}/phase"): frozenset({F}),
    ("POST", "/processes/{}/axes"): frozenset({F}),
    ("POST", "/processes/{}/invitations"): frozenset({F}),
    ("POST", "/processes/{}/join"): EVERYONE,
    ("POST", "/processes/{}/workshops"): frozenset({F}),
    ("POST", "/workshops/{}/contributions"): frozenset({R, F}),
    ("GET", "/workshops/{}/contributions"): EVERYONE,
    ("POST", "/contributions/{}/moderation"): frozenset({F}),
    ("POST", "/processes/{}/proposals"): frozenset({R, F}),
    ("GET", "/processes/{}/proposals"): EVERYONE,
    ("POST", "/proposals/{}/revisions"): frozenset({R, F}),  # the author, or a facilitator
    ("POST", "/proposals/{}/withdrawal"): frozenset({R, F}),  # the author, or a facilitator
    ("POST", "/proposals/{}/moderation"): frozenset({F}),
    ("PUT", "/processes/{}/ballot"): frozenset({R}),
    ("GET", "/processes/{}/ballot"): frozenset({R}),
    ("GET", "/processes/{}/receipts/{}"): EVERYONE,
    ("GET", "/processes/{}/ranking"): EVERYONE,
    ("POST", "/processes/{}/shortlist"): frozenset({F}),
    ("GET", "/processes/{}/shortlist"): EVERYONE,
    ("POST", "/processes/{}/recommendations"): frozenset({F}),
    ("POST", "/recommendations/{}/answers"): frozenset({INST}),
    ("GET", "/recommendations/{}/trail"): EVERYONE,
    ("GET", "/contributions/{}/outcome"): EVERYONE,
    ("GET", "/processes/{}/trail.prov.json"): frozenset({A}),
    ("GET", "/processes/{}/export.pb"): EVERYONE,  # anyone, once the vote is closed
    ("GET", "/audit/events"): frozenset({A}),
    ("GET", "/audit/verify"): frozenset({A}),
    ("GET", "/audit/proofs/inclusion"): EVERYONE,
    ("GET", "/audit/proofs/consistency"): EVERYONE,
    ("GET", "/audit/bundle"): frozenset({A}),
    # The transparency log's checkpoint history is public, like GET /checkpoint.
    ("GET", "/audit/checkpoints"): EVERYONE,
    ("GET", "/audit/witnesses"): EVERYONE,
    # Beyond the contract's table, for a whole process over HTTP: listing workshops,
    # opening and closing them, withdrawing one's ballot, sending a recommendation on.
    ("GET", "/processes/{}/workshops"): EVERYONE,
    ("POST", "/workshops/{}/status"): frozenset({F}),
    ("DELETE", "/processes/{}/ballot"): frozenset({R}),
    ("POST", "/recommendations/{}/submission"): frozenset({F}),
    ("POST", "/recommendations/{}/revisions"): frozenset({F}),  # a draft, before it is sent
    # Whether every read model follows the store: for staff.
    ("GET", "/status"): frozenset({F, INST, A, ADM}),
    # GDPR rights (issue 13): one's own data, an admin's erasure.
    ("GET", "/me/data"): frozenset({R}),
    ("POST", "/participants/{}/erasure"): frozenset({ADM}),
    # The API's own description is public.
    ("GET", "/openapi.json"): EVERYONE,
    ("GET", "/docs"): EVERYONE,
    # The process report: composed by facilitators, its data and open data public after
    # the vote (409 before, which passes authorisation).
    ("PUT", "/processes/{}/report/composition"): frozenset({F}),
    ("GET", "/processes/{}/report/composition"): frozenset({F}),
    ("GET", "/processes/{}/report.json"): EVERYONE,
    ("GET", "/processes/{}/open-data.zip"): EVERYONE,
    ("GET", "/processes/{}/open-data/{}.csv"): EVERYONE,
    ("GET", "/processes/{}/open-data/{}"): EVERYONE,
    # Research-action (DESIGN.md: questionnaires in waves, answers, results): facilitators
    # write the record and build and send questionnaires, residents answer, all may read.
    ("GET", "/processes/{}/research"): EVERYONE,
    ("POST", "/processes/{}/research/hypotheses"): frozenset({F}),
    ("POST", "/processes/{}/research/methods"): frozenset({F}),
    ("POST", "/processes/{}/research/indicators"): frozenset({F}),
    ("POST", "/processes/{}/research/effects"): frozenset({F}),
    ("GET", "/processes/{}/questionnaires"): EVERYONE,
    ("POST", "/processes/{}/questionnaires"): frozenset({F}),
    ("GET", "/questionnaires/{}"): EVERYONE,
    ("POST", "/questionnaires/{}/questions"): frozenset({F}),
    ("POST", "/questionnaires/{}/waves"): frozenset({F}),
    ("POST", "/questionnaires/{}/waves/{}/closure"): frozenset({F}),
    ("PUT", "/questionnaires/{}/waves/{}/response"): frozenset({R}),
    ("GET", "/questionnaires/{}/waves/{}/response"): frozenset({R}),
    ("POST", "/questionnaires/{}/tags"): frozenset({F}),
    ("POST", "/questionnaires/{}/contributions"): frozenset({F}),
    ("GET", "/questionnaires/{}/results"): EVERYONE,
    ("GET", "/questionnaires/{}/results.csv"): EVERYONE,
    # Organisations as participants (issue 16): facilitators register them and name their
    # representatives; everyone reads them (their contact stays sealed).
    ("POST", "/processes/{}/organisations"): frozenset({F}),
    ("GET", "/processes/{}/organisations"): EVERYONE,
    ("GET", "/organisations/{}"): EVERYONE,
    ("POST", "/organisations/{}/representatives"): frozenset({F}),
    # Erasing an organisation's contact person is the admins' alone, like a participant's.
    ("POST", "/organisations/{}/contact/erasure"): frozenset({ADM}),
}

#: Where application/authorisation.py deliberately allows more than the contract's table:
#: admins may do the facilitators' and auditors' staff acts, and the PROV export of a
#: trail that is public anyway (GET /recommendations/{}/trail) is open to all staff.
#: Not widened: a free answer becomes a contribution of a workshop, which only the
#: facilitators record ("turn an answer into a contribution" follows "record a contribution").
NOT_WIDENED = {("POST", "/questionnaires/{}/contributions")}
WIDENED: dict[tuple[str, str], frozenset[str]] = {
    **{
        key: frozenset({ADM})
        for key, who in CONTRACT.items()
        if (who == frozenset({F}) or who == frozenset({A})) and key not in NOT_WIDENED
    },
    ("GET", "/processes/{}/trail.prov.json"): frozenset({ADM, F, INST}),
}

EXPECTED = {key: who | WIDENED.get(key, frozenset()) for key, who in CONTRACT.items()}

#: Requests whose refusal for a role depends on credentials in the body, not a token.
CREDENTIALS = {("POST", "/auth/token")}

#: Order of mutating calls: those that move the process on come last.
LAST = [
    ("POST", "/processes/{}/shortlist"),
    ("POST", "/processes/{}/phase"),
]


def template(rule: str) -> str:
    """'/api/v1/processes/<uuid:pid>/ballot' -> '/processes/{}/ballot'."""
    return re.sub(r"<[^>]+>", "{}", rule.removeprefix("/api/v1"))


def api_routes(flask_app: Any) -> dict[tuple[str, str], str]:
    """(method, template) -> the Flask rule, for every route under /api/v1."""
    routes = {}
    for rule in flask_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint.endswith("static"):
            continue
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            routes[(method, template(rule.rule))] = rule.rule
    return routes


def bodies(cast: Any, code: str) -> dict[tuple[str, str], Any]:
    """A valid body per mutating route, so that refusals cannot hide behind 422."""
    p1 = str(cast.proposals[0])
    return {
        ("POST", "/auth/token"): {"email": "facilitator@security-test.example", "password": "x"},
        ("POST", "/processes"): {"title": {"fr": "Nouveau", "nl": "Nieuw"}},
        ("POST", "/processes/{}/phase"): {"phase": "shortlisted"},
        ("POST", "/processes/{}/axes"): {"name": {"fr": "Axe", "nl": "As"}},
        ("POST", "/processes/{}/invitations"): {"count": 1},
        ("POST", "/processes/{}/join"): {"code": code},
        ("POST", "/processes/{}/workshops"): {
            "title": "Atelier",
            "on": "2026-04-01",
            "place": "Salle",
        },
        ("POST", "/workshops/{}/contributions"): {
            "kind": "idea",
            "text": "Une idée",
            "language": "fr",
        },
        ("POST", "/contributions/{}/moderation"): {"action": "hide", "reason": "test"},
        ("POST", "/processes/{}/proposals"): {
            "title": "Titre",
            "body": "Corps",
            "language": "fr",
            "source_ids": [str(cast.contribution_id)],
        },
        ("POST", "/proposals/{}/revisions"): {"title": "Révisé", "body": "Corps", "language": "fr"},
        ("POST", "/proposals/{}/withdrawal"): {},
        ("POST", "/workshops/{}/status"): {"status": "closed"},
        ("DELETE", "/processes/{}/ballot"): {},
        ("POST", "/recommendations/{}/submission"): {},
        ("POST", "/recommendations/{}/revisions"): {
            "title": "Reco revue",
            "text": "Texte",
            "language": "fr",
            "proposal_ids": [p1],
        },
        ("POST", "/proposals/{}/moderation"): {"action": "hide", "reason": "test"},
        ("PUT", "/processes/{}/ballot"): {"choices": [p1]},
        ("POST", "/processes/{}/shortlist"): {},
        ("POST", "/processes/{}/recommendations"): {
            "title": "Reco",
            "text": "Texte",
            "language": "fr",
            "proposal_ids": [p1],
        },
        ("POST", "/recommendations/{}/answers"): {
            "status": "under_study",
            "justification": "Budget",
        },
        ("POST", "/participants/{}/erasure"): {"confirm": True},
        ("POST", "/organisations/{}/contact/erasure"): {"confirm": True},
        ("PUT", "/processes/{}/report/composition"): {"quotes": []},
        ("POST", "/processes/{}/research/hypotheses"): {"text": {"fr": "Une hypothèse vérifiable"}},
        ("POST", "/processes/{}/research/methods"): {
            "method": "questionnaire",
            "description": {"fr": "Deux vagues"},
            "start": "2026-03-01",
            "end": "2026-06-01",
        },
        ("POST", "/processes/{}/questionnaires"): {
            "title": {"fr": "Enquête"},
            "intro": {"fr": "Cinq minutes"},
            "audience": ["residents"],
            "anonymous": True,
        },
        ("POST", "/questionnaires/{}/questions"): {"kind": "text", "text": {"fr": "Un mot ?"}},
        ("POST", "/questionnaires/{}/waves"): {"label": {"fr": "Avant"}},
        ("PUT", "/questionnaires/{}/waves/{}/response"): {"answers": {"q1": 3}},
    }


def fill(rule: str, cast: Any, rid: str, receipt: str) -> str:
    """Real ids for the parameters of a Flask rule, by what the path names."""

    def value(match: re.Match[str]) -> str:
        before = rule[: match.start()]
        segment = before.rstrip("/").rsplit("/", 1)[-1]
        return {
            "processes": str(cast.process_id),
            "workshops": str(cast.workshop_id),
            "contributions": str(cast.contribution_id),
            "proposals": str(cast.resident_proposal),
            "recommendations": rid,
            "receipts": receipt,
            "waves": "1",
        }.get(segment, str(uuid.uuid4()))

    return re.sub(r"<[^>]+>", value, rule)


def test_every_api_route_answers_exactly_the_roles_of_the_contract(
    flask_app: Any, report: Any
) -> None:
    v = flask_app.extensions["voisinage"]
    cast = build_cast(v, residents=2, spare_codes=len(ROLES) + 2)
    receipt = v.cast_ballot(cast.residents[1], cast.process_id, [str(cast.proposals[1])])
    rid = str(uuid.uuid4())
    settle(flask_app)
    routes = api_routes(flask_app)
    unknown = sorted(set(routes) - set(EXPECTED))
    missing = sorted(set(EXPECTED) - set(routes) - {("GET", "/docs")})
    assert not unknown, f"routes without an entry in the expected table: {unknown}"
    assert not missing, f"routes of the contract that the API lacks: {missing}"

    tokens = {role: cast.token(role) for role in ROLES}
    codes = iter(cast.spare_codes)
    client = flask_app.test_client()
    mismatches: list[str] = []
    recorded_on_refusal: list[str] = []
    calls = 0
    order = sorted(routes, key=lambda k: (k in LAST, LAST.index(k) if k in LAST else 0, k))
    for key in order:
        method, path = key
        url = fill(routes[key], cast, rid, receipt)
        allowed: set[str] = set()
        # refusals first (they must record nothing), then the allowed roles
        for who in sorted((*ROLES, ANON), key=lambda w: w in EXPECTED[key]):
            headers = {"Idempotency-Key": str(uuid.uuid4())}
            if who != ANON:
                headers["Authorization"] = f"Bearer {tokens[who]}"
            body = bodies(cast, next(codes, "AAAA-BBBB-CCCC")).get(key)
            head = v.head_position()
            response = client.open(
                url, method=method, json=body if method != "GET" else None, headers=headers
            )
            calls += 1
            status = response.status_code
            if status >= 500:
                mismatches.append(f"{method} {path} as {who}: {status}")
            if status in (401, 403) and key not in CREDENTIALS:
                if v.head_position() != head:
                    recorded_on_refusal.append(f"{method} {path} as {who}")
                if response.mimetype != "application/problem+json":
                    mismatches.append(f"{method} {path} as {who}: {status} not problem+json")
                if who == ANON and status != 401:
                    mismatches.append(f"{method} {path} without a token: {status}, not 401")
                if who != ANON and status != 403:
                    mismatches.append(f"{method} {path} as {who}: {status}, not 403")
            else:
                allowed.add(who)
        if key in CREDENTIALS:
            continue
        if allowed != EXPECTED[key]:
            mismatches.append(
                f"{method} {path}: allowed {sorted(allowed)}, expected {sorted(EXPECTED[key])}"
            )
    line = report(
        "authorisation",
        routes=len(routes),
        roles=len(ROLES) + 1,
        requests=calls,
        mismatches=len(mismatches),
        recorded_on_refusal=len(recorded_on_refusal),
    )
    assert not mismatches, line + "\n" + "\n".join(mismatches)
    assert not recorded_on_refusal, line + "\n" + "\n".join(recorded_on_refusal)


def test_expected_table_agrees_with_the_application_rules() -> None:
    """The table's roles match RULES for the acts the API exposes (and visitors not
    signed in, for the acts open to them)."""
    from application.authorisation import OPEN_TO_VISITORS, RULES

    acts = {
        ("POST", "/processes"): "start a process",
        ("POST", "/processes/{}/phase"): "advance the phase",
        ("POST", "/processes/{}/axes"): "add an axis",
        ("POST", "/processes/{}/invitations"): "issue invitations",
        ("POST", "/processes/{}/workshops"): "schedule a workshop",
        ("POST", "/workshops/{}/contributions"): "record a contribution",
        ("POST", "/contributions/{}/moderation"): "moderate a contribution",
        ("POST", "/processes/{}/proposals"): "submit a proposal",
        ("POST", "/proposals/{}/moderation"): "moderate a proposal",
        ("PUT", "/processes/{}/ballot"): "cast a ballot",
        ("GET", "/processes/{}/ballot"): "read one's ballot",
        ("GET", "/processes/{}/ranking"): "see live results",
        ("POST", "/processes/{}/shortlist"): "publish the shortlist",
        ("POST", "/processes/{}/recommendations"): "draft a recommendation",
        ("POST", "/recommendations/{}/answers"): "answer a recommendation",
        ("POST", "/recommendations/{}/revisions"): "revise a recommendation",
        ("GET", "/audit/events"): "audit",
        ("GET", "/audit/verify"): "audit",
        ("GET", "/audit/bundle"): "audit",
        ("GET", "/processes/{}/trail.prov.json"): "export the trail",
        ("GET", "/me/data"): "download one's data",
        ("POST", "/participants/{}/erasure"): "erase a participant",
        ("POST", "/organisations/{}/contact/erasure"): "erase an organisation's contact",
        ("PUT", "/processes/{}/report/composition"): "compose the report",
        ("POST", "/processes/{}/research/hypotheses"): "write the research record",
        ("POST", "/processes/{}/questionnaires"): "build a questionnaire",
        ("POST", "/questionnaires/{}/waves"): "open or close a wave",
        ("POST", "/questionnaires/{}/tags"): "tag an answer",
        ("POST", "/questionnaires/{}/contributions"): "turn an answer into a contribution",
        ("PUT", "/questionnaires/{}/waves/{}/response"): "answer a questionnaire",
    }
    for key, act in acts.items():
        visitors = {ANON} if act in OPEN_TO_VISITORS else set()
        assert {r.value for r in RULES[act]} | visitors == EXPECTED[key], key
