"""Hostile input: property-based fuzzing of the API from its own OpenAPI document, and
markup in residents' words stored as given but escaped on the pages.

Schemathesis (v4 Python API) loads ``/api/v1/openapi.json`` from the WSGI app itself and
generates valid (positive) and invalid (negative) requests for every operation, with a
facilitator's and a resident's bearer token. Checks: no server error, and every answer
conforms to the document. Bounded: SECURITY_FUZZ_EXAMPLES per operation and mode.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any
from uuid import UUID

import pytest
from app_support import settle
from security_support import build_cast, env_int

MARKUP = '<script>alert("xss")</script><img src=x onerror=alert(1)> & "quotes"'


def _fuzz(flask_app: Any, cast: Any, report: Any) -> None:
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis.errors import Unsatisfiable

    examples = env_int("SECURITY_FUZZ_EXAMPLES", 12)
    budget = float(env_int("SECURITY_FUZZ_SECONDS", 100))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", flask_app)
    # Real ids where a path names one, so that requests reach the commands.
    known = {
        "pid": str(cast.process_id),
        "process_id": str(cast.process_id),
        "wid": str(cast.workshop_id),
        "workshop_id": str(cast.workshop_id),
        "cid": str(cast.contribution_id),
        "contribution_id": str(cast.contribution_id),
        "id": str(cast.proposals[0]),
        "proposal_id": str(cast.proposals[0]),
    }
    tokens = {"facilitator": cast.token("facilitator"), "resident": cast.token("resident")}
    tried: Counter[str] = Counter()
    server_errors: list[str] = []
    nonconforming: list[str] = []
    operations = unsatisfiable = 0
    started = time.monotonic()
    from schemathesis import GenerationMode

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        names = {p.name for p in operation.path_parameters}
        path_parameters = {k: v for k, v in known.items() if k in names}
        for role, token in tokens.items():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                if time.monotonic() - started > budget:
                    break
                label = f"{operation.method.upper()} {operation.path} as {role} ({mode.value})"
                try:
                    strategy = operation.as_strategy(
                        generation_mode=mode,
                        headers={"Authorization": f"Bearer {token}"},
                        path_parameters=path_parameters
                        if mode is GenerationMode.POSITIVE
                        else None,
                    )
                except Exception as error:  # an operation the generator cannot handle
                    nonconforming.append(f"{label}: cannot generate ({error})")
                    continue

                run = _runner(strategy, label, examples, tried, server_errors, nonconforming)
                try:
                    run()
                except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                    unsatisfiable += 1
                except Exception as error:  # generation errors
                    nonconforming.append(f"{label}: {type(error).__name__}: {str(error)[:200]}")
    line = report(
        "fuzz",
        operations=operations,
        examples_tried=sum(tried.values()),
        server_errors=len(server_errors),
        without_invalid_cases=unsatisfiable,
        nonconforming=len(nonconforming),
        seconds=round(time.monotonic() - started, 1),
    )
    assert operations > 0, line
    assert not server_errors, line + "\n" + "\n".join(server_errors[:20])
    assert not nonconforming, line + "\n" + "\n".join(sorted(set(nonconforming))[:30])


def _runner(
    strategy: Any,
    label: str,
    examples: int,
    tried: Counter[str],
    server_errors: list[str],
    nonconforming: list[str],
) -> Any:
    """A Hypothesis test over one operation's cases that records instead of raising."""
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        tried[label] += 1
        try:
            response = case.call()
        except Exception as error:  # an unhandled exception is a server error
            server_errors.append(f"{label} raised {type(error).__name__}: {error}"[:300])
            return
        if response.status_code >= 500:
            server_errors.append(f"{label} -> {response.status_code}: {case.body!r}"[:300])
            return
        try:
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )
        except Exception as failure:
            nonconforming.append(f"{label}: {str(failure)[:300]}")

    return run


def test_api_survives_fuzzing_from_its_own_openapi_document(flask_app: Any, report: Any) -> None:
    cast = build_cast(flask_app.extensions["voisinage"], residents=2, spare_codes=5)
    settle(flask_app)
    _fuzz(flask_app, cast, report)


def test_markup_is_stored_as_given_and_escaped_on_pages(flask_app: Any, report: Any) -> None:
    v = flask_app.extensions["voisinage"]
    cast = build_cast(v, residents=1)
    # back to a process whose workshop still takes contributions: a second process
    pid = v.start_process(cast.staff["facilitator"], title={"fr": MARKUP, "nl": "Titel"})
    client = flask_app.test_client()
    headers = {"Authorization": f"Bearer {cast.token('facilitator')}"}
    from datetime import date

    v.advance_phase(cast.staff["facilitator"], pid, "contributions")
    wid = v.schedule_workshop(
        cast.staff["facilitator"], pid, title=MARKUP, on=date(2026, 3, 2), place=MARKUP
    )
    v.open_workshop(cast.staff["facilitator"], wid)
    api_route = any(
        r.rule.startswith("/api/v1/workshops/")
        and r.rule.endswith("/contributions")
        and "POST" in (r.methods or ())
        for r in flask_app.url_map.iter_rules()
    )
    if api_route:
        via_api = client.post(
            f"/api/v1/workshops/{wid}/contributions",
            json={"kind": "idea", "text": MARKUP, "language": "fr", "on_behalf_of_group": "t1"},
            headers=headers,
        )
        assert via_api.status_code == 201, via_api.get_data(as_text=True)
        body = via_api.get_json()
        cid = UUID(body.get("id") or body.get("contribution_id"))
    else:  # no API yet: through the application
        cid = v.record_contribution(
            cast.staff["facilitator"],
            wid,
            kind="idea",
            text=MARKUP,
            language="fr",
            on_behalf_of_group="t1",
        )
    stored = v.contribution(cid).text if cid else None
    settle(flask_app)
    page = client.get(f"/p/{pid}/workshops/{wid}")
    html = page.get_data(as_text=True)
    listing = client.get(f"/api/v1/workshops/{wid}/contributions", headers=headers)
    line = report(
        "markup",
        stored_as_given=stored == MARKUP,
        page_status=page.status_code,
        escaped_on_page="&lt;script&gt;alert(" in html,
        raw_script_on_page="<script>alert(" in html,
    )
    assert stored == MARKUP, line
    assert page.status_code == 200, line
    assert "&lt;script&gt;alert(" in html, line
    assert "<script>alert(" not in html and "<img src=x" not in html, line
    if listing.status_code == 200:
        assert listing.mimetype == "application/json"
        assert MARKUP in [c["text"] for c in listing.get_json()], (
            "the API returns the text as given"
        )


def test_oversized_and_deep_bodies_on_every_mutating_api_route(flask_app: Any, report: Any) -> None:
    """Every POST/PUT route of the API: 413 for a body over the limit, 400 for deep JSON."""
    v = flask_app.extensions["voisinage"]
    cast = build_cast(v, residents=1)
    client = flask_app.test_client()
    headers = {"Authorization": f"Bearer {cast.token('facilitator')}"}
    head = v.head_position()
    limit = flask_app.config["MAX_CONTENT_LENGTH"]
    checked = 0
    for rule in flask_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            path = rule.rule
            for argument in rule.arguments:
                path = path.replace(f"<{argument}>", str(cast.process_id))
            path = _fill(path, str(cast.process_id))
            big = client.open(
                path,
                method=method,
                data=b'{"x": "' + b"a" * limit + b'"}',
                content_type="application/json",
                headers=headers,
            )
            deep = client.open(
                path,
                method=method,
                data=b'{"x": ' + b"[" * 64 + b"]" * 64 + b"}",
                content_type="application/json",
                headers=headers,
            )
            assert big.status_code == 413, f"{method} {path}: {big.status_code}"
            assert deep.status_code == 400, f"{method} {path}: {deep.status_code}"
            for response in (big, deep):
                assert response.mimetype == "application/problem+json", f"{method} {path}"
            checked += 1
    report("limits/routes", routes_checked=checked, head_unchanged=v.head_position() == head)
    assert checked > 0
    assert v.head_position() == head


def _fill(path: str, value: str) -> str:
    """Replace typed converters like <uuid:pid> with a value."""
    import re

    return re.sub(r"<[^>]+>", value, path)
