"""The organisation routes as data (imported into routes.ROUTES): {oid} is an
organisation of the driven process that the resident represents, after `prepare`."""

from __future__ import annotations

from typing import Any

from api_support import Api, DrivenProcess


def _assert(condition: bool) -> None:
    assert condition


def _get(api: Api, path: str, who: str | None = None) -> Any:
    return api.ok("GET", path, who=who)


BOTA = {"name": "Bota75", "sector": "culture", "commune": "Schaerbeek"}


def prepare_organisation(api: Api, w: DrivenProcess) -> None:
    """An organisation ({oid}) that the resident represents, and an organisations
    questionnaire with wave 1 open ({qid})."""
    fac = "facilitator"
    body = {**BOTA, "contact": {"name": "Nadia Benali", "email": "nadia@example.org"}}
    oid = api.ok("POST", f"/processes/{w.pid}/organisations", body, fac)["id"]
    api.ok(
        "POST", f"/organisations/{oid}/representatives", {"participant_id": w.ids["resident"]}, fac
    )
    w.ids["organisation"] = oid
    new = {
        "title": {"fr": "Un lieu fédérateur ?"},
        "intro": {"fr": "Pour les associations"},
        "audience": ["organisations"],
        "anonymous": False,
    }
    qid = api.ok("POST", f"/processes/{w.pid}/questionnaires", new, fac)["id"]
    question = {
        "kind": "single",
        "text": {"fr": "Pour ?"},
        "options": [{"fr": "Oui"}, {"fr": "Non"}],
    }
    api.ok("POST", f"/questionnaires/{qid}/questions", question, fac)
    api.ok("POST", f"/questionnaires/{qid}/waves", {"label": {"fr": "Appel"}, "sent_to": 100}, fac)
    w.ids["questionnaire"] = qid


def _listed(api: Api, w: DrivenProcess, answer: Any) -> None:
    listed = _get(api, f"/processes/{w.pid}/organisations", "facilitator")
    found = next(o for o in listed if o["organisation_id"] == answer["id"])
    assert (found["name"], found["sector"], found["commune"]) == (
        "Maison de quartier Querelle",
        "cohésion sociale",
        "Bruxelles",
    )
    assert found["representative_count"] == 0
    assert "Nadia" not in str(_get(api, f"/organisations/{answer['id']}"))


def _represented(api: Api, w: DrivenProcess, answer: Any) -> None:
    found = _get(api, f"/organisations/{w.ids['organisation']}", "facilitator")
    assert found["representative_count"] == 2
    assert answer["id"] in found["representatives"]


def _contact_erased(api: Api, w: DrivenProcess, answer: Any) -> None:
    assert answer == {"ok": True}
    found = _get(api, f"/organisations/{w.ids['organisation']}")
    assert (found["name"], found["contact_status"]) == ("Bota75", "erased")


# Imported lazily by routes.py (Route lives there).
def organisation_routes(Route: Any) -> tuple[Any, ...]:
    return (
        Route(
            "POST",
            "/processes/{pid}/organisations",
            "contributions",
            "facilitator",
            {
                "name": "Maison de quartier Querelle",
                "sector": "cohésion sociale",
                "commune": "Bruxelles",
                "contact": {"name": "Nadia", "email": "nadia@example.org"},
            },
            201,
            check=_listed,
            bad=({**BOTA, "contact": {"email": "not an address"}}, "contact"),
            wrong_role="resident",
            wrong_phase="closed",
        ),
        Route(
            "GET",
            "/processes/{pid}/organisations",
            "contributions",
            None,
            check=lambda api, w, answer: _assert(
                [(o["name"], o["representative_count"]) for o in answer] == [("Bota75", 1)]
                and "representatives" not in answer[0]
            ),
            prepare=prepare_organisation,
        ),
        Route(
            "GET",
            "/organisations/{oid}",
            "contributions",
            None,
            check=lambda api, w, answer: _assert(
                answer["name"] == "Bota75" and "contact" not in answer
            ),
            prepare=prepare_organisation,
        ),
        Route(
            "POST",
            "/organisations/{oid}/representatives",
            "contributions",
            "facilitator",
            {"code": "{code}"},
            201,
            check=_represented,
            bad=({"participant_id": "not a uuid"}, "participant_id"),
            wrong_role="resident",
            prepare=prepare_organisation,
        ),
        Route(
            "POST",
            "/organisations/{oid}/contact/erasure",
            "contributions",
            "admin",
            {"confirm": True},
            check=_contact_erased,
            bad=({}, "confirm"),
            wrong_role="facilitator",
            prepare=prepare_organisation,
        ),
    )
