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
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.utils import get_topic

from application.app import Voisinage
from application.secrets import Secrets
from audit.checkpoints import Signed, TreeAt, check_checkpoints, kept_checkpoints
from audit.rebuilt_views import check_projections
from audit.recounts import check_anchors, check_recounts
from audit.report import AuditReport, Finding
from domain.audit import GENESIS, chain_step
from domain.checkpoint import Signer, Verifier
from domain.process import Process
from infrastructure.event_store import UndecodableEvent
from infrastructure.storage import Storage
from infrastructure.store_identity import store_identity
from projections.events import EventLog, jsonable
from projections.runner import PROJECTIONS, select
from projections.store_of_views import recorded_store
from projections.tables import audit_chain
from projections.view import SQLView, create_tables, create_views_engine

SHORTLIST_TOPIC = get_topic(Process.ShortlistPublished)  # type: ignore[attr-defined]


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
