"""`voisinage audit verify`: is the store what was recorded, and do the counts and views agree?

Its own package because it uses both the application (to recount every published
shortlist with the application's own counting) and the projections (the anchored
chain, rebuilds into a scratch database), which never import each other.
"""

from audit.verify import AuditReport, Finding, verify

__all__ = ["AuditReport", "Finding", "verify"]
