"""Read models of Voisinage: eventsourcing projections writing SQLAlchemy tables, with tracking.

* `projections.queries.Views` - the read methods the web layer calls;
* `projections.service.ProjectionService` - follows the store in background threads;
* `projections.runner.rebuild` - rebuilds (resumably) from the events;

Projections: ``participation`` (processes, workshops, contributions, proposals,
moderation), ``ranking`` (tallies, ballots, receipts, shortlists), ``trail`` (the
decision graph) and ``audit_chain`` (the hash chain over the notification log).
"""
