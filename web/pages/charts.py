"""The shortlist as an inline SVG bar chart, readable without colour.

Each bar carries its label and number as text; shortlisted bars are hatched, the
others dotted (patterns, not colours); the chart has a <title> and a <desc> for screen
readers, and the page repeats the figures in a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal

from web.pages.data import get

ROW_HEIGHT = 64
BAR_HEIGHT = 28
LABEL_GAP = 22
WIDTH = 720
LEFT = 8
RIGHT_MARGIN = 90


@dataclass
class Bar:
    """One proposal's bar."""

    rank: int
    proposal_id: str
    title: str
    language: str
    score: float
    shortlisted: bool
    y: float
    label_y: float
    width: float
    value_x: float
    value_y: float
    #: The bar's length as a share of the longest, for the page's HTML bars.
    percent: float = 100.0

    @property
    def score_text(self) -> str:
        """The score as people write it (no trailing .0)."""
        return self.format_score(self.score)

    @staticmethod
    def format_score(score: Any) -> str:
        """A score in the reader's number format, without a trailing .0."""
        try:
            value = float(score)
        except (TypeError, ValueError):
            return str(score)
        if value.is_integer():
            return str(format_decimal(int(value)))
        return str(format_decimal(round(value, 2)))


@dataclass
class Chart:
    """The geometry of the chart."""

    bars: list[Bar]
    width: int
    height: int
    method: str
    ballots_counted: int | None


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def shortlist_chart(shortlist: dict[str, Any], languages: dict[str, str]) -> Chart:
    """Bars for every ranked proposal, longest for the highest score."""
    entries = list(get(shortlist, "ranking") or [])
    top = max((_number(get(e, "score")) for e in entries), default=0.0) or 1.0
    usable = WIDTH - LEFT - RIGHT_MARGIN
    bars: list[Bar] = []
    for index, entry in enumerate(entries):
        score = _number(get(entry, "score"))
        width = max(4.0, usable * score / top)
        top_y = index * ROW_HEIGHT
        bar_y = top_y + LABEL_GAP + 4
        proposal_id = str(get(entry, "proposal_id"))
        bars.append(
            Bar(
                rank=int(get(entry, "rank") or index + 1),
                proposal_id=proposal_id,
                title=str(get(entry, "title") or ""),
                language=languages.get(proposal_id, ""),
                score=score,
                shortlisted=bool(get(entry, "shortlisted")),
                y=bar_y,
                label_y=top_y + 17,
                width=round(width, 1),
                value_x=round(LEFT + width + 8, 1),
                value_y=bar_y + BAR_HEIGHT / 2 + 6,
                percent=round(max(1.0, 100 * score / top), 1),
            )
        )
    result = get(shortlist, "result") or {}
    counted = get(result, "ballots_counted")
    return Chart(
        bars=bars,
        width=WIDTH,
        height=max(ROW_HEIGHT, len(bars) * ROW_HEIGHT),
        method=str(get(shortlist, "method") or ""),
        ballots_counted=int(counted) if isinstance(counted, int) else None,
    )


@dataclass
class Tie:
    """Proposals the count could not tell apart, and what the fixed draw order decided."""

    titles: list[str]
    score: str
    kept: list[str]
    left_out: list[str]

    @property
    def decided_the_shortlist(self) -> bool:
        """Whether the tie straddles the shortlist: some in, some out."""
        return bool(self.kept) and bool(self.left_out)


def ties(shortlist: dict[str, Any]) -> list[Tie]:
    """The ties the count recorded (frozen in the result), the ones that decided who is on
    the shortlist first."""
    result = get(shortlist, "result") or {}
    chosen = {str(p) for p in get(result, "shortlist") or []}
    entries = {str(get(e, "proposal_id")): e for e in get(shortlist, "ranking") or []}
    found: list[Tie] = []
    for tie in get(result, "tie_breaks") or []:
        tied = [str(t) for t in get(tie, "tied") or []]
        if len(tied) < 2:
            continue
        titles = [str(get(entries.get(t, {}), "title") or t) for t in tied]
        score = get(tie, "score", get(tie, "votes"))
        found.append(
            Tie(
                titles=titles,
                score="" if score is None else Bar.format_score(score),
                kept=[title for t, title in zip(tied, titles, strict=True) if t in chosen],
                left_out=[title for t, title in zip(tied, titles, strict=True) if t not in chosen],
            )
        )
    found.sort(key=lambda t: not t.decided_the_shortlist)
    return found
