"""Storage plumbing shared by `application/` and `projections/`: where things are stored
(`storage.Storage` from DATABASE_URL), database engines, the start-up lock, and the event
store as the library's Application (`event_store.EventStore`: transcodings, paging the
log, positions). No rule of the domain lives here."""
