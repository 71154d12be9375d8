"""The checks of `voisinage audit verify`: is the store what was recorded, do counts agree?

Four checks, each naming the position where it finds a difference:

1. **chain** - the hash chain recomputed from the raw stored events (bytes as stored)
   must equal the `audit_chain` projection, position by position. The projection
   is the anchor: it lives in the views database and was written as the events
   arrived, so a changed, deleted, inserted or swapped event in the event table
   shows up at its position. Events newer than the projection are reported as not
   yet anchored (not a failure).
2. **anchors** - every ``Process.ShortlistPublished`` event records the chain head
   at that moment: the recomputed chain at that position must have that hash.
3. **recount** - every published shortlist is counted again from the ballots
   (``Voisinage.recount``) and must equal the frozen result.
4. **checkpoint** - every signed checkpoint kept in the views database (a rebuild
   keeps them: they are history, not a view) must verify under the log's public key
   (the configured checkpoint key, or ``--key``), and the RFC 9162 Merkle root
   recomputed from the stored events at its tree size must equal the signed root. This
   is what catches a store changed and then rebuilt: the chain and the tree of the
   rebuilt views agree with the changed events, the signed checkpoints do not. The
   roots are computed in the chain's own pass over the log (one Merkle frontier), and
   the first position that differs is named when a checkpoint that still matches lies
   just before it (a checkpoint every event names the event itself; otherwise the
   first event after the last checkpoint that matches).
5. **projections** - every projection is rebuilt into a temporary database up to
   its own tracked position and must equal the live one, row by row.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.utils import get_topic

from application.app import Voisinage
from application.secrets import Secrets
from domain.audit import GENESIS, chain_step, stored_bytes
from domain.checkpoint import (
    Checkpoint,
    CheckpointError,
    Signer,
    Verifier,
    open_checkpoint,
    split_note,
)
from domain.merkle import EMPTY_ROOT, Frontier, leaf_hash
from domain.process import Process
from infrastructure.event_store import UndecodableEvent
from infrastructure.storage import Storage
from infrastructure.store_identity import store_identity
from projections.events import EventLog, jsonable
from projections.runner import PROJECTIONS, open_projections, rebuild, select
from projections.store_of_views import recorded_store
from projections.tables import audit_chain, checkpoints
from projections.view import SQLView, create_tables, create_views_engine

SHORTLIST_TOPIC = get_topic(Process.ShortlistPublished)  # type: ignore[attr-defined]
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


def _chain_rows(engine: sa.Engine, page: int = 5000) -> Iterator[dict[str, Any]]:
    last = 0
    while True:
        with engine.connect() as connection:
            rows = [
                dict(row)
                for row in connection.execute(
                    sa.select(audit_chain)
                    .where(audit_chain.c.position > last)
                    .order_by(audit_chain.c.position)
                    .limit(page)
                ).mappings()
            ]
        yield from rows
        if len(rows) < page:
            return
        last = rows[-1]["position"]


def _shortlist_events(log: EventLog, report: AuditReport) -> list[tuple[int, Any]]:
    """(position, event) of every ShortlistPublished (decoding failures are findings)."""
    found = []
    for page in log.notifications(page=1000, topics=[SHORTLIST_TOPIC]):
        for notification in page:
            try:
                found.append((notification.id, log.mapper.to_domain_event(notification)))
            except Exception as error:
                report.findings.append(
                    Finding("anchors", notification.id, f"cannot decode the shortlist: {error!r}")
                )
    return found


class TreeAt:
    """The Merkle tree recomputed from the stored events, fed in the chain's pass: its
    root at each of the signed `sizes`, and the positions of the leaves at their edges."""

    def __init__(self, sizes: set[int]) -> None:
        self.sizes = sizes
        self.frontier = Frontier()
        self.roots: dict[int, bytes] = {0: EMPTY_ROOT} if 0 in sizes else {}
        #: leaf index -> position, for the first and last leaf of every signed span
        self.edges = {0} | sizes | {size - 1 for size in sizes if size > 0}
        self.positions: dict[int, int] = {}
        self.last_position = 0

    def add(self, notification: Any) -> None:
        """Append one stored event (leaf bytes = `domain.audit.stored_bytes`)."""
        index = self.frontier.size
        if index in self.edges:
            self.positions[index] = notification.id
        self.frontier.append(leaf_hash(stored_bytes(notification)))
        if self.frontier.size in self.sizes:
            self.roots[self.frontier.size] = self.frontier.root()
        self.last_position = notification.id


@dataclass(frozen=True)
class Signed:
    """One kept checkpoint, as its signed note says."""

    checkpoint_id: int
    size: int
    root: bytes
    created_at: str


def kept_checkpoints(engine: sa.Engine, key: Verifier | None, report: AuditReport) -> list[Signed]:
    """The checkpoints kept in the views, each verified under `key` (a signature that
    fails, a note that cannot be read or a row that is not its note: findings)."""
    with engine.connect() as connection:
        rows = (
            connection.execute(sa.select(checkpoints).order_by(checkpoints.c.checkpoint_id))
            .mappings()
            .all()
        )
    if rows and key is None:
        report.notes.append(
            f"the signatures of the {len(rows)} signed checkpoints were not checked: no "
            "checkpoint key is configured (VOISINAGE_CHECKPOINT_KEY, or --key PUBLIC_KEY); "
            "their roots were"
        )
    signed: list[Signed] = []
    for row in rows:
        name = f"the signed checkpoint {row['checkpoint_id']} (size {row['size']})"
        try:
            checkpoint = (
                Checkpoint.parse(split_note(row["note"])[0])
                if key is None
                else open_checkpoint(row["note"], key)
            )
        except CheckpointError as error:
            report.findings.append(
                Finding(
                    "checkpoint",
                    None,
                    f"{name} does not verify under {key.encode() if key else 'its note'}: "
                    f"{error} (the signature of a kept checkpoint must verify)",
                )
            )
            continue
        if checkpoint.size != int(row["size"]) or checkpoint.root.hex() != row["root"]:
            report.findings.append(
                Finding(
                    "checkpoint",
                    None,
                    f"{name} records size {row['size']} and root {str(row['root'])[:16]}… "
                    f"but its signed note says size {checkpoint.size} and root "
                    f"{checkpoint.root.hex()[:16]}…",
                )
            )
        signed.append(
            Signed(int(row["checkpoint_id"]), checkpoint.size, checkpoint.root, row["created_at"])
        )
    report.checkpoints = len(rows)
    return signed


def check_checkpoints(signed: list[Signed], tree: TreeAt, report: AuditReport) -> None:
    """Each signed root must be the root recomputed from the store at its size.

    A difference lies after the largest signed size that still matches and before the
    smallest that does not: that span's first position is named (the event itself when
    the span is one event). A store shorter than a signed size lost events after its
    last one.
    """
    stored = tree.frontier.size
    within = sorted((c for c in signed if c.size <= stored), key=lambda c: c.size)
    beyond = sorted((c for c in signed if c.size > stored), key=lambda c: c.size)
    differing = [c for c in within if tree.roots.get(c.size) != c.root]
    if differing:
        first = differing[0]
        matching = max(
            (c.size for c in within if c.size < first.size and tree.roots[c.size] == c.root),
            default=0,
        )
        start, end = tree.positions[matching], tree.positions[first.size - 1]
        where = (
            f"the event at position {start} differs from the one it signed"
            if start == end
            else f"the store differs from it in positions {start} to {end} "
            f"(leaves {matching} to {first.size - 1}; the checkpoint of size {matching} "
            "before them matches)"
        )
        later = len(differing) - 1 + len(beyond)
        report.findings.append(
            Finding(
                "checkpoint",
                start,
                f"the signed checkpoint {first.checkpoint_id} (size {first.size}, signed "
                f"{first.created_at}) has root {first.root.hex()[:16]}…; the events in the "
                f"store give {(tree.roots.get(first.size) or b'').hex()[:16]}… at that size: "
                f"{where}" + (f"; {later} later signed checkpoints disagree too" if later else ""),
            )
        )
    elif beyond:
        first = beyond[0]
        report.findings.append(
            Finding(
                "checkpoint",
                tree.last_position + 1,
                f"the signed checkpoint {first.checkpoint_id} (size {first.size}, signed "
                f"{first.created_at}) covers {first.size} events; the store has only "
                f"{stored}: the events after position {tree.last_position} are missing"
                + (f" ({len(beyond)} signed checkpoints go beyond it)" if len(beyond) > 1 else ""),
            )
        )


def check_chain(
    log: EventLog,
    engine: sa.Engine,
    report: AuditReport,
    wanted: set[int],
    *,
    compare: bool = True,
    tree: TreeAt | None = None,
) -> dict[int, str]:
    """Recompute the chain and compare it with the projection (unless `compare` is
    false: views of another store); returns the hashes at the `wanted` positions.
    `tree`, when given, is fed every stored event in the same pass."""
    recorded = _chain_rows(engine) if compare else iter(())
    row = next(recorded, None)
    anchored = (
        SQLView(engine, "audit_chain", PROJECTIONS["audit_chain"].tables).position()
        if compare
        else 0
    )
    report.anchored_position = anchored
    at: dict[int, str] = {0: GENESIS.hex()}
    head, position, differs = GENESIS, 0, False
    for page in log.notifications():
        for notification in page:
            head = chain_step(head, notification)
            if tree is not None:
                tree.add(notification)
            position = notification.id
            report.events += 1
            if position in wanted:
                at[position] = head.hex()
            if differs:
                continue
            if row is not None and row["position"] < position:
                report.findings.append(
                    Finding(
                        "chain",
                        row["position"],
                        f"the event at position {row['position']} ({row['topic']}) "
                        "is missing from the store",
                    )
                )
                differs = True
                continue
            if row is not None and row["position"] == position:
                expected = (
                    str(row["originator_id"]),
                    row["originator_version"],
                    row["topic"],
                    row["hash"],
                )
                actual = (
                    str(notification.originator_id),
                    notification.originator_version,
                    notification.topic,
                    head.hex(),
                )
                if expected != actual:
                    what = [
                        name
                        for name, a, b in zip(
                            ("originator", "version", "topic", "content"),
                            expected,
                            actual,
                            strict=True,
                        )
                        if a != b
                    ]
                    report.findings.append(
                        Finding(
                            "chain",
                            position,
                            f"the stored event at position {position} differs from the one "
                            f"anchored ({', '.join(what)} changed)",
                        )
                    )
                    differs = True
                row = next(recorded, None)
            elif position <= anchored:
                report.findings.append(
                    Finding(
                        "chain",
                        position,
                        f"the event at position {position} was not in the store when anchored",
                    )
                )
                differs = True
            else:
                report.unanchored += 1
    if not differs and row is not None:
        report.findings.append(
            Finding(
                "chain",
                row["position"],
                f"the event at position {row['position']} ({row['topic']}) "
                "is missing from the store",
            )
        )
    report.chain_head = {"position": position, "hash": head.hex()}
    return at


def check_anchors(
    shortlists: list[tuple[int, Any]], hashes: dict[int, str], report: AuditReport
) -> None:
    """Each published shortlist's recorded chain head must match the recomputed chain."""
    for position, event in shortlists:
        head = jsonable(event.chain_head) or {}
        anchor = int(head.get("position", -1))
        if anchor >= position:
            report.findings.append(
                Finding(
                    "anchors",
                    position,
                    f"the shortlist at position {position} records a chain head at {anchor}, "
                    "not before it",
                )
            )
        elif hashes.get(anchor) != head.get("hash"):
            report.findings.append(
                Finding(
                    "anchors",
                    anchor,
                    f"the shortlist published at position {position} recorded chain hash "
                    f"{str(head.get('hash'))[:16]}… at position {anchor}; the store gives "
                    f"{str(hashes.get(anchor))[:16]}…",
                )
            )


def check_recounts(app: Any, shortlists: list[tuple[int, Any]], report: AuditReport) -> None:
    """Recount each published shortlist from the ballots."""
    for position, event in shortlists:
        report.shortlists += 1
        try:
            published, recounted = app.recount(event.originator_id)
        except UndecodableEvent as error:
            report.findings.append(
                Finding(
                    "recount",
                    error.position,
                    f"the shortlist published at position {position} cannot be recounted: "
                    f"the event at position {error.position} cannot be decoded ({error.error!r})",
                )
            )
            continue
        except Exception as error:
            report.findings.append(Finding("recount", position, f"the recount failed: {error!r}"))
            continue
        if jsonable(published) != jsonable(recounted):
            report.findings.append(
                Finding(
                    "recount",
                    position,
                    f"the shortlist published at position {position} for process "
                    f"{event.originator_id} differs from a recount of the ballots "
                    f"(published {published.get('shortlist')}, "
                    f"recounted {recounted.get('shortlist')})",
                )
            )


def check_projections(
    storage: Storage, engine: sa.Engine, log: EventLog, report: AuditReport, names: list[str]
) -> None:
    """Rebuild the projections into a temporary database and compare with the live ones.

    Projections at the same position are rebuilt together, in one pass over the log.
    """
    live = open_projections(engine, names)
    groups: dict[int, list[str]] = {}
    for name, projection in live.items():
        groups.setdefault(projection.view.position(), []).append(name)
    with tempfile.TemporaryDirectory(prefix="voisinage-audit-") as directory:
        scratch = create_views_engine(f"sqlite:///{Path(directory) / 'views.sqlite'}", None)
        try:
            for position, group in groups.items():
                report.projections.extend(group)
                try:
                    rebuild(storage, group, engine=scratch, log=log, up_to=position)
                except Exception as error:
                    report.findings.append(
                        Finding(
                            "projections",
                            None,
                            f"{', '.join(group)}: the rebuild failed: {error!r}",
                        )
                    )
                    continue
                fresh = open_projections(scratch, group)
                for name in group:
                    reached = fresh[name].view.position()
                    if reached != position:
                        report.findings.append(
                            Finding(
                                "projections",
                                min(reached, position) + 1,
                                f"{name}: a rebuild stops at position {reached}, "
                                f"the live projection is at {position}",
                            )
                        )
                    _compare(name, live[name].view.dump(), fresh[name].view.dump(), report)
        finally:
            scratch.dispose()


def _compare(
    name: str,
    live: dict[str, list[tuple[Any, ...]]],
    fresh: dict[str, list[tuple[Any, ...]]],
    report: AuditReport,
) -> None:
    tables = PROJECTIONS[name].tables
    for table in tables:
        a, b = live.get(table.name, []), fresh.get(table.name, [])
        if a == b:
            continue
        columns = [c.name for c in table.columns]
        keys = [columns.index(c.name) for c in table.primary_key.columns]
        live_rows = {tuple(r[i] for i in keys): r for r in a}
        fresh_rows = {tuple(r[i] for i in keys): r for r in b}
        differing = sorted(
            (
                k
                for k in live_rows.keys() | fresh_rows.keys()
                if live_rows.get(k) != fresh_rows.get(k)
            ),
            key=repr,
        )
        # a row differs from the latest event that touched either version of it
        positions = []
        if "position" in columns:
            index = columns.index("position")
            for key in differing:
                versions = [r for r in (live_rows.get(key), fresh_rows.get(key)) if r is not None]
                positions.append(max(int(r[index]) for r in versions))
        position = min(positions) if positions else None
        report.findings.append(
            Finding(
                "projections",
                position,
                f"{name}: table {table.name} differs from a fresh rebuild in "
                f"{len(differing)} rows (first key {differing[0] if differing else '?'})",
            )
        )


def _uncached_application(storage: Storage) -> Any:
    """A Voisinage application that reads every aggregate from the store (no cache)."""

    env = {**storage.event_store_env, "AGGREGATE_CACHE_MAXSIZE": ""}
    return Voisinage(dataclasses.replace(storage, event_store_env=env), Secrets.generate())


def verify(
    storage: Storage,
    app: Any | None = None,
    *,
    projections: list[str] | None = None,
    engine: sa.Engine | None = None,
    key: Verifier | None = None,
) -> AuditReport:
    """Run every check; a Voisinage application recounts the shortlists.

    The recount must read the store afresh: `app` is used only if it has no
    aggregate cache, otherwise (and by default) an uncached one is built for the
    store (it needs no secrets to recount). The kept checkpoints are verified under
    `key`, by default the public half of `app`'s configured checkpoint key.
    """
    report = AuditReport()
    key = key or _configured_key(app)
    engine = engine or create_views_engine(storage.views_url, storage.schema)
    names = select(projections)
    log = EventLog.open(storage)
    own_app = False
    try:
        create_tables(engine)  # views never built: compare with nothing, never crash
        no_shortlists: list[tuple[int, Any]] = []
        shortlists = _guarded(
            report, "anchors", lambda: _shortlist_events(log, report), no_shortlists
        )
        wanted = {
            int((jsonable(getattr(event, "chain_head", None)) or {}).get("position", 0))
            for _, event in shortlists
        }
        foreign = _guarded(
            report, "views", lambda: _views_of_another_store(storage, log, engine), None
        )
        if foreign is not None:
            report.findings.append(Finding("views", None, foreign))
        no_signed: list[Signed] = []
        signed = (
            _guarded(report, "checkpoint", lambda: kept_checkpoints(engine, key, report), no_signed)
            if foreign is None  # checkpoints of another store's log say nothing of this one
            else no_signed
        )
        tree = TreeAt({c.size for c in signed}) if signed else None
        no_hashes: dict[int, str] = {}
        hashes = _guarded(
            report,
            "chain",
            lambda: check_chain(log, engine, report, wanted, compare=foreign is None, tree=tree),
            no_hashes,
        )
        if tree is not None and report.chain_head:  # the pass over the log went through
            check_checkpoints(signed, tree, report)
        if report.events and not report.anchored_position and foreign is None:
            report.notes.append(
                "no anchors: the read models were never built for this store, so the "
                "recomputed chain was compared with nothing (run `voisinage projections "
                "rebuild`, or keep a signed checkpoint outside this server)"
            )
        elif report.unanchored:
            report.notes.append(
                f"the read models are behind the store: {report.unanchored} newer events "
                "are not yet anchored"
            )
        check_anchors(shortlists, hashes, report)
        if shortlists:
            if app is None or getattr(app.repository, "cache", None) is not None:
                app, own_app = _uncached_application(storage), True
            _guarded(report, "recount", lambda: check_recounts(app, shortlists, report), None)
        if foreign is None:
            _guarded(
                report,
                "projections",
                lambda: check_projections(storage, engine, log, report, names),
                None,
            )
    finally:
        log.close()
        if own_app and app is not None:
            app.close()
    return report


T = TypeVar("T")


def _configured_key(app: Any | None) -> Verifier | None:
    """The public half of the application's checkpoint key (None when none is set)."""
    secrets = getattr(app, "secrets", None)
    encoded = getattr(secrets, "checkpoint_key", "") if secrets is not None else ""
    return Signer.decode(encoded).verifier if encoded else None


def _guarded(report: AuditReport, check: str, run: Callable[[], T], default: T) -> T:
    """Run one check; a failure of the check itself is a finding, never a traceback."""
    try:
        return run()
    except Exception as error:
        position = error.position if isinstance(error, UndecodableEvent) else None
        report.findings.append(
            Finding(check, position, f"this check could not run: {type(error).__name__}: {error}")
        )
        return default


def _views_of_another_store(
    storage: Storage, log: EventLog, engine: sa.Engine, sample: int = 20
) -> str | None:
    """Say so if the views were built from another store.

    Views record the identity of the store they were built from (`views_store`);
    where both identities exist they decide. Views older than that record fall back
    on the audit chain rows: if none of the first `sample` anchored originators is in
    this store (an event changed or deleted here leaves the others), the views belong
    to another store.
    """
    recorded, own = recorded_store(engine), store_identity(storage, create=False)
    if recorded is not None and own is not None:
        if recorded == own:
            return None
        return (
            f"the read models belong to another store: they were built from store {recorded}, "
            f"this store is {own}. Point DATABASE_URL at the store they were built from, or "
            "rebuild them for this one (`voisinage projections rebuild`)"
        )
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(audit_chain.c.position, audit_chain.c.originator_id)
            .order_by(audit_chain.c.position)
            .limit(sample)
        ).all()
    if not rows:
        return None
    for _, originator_id in rows:
        if log.recorder.select_events(UUID(str(originator_id)), limit=1):
            return None
    return (
        f"the read models belong to another store: none of the first {len(rows)} events "
        f"they anchored (from position {rows[0][0]}, originator {rows[0][1]}) is in this "
        "store. Point DATABASE_URL at the store they were built from, or rebuild them "
        "for this one (`voisinage projections rebuild`)"
    )
