"""The base of Voisinage's projections: handlers registered by event class, applied
through a unit of work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import sqlalchemy as sa
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from projections.events import event_name
from projections.view import RowCache, SQLView, UnitOfWork

Handler = Callable[[Any, UnitOfWork, Any, int], None]


def on(aggregate: type[Aggregate], *events: str) -> Callable[[Handler], Handler]:
    """Mark a method as the handler of these events of `aggregate`: ``@on(Ballot, "Cast")``.

    Each name is looked up on the class now, so a misspelled or renamed event fails
    when the projection is defined. The handler is kept under the event class's
    qualified name (``Ballot.Cast``), the part of its stored topic that the runner reads
    before decoding (projections.events.topic_name): stored topics are unchanged.
    """
    names = []
    for name in events:
        found = getattr(aggregate, name, None)
        if found is None:
            raise AttributeError(f"{aggregate.__name__} has no event {name!r}")
        if not (isinstance(found, type) and issubclass(found, Aggregate.Event)):
            raise TypeError(f"{aggregate.__name__}.{name} is not an event class")
        names.append(found.__qualname__)

    def mark(method: Handler) -> Handler:
        method._handles = tuple(names)  # type: ignore[attr-defined]
        return method

    return mark


class SQLProjection(Projection[SQLView]):
    """A projection of the Voisinage log into SQLAlchemy tables.

    It subscribes to every event (``topics = ()``) so that its tracking position
    reaches every notification id: waiting for "all projections have seen id n"
    (read-your-writes) then works for any n. Events it has no handler for only
    move the position.
    """

    name = "base"
    topics: tuple[str, ...] = ()
    tables: ClassVar[tuple[sa.Table, ...]] = ()
    #: Whether the projection wants raw notifications (the audit chain) or domain events.
    raw: ClassVar[bool] = False
    #: Secondary indexes a rebuild from the first event drops and builds again at its
    #: end: for a table written in random key order (a million UUIDs), one sorted build
    #: costs far less than keeping the index up to date row by row.
    deferred_indexes: ClassVar[tuple[str, ...]] = ()
    _handlers: ClassVar[dict[str, Handler]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[str, Handler] = {}
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                for handled in getattr(attribute, "_handles", ()):
                    handlers[handled] = attribute
        cls._handlers = handlers

    @classmethod
    def handles(cls, name: str) -> bool:
        """Whether events of this name change the projection."""
        return cls.raw or name in cls._handlers

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Apply one event and move the tracking position, in one transaction."""
        with self.view.transaction(tracking.notification_id) as unit:
            if unit is not None:
                self.apply_all(unit, [(tracking.notification_id, domain_event)])

    def process_batch(
        self,
        items: Sequence[tuple[int, Any]],
        through: int,
        expected: int,
        cache: RowCache | None = None,
    ) -> bool:
        """Apply many events and move the position from `expected` to `through`, atomically.

        Returns False (nothing written) when the position was not `expected`.
        """
        with self.view.transaction(through, expected, cache) as unit:
            if unit is None:
                return False
            self.apply_all(unit, items)
        return True

    def apply_all(self, unit: UnitOfWork, items: Sequence[tuple[int, Any]]) -> None:
        """Apply events in order (a projection may do it faster than one by one)."""
        for position, event in items:
            self.apply(unit, event, position)

    def apply(self, unit: UnitOfWork, event: Any, position: int) -> None:
        """Dispatch to the handler of this event's class, if any."""
        handler = self._handlers.get(event_name(event))
        if handler is not None:
            handler(self, unit, event, position)


class RawProjection(SQLProjection):
    """A projection of the notifications as stored (the audit chain, the Merkle tree):
    every notification, undecoded, applied a batch at a time by `apply_all`."""

    raw: ClassVar[bool] = True

    def apply(self, unit: UnitOfWork, event: Any, position: int) -> None:
        """Apply one raw notification (as a batch of one)."""
        self.apply_all(unit, [(position, event)])

    def apply_all(self, unit: UnitOfWork, items: Sequence[tuple[int, Any]]) -> None:
        """Apply raw notifications in order (each projection writes its own)."""
        raise NotImplementedError
