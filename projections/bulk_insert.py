"""Many rows into one table: one INSERT compiled once, one ``executemany`` of plain tuples.

A rebuild writes a few hundred thousand rows per million events. Handing them to
SQLAlchemy as dicts costs more in its per-row parameter processing than the database
spends storing them, so the rows are turned into parameters here: the statement is
compiled once per table, dialect and schema, each value goes through its column's bind
processor (JSON to text, booleans on SQLite, ...), exactly as SQLAlchemy would, and the
texts are made storable on the way (domain/text.py: NUL and lone surrogates become
U+FFFD). A key missing from a row is SQL NULL, as with SQLAlchemy's own insert.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from domain.text import storable

Processor = Callable[[Any], Any] | None


class _Plan:
    """The compiled INSERT of one table and how to turn a row into its parameters."""

    def __init__(self, connection: sa.Connection, table: sa.Table, schema: str | None) -> None:
        dialect = connection.dialect
        if schema is not None:  # the engine's schema, rendered into the statement itself
            table = table.to_metadata(sa.MetaData(), schema=schema)
        compiled = table.insert().compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        columns = {column.key: column for column in table.columns}
        names = list(compiled.positiontup or []) if self.positional else list(columns)
        self.names = names
        self.processors: list[Processor] = [
            columns[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
        ]

    def parameters(self, row: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        values: list[Any] = []
        for name, process in zip(self.names, self.processors, strict=True):
            if name not in row:
                values.append(None)
                continue
            value = row[name]
            kind = type(value)
            if kind is str:
                if "\x00" in value or not value.isascii():
                    value = storable(value)
            elif kind is dict or kind is list:
                value = storable(value)
            values.append(process(value) if process is not None else value)
        if self.positional:
            return tuple(values)
        return dict(zip(self.names, values, strict=True))


_PLANS: dict[tuple[str, str | None, sa.Table], _Plan] = {}


def insert_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts by column name) into `table` in one ``executemany``."""
    if not rows:
        return
    translate = connection.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(table.schema)
    key = (connection.dialect.name, schema, table)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _Plan(connection, table, schema)
    parameters = [plan.parameters(row) for row in rows]
    connection.exec_driver_sql(plan.sql, parameters)
