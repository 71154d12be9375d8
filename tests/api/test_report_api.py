"""Consent to be quoted and the report's composition over the API."""

from __future__ import annotations

from api_support import Api, drive


def test_consent_travels_from_the_contribution_to_the_composer(api: Api) -> None:
    w = drive(api, "contributions")
    wid = w.ids["workshop"]
    agreed = api.ok(
        "POST",
        f"/workshops/{wid}/contributions",
        {"kind": "testimony", "text": "On peut me citer", "language": "fr", "quote_consent": True},
        "resident",
    )["id"]
    head = api.head()
    refused = api.call(
        "POST",
        f"/workshops/{wid}/contributions",
        {"kind": "idea", "text": "Peut-être", "language": "fr", "quote_consent": "maybe"},
        "resident",
    )
    assert refused.status == 422 and "quote_consent" in refused.json["errors"]
    assert api.head() == head
    composition = api.ok("GET", f"/processes/{w.pid}/report/composition", who="facilitator")
    # the contribution recorded without the field is not quotable; the consented one is
    assert [c["contribution_id"] for c in composition["quotable"]] == [agreed]
    assert "author_id" not in composition["quotable"][0]


def test_only_consented_quotes_are_accepted_and_a_refusal_records_nothing(api: Api) -> None:
    w = drive(api, "contributions")
    wid, pid = w.ids["workshop"], w.pid
    agreed = api.ok(
        "POST",
        f"/workshops/{wid}/contributions",
        {"kind": "idea", "text": "Citez-moi", "language": "fr", "quote_consent": True},
        "resident",
    )["id"]
    head = api.head()
    for quotes in ([w.ids["contribution"]], [agreed, "0d4c5a2e-1111-4222-8333-444455556666"]):
        answer = api.call(
            "PUT", f"/processes/{pid}/report/composition", {"quotes": quotes}, "facilitator"
        )
        assert answer.status == 422 and "quotes" in answer.json["errors"], answer.json
    unsafe = api.call(
        "PUT",
        f"/processes/{pid}/report/composition",
        {"introductions": {"summary": {"fr": "a\u202eb"}}},
        "facilitator",
    )
    # the field names the section and the language of the refused introduction
    assert unsafe.status == 422, unsafe.json
    assert list(unsafe.json["errors"]) == ["introductions.summary.fr"], unsafe.json
    assert api.head() == head
    api.ok("PUT", f"/processes/{pid}/report/composition", {"quotes": [agreed]}, "facilitator")
    assert api.ok("GET", f"/processes/{pid}/report/composition", who="facilitator")["quotes"] == [
        agreed
    ]
    # once hidden, a chosen quote is no longer quotable
    api.ok(
        "POST",
        f"/contributions/{agreed}/moderation",
        {"action": "hide", "reason": "Nom cité"},
        "facilitator",
    )
    assert (
        api.ok("GET", f"/processes/{pid}/report/composition", who="facilitator")["quotable"] == []
    )
