"""Text that cannot be stored or shown safely is refused in every text field, over the API.

Measured from outside before the text rules: NUL was accepted (201) in a contribution, a
join name and a process title, and then froze every view on PostgreSQL; a lone surrogate
gave a 500 in 18 text fields. Each field below, with each refused class of character,
must answer 422 naming the field, and record nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from api_support import Api, DrivenProcess, drive
from unsafe_text import UNSAFE

Body = Callable[[str, DrivenProcess], dict[str, Any]]

#: (field as named in the errors, phase, who, method, path, body with the bad text)
FIELDS: list[tuple[str, str, str | None, str, str, Body]] = [
    ("title.fr", "draft", "facilitator", "POST", "/processes", lambda t, w: {"title": {"fr": t}}),
    (
        "description.fr",
        "draft",
        "facilitator",
        "POST",
        "/processes",
        lambda t, w: {"title": {"fr": "Titre"}, "description": {"fr": t}},
    ),
    (
        "name.fr",
        "draft",
        "facilitator",
        "POST",
        "/processes/{pid}/axes",
        lambda t, w: {"name": {"fr": t}},
    ),
    (
        "name",
        "draft",
        None,
        "POST",
        "/processes/{pid}/join",
        lambda t, w: {"code": w.codes[0], "name": t},
    ),
    *[
        (
            field,
            "contributions",
            "facilitator",
            "POST",
            "/processes/{pid}/workshops",
            (
                lambda f: (
                    lambda t, w: {"title": "Atelier", "on": "2026-05-01", "place": "Salle", f: t}
                )
            )(field),
        )
        for field in ("title", "place")
    ],
    (
        "text",
        "contributions",
        "resident",
        "POST",
        "/workshops/{wid}/contributions",
        lambda t, w: {"kind": "idea", "text": t, "language": "fr"},
    ),
    (
        "on_behalf_of_group",
        "contributions",
        "facilitator",
        "POST",
        "/workshops/{wid}/contributions",
        lambda t, w: {
            "kind": "idea",
            "text": "Des bancs",
            "language": "fr",
            "on_behalf_of_group": t,
        },
    ),
    (
        "reason",
        "contributions",
        "facilitator",
        "POST",
        "/contributions/{cid}/moderation",
        lambda t, w: {"action": "hide", "reason": t},
    ),
    *[
        (
            field,
            "proposals",
            "resident",
            "POST",
            "/processes/{pid}/proposals",
            (
                lambda f: (
                    lambda t, w: {
                        "title": "Des bancs",
                        "body": "Dans la cour",
                        "language": "fr",
                        "source_ids": [w.ids["contribution"]],
                        f: t,
                    }
                )
            )(field),
        )
        for field in ("title", "body")
    ],
    *[
        (
            field,
            "proposals",
            "resident",
            "POST",
            "/proposals/{own}/revisions",
            (lambda f: lambda t, w: {"title": "Des bancs", "body": "Dans la cour", f: t})(field),
        )
        for field in ("title", "body")
    ],
    (
        "reason",
        "proposals",
        "facilitator",
        "POST",
        "/proposals/{other}/moderation",
        lambda t, w: {"action": "hide", "reason": t},
    ),
    *[
        (
            field,
            "shortlisted",
            "facilitator",
            "POST",
            "/processes/{pid}/recommendations",
            (
                lambda f: (
                    lambda t, w: {
                        "title": "Ascenseurs",
                        "text": "Réparer",
                        "language": "fr",
                        "proposal_ids": [w.ids["proposal"]],
                        f: t,
                    }
                )
            )(field),
        )
        for field in ("title", "text")
    ],
    *[
        (
            field,
            "recommendations",
            "institution",
            "POST",
            "/recommendations/{sub}/answers",
            (
                lambda f: (
                    lambda t, w: {
                        "status": "accepted",
                        "justification": "Budget 2027 voté",
                        "progress": 10,
                        "note": "Étude lancée",
                        f: t,
                    }
                )
            )(field),
        )
        for field in ("justification", "note")
    ],
    (
        "introductions",
        "recommendations",
        "facilitator",
        "PUT",
        "/processes/{pid}/report/composition",
        lambda t, w: {"introductions": {"summary": {"fr": t}}},
    ),
]

PHASES = sorted({phase for _, phase, *_ in FIELDS})


def _path(template: str, w: DrivenProcess) -> str:
    names = {
        "pid": w.pid,
        "wid": w.ids.get("workshop", ""),
        "cid": w.ids.get("contribution", ""),
        "own": w.ids.get("own_proposal", ""),
        "other": w.ids.get("other", ""),
        "sub": w.ids.get("submitted", ""),
    }
    return template.format(**names)


@pytest.mark.parametrize("phase", PHASES)
def test_unsafe_text_is_refused_in_every_field_and_records_nothing(api: Api, phase: str) -> None:
    world = drive(api, phase)
    tried = 0
    failures = []
    for field, needs, who, method, template, body in FIELDS:
        if needs != phase:
            continue
        for kind, value in UNSAFE.items():
            before = api.head()
            answer = api.call(method, _path(template, world), body(value, world), who)
            tried += 1
            named = [key for key in (answer.json or {}).get("errors", {}) if key.startswith(field)]
            if answer.status != 422 or not named:
                failures.append(
                    f"{method} {template} {field} with {kind}: {answer.status} {answer.json}"
                )
            elif api.head() != before:
                failures.append(f"{method} {template} {field} with {kind}: recorded something")
    assert tried > 0
    assert not failures, "\n".join(failures)


def test_the_refusal_says_what_and_where(api: Api) -> None:
    world = drive(api, "contributions")
    answer = api.call(
        "POST",
        f"/workshops/{world.ids['workshop']}/contributions",
        {"kind": "idea", "text": "abc \u0000 def", "language": "fr"},
        "resident",
    )
    assert answer.status == 422
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    (message,) = answer.json["errors"]["text"]
    assert "U+0000" in message and "position 5" in message


def test_ordinary_text_in_any_script_is_kept_exactly(api: Api) -> None:
    world = drive(api, "contributions")
    text = "Des bancs\tà l'ombre\nمقاعد في الظل\u200f — 🌳 Zitbanken in de schaduw"
    answer = api.call(
        "POST",
        f"/workshops/{world.ids['workshop']}/contributions",
        {"kind": "idea", "text": text, "language": "fr"},
        "resident",
    )
    assert answer.status == 201, answer.json
    shown = api.ok("GET", f"/workshops/{world.ids['workshop']}/contributions")
    assert text in {c["text"] for c in shown}
