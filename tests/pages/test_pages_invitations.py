"""Printable invitation cards: issued codes with QR codes, kept until printed."""

from __future__ import annotations

import re

from pages_support import csrf_of, page_text, sign_in

from domain.roles import Role

CODE = re.compile(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>")


def test_issued_codes_become_cards_whose_qr_code_opens_the_join_page(site):
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    dashboard = client.get(f"/p/{site.pid}/facilitate")
    issued = client.post(
        f"/p/{site.pid}/invitations", data={"count": "3", "csrf_token": csrf_of(dashboard)}
    )
    assert issued.status_code == 303 and issued.location.endswith("/invitations/cards")
    cards = page_text(client.get(issued.location))
    codes = CODE.findall(cards)
    assert len(codes) == 3
    assert cards.count('<svg aria-hidden="true"') == 3  # one QR code per card
    # every card speaks French and Dutch, whatever the facilitator's language
    assert "Vous êtes invité" in cards and "U bent uitgenodigd" in cards
    # the QR code encodes the join page with the code filled in: it signs a resident in
    resident = site.client()
    form = resident.get(f"/p/{site.pid}/join?code={codes[0]}")
    assert f'value="{codes[0]}"' in page_text(form)
    joined = resident.post(
        f"/p/{site.pid}/join", data={"code": codes[0], "csrf_token": csrf_of(form)}
    )
    assert joined.status_code == 303
    # the dashboard reminds the facilitator until the cards are printed, then forgets
    assert "3 codes attendent d'être imprimés." in page_text(
        client.get(f"/p/{site.pid}/facilitate")
    )
    page = client.get(f"/p/{site.pid}/invitations/cards")
    done = client.post(f"/p/{site.pid}/invitations/printed", data={"csrf_token": csrf_of(page)})
    assert done.status_code == 303
    again = page_text(client.get(f"/p/{site.pid}/invitations/cards"))
    assert not CODE.findall(again) and "Aucune carte à imprimer" in again


def test_residents_cannot_see_invitation_cards(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    dashboard = client.get(f"/p/{site.pid}/facilitate")
    client.post(f"/p/{site.pid}/invitations", data={"count": "1", "csrf_token": csrf_of(dashboard)})
    resident = site.client()
    from pages_support import join

    join(resident, site)
    answer = resident.get(f"/p/{site.pid}/invitations/cards")
    assert answer.status_code in (302, 303, 403)
    assert not CODE.findall(page_text(answer))
