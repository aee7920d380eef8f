-- The lock every refresh of the rollups takes first (load.refresh_stale_aggregates): taken
-- before a statement that writes rollups in the same transaction as the refresh, so that a
-- concurrent refresh, holding it, never waits on rows this transaction wrote (a deadlock).
SELECT pg_advisory_xact_lock(%(lock_id)s);
