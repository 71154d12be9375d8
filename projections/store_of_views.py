"""Which store the read models were built from (their record of its identity)."""

from __future__ import annotations

import sqlalchemy as sa

from infrastructure.storage import Storage
from infrastructure.store_identity import store_identity
from projections.tables import audit_chain, views_store
from projections.view import create_tables


def recorded_store(engine: sa.Engine) -> str | None:
    """The identity of the store these views were built from (None: not recorded, views
    older than the record or never built)."""
    create_tables(engine)
    with engine.connect() as connection:
        found = connection.execute(sa.select(views_store.c.store_identity)).scalar()
    return None if found is None else str(found)


def adopt_store(engine: sa.Engine, storage: Storage, *, replace: bool = False) -> None:
    """Record the store's identity with views that hold nothing yet, or (`replace`,
    a rebuild of every projection from the first event) with any views."""
    identity = store_identity(storage)
    if identity is None:
        return
    create_tables(engine)
    with engine.begin() as connection:
        recorded = connection.execute(sa.select(views_store.c.store_identity)).scalar()
        if recorded == identity:
            return
        if recorded is None:
            empty = connection.execute(sa.select(audit_chain.c.position).limit(1)).first() is None
            if not (empty or replace):
                return  # views built before the record existed: leave them unnamed
            connection.execute(views_store.insert().values(id=1, store_identity=identity))
        elif replace:
            connection.execute(
                views_store.update().where(views_store.c.id == 1).values(store_identity=identity)
            )
