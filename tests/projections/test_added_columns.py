"""A read-model table created by an older version gains the nullable columns a newer
version declares (proposals.cost), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from projections import view
from projections.tables import proposals


def test_an_older_proposals_table_gains_the_cost_column(views: Any) -> None:
    engine = views.engine
    schema = engine.get_execution_options().get("schema_translate_map", {}).get(None)
    name = f'"{schema}"."proposals"' if schema else '"proposals"'
    with engine.begin() as connection:
        connection.execute(sa.text(f"ALTER TABLE {name} DROP COLUMN cost"))
    assert "cost" not in {c["name"] for c in sa.inspect(engine).get_columns("proposals", schema)}
    view.add_missing_columns(engine, schema)
    assert "cost" in {c["name"] for c in sa.inspect(engine).get_columns("proposals", schema)}
    with engine.connect() as connection:
        assert connection.execute(sa.select(proposals.c.cost)).all() == []


def test_an_older_audit_chain_gains_the_time_column(views: Any) -> None:
    """Views built before the event log showed times: the column is added, empty, and the
    events already chained read back without a time (the page shows a dash)."""
    from projections.tables import audit_chain

    engine = views.engine
    schema = engine.get_execution_options().get("schema_translate_map", {}).get(None)
    name = f'"{schema}"."audit_chain"' if schema else '"audit_chain"'
    with engine.begin() as connection:
        connection.execute(sa.text(f"ALTER TABLE {name} DROP COLUMN recorded_at"))
        connection.execute(
            sa.text(
                f"INSERT INTO {name} (position, originator_id, originator_version, topic, hash)"
                " VALUES (1, 'x', 1, 'domain.process:Process.Started', 'ab')"
            )
        )
    view.add_missing_columns(engine, schema)
    assert "recorded_at" in {
        c["name"] for c in sa.inspect(engine).get_columns("audit_chain", schema)
    }
    assert views.audit_events()[0]["recorded_at"] is None
    with engine.connect() as connection:
        assert connection.execute(sa.select(audit_chain.c.recorded_at)).all() == [(None,)]
