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
