-- Erase a user's plays that started in [%(from)s, %(to)s): the range is recorded (so that
-- no load brings them back), the plays go, and their local days are marked stale so that
-- the refresh rebuilds (or empties) those days' rollups. Run under the user's load lock
-- (lock_user_loads.sql), so that a load that follows sees the range.

INSERT INTO erased_ranges (user_id, erased, erased_at)
VALUES (%(user_id)s, tstzrange(%(from)s, %(to)s, '[)'), %(erased_at)s)
ON CONFLICT (user_id, erased) DO NOTHING;

-- A possible gap in the ingest that lies wholly in the range says nothing any more.
DELETE FROM ingest_gaps
WHERE user_id = %(user_id)s
  AND gap_from >= %(from)s
  AND gap_to < %(to)s;

WITH erased AS (
    DELETE FROM fact_plays
    WHERE user_id = %(user_id)s
      AND started_at >= %(from)s
      AND started_at < %(to)s
    RETURNING started_at, ms_played
), stale AS (
    INSERT INTO agg_stale_days (user_id, day)
    SELECT DISTINCT %(user_id)s, (erased.started_at AT TIME ZONE users.time_zone)::date
    FROM erased, users
    WHERE users.user_id = %(user_id)s
    ON CONFLICT DO NOTHING
)
SELECT count(*), coalesce(sum(ms_played), 0)::bigint FROM erased;
