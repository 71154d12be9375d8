"""What `voisinage audit verify` found: each finding names its check and the first position
where it differs; the report says it in plain words or as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The checks, in the order a finding at one position is named first.
CHECKS = ("views", "chain", "decode", "checkpoint", "anchors", "recount", "projections")


@dataclass(frozen=True)
class Finding:
    """One difference: which check, at which position (when it has one), what."""

    check: str
    position: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"check": self.check, "position": self.position, "message": self.message}


@dataclass
class AuditReport:
    """The outcome of `verify`."""

    events: int = 0
    chain_head: dict[str, Any] = field(default_factory=dict)
    anchored_position: int = 0
    unanchored: int = 0
    shortlists: int = 0
    #: Signed checkpoints checked (signature and recomputed root).
    checkpoints: int = 0
    projections: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: What could not be compared, said plainly (no views yet, views behind the store).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing differs."""
        return not self.findings

    @property
    def first_position(self) -> int | None:
        """The first position where anything differs (None if none has a position)."""
        positions = [f.position for f in self.findings if f.position is not None]
        return min(positions) if positions else None

    @property
    def headline(self) -> Finding | None:
        """The finding the summary names: views of another store first, then the first
        position; at one position, the stored event itself (chain) before what follows
        from it (anchors, recount, views); findings without a position last."""
        if not self.findings:
            return None
        order = {check: i for i, check in enumerate(CHECKS)}
        return min(
            self.findings,
            key=lambda f: (
                f.check != "views",
                f.position is None,
                f.position or 0,
                order.get(f.check, len(order)),
            ),
        )

    def summary(self) -> str:
        """One line: OK, or the first position where something differs."""
        if self.ok:
            extra = f", {self.unanchored} newer events not yet anchored" if self.unanchored else ""
            compared = (
                f"projections {', '.join(self.projections)} match a fresh rebuild"
                if self.projections
                else "read models not compared (--projections does)"
            )
            notes = "".join(f"; {note}" for note in self.notes)
            return (
                f"OK: {self.events} events, chain head {self.chain_head.get('hash', '')[:16]}… "
                f"at {self.chain_head.get('position')}, {self.shortlists} shortlists recounted, "
                f"{self.checkpoints} signed checkpoints checked, {compared}{extra}{notes}"
            )
        finding = self.headline
        assert finding is not None
        where = f"at position {finding.position}" if finding.position is not None else ""
        return f"FAILED {where}: [{finding.check}] {finding.message}".replace("FAILED :", "FAILED:")

    def to_dict(self) -> dict[str, Any]:
        """JSON form (for GET /audit/verify)."""
        return {
            "ok": self.ok,
            "summary": self.summary(),
            "first_position": self.first_position,
            "events": self.events,
            "chain_head": self.chain_head,
            "anchored_position": self.anchored_position,
            "unanchored": self.unanchored,
            "shortlists": self.shortlists,
            "checkpoints": self.checkpoints,
            "projections": self.projections,
            "findings": [f.to_dict() for f in self.findings],
            "notes": list(self.notes),
        }
