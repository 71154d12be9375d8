"""Voisinage's application layer: the use cases over the domain, their rules of access,
the event store and the queries that need no projection."""

from application.actors import Actor
from application.app import Voisinage

__all__ = ["Actor", "Voisinage"]
