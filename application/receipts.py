"""Ballot receipts a person can copy by hand, stored only as keyed digests.

A receipt is 80 bits in Crockford base32, in four groups of four (``7K3M-9QXD-2F8H-PW4T``):
case-insensitive, spaces and dashes ignored, and the look-alikes I, L (1) and O (0)
read as the digits they resemble. It is a pseudo-random tracker: HMAC of the ballot's
id and version under the pseudonym key, never derived from the voter's identity or the
choices. The ballot events and the read models hold only ``HMAC(key, receipt)``, so a
copy of the databases maps no receipt to choices; the server, holding the key, can
show the resident their receipt again and check one that is typed in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from uuid import UUID

from application.secrets import Secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_BITS = 80
GROUP = 4
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_IGNORED = re.compile(r"[\s\-_.]+")
#: Receipts issued before this format (secrets.token_urlsafe(16)) were stored as such.
_LEGACY = re.compile(r"^[A-Za-z0-9_-]{22}$")


def format_receipt(value: bytes) -> str:
    """The first 80 bits of `value` in Crockford base32, grouped by four with dashes."""
    number = int.from_bytes(value[: RECEIPT_BITS // 8], "big")
    chars = [ALPHABET[(number >> shift) & 31] for shift in range(RECEIPT_BITS - 5, -1, -5)]
    text = "".join(chars)
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def normalise_receipt(text: str) -> str:
    """A typed receipt in its canonical form: grouped, upper case, look-alikes mapped."""
    compact = _IGNORED.sub("", text).upper().translate(_LOOK_ALIKES)
    if len(compact) != RECEIPT_BITS // 5 or any(c not in ALPHABET for c in compact):
        return compact
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


def is_legacy(text: str) -> bool:
    """Whether `text` has the shape of a receipt issued before this format."""
    return _LEGACY.match(text) is not None


class Receipts:
    """Receipts of ballots and their keyed digests, under the pseudonym key."""

    def __init__(self, secrets: Secrets) -> None:
        self._key = secrets.pseudonym_key
        self._secrets = secrets

    def of(self, ballot_id: UUID, version: int) -> str:
        """The receipt of one version of a ballot (each cast or recast has its own)."""
        mac = hmac.new(self._key, f"receipt\x00{ballot_id}/{version}".encode(), hashlib.sha256)
        return format_receipt(mac.digest())

    def digest(self, receipt: str) -> str:
        """What the events and read models hold of a receipt (typed or issued)."""
        return self._secrets.digest("receipt", normalise_receipt(receipt))

    def tracker(self, ballot_id: UUID, version: int) -> str:
        """The stored digest of a ballot version's receipt."""
        return self.digest(self.of(ballot_id, version))

    def shown(self, ballot_id: UUID, version: int, stored: str | None) -> str | None:
        """The receipt to show for a ballot's current state (None: not counted)."""
        if stored is None:
            return None
        if stored == self.tracker(ballot_id, version):
            return self.of(ballot_id, version)
        return stored if is_legacy(stored) else None
