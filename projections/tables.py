"""The read-model tables, one group per projection, each with its own tracking table.

Ids are stored as text (canonical UUID strings), times as ISO text and structured
values as JSON, so that rows read back are the same Python values on SQLite and on
PostgreSQL (the audit compares a live projection with a fresh rebuild row by row).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

ID = sa.String(64)


def tracking_table(name: str) -> sa.Table:
    """The tracking table of one projection: the last notification id it processed.

    ``rebuilding`` is true while a rebuild is under way: a rebuild interrupted half
    way resumes from the tracked position instead of starting again.
    """
    return sa.Table(
        f"{name}_tracking",
        metadata,
        sa.Column("application_name", sa.String(100), primary_key=True),
        sa.Column("notification_id", sa.BigInteger, nullable=False),
        sa.Column("rebuilding", sa.Boolean, nullable=False, default=False),
    )


# --- participation: what residents and facilitators see -----------------------------------

processes = sa.Table(
    "processes",
    metadata,
    sa.Column("process_id", ID, primary_key=True),
    sa.Column("title", sa.JSON, nullable=False),
    sa.Column("description", sa.JSON, nullable=False),
    sa.Column("phase", sa.String(20), nullable=False),
    sa.Column("rules", sa.JSON, nullable=False),
    sa.Column("axes", sa.JSON, nullable=False),
    sa.Column("candidates", sa.JSON, nullable=False),
    sa.Column("shortlist_published", sa.Boolean, nullable=False),
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
)

workshops = sa.Table(
    "workshops",
    metadata,
    sa.Column("workshop_id", ID, primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("on", sa.String(10), nullable=False),
    sa.Column("place", sa.Text, nullable=False),
    sa.Column("facilitators", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
)

contributions = sa.Table(
    "contributions",
    metadata,
    sa.Column("contribution_id", ID, primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
    sa.Column("workshop_id", ID, nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(3), nullable=False),
    sa.Column("author_id", ID, nullable=False),
    sa.Column("on_behalf_of_participant", ID),
    sa.Column("on_behalf_of_group", sa.Text),
    sa.Column("axis_id", ID),
    sa.Column("hidden_reason", sa.Text),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    #: the organisation the words were given for, if any (NULL in older views)
    sa.Column("on_behalf_of_organisation", ID),
)

proposals = sa.Table(
    "proposals",
    metadata,
    sa.Column("proposal_id", ID, primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("language", sa.String(3), nullable=False),
    sa.Column("axis_id", ID),
    sa.Column("source_ids", sa.JSON, nullable=False),
    sa.Column("inherited_source_ids", sa.JSON, nullable=False),
    sa.Column("author_id", ID, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("hidden_reason", sa.Text),
    sa.Column("merged_into", ID),
    sa.Column("merged_from", sa.JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("submitted_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("cost", sa.BigInteger),  # estimated cost (participatory budgets), if given
)

proposal_sources = sa.Table(
    "proposal_sources",
    metadata,
    sa.Column("proposal_id", ID, primary_key=True),
    sa.Column("contribution_id", ID, primary_key=True, index=True),
    sa.Column("process_id", ID, nullable=False),
)

moderation_log = sa.Table(
    "moderation_log",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
    sa.Column("item_kind", sa.String(20), nullable=False),
    sa.Column("item_id", ID, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("by", ID),
    sa.Column("at", sa.String(40), nullable=False),
)

#: contributions whose speaker agreed to be quoted in the report (a table of its own, so
#: that stores made before consent existed need no new column)
quote_consents = sa.Table(
    "quote_consents",
    metadata,
    sa.Column("contribution_id", ID, primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
)

#: what facilitators composed for the report of a process
report_compositions = sa.Table(
    "report_compositions",
    metadata,
    sa.Column("process_id", ID, primary_key=True),
    sa.Column("introductions", sa.JSON, nullable=False),
    sa.Column("quotes", sa.JSON, nullable=False),
    sa.Column("composed_by", ID),
    sa.Column("composed_at", sa.String(40), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
)

#: organisations taking part in a process (public fields only: the contact stays sealed)
organisations = sa.Table(
    "organisations",
    metadata,
    sa.Column("organisation_id", ID, primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("sector", sa.Text, nullable=False),
    sa.Column("commune", sa.Text, nullable=False),
    sa.Column("representatives", sa.JSON, nullable=False),
    #: the contact person: "none", "sealed" or "erased" (NULL in views built before)
    sa.Column("contact_status", sa.String(10)),
    sa.Column("registered_at", sa.String(40), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
)

participation_tracking = tracking_table("participation")
PARTICIPATION_TABLES = (
    processes,
    workshops,
    contributions,
    proposals,
    proposal_sources,
    moderation_log,
    quote_consents,
    report_compositions,
    organisations,
)

# --- ranking: live tallies, current ballots, receipts, the frozen shortlist -----------------

ranking_processes = sa.Table(
    "ranking_processes",
    metadata,
    sa.Column("process_id", ID, primary_key=True),
    sa.Column("rules", sa.JSON, nullable=False),
    sa.Column("phase", sa.String(20), nullable=False),
    sa.Column("candidates", sa.JSON, nullable=False),
    sa.Column("removed", sa.JSON, nullable=False),
    sa.Column("merged_into", sa.JSON, nullable=False),
    sa.Column("shortlist", sa.JSON),
    sa.Column("chain_head", sa.JSON),
    sa.Column("published_position", sa.BigInteger),
    sa.Column("published_at", sa.String(40)),
)

ranking_ballots = sa.Table(
    "ranking_ballots",
    metadata,
    sa.Column("ballot_id", ID, primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
    sa.Column("choices", sa.JSON),
    sa.Column("receipt", sa.String(100)),
    #: The process's ballot-change count when this ballot last changed (batches count
    #: distinct ballots changed since the shown batch, projections/batches.py).
    sa.Column("changed_at", sa.BigInteger),
)

ranking_tallies = sa.Table(
    "ranking_tallies",
    metadata,
    sa.Column("process_id", ID, primary_key=True),
    sa.Column("proposal_id", ID, primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("ballots", sa.Integer, nullable=False),
)

ranking_receipts = sa.Table(
    "ranking_receipts",
    metadata,
    sa.Column("receipt", sa.String(100), primary_key=True),
    sa.Column("process_id", ID, nullable=False),
    sa.Column("ballot_id", ID, nullable=False),
    sa.Column("counted", sa.Boolean, nullable=False),
)

ranking_tracking = tracking_table("ranking")
RANKING_TABLES = (ranking_processes, ranking_ballots, ranking_tallies, ranking_receipts)

# --- trail: the decision graph --------------------------------------------------------------

trail_nodes = sa.Table(
    "trail_nodes",
    metadata,
    sa.Column("node_id", sa.String(100), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("process_id", ID, nullable=False, index=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
)

trail_edges = sa.Table(
    "trail_edges",
    metadata,
    sa.Column("src", sa.String(100), primary_key=True),
    sa.Column("relation", sa.String(20), primary_key=True),
    sa.Column("dst", sa.String(100), primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("trail_edges_by_dst", "dst", "relation"),
)

trail_tracking = tracking_table("trail")
TRAIL_TABLES = (trail_nodes, trail_edges)

# --- audit chain ----------------------------------------------------------------------------

audit_chain = sa.Table(
    "audit_chain",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("originator_id", ID, nullable=False),
    sa.Column("originator_version", sa.Integer, nullable=False),
    sa.Column("topic", sa.Text, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    #: When the event was recorded (ISO, from its stored timestamp); NULL in views built
    #: before this column existed, until the audit_chain projection is rebuilt.
    sa.Column("recorded_at", sa.String(40), nullable=True),
)

#: The process of each aggregate whose events the log may filter by process (its first
#: event names it). Ballots and participants are never indexed: ballot secrecy.
audit_processes = sa.Table(
    "audit_processes",
    metadata,
    sa.Column("originator_id", ID, primary_key=True),
    sa.Column("process_id", ID, nullable=False, index=True),
)

audit_chain_head = sa.Table(
    "audit_chain_head",
    metadata,
    sa.Column("name", sa.String(20), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

audit_chain_tracking = tracking_table("audit_chain")
AUDIT_TABLES = (audit_chain, audit_chain_head, audit_processes)

#: The identity of the store these views were built from (infrastructure/store_identity.py).
views_store = sa.Table(
    "views_store",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("store_identity", sa.String(36), nullable=False),
)

# --- health: a projection that cannot apply an event stops there, alone -----------------------

projection_failures = sa.Table(
    "projection_failures",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("failed_at", sa.String(40), nullable=False),
)

# --- transparency log: the RFC 9162 Merkle tree over the notification log -----------------

#: Leaf hashes and positions, CHUNK (256) leaves per row: a rebuild writes 1/256 rows per event.
merkle_chunks = sa.Table(
    "merkle_chunks",
    metadata,
    sa.Column("chunk_index", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("first_position", sa.BigInteger, nullable=False, index=True),
    sa.Column("hashes", sa.LargeBinary, nullable=False),
    sa.Column("positions", sa.LargeBinary, nullable=False),
)

#: Perfect nodes of 256 leaves and more (the smaller ones are computed from a chunk).
merkle_nodes = sa.Table(
    "merkle_nodes",
    metadata,
    sa.Column("level", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("node_index", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("hash", sa.LargeBinary(32), nullable=False),
)

merkle_head = sa.Table(
    "merkle_head",
    metadata,
    sa.Column("name", sa.String(20), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("frontier", sa.JSON, nullable=False),
)

merkle_tracking = tracking_table("merkle")
#: A receipt check finds its ballot's few events in the audit chain by originator.
sa.Index("audit_chain_by_originator", audit_chain.c.originator_id)
MERKLE_TABLES = (merkle_chunks, merkle_nodes, merkle_head)

#: Signed checkpoints, kept across rebuilds (not a projection's table: a rebuild keeps them).
checkpoints = sa.Table(
    "checkpoints",
    metadata,
    sa.Column("checkpoint_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("size", sa.BigInteger, nullable=False, index=True),
    sa.Column("root", sa.String(64), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("reason", sa.String(20), nullable=False),
)

#: Witnesses' cosignatures of signed checkpoints (C2SP tlog-cosignature), kept across rebuilds.
cosignatures = sa.Table(
    "cosignatures",
    metadata,
    sa.Column("cosignature_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("witness", sa.String(200), nullable=False, index=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("root", sa.String(64), nullable=False),
    sa.Column("timestamp", sa.BigInteger, nullable=False),
    sa.Column("line", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
)
