"""Reading the notification log of the upstream application "Voisinage".

`EventLog` is the Voisinage application's persistence without its commands: the
same name (so tracking rows name the upstream application), the same transcodings
(so events decode exactly as the application wrote them), a small connection pool.
`RawEventLog` yields the stored notifications themselves, for the audit chain,
which hashes the bytes as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from infrastructure.event_store import UPSTREAM, EventStore
from infrastructure.storage import Storage


def reader_env(storage: Storage) -> dict[str, str]:
    """The event store's settings, with a small pool: readers need few connections."""
    env = dict(storage.event_store_env)
    if storage.kind == "postgres":
        env["POSTGRES_POOL_SIZE"] = "2"
        env["POSTGRES_MAX_OVERFLOW"] = "2"
    return env


class EventLog(EventStore):
    """A read-only view of the Voisinage event store (no keys, no secrets, no commands)."""

    #: The library names an application after its class unless told: the upstream's name
    #: gives its table names (PostgreSQL) and the projections' tracking rows.
    name = UPSTREAM

    @classmethod
    def open(cls, storage: Storage) -> EventLog:
        """Open the store described by `storage`."""
        return cls(reader_env(storage))


class RawMapper(Mapper[UUID]):
    """Gives the stored event itself instead of decoding it."""

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        """The stored notification, untouched."""
        return stored_event


class RawEventLog(EventLog):
    """An event log whose subscription yields raw notifications (for the audit chain)."""

    name = "Voisinage"

    def construct_mapper(self) -> Mapper[UUID]:
        base = super().construct_mapper()
        return RawMapper(transcoder=base.transcoder)


def event_name(event: Any) -> str:
    """`Proposal.Submitted` for a domain event of that class."""
    return type(event).__qualname__


def topic_name(topic: str) -> str:
    """`Proposal.Submitted` for the topic `domain.proposal:Proposal.Submitted`."""
    return topic.rpartition(":")[2]


def text(value: Any) -> str | None:
    """An id or other value as JSON-safe text (None stays None)."""
    return None if value is None else str(value)


def texts(values: Any) -> list[str]:
    """A list of ids as text."""
    return [str(v) for v in values or ()]


def jsonable(value: Any) -> Any:
    """Plain JSON values from event attributes (UUIDs, dates and sets as text/lists)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    return str(value)


def when(event: Any) -> str:
    """The event's timestamp as ISO text."""
    timestamp = getattr(event, "timestamp", None)
    return timestamp.isoformat() if timestamp is not None else ""
