-- The first statement of every aggregate refresh: take the (user, day) marks, and the plays
-- of those local days with their local day and hour, into this transaction's temp tables.
-- Every refresh_*.sql rebuilds its rows of these days from them; the marks stay taken only
-- if the whole refresh commits.
CREATE TEMP TABLE stale_days (
    user_id  text NOT NULL,
    day      date NOT NULL,
    PRIMARY KEY (user_id, day)
) ON COMMIT DROP;

WITH taken AS (
    DELETE FROM agg_stale_days RETURNING user_id, day
)
INSERT INTO stale_days (user_id, day)
SELECT user_id, day FROM taken;

-- The rollups of these users change with this transaction: so do their data versions.
INSERT INTO data_changes (user_id)
SELECT DISTINCT user_id FROM stale_days;

CREATE TEMP TABLE stale_plays ON COMMIT DROP AS
WITH bounds AS (
    -- A local day lies within two UTC days either side of its date: prune by index first.
    SELECT user_id,
           (min(day) - 2)::timestamp AT TIME ZONE 'UTC' AS earliest,
           (max(day) + 2)::timestamp AT TIME ZONE 'UTC' AS latest
    FROM stale_days
    GROUP BY user_id
), located AS (
    SELECT p.*, p.started_at AT TIME ZONE u.time_zone AS local_start
    FROM counted_plays AS p  -- the plays no exclusion rule leaves out
    JOIN users AS u USING (user_id)
    JOIN bounds AS b USING (user_id)
    WHERE p.started_at >= b.earliest
      AND p.started_at < b.latest
)
SELECT l.user_id, l.local_start::date AS day, extract(hour FROM l.local_start)::smallint AS hour,
       l.started_at, l.ended_at, l.track_id, l.episode_id, l.ms_played, l.skipped,
       l.reason_end, l.shuffle, l.offline, l.platform
FROM located AS l
JOIN stale_days AS s ON s.user_id = l.user_id AND s.day = l.local_start::date;
