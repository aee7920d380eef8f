-- A successful pipeline refresh at %(at)s; a late writer with an older clock reading
-- does not move the instant back.
INSERT INTO etl_refreshes (refreshed_at) VALUES (%(at)s)
ON CONFLICT (singleton) DO UPDATE
SET refreshed_at = greatest(etl_refreshes.refreshed_at, excluded.refreshed_at);
