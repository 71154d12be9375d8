"""The resident's receipt to save or print, their data to download, the admin's erasure
page and the batched count on the facilitation page, in French."""

from __future__ import annotations

import re

from app_support import settle
from pages_support import csrf_of, join, page_text, sign_in

from domain.roles import Role

RECEIPT = re.compile(r'id="receipt">([^<]+)<')


def test_receipt_can_be_saved_and_printed_and_checks_in_any_case(site):
    client = site.client("fr")
    join(client, site)
    form = client.get(f"/p/{site.pid}/ballot")
    proposal = str(site.demo.proposal_ids[1])
    voted = client.post(
        f"/p/{site.pid}/ballot", data={"choice": [proposal], "csrf_token": csrf_of(form)}
    )
    assert voted.status_code == 303
    page = page_text(client.get(f"/p/{site.pid}/receipt"))
    receipt = RECEIPT.search(page).group(1)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", receipt)
    assert "L’enregistrer dans un fichier" in page and "data-print" in page
    saved = client.get(f"/p/{site.pid}/receipt.txt")
    assert saved.status_code == 200 and "attachment" in saved.headers["Content-Disposition"]
    text = saved.get_data(as_text=True)
    assert receipt in text and "Mon reçu de vote Voisinage" in text and proposal not in text
    settle(site.app, 30)
    typed = receipt.lower().replace("-", " ")
    checked = page_text(
        site.client("fr").get(f"/p/{site.pid}/check", query_string={"receipt": typed})
    )
    assert "Oui : ce reçu est compté." in checked


def test_process_page_offers_the_download_in_french(site):
    client = site.client("fr")
    join(client, site)
    page = page_text(client.get(f"/p/{site.pid}"))
    assert "Télécharger mes données" in page
    data = client.get(f"/p/{site.pid}/my-data.json").get_json()
    assert data["role"] == "resident" and data["process_id"] == str(site.pid)


def test_erasure_page_in_french_and_only_for_admins(site):
    admin = site.client("fr")
    sign_in(admin, Role.ADMIN)
    page = page_text(admin.get("/admin/erase"))
    assert "Numéro de participant" in page and "Effacer un participant" in page
    bad = admin.post(
        "/admin/erase", data={"participant_id": "pas-un-numéro", "csrf_token": csrf_of_text(page)}
    )
    assert bad.status_code == 422 and "Ce n’est pas un numéro de participant." in page_text(bad)
    facilitator = site.client("fr")
    sign_in(facilitator, Role.FACILITATOR)
    assert facilitator.get("/admin/erase").status_code == 403


def test_facilitation_page_shows_the_batched_count(site):
    client = site.client("fr")
    sign_in(client, Role.FACILITATOR)
    page = page_text(client.get(f"/p/{site.pid}/facilitate"))
    assert "par lots d’au moins 10 bulletins" in page


def csrf_of_text(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
