"""Receipts a person can copy (80 bits, Crockford base32 by groups of four, typed in any
case with or without spaces and dashes), stored only as keyed digests: a copy of the
event store and the read models maps no receipt to choices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_support import settle
from security_support import build_cast

from application.receipts import ALPHABET, format_receipt, normalise_receipt


def test_format_and_normalisation() -> None:
    receipt = format_receipt(bytes(range(1, 11)))
    groups = receipt.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert all(c in ALPHABET for c in "".join(groups))
    messy = " " + receipt.lower().replace("-", " ").replace("1", "l").replace("0", "o") + " "
    assert normalise_receipt(messy) == receipt
    assert normalise_receipt(receipt.replace("-", "")) == receipt
    assert format_receipt(b"\xff" * 10) == "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
    assert format_receipt(b"\x00" * 10) == "0000-0000-0000-0000"


@pytest.fixture
def voted(flask_app: Any) -> Any:
    v = flask_app.extensions["voisinage"]
    cast = build_cast(v, residents=5)
    p1, p2, _ = (str(p) for p in cast.proposals)
    receipts = [v.cast_ballot(r, cast.process_id, [p1, p2]) for r in cast.residents]
    settle(flask_app)
    return cast, receipts


def test_typed_receipts_check_in_any_form(flask_app: Any, voted: Any) -> None:
    cast, receipts = voted
    client = flask_app.test_client()
    url = f"/api/v1/processes/{cast.process_id}/receipts/"
    for typed in (receipts[0], receipts[0].lower(), receipts[0].replace("-", " ")):
        assert client.get(url + typed).get_json()["counted"] is True, typed
    wrong = receipts[0][:-1] + ("0" if receipts[0][-1] != "0" else "1")
    assert client.get(url + wrong).get_json()["counted"] is False
    page = client.get(f"/p/{cast.process_id}/check", query_string={"receipt": receipts[1].lower()})
    assert page.status_code == 200
    # the same answer as the exact receipt: counted
    exact = client.get(f"/p/{cast.process_id}/check", query_string={"receipt": receipts[1]})
    assert page.get_data() == exact.get_data().replace(
        receipts[1].encode(), receipts[1].lower().encode()
    )


def test_own_ballot_shows_the_receipt_again_and_a_retry_keeps_it(
    flask_app: Any, voted: Any
) -> None:
    cast, receipts = voted
    v = flask_app.extensions["voisinage"]
    own = v.own_ballot(cast.residents[2], cast.process_id)
    assert own is not None and own.receipt == receipts[2]
    p1, p2, p3 = (str(p) for p in cast.proposals)
    assert v.cast_ballot(cast.residents[2], cast.process_id, [p2, p1]) == receipts[2]
    changed = v.cast_ballot(cast.residents[2], cast.process_id, [p3])
    assert changed != receipts[2]
    assert v.own_ballot(cast.residents[2], cast.process_id).receipt == changed


def test_no_receipt_in_any_stored_byte(flask_app: Any, voted: Any, sqlite_url: str) -> None:
    _, receipts = voted
    v = flask_app.extensions["voisinage"]
    settle(flask_app)
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.stem)]
    assert len(files) >= 3  # events, views, keys (and their -wal files)
    needles = [
        form.encode()
        for r in receipts
        for form in (r, r.replace("-", ""), r.lower(), r.replace("-", "").lower())
    ]
    found = [(p.name, n) for p in files for n in needles if n in p.read_bytes()]
    assert not found, found
    # the digest is what is kept, and it is keyed: not a bare hash of the receipt
    digests = [v.receipt_digest(r).encode() for r in receipts]
    views_bytes = b"".join(p.read_bytes() for p in files if "views" in p.name)
    assert all(d in views_bytes for d in digests)


def test_a_ballot_sent_with_an_idempotency_key_leaves_no_receipt_beside_it(
    flask_app: Any, sqlite_url: str
) -> None:
    """The idempotency table kept a ballot's answer (its receipt in clear) for 24 hours
    beside an unkeyed hash of the choices: a copy of the views mapped receipts to votes."""
    v = flask_app.extensions["voisinage"]
    cast = build_cast(v, residents=3)
    p1, p2, _ = (str(p) for p in cast.proposals)
    client = flask_app.test_client()
    receipts = []
    for index, resident in enumerate(cast.residents):
        headers = {
            "Authorization": f"Bearer {v.issue_token(resident)}",
            "Idempotency-Key": f"ballot-{index}",
        }
        url = f"/api/v1/processes/{cast.process_id}/ballot"
        first = client.put(url, json={"choices": [p1, p2]}, headers=headers)
        again = client.put(url, json={"choices": [p1, p2]}, headers=headers)
        assert first.status_code == again.status_code == 200
        assert first.get_json()["receipt"] == again.get_json()["receipt"]  # a safe retry
        receipts.append(first.get_json()["receipt"])
    settle(flask_app)
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.stem)]
    needles = [form.encode() for r in receipts for form in (r, r.replace("-", ""))]
    found = [(p.name, n) for p in files for n in needles if n in p.read_bytes()]
    assert not found, found
