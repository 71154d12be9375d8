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
