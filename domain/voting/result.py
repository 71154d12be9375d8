"""A complete, explainable count, as frozen in the ShortlistPublished event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from domain.voting.rules import TIE_BREAK_RULE


@dataclass(frozen=True)
class CountResult:
    """A complete, explainable count."""

    method: str
    ranking: list[str]
    shortlist: list[str]
    tallies: dict[str, Any]
    tie_breaks: list[dict[str, Any]] = field(default_factory=list)
    ballots_counted: int = 0
    tie_break_rule: str = TIE_BREAK_RULE

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for the ShortlistPublished event."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CountResult:
        """Inverse of to_dict."""
        return cls(**dict(data))
