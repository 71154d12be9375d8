"""Organisations as participants: representatives named by card code, words given in an
organisation's name, and the named refusals (each records nothing), on SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotFound,
    NotRepresentative,
)


def _refused(app: Any, call: Any, error: type[DomainError], field: str | None = None) -> Any:
    head = app.head_position()
    with pytest.raises(error) as raised:
        call()
    assert app.head_position() == head, "a refused command recorded something"
    if field is not None:
        assert raised.value.field == field
    return raised.value


def _setting(app: Any, world: Any) -> tuple[Any, Any, Any]:
    pid = world.process()
    world.advance(pid, "contributions")
    oid = app.register_organisation(
        world.facilitator, pid, name="Bota75", sector="culture", commune="Schaerbeek"
    )
    return pid, oid, world.workshop(pid)


def test_a_representative_named_by_card_code_gives_words_in_the_organisations_name(
    app, world
) -> None:
    pid, oid, wid = _setting(app, world)
    (code,) = app.issue_invitations(world.facilitator, pid, 1)
    participant = app.add_representative(world.facilitator, oid, code=code)
    assert app.organisation(oid).representatives == [participant]
    resident = app.join(pid, code)
    assert resident.participant_id == participant, "the card's holder is the representative"
    cid = app.record_contribution(
        resident,
        wid,
        kind="idea",
        text="Un lieu partagé",
        language="fr",
        on_behalf_of_organisation=oid,
    )
    contribution = app.contribution(cid)
    assert contribution.on_behalf_of_organisation == oid
    assert contribution.author_id == participant
    names = app.representatives(world.facilitator, oid)
    assert names == [{"participant_id": str(participant), "name": None}]


def test_a_facilitator_captures_paper_notes_for_an_organisation(app, world) -> None:
    _pid, oid, wid = _setting(app, world)
    cid = app.record_contribution(
        world.facilitator,
        wid,
        kind="concern",
        text="Trop cher",
        language="fr",
        on_behalf_of_organisation=oid,
    )
    assert app.contribution(cid).on_behalf_of_organisation == oid


def test_words_for_an_organisation_one_does_not_represent_are_refused_by_name(app, world) -> None:
    pid, oid, wid = _setting(app, world)
    stranger = world.resident(pid)
    error = _refused(
        app,
        lambda: app.record_contribution(
            stranger,
            wid,
            kind="idea",
            text="Pas moi",
            language="fr",
            on_behalf_of_organisation=oid,
        ),
        NotRepresentative,
        "on_behalf_of_organisation",
    )
    assert isinstance(error, NotAllowed) and error.code == "organisation.not_representative"


def test_an_organisation_of_another_process_or_none_is_invalid_input(app, world) -> None:
    _, _, wid = _setting(app, world)
    other = world.process()
    elsewhere = app.register_organisation(
        world.facilitator, other, name="Ailleurs", sector="culture", commune="Evere"
    )
    for organisation in (elsewhere, uuid4()):
        error = _refused(
            app,
            lambda organisation=organisation: app.record_contribution(
                world.facilitator,
                wid,
                kind="idea",
                text="Notes",
                language="fr",
                on_behalf_of_organisation=organisation,
            ),
            InvalidInput,
            "on_behalf_of_organisation",
        )
        assert error.code == "organisation.unknown"


def test_an_organisation_or_a_group_not_both(app, world) -> None:
    _, oid, wid = _setting(app, world)
    _refused(
        app,
        lambda: app.record_contribution(
            world.facilitator,
            wid,
            kind="idea",
            text="Notes",
            language="fr",
            on_behalf_of_group="table 2",
            on_behalf_of_organisation=oid,
        ),
        InvalidInput,
        "on_behalf_of_group",
    )


def test_representatives_are_refused_by_name_when_the_input_is_wrong(app, world) -> None:
    pid, oid, _ = _setting(app, world)
    resident = world.resident(pid)
    _refused(
        app, lambda: app.add_representative(world.facilitator, oid), InvalidInput, "participant_id"
    )
    _refused(
        app,
        lambda: app.add_representative(world.facilitator, oid, code="NOT-A-CODE"),
        InvalidInput,
        "code",
    )
    _refused(
        app,
        lambda: app.add_representative(
            world.facilitator, oid, resident.participant_id, code="ABCD"
        ),
        InvalidInput,
        "code",
    )
    app.add_representative(world.facilitator, oid, resident.participant_id)
    _refused(
        app,
        lambda: app.add_representative(world.facilitator, oid, resident.participant_id),
        Conflict,
    )
    _refused(
        app, lambda: app.add_representative(resident, oid, resident.participant_id), NotAllowed
    )
    _refused(app, lambda: app.representatives(resident, oid), NotAllowed)


def test_registering_records_the_contact_sealed_and_refuses_bad_fields(app, world) -> None:
    pid = world.process()
    oid = app.register_organisation(
        world.facilitator,
        pid,
        name="Maison de quartier",
        sector="cohésion sociale",
        commune="Bruxelles",
        contact={"name": "Nadia Benali", "email": "nadia@example.org"},
    )
    sealed = app.organisation(oid).sealed_contact
    assert sealed and "Nadia" not in sealed and "nadia@" not in sealed
    assert app.keys.unseal(oid, sealed) == {"name": "Nadia Benali", "email": "nadia@example.org"}
    for field, kwargs in (
        ("sector", {"name": "Asbl", "sector": "", "commune": "Evere"}),
        ("commune", {"name": "Asbl", "sector": "culture", "commune": "x" * 101}),
        (
            "contact.email",
            {
                "name": "Asbl",
                "sector": "culture",
                "commune": "Evere",
                "contact": {"email": "a\u202eb"},
            },
        ),
    ):
        _refused(
            app,
            lambda kwargs=kwargs: app.register_organisation(world.facilitator, pid, **kwargs),
            InvalidInput,
            field,
        )


def _topics(app: Any, name: str) -> int:
    return sum(
        1
        for n in app.recorder.select_notifications(start=1, limit=100_000)
        if n.topic.endswith(f"Organisation.{name}")
    )


def test_an_admin_erases_the_contact_person_and_the_organisation_stays(app, world) -> None:
    from app_support import sync

    from application.keys import KeyErased
    from projections.queries import Views

    pid, _, wid = _setting(app, world)
    oid = app.register_organisation(
        world.facilitator, pid, name="Maison de quartier", sector="cohésion sociale",
        commune="Bruxelles", contact={"name": "Nadia Benali", "email": "nadia@example.org"},
    )  # fmt: skip
    cid = app.record_contribution(
        world.facilitator, wid, kind="idea", text="Un lieu", language="fr",
        on_behalf_of_organisation=oid,
    )  # fmt: skip
    sealed = app.organisation(oid).sealed_contact
    assert app.organisation_contact(world.facilitator, oid) == {
        "name": "Nadia Benali",
        "email": "nadia@example.org",
    }
    # a facilitator may read the contact but not erase it: refused, nothing recorded, key kept
    _refused(
        app, lambda: app.erase_organisation_contact(world.facilitator, oid, confirm=True),
        NotAllowed,
    )  # fmt: skip
    _refused(
        app, lambda: app.erase_organisation_contact(world.admin, oid, confirm=False),
        InvalidInput, "confirm",
    )  # fmt: skip
    assert app.keys.unseal(oid, sealed)["name"] == "Nadia Benali"
    app.erase_organisation_contact(world.admin, oid, confirm=True)
    assert _topics(app, "ContactErased") == 1
    with pytest.raises(KeyErased):
        app.keys.unseal(oid, sealed)
    organisation = app.organisation(oid)
    assert organisation.contact_erased and organisation.name == "Maison de quartier"
    assert app.organisation_contact(world.facilitator, oid) == {}
    assert app.contribution(cid).on_behalf_of_organisation == oid
    error = _refused(
        app, lambda: app.erase_organisation_contact(world.admin, oid, confirm=True), Conflict
    )
    assert error.code == "organisation.contact_erased"
    views = Views(app.storage)
    try:
        sync(app.storage, views)
        shown = views.organisation(oid)
        assert shown is not None and shown["contact_status"] == "erased"
        assert shown["name"] == "Maison de quartier"
        (listed,) = [c for c in views.contributions(wid) if c["contribution_id"] == str(cid)]
        assert listed["organisation_name"] == "Maison de quartier"
    finally:
        views.engine.dispose()


def test_erasing_a_contact_that_is_not_there_is_refused_by_name(app, world) -> None:
    _pid, oid, _ = _setting(app, world)  # registered without a contact
    error = _refused(
        app, lambda: app.erase_organisation_contact(world.admin, oid, confirm=True), Conflict
    )
    assert error.code == "organisation.no_contact"
    _refused(
        app, lambda: app.erase_organisation_contact(world.admin, uuid4(), confirm=True), NotFound
    )
    _refused(app, lambda: app.organisation_contact(world.institution, oid), NotAllowed)
