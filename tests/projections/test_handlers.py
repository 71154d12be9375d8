"""Every event a projection handles exists: a handler named after a renamed or
misspelled event class would silently never run."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from eventsourcing.domain import Aggregate

import domain
from projections.runner import PROJECTIONS


def _event_names() -> set[str]:
    """`Aggregate.Event` for every event class of every aggregate in domain/."""
    names: set[str] = set()
    for module_info in pkgutil.walk_packages(domain.__path__, "domain."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Aggregate) and cls is not Aggregate:
                for attribute, value in vars(cls).items():
                    if inspect.isclass(value) and issubclass(value, Aggregate.Event):
                        names.add(f"{cls.__name__}.{attribute}")
    return names


def test_every_handled_event_is_an_event_of_the_domain() -> None:
    known = _event_names()
    assert "Ballot.Cast" in known and "Process.VoteClosed" in known
    unknown = {
        f"{name}: {handled}"
        for name, projection in PROJECTIONS.items()
        for handled in projection._handlers
        if handled not in known
    }
    assert not unknown, sorted(unknown)


def test_handlers_are_registered_by_event_class_and_match_the_stored_topics() -> None:
    """`on` takes the aggregate class and its event names: a misspelled or renamed event
    fails when the projection is defined, and the key is the stored topic's name."""
    import pytest
    from eventsourcing.utils import get_topic

    from domain.ballot import Ballot
    from projections.base import on
    from projections.events import topic_name

    with pytest.raises(AttributeError, match="Ballot has no event 'Casted'"):
        on(Ballot, "Casted")
    with pytest.raises(TypeError):
        on(Ballot, "cast")  # a method, not an event class

    def handler(*_: object) -> None: ...

    marked = on(Ballot, "Cast", "Recast")(handler)
    assert marked._handles == (  # type: ignore[attr-defined]
        topic_name(get_topic(Ballot.Cast)),  # type: ignore[attr-defined]
        topic_name(get_topic(Ballot.Recast)),  # type: ignore[attr-defined]
    )
    assert marked._handles == ("Ballot.Cast", "Ballot.Recast")  # type: ignore[attr-defined]
