"""The CSV rows of the change per indicator: every number beside the n of both waves."""

from __future__ import annotations

from domain.statistics import change_between_waves
from web.api.results_rows import indicator_rows


def test_an_indicator_change_gives_its_estimate_interval_pairing_and_direction() -> None:
    change = change_between_waves({"a": 1, "b": 2, "c": 2}, {"a": 3, "b": 4, "c": 4})
    found = {
        "indicator_changes": [
            {
                "indicator_id": "i1",
                "measures": [
                    {
                        "question_id": "q1",
                        "kind": "scale5",
                        "changes": [
                            {"from_wave": 1, "to_wave": 2, **change, "observed": "increase"}
                        ],
                    }
                ],
            }
        ]
    }
    rows = indicator_rows(found)
    by_measure = {row[3]: row for row in rows}
    assert set(by_measure) == {
        "indicator_difference_estimate",
        "indicator_difference_low",
        "indicator_difference_high",
        "indicator_paired",
        "indicator_observed",
    }
    assert all(row[:3] == ("1->2", "q1", "scale5") for row in rows)
    assert all(row[4] == "indicator:i1" and row[6] == "3/3" for row in rows)
    assert by_measure["indicator_difference_estimate"][5] == 2.0
    assert by_measure["indicator_paired"][5] == "true"
    assert by_measure["indicator_observed"][5] == "increase"
