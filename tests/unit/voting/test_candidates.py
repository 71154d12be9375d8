"""Which candidates a ballot may choose and the order that breaks ties: one domain rule
for the process aggregate and the live ranking alike."""

from __future__ import annotations

import hashlib
from uuid import UUID, uuid4

from domain.voting import standing_candidates, tie_break_order

PROCESS = UUID("00000000-0000-4000-8000-000000000001")


def test_removed_and_merged_candidates_are_not_standing_and_order_is_kept() -> None:
    a, b, c, d = (uuid4() for _ in range(4))
    standing = standing_candidates([a, b, c, d], removed={b: "withdrawn"}, merged_into={d: a})
    assert standing == [str(a), str(c)]
    # ids as text work the same (the views keep text)
    assert standing_candidates([str(a), str(b)], removed={str(b): "hidden"}, merged_into={}) == [
        str(a)
    ]


def test_the_tie_break_order_is_sha256_of_process_and_proposal_ascending() -> None:
    candidates = [str(uuid4()) for _ in range(6)]

    def digest(candidate: str) -> str:  # the published rule, written out independently
        return hashlib.sha256(f"{PROCESS}/{candidate}".encode()).hexdigest()

    expected = sorted(candidates, key=digest)
    assert tie_break_order(PROCESS, candidates) == expected
    assert tie_break_order(str(PROCESS), list(reversed(candidates))) == expected
