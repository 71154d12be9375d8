"""Read models store every text: NUL and lone surrogates of old events become U+FFFD."""

from __future__ import annotations

from domain.text import storable


def test_a_clean_row_is_returned_as_it_is():
    row = {"title": "Des bancs, Bänke", "choices": ["a", "b"], "data": {"n": 1, "t": "ok"}}
    assert storable(row) is row


def test_nul_and_lone_surrogates_are_replaced_at_any_depth():
    row = {"t": "a\x00b", "nested": {"k\ud800": ["x", "y\udfff", 3]}, "n": None, "ok": "é"}
    assert storable(row) == {
        "t": "a\ufffdb",
        "nested": {"k\ufffd": ["x", "y\ufffd", 3]},
        "n": None,
        "ok": "é",
    }
    assert row["t"] == "a\x00b"  # the event's own value is not changed
