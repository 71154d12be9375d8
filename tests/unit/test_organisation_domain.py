"""Contributions given for an organisation: older events decode as "for no organisation",
and an organisation and a group are never both named."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.contribution import Contribution
from domain.errors import InvalidInput


def _recorded(**extra: object) -> Contribution:
    return Contribution.record(
        process_id=uuid4(),
        workshop_id=uuid4(),
        kind="idea",
        text="Un lieu partagé",
        language="fr",
        author_id=uuid4(),
        **extra,  # type: ignore[arg-type]
    )


def test_an_event_recorded_before_organisations_decodes_as_for_no_organisation() -> None:
    organisation = uuid4()
    contribution = _recorded(on_behalf_of_organisation=organisation)
    (event,) = contribution.collect_events()
    assert event.on_behalf_of_organisation == organisation  # type: ignore[attr-defined]
    del event.__dict__["on_behalf_of_organisation"]  # the shape before issue 16
    rebuilt = event.mutate(None)
    assert rebuilt is not None and rebuilt.on_behalf_of_organisation is None
    assert rebuilt.text == "Un lieu partagé"


def test_an_organisation_and_a_group_are_not_both_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        _recorded(on_behalf_of_organisation=uuid4(), on_behalf_of_group="table 2")
    assert (refused.value.field, refused.value.code) == ("on_behalf_of_group", "capture.both")
