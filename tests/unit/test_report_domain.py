"""Consent to be quoted on Contribution.Recorded, and the Report aggregate (pure domain)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.contribution import Contribution
from domain.errors import InvalidInput
from domain.identities import report_id
from domain.report import Report


def recorded(**extra: object) -> Contribution:
    return Contribution.record(
        process_id=uuid4(),
        workshop_id=uuid4(),
        kind="idea",
        text="Des bancs",
        language="fr",
        author_id=uuid4(),
        **extra,
    )


def test_an_event_recorded_before_consent_existed_decodes_as_no_consent() -> None:
    contribution = recorded(quote_consent=True)
    (event,) = contribution.collect_events()
    assert event.quote_consent is True
    del event.__dict__["quote_consent"]  # the shape of Contribution.Recorded before issue 17
    rebuilt = event.mutate(None)
    assert rebuilt is not None and rebuilt.quote_consent is False and rebuilt.text == "Des bancs"


def test_consent_must_be_a_boolean() -> None:
    with pytest.raises(InvalidInput) as refused:
        recorded(quote_consent="yes")
    assert refused.value.field == "quote_consent"
    assert recorded().quote_consent is False


def test_a_report_quotes_only_what_was_consented_and_keeps_known_sections() -> None:
    process_id, by = uuid4(), uuid4()
    report = Report.start(process_id)
    assert report.id == report_id(process_id)
    ok, other = uuid4(), uuid4()
    with pytest.raises(InvalidInput) as refused:
        report.compose(introductions={}, quotes=[ok, other], consented={ok}, by=by)
    assert refused.value.field == "quotes"
    with pytest.raises(InvalidInput):
        report.compose(introductions={"preface": {"fr": "x"}}, quotes=[], consented=set(), by=by)
    with pytest.raises(InvalidInput):
        report.compose(introductions={"summary": {"de": "x"}}, quotes=[], consented=set(), by=by)
    report.compose(
        introductions={"summary": {"fr": " Résumé ", "nl": "  "}},
        quotes=[ok, ok],
        consented={ok},
        by=by,
    )
    assert report.introductions == {"summary": {"fr": "Résumé"}}
    assert report.quotes == [ok]
    events = report.collect_events()
    assert [type(e).__name__ for e in events] == ["Started", "Composed"]
    assert events[-1].process_id == process_id
