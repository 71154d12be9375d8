"""A rebuild from the first event builds the audit chain's originator index at its end."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from app_support import sync

from projections.runner import open_projections, rebuild

INDEX = "audit_chain_by_originator"


def _indexes(engine: sa.Engine, schema: str | None) -> set[str]:
    with engine.connect() as connection:
        found = sa.inspect(connection).get_indexes("audit_chain", schema=schema)
    return {index["name"] for index in found}


class Stop(Exception):
    pass


def test_the_index_is_dropped_during_a_rebuild_and_built_at_its_end(app, world, storage, views):
    world.small_process()
    sync(storage, views)
    assert INDEX in _indexes(views.engine, storage.schema)
    seen: list[set[str]] = []

    def look_then_stop(position: int, head: int) -> None:
        seen.append(_indexes(views.engine, storage.schema))
        if position > head // 2:
            raise Stop

    with pytest.raises(Stop):
        rebuild(storage, ["audit_chain"], batch_size=5, progress=look_then_stop)
    assert seen and all(INDEX not in names for names in seen)
    # resumed, the rebuild keeps it off until it ends
    resumed: list[set[str]] = []
    rebuild(
        storage,
        ["audit_chain"],
        batch_size=5,
        progress=lambda *_: resumed.append(_indexes(views.engine, storage.schema)),
    )
    assert resumed and all(INDEX not in names for names in resumed)
    assert INDEX in _indexes(views.engine, storage.schema)


def test_views_left_by_an_interrupted_rebuild_get_the_index_back_once_finished(
    app, world, storage, views
):
    world.small_process()
    sync(storage, views)
    projection = open_projections(views.engine, ["audit_chain"])["audit_chain"]
    projection.view.drop_indexes(projection.deferred_indexes)
    assert INDEX not in _indexes(views.engine, storage.schema)
    open_projections(views.engine, ["audit_chain"])  # not rebuilding: built again
    assert INDEX in _indexes(views.engine, storage.schema)
