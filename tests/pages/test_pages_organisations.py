"""The organisations page, capture for an organisation and answering a questionnaire in
an organisation's name, through the pages (plain forms, no JavaScript): refusals are
linked to their field and record nothing."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from app_support import settle
from pages_support import Site, act_as, csrf_of, join, open_workshop, page_text, sign_in

from application import Actor
from domain.roles import Role


def _organisation(site: Site, pid: UUID, name: str = "Bota75") -> UUID:
    oid = site.voisinage.register_organisation(
        site.demo.staff[Role.FACILITATOR], pid, name=name, sector="culture", commune="Schaerbeek"
    )
    settle(site.app)
    return oid


def test_a_facilitator_registers_an_organisation_and_names_a_representative(site: Site) -> None:
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{site.pid}/organisations")
    assert page.status_code == 200
    assert "Inscrire une organisation" in page_text(page)
    token = csrf_of(page)
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{site.pid}/organisations",
        data={"name": "Asbl", "sector": "", "commune": "Jette", "csrf_token": token},
    )
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    html = page_text(refused)
    assert 'id="f-sector-error"' in html and 'aria-invalid="true"' in html
    assert 'value="Asbl"' in html, "what was typed comes back"
    done = client.post(
        f"/p/{site.pid}/organisations",
        data={
            "name": "Maison de quartier Querelle",
            "sector": "cohésion sociale",
            "commune": "Bruxelles",
            "contact_name": "Nadia Benali",
            "contact_email": "nadia@example.org",
            "csrf_token": token,
        },
    )
    assert done.status_code == 303
    listed = page_text(client.get(f"/p/{site.pid}/organisations"))
    assert "Maison de quartier Querelle" in listed and "L’organisation est inscrite." in listed
    assert "Nadia" not in listed, "the contact person stays sealed"
    oid = re.search(r'<option value="([0-9a-f-]{36})"[^>]*>Maison de quartier Querelle', listed)
    assert oid
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{site.pid}/organisations/representatives",
        data={"organisation_id": oid[1], "code": "AAAA-BBBB-CCCC", "csrf_token": token},
    )
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    assert 'id="f-code-error"' in page_text(refused)
    code = site.code()
    added = client.post(
        f"/p/{site.pid}/organisations/representatives",
        data={"organisation_id": oid[1], "code": code, "csrf_token": token},
    )
    assert added.status_code == 303
    listed = page_text(client.get(f"/p/{site.pid}/organisations"))
    assert "1 représentant" in listed and "Un habitant qui n’a pas donné de nom" in listed
    # everyone reads the list, without the representatives' names
    public = page_text(site.client("nl").get(f"/p/{site.pid}/organisations"))
    assert "Maison de quartier Querelle" in public and "1 vertegenwoordiger" in public
    assert "Een organisatie inschrijven" not in public


def test_a_resident_may_not_register_one(site: Site) -> None:
    client = site.client("fr")
    join(client, site)
    page = client.get(f"/p/{site.pid}/organisations")
    assert "Inscrire une organisation" not in page_text(page)
    page = client.get("/sign-out")  # a form of the session, for its CSRF token
    head = site.voisinage.head_position()
    refused = client.post(
        f"/p/{site.pid}/organisations",
        data={"name": "Asbl", "sector": "culture", "commune": "Jette", "csrf_token": csrf_of(page)},
    )
    assert refused.status_code == 403 and site.voisinage.head_position() == head


def test_capture_offers_an_organisation_and_the_card_names_it(site: Site) -> None:
    pid, wid = open_workshop(site)
    oid = _organisation(site, pid, "Repair café Jette")
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{pid}/workshops/{wid}/capture")
    html = page_text(page)
    assert "Pour une organisation" in html and "Repair café Jette" in html
    done = client.post(
        f"/p/{pid}/workshops/{wid}/capture",
        data={
            "text": "Un atelier vélo partagé",
            "kind": "idea",
            "language": "fr",
            "organisation": str(oid),
            "csrf_token": csrf_of(page),
        },
    )
    assert done.status_code == 303
    again = page_text(client.get(f"/p/{pid}/workshops/{wid}/capture"))
    assert "pour Repair café Jette" in again
    assert f'<option value="{oid}" selected>' in again, "the organisation is kept for the next"


def _organisations_questionnaire(site: Site, pid: UUID) -> UUID:
    app, fac = site.voisinage, site.demo.staff[Role.FACILITATOR]
    qid = app.create_questionnaire(
        fac,
        pid,
        title={"fr": "Un lieu fédérateur ?", "nl": "Een verbindende plek?"},
        intro={"fr": "Pour les associations", "nl": "Voor de verenigingen"},
        audience=["residents", "organisations"],
        anonymous=False,
    )
    app.add_question(
        fac,
        qid,
        kind="single",
        text={"fr": "Pour ?", "nl": "Voor?"},
        options=[{"fr": "Oui", "nl": "Ja"}, {"fr": "Non", "nl": "Nee"}],
        required=True,
    )
    app.open_wave(fac, qid, label={"fr": "Appel", "nl": "Oproep"}, sent_to=None)
    settle(site.app)
    return qid


def _resident(site: Site, pid: UUID) -> Actor:
    (code,) = site.voisinage.issue_invitations(site.demo.staff[Role.FACILITATOR], pid, 1)
    return site.voisinage.join(pid, code)


def test_a_representative_answers_for_themselves_or_for_the_organisation(site: Site) -> None:
    pid, _ = open_workshop(site)
    oid = _organisation(site, pid)
    qid = _organisations_questionnaire(site, pid)
    representative, stranger = _resident(site, pid), _resident(site, pid)
    site.voisinage.add_representative(
        site.demo.staff[Role.FACILITATOR], oid, representative.participant_id
    )
    settle(site.app)
    client = site.client("fr")
    act_as(client, representative)
    page = client.get(f"/q/{qid}")
    html = page_text(page)
    assert "Répondre pour" in html and f"?for={oid}" in html
    page = client.get(f"/q/{qid}?for={oid}")
    html = page_text(page)
    assert "Vous répondez au nom de Bota75" in html
    assert f'name="on_behalf_of_organisation" value="{oid}"' in html
    saved = client.post(
        f"/q/{qid}/answers",
        data={
            "wave": "1",
            "q1": "1",
            "on_behalf_of_organisation": str(oid),
            "csrf_token": csrf_of(page),
        },
    )
    assert saved.status_code == 303 and f"for={oid}" in saved.headers["Location"]
    assert site.voisinage.own_response(representative, qid, 1, organisation_id=oid) == {"q1": "1"}
    assert site.voisinage.own_response(representative, qid, 1) is None, "not their own answer"
    # someone who does not represent it is refused by name, beside the choice, recording nothing
    other = site.client("fr")
    act_as(other, stranger)
    page = other.get(f"/q/{qid}")
    assert "Répondre pour" not in page_text(page)
    head = site.voisinage.head_position()
    refused = other.post(
        f"/q/{qid}/answers",
        data={
            "wave": "1",
            "q1": "1",
            "on_behalf_of_organisation": str(oid),
            "csrf_token": csrf_of(page),
        },
    )
    assert refused.status_code == 422 and site.voisinage.head_position() == head
    html = page_text(refused)
    assert 'id="f-on_behalf_of_organisation-error"' in html
    assert "Seuls les représentants d’une organisation" in html


def test_results_say_how_many_organisations_answered(site: Site) -> None:
    from application.demo_mutualisons import load_mutualisons_demo

    found: Any = load_mutualisons_demo(site.voisinage, site.demo, organisations=30, responses=6)
    settle(site.app)
    html = page_text(site.client("fr").get(f"/q/{found.questionnaire_id}/results"))
    assert "Appel aux associations : 6 sur 30 organisations ont répondu (20\u00a0%)" in html
    english = page_text(site.client("en").get(f"/q/{found.questionnaire_id}/results"))
    assert "6 of 30 organisations answered (20%)" in english  # no French space in English
    html = page_text(site.client("nl").get(f"/p/{found.process_id}/organisations"))
    assert "30 organisaties nemen deel." in html


def test_the_trail_page_says_which_organisation_words_were_given_for(site: Site) -> None:
    from builders import World
    from organisation_support import ORGANISATION, organisation_trail

    t = organisation_trail(World(site.voisinage, site.demo.staff))
    settle(site.app)
    expected = {
        "fr": f"donné pour {ORGANISATION}",
        "nl": f"gegeven voor {ORGANISATION}",
        "en": f"given for {ORGANISATION}",
    }
    for language, words in expected.items():
        page = site.client(language).get(f"/p/{t.pid}/trail/{t.recommendation_id}")
        assert page.status_code == 200
        html = page_text(page)
        assert html.count(words) == 2, (language, "the two contributions given for it")


def test_an_admin_erases_a_contact_person_after_confirming(site: Site) -> None:
    staff = site.demo.staff
    oid = site.voisinage.register_organisation(
        staff[Role.FACILITATOR], site.pid, name="Potager Jette", sector="environnement",
        commune="Jette", contact={"name": "Nadia Benali"},
    )  # fmt: skip
    settle(site.app)
    confirm = f"/p/{site.pid}/organisations/{oid}/contact/erase"
    facilitator = site.client("fr")
    sign_in(facilitator, Role.FACILITATOR)
    listed = page_text(facilitator.get(f"/p/{site.pid}/organisations"))
    assert "Potager Jette" in listed and confirm not in listed, "no button for a facilitator"
    head = site.voisinage.head_position()
    page = facilitator.get(f"/p/{site.pid}/organisations")
    refused = facilitator.post(confirm, data={"confirm": "yes", "csrf_token": csrf_of(page)})
    assert refused.status_code == 403 and site.voisinage.head_position() == head

    admin = site.client("nl")
    sign_in(admin, Role.ADMIN)
    listed = page_text(admin.get(f"/p/{site.pid}/organisations"))
    assert confirm in listed, "the admin sees the button"
    asked = admin.get(confirm)
    assert asked.status_code == 200
    html = page_text(asked)
    assert "Potager Jette" in html and 'name="confirm" value="yes"' in html
    assert "Nadia" not in html
    assert site.voisinage.head_position() == head, "asking to confirm records nothing"
    unconfirmed = admin.post(confirm, data={"csrf_token": csrf_of(asked)})
    assert unconfirmed.status_code == 422 and site.voisinage.head_position() == head
    done = admin.post(confirm, data={"confirm": "yes", "csrf_token": csrf_of(asked)})
    assert done.status_code == 303 and f"#o-{oid}" in done.headers["Location"]
    assert site.voisinage.organisation(oid).contact_erased
    settle(site.app)
    listed = page_text(admin.get(f"/p/{site.pid}/organisations"))
    assert "Contactpersoon gewist" in listed and confirm not in listed
    assert "Potager Jette" in listed, "the organisation stays"
    again = admin.post(confirm, data={"confirm": "yes", "csrf_token": csrf_of(asked)})
    assert again.status_code == 409
    assert admin.get(f"/p/{site.pid}/organisations/{UUID(int=0)}/contact/erase").status_code == 404
