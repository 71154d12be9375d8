"""`voisinage-verify`: check an audit bundle without the server.

From the bundle alone (and, to trust it, a checkpoint kept by a witness and the log's
public key) it

1. recomputes the RFC 9162 tree over the events as stored and the hash chain
   (participants' events, withheld by the bundle, by their leaf and chain hashes);
2. checks every signed checkpoint of the bundle (signature, and its root against the
   recomputed tree at its size), and every kept checkpoint the same way;
3. checks every published shortlist: the chain head and the checkpoint it recorded,
   and a recount of its ballots with its recorded method (``domain.voting``);
4. names the first position where anything differs.

Events are decoded with the standard library (the event store's JSON, with its UUID,
Decimal, datetime and date markers) and replayed into the `domain` aggregates.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import importlib
import json
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.audit import GENESIS, canonical_bytes, next_hash
from domain.checkpoint import Checkpoint, CheckpointError, Verifier, open_checkpoint
from domain.merkle import Frontier, leaf_hash

FORMAT = "voisinage-audit-bundle/1"
PROCESS = "domain.process:"
SHORTLIST = "domain.process:Process.ShortlistPublished"
#: A participant's event, given by its leaf and chain hashes only (projections/bundle.py).
WITHHELD = "domain.participant:Participant"
#: Proposal events that may set its estimated cost.
PROPOSAL_COST_TOPICS = ("domain.proposal:Proposal.Submitted", "domain.proposal:Proposal.Revised")
BALLOT_TOPICS = (
    "domain.ballot:Ballot.Cast",
    "domain.ballot:Ballot.Recast",
    "domain.ballot:Ballot.Withdrawn",
)


@dataclass(frozen=True)
class Finding:
    """One difference, at a position of the log when it has one."""

    check: str
    position: int | None
    message: str


@dataclass
class Report:
    """What `verify_bundle` found."""

    events: int = 0
    root: bytes = b""
    checkpoints: int = 0
    kept: int = 0
    shortlists: int = 0
    #: Participants' events given by their hashes only (checked by the tree, not read).
    withheld: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing differs."""
        return not self.findings

    @property
    def first_position(self) -> int | None:
        """The first position where anything differs."""
        positions = [f.position for f in self.findings if f.position is not None]
        return min(positions) if positions else None

    def summary(self) -> str:
        """OK, or the first difference."""
        if self.ok:
            return (
                f"OK: {self.events} events, root {base64.b64encode(self.root).decode()}, "
                f"{self.checkpoints} signed checkpoints and {self.kept} kept checkpoints match, "
                f"{self.shortlists} shortlists recounted; {self.withheld} participants' "
                "events checked by their hashes only"
            )
        first = self.first_position
        finding = next((f for f in self.findings if f.position == first), self.findings[0])
        where = f"at position {first}" if first is not None else "(no position)"
        return f"FAILED {where}: [{finding.check}] {finding.message}"


def _decode_object(value: dict[str, Any]) -> Any:
    if len(value) == 2 and "_type_" in value and "_data_" in value:
        kind, data = value["_type_"], value["_data_"]
        decoders: dict[str, Any] = {
            "uuid_hex": UUID,
            "decimal_str": Decimal,
            "datetime_iso": dt.datetime.fromisoformat,
            "date_iso": dt.date.fromisoformat,
        }
        if kind in decoders:
            return decoders[kind](data)
    return value


def decode_event(line: dict[str, Any]) -> Any:
    """A domain event from a bundle line (only classes of the `domain` package)."""
    topic = line["topic"]
    module, _, qualname = topic.partition(":")
    if module != "domain" and not module.startswith("domain."):
        raise ValueError(f"not a domain event: {topic}")
    cls: Any = importlib.import_module(module)
    for part in qualname.split("."):
        cls = getattr(cls, part)
    state = json.loads(base64.b64decode(line["state"]), object_hook=_decode_object)
    state.pop("class_version", None)
    state["originator_id"] = UUID(line["originator_id"])
    state["originator_version"] = line["originator_version"]
    event = object.__new__(cls)
    object.__setattr__(event, "__dict__", state)
    return event


def read_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The bundle's JSON lines."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield json.loads(raw)
            except ValueError:
                raise ValueError(f"line {number} of {path} is not JSON") from None


def kept_checkpoints(path: Path | None) -> list[str]:
    """Notes kept by a witness: a file, or a witness's state directory (its history)."""
    if path is None:
        return []
    if path.is_dir():
        files = sorted((path / "history").glob("*.txt")) or [path / "checkpoint"]
        return [f.read_text() for f in files if f.exists()]
    return [path.read_text()]


def verify_bundle(path: Path, verifier: Verifier, kept: list[str] | None = None) -> Report:
    """Check the bundle at `path` against the log's key and kept checkpoints."""
    report = Report()
    # first pass: the checkpoints and shortlists to check, so that one pass over the
    # events computes every root and chain hash they need
    signed: list[tuple[str, str]] = [("checkpoint", n) for n in kept or []]
    header: dict[str, Any] = {}
    anchors: set[int] = {0}
    published: set[str] = set()
    for line in read_lines(path):
        if line.get("kind") == "header":
            header = line
        elif line.get("kind") == "checkpoint":
            signed.append(("bundle", line["note"]))
        elif line.get("kind") == "event" and line.get("topic") == SHORTLIST:
            recorded = _recorded_head(line)
            if recorded.get("checkpoint"):
                signed.append(("shortlist", recorded["checkpoint"]))
            anchors.add(int(recorded.get("position", -1)))
            published.add(str(line.get("originator_id")))
    if header.get("format") != FORMAT:
        report.findings.append(Finding("bundle", None, f"not a {FORMAT} file"))
        return report
    if header.get("public_key") != verifier.encode():
        report.findings.append(
            Finding("signature", None, "the bundle names another public key than the one given")
        )
    wanted: dict[int, list[tuple[str, Checkpoint]]] = {}
    for origin, note in signed:
        try:
            checkpoint = open_checkpoint(note, verifier)
        except CheckpointError as error:
            report.findings.append(Finding(origin, None, f"a checkpoint is refused: {error}"))
            continue
        wanted.setdefault(checkpoint.size, []).append((origin, checkpoint))
        report.kept += origin == "checkpoint"
        report.checkpoints += origin == "bundle"

    frontier, chain, positions = Frontier(), GENESIS, array("q", [0])
    chain_at: dict[int, bytes] = {0: GENESIS}
    roots: dict[int, bytes] = {0: frontier.root()}
    counting = Recount(report, published)
    previous = 0
    for line in read_lines(path):
        if line.get("kind") != "event":
            continue
        try:
            position = int(line["position"])
            if "state" not in line and line.get("topic") == WITHHELD:
                withheld = _withheld(line)
            else:
                withheld = None
                state = base64.b64decode(line["state"], validate=True)
        except (KeyError, ValueError, binascii.Error):
            report.findings.append(Finding("bundle", previous + 1, "a malformed event line"))
            break
        if position <= previous:
            report.findings.append(
                Finding("bundle", position, f"position {position} follows {previous}: out of order")
            )
        previous = position
        if withheld is not None:  # a participant's event: its leaf and the chain after it
            leaf_digest, chain = withheld
            frontier.append(leaf_digest)
            report.withheld += 1
        else:
            leaf = canonical_bytes(
                position, line["originator_id"], line["originator_version"], line["topic"], state
            )
            frontier.append(leaf_hash(leaf))
            chain = next_hash(
                chain,
                position,
                line["originator_id"],
                line["originator_version"],
                line["topic"],
                state,
            )
        positions.append(position)
        if position in anchors:
            chain_at[position] = chain
        if frontier.size in wanted:
            roots[frontier.size] = frontier.root()
        shortlist = counting.follow(position, line) if withheld is None else None
        if shortlist is not None:
            report.shortlists += 1
            _check_shortlist(report, position, shortlist, chain_at)
    report.events = frontier.size
    report.root = frontier.root()
    _check_checkpoints(report, wanted, roots, positions)
    return report


def _withheld(line: dict[str, Any]) -> tuple[bytes, bytes]:
    """(leaf hash, chain hash after it) of an event given without its content."""
    leaf, chain = base64.b64decode(line["leaf"], validate=True), bytes.fromhex(line["chain"])
    if len(leaf) != 32 or len(chain) != 32:
        raise ValueError("a withheld event needs a 32-byte leaf and chain hash")
    return leaf, chain


def _check_checkpoints(
    report: Report,
    wanted: dict[int, list[tuple[str, Checkpoint]]],
    roots: dict[int, bytes],
    positions: Sequence[int],
) -> None:
    """Each signed checkpoint must have the root of the bundle's tree at its size. The
    first one that does not is located between it and the last one that does."""
    good = {0}
    for size in sorted(wanted):
        for origin, checkpoint in wanted[size]:
            what = {
                "checkpoint": "the kept checkpoint",
                "shortlist": "the checkpoint recorded by a published shortlist",
            }.get(origin, "a signed checkpoint")
            if size > report.events:
                report.findings.append(
                    Finding(
                        origin,
                        positions[-1] + 1,
                        f"{what} covers {size} events, the bundle has {report.events}: "
                        f"the events after position {positions[-1]} are missing",
                    )
                )
            elif roots.get(size) == checkpoint.root:
                good.add(size)
            else:
                last_good = max(s for s in good if s < size)
                first = positions[last_good + 1]
                span = (
                    f"position {first}"
                    if last_good + 1 == size
                    else f"positions {first} to {positions[size]}"
                )
                report.findings.append(
                    Finding(
                        origin,
                        first,
                        f"{what} of {size} events does not match the bundle's events: an event "
                        f"was changed, removed or inserted at {span}",
                    )
                )


def _check_shortlist(report: Report, position: int, event: Any, chain_at: dict[int, bytes]) -> None:
    """The chain head a published shortlist recorded must be the recomputed one (its
    checkpoint is checked with the other signed checkpoints)."""
    head = event.chain_head or {}
    anchor = int(head.get("position", -1))
    if chain_at.get(anchor, b"").hex() != head.get("hash"):
        report.findings.append(
            Finding(
                "chain",
                position,  # the record is in this event; earlier changes show in checkpoints
                f"the shortlist at position {position} recorded chain hash "
                f"{str(head.get('hash'))[:16]}… at position {anchor}; the events give "
                f"{chain_at.get(anchor, b'').hex()[:16]}…",
            )
        )


def _recorded_head(line: dict[str, Any]) -> dict[str, Any]:
    """The chain head (and checkpoint) a ShortlistPublished event recorded ({} if none)."""
    try:
        head = json.loads(base64.b64decode(line["state"]))["chain_head"]
    except (KeyError, TypeError, ValueError, binascii.Error):
        return {}
    return head if isinstance(head, dict) else {}


class Recount:
    """Recounts each published shortlist while the events stream by: the process's state
    and the current choices of its ballots are kept (only for published processes), and
    the count is made when its ShortlistPublished event arrives."""

    def __init__(self, report: Report, published: set[str]) -> None:
        self.report = report
        self.published = published
        self.processes: dict[str, Any] = {}
        self.ballot_process: dict[str, str] = {}
        self.ballots: dict[str, dict[str, Any]] = {}
        #: The estimated cost of each proposal that has one (participatory budgets).
        self.costs: dict[str, int] = {}

    def _cost(self, line: dict[str, Any]) -> None:
        try:
            cost = json.loads(base64.b64decode(line["state"])).get("cost")
        except (TypeError, ValueError, binascii.Error):
            return  # the chain and the decode findings name a broken event
        if isinstance(cost, int) and not isinstance(cost, bool):
            self.costs[str(line["originator_id"])] = cost

    def follow(self, position: int, line: dict[str, Any]) -> Any:
        """Take one event line; returns the ShortlistPublished event once recounted."""
        topic, originator = line["topic"], str(line["originator_id"])
        is_process = topic.startswith(PROCESS) and originator in self.published
        if topic in PROPOSAL_COST_TOPICS:
            self._cost(line)
            return None
        if not is_process and topic not in BALLOT_TOPICS:
            return None
        try:
            event = decode_event(line)
        except Exception as error:
            self.report.findings.append(Finding("decode", position, f"cannot decode: {error!r}"))
            return None
        if topic in BALLOT_TOPICS:
            self._ballot(topic, originator, event)
            return None
        shortlist = None
        if topic == SHORTLIST:
            self._recount(position, event)
            shortlist = event
        try:
            self.processes[originator] = event.mutate(self.processes.get(originator))
        except Exception as error:
            self.report.findings.append(Finding("decode", position, f"cannot apply: {error!r}"))
        return shortlist

    def _ballot(self, topic: str, ballot_id: str, event: Any) -> None:
        if topic == BALLOT_TOPICS[0]:
            process_id = str(event.process_id)
            if process_id not in self.published:
                return
            self.ballot_process[ballot_id] = process_id
        process_id = self.ballot_process.get(ballot_id, "")
        if not process_id:
            return
        process = self.processes.get(process_id)
        if process is not None and getattr(process, "vote_closed_version", None) is not None:
            return  # stored after the close of the vote: refused, it counts for nothing
        current = self.ballots.setdefault(process_id, {})
        if topic == BALLOT_TOPICS[2]:
            current.pop(ballot_id, None)
        else:
            current[ballot_id] = event.choices

    def _recount(self, position: int, event: Any) -> None:
        from domain.voting import count

        process_id = str(event.originator_id)
        process = self.processes.get(process_id)
        if process is None:
            self.report.findings.append(
                Finding("recount", position, "the process's events are missing")
            )
            return
        counted = self.ballots.get(process_id, {})
        try:
            order = process.tie_break_order()
            costs = (
                {c: self.costs[c] for c in order if c in self.costs}
                if process.rules.within_budget
                else None
            )
            recounted = count(
                process.rules,
                counted.values(),
                order,
                merged_into={str(k): str(v) for k, v in process.merged_into.items()},
                costs=costs,
            )
        except Exception as error:
            self.report.findings.append(
                Finding("recount", position, f"the recount failed: {error!r}")
            )
            return
        published = json.loads(json.dumps(event.result, default=str))
        mine = json.loads(json.dumps(recounted.to_dict(), default=str))
        if published != mine:
            self.report.findings.append(
                Finding(
                    "recount",
                    position,
                    f"the shortlist published at position {position} for process "
                    f"{process_id} differs from a recount of its {len(counted)} ballots "
                    f"(published {published.get('shortlist')}, "
                    f"recounted {mine.get('shortlist')})",
                )
            )
