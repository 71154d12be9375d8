"""The receipt check page offers the ballot's inclusion proof as a small JSON file, which
`voisinage-verify proof` checks without the server; nothing else of the ballot is in it."""

from __future__ import annotations

import json
import re

import pytest
from app_support import settle
from pages_support import csrf_of, join, page_text

from verifier.__main__ import main as verify

RECEIPT = re.compile(r'id="receipt">([^<]+)<')
LINK = re.compile(r'href="([^"]*/check/proof\.json[^"]*)"')


@pytest.fixture
def log(site):
    """Checkpoints only when a test signs one (the periodic ones would cover the ballot)."""
    log = site.app.extensions["transparency"]
    every = log.every_events, log.every_seconds
    log.every_events, log.every_seconds = 10**9, 10.0**9
    log.checkpoint("test", force=True)
    yield log
    log.every_events, log.every_seconds = every


def vote(site, proposal: int = 1) -> tuple[str, str]:
    """A new resident votes; (their receipt, the proposal they chose)."""
    client = site.client("en")
    join(client, site)
    form = client.get(f"/p/{site.pid}/ballot")
    chosen = str(site.demo.proposal_ids[proposal])
    voted = client.post(
        f"/p/{site.pid}/ballot", data={"choice": [chosen], "csrf_token": csrf_of(form)}
    )
    assert voted.status_code == 303
    receipt = RECEIPT.search(page_text(client.get(f"/p/{site.pid}/receipt"))).group(1)
    settle(site.app)
    return receipt, chosen


def test_the_downloaded_proof_of_a_counted_ballot_verifies_with_the_cli(
    site, log, tmp_path, capsys
):
    receipt, chosen = vote(site)
    log.checkpoint("test")
    anyone = site.client("en")  # not signed in
    page = page_text(anyone.get(f"/p/{site.pid}/check", query_string={"receipt": receipt}))
    assert "Download the proof" in page
    href = LINK.search(page).group(1).replace("&amp;", "&")
    answer = anyone.get(href)
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert "attachment" in answer.headers["Content-Disposition"]
    proof = answer.get_json()
    assert set(proof) == {
        "format",
        "index",
        "size",
        "leaf_hash",
        "audit_path",
        "checkpoint",
        "public_key",
    }
    assert proof["format"] == "voisinage-inclusion-proof/1"
    assert proof["size"] == log.latest()["size"] and proof["checkpoint"] == log.latest()["note"]
    public = log.signer.verifier.encode()
    assert proof["public_key"] == public
    # nothing else of the ballot: no choice, no receipt (as typed, normalised or digested)
    raw = answer.get_data(as_text=True)
    digest = site.voisinage.receipt_digest(receipt)
    for secret in (chosen, receipt, receipt.replace("-", ""), digest):
        assert secret.lower() not in raw.lower()

    saved = tmp_path / "proof.json"
    saved.write_bytes(answer.get_data())
    assert verify(["proof", str(saved), "--key", public]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"OK: leaf {proof['index']} is in the log {log.signer.name}")

    # the same receipt typed in lower case with spaces: the same proof (as on the page)
    typed = receipt.lower().replace("-", " ")
    again = anyone.get(f"/p/{site.pid}/check/proof.json", query_string={"receipt": typed})
    assert again.get_json() == proof

    # a changed byte of the leaf hash, of the path, or a note of another key: FAILED
    import base64

    from domain.checkpoint import Checkpoint, Signer, sign_note

    def changed(field: str) -> dict:
        copy = json.loads(raw)
        value = copy[field][0] if field == "audit_path" else copy[field]
        flipped = bytearray(base64.b64decode(value))
        flipped[0] ^= 0x80
        encoded = base64.b64encode(bytes(flipped)).decode()
        if field == "audit_path":
            copy[field][0] = encoded
        else:
            copy[field] = encoded
        return copy

    impostor = Signer.generate(log.signer.name)
    signed = Checkpoint.parse(proof["checkpoint"].partition("\n\n")[0] + "\n")
    forged = {**proof, "checkpoint": sign_note(signed.text(), impostor)}
    for bad in (changed("leaf_hash"), changed("audit_path"), forged):
        saved.write_text(json.dumps(bad))
        assert verify(["proof", str(saved), "--key", public]) == 1
        assert capsys.readouterr().out.startswith("FAILED")


def test_no_proof_for_an_unknown_receipt_nor_one_not_covered_yet(site, log):
    anyone = site.client("en")
    url = f"/p/{site.pid}/check/proof.json"
    assert anyone.get(url).status_code == 404
    assert anyone.get(url, query_string={"receipt": "AAAA-BBBB-CCCC-DDDD"}).status_code == 404
    assert anyone.get(url, query_string={"receipt": "x" * 500}).status_code == 404
    other = "/p/00000000-0000-0000-0000-000000000000/check/proof.json"
    receipt, _ = vote(site, proposal=2)
    assert anyone.get(other, query_string={"receipt": receipt}).status_code == 404

    # counted, but newer than the latest signed checkpoint: no proof yet, no link
    assert anyone.get(url, query_string={"receipt": receipt}).status_code == 404
    page = page_text(anyone.get(f"/p/{site.pid}/check", query_string={"receipt": receipt}))
    assert "the next signed checkpoint will cover it" in page and "proof.json" not in page
    log.checkpoint("test")
    assert anyone.get(url, query_string={"receipt": receipt}).status_code == 200


def test_an_old_receipt_of_a_changed_vote_has_no_proof(site, log):
    client = site.client("en")
    join(client, site)
    receipts = []
    for proposal in (1, 2):
        form = client.get(f"/p/{site.pid}/ballot")
        choice = [str(site.demo.proposal_ids[proposal])]
        voted = client.post(
            f"/p/{site.pid}/ballot", data={"choice": choice, "csrf_token": csrf_of(form)}
        )
        assert voted.status_code == 303
        receipts.append(RECEIPT.search(page_text(client.get(f"/p/{site.pid}/receipt"))).group(1))
    settle(site.app)
    log.checkpoint("test")
    url = f"/p/{site.pid}/check/proof.json"
    assert site.client().get(url, query_string={"receipt": receipts[0]}).status_code == 404
    assert site.client().get(url, query_string={"receipt": receipts[1]}).status_code == 200


def test_the_link_and_the_command_in_french_and_dutch(site, log):
    receipt, _ = vote(site)
    log.checkpoint("test")
    for language, words in (
        ("fr", "Télécharger la preuve"),
        ("nl", "Het bewijs downloaden"),
    ):
        page = page_text(
            site.client(language).get(f"/p/{site.pid}/check", query_string={"receipt": receipt})
        )
        assert words in page and "voisinage-verify proof" in page, language
