-- A user's days are cut in their time zone: changing it re-cuts every day of theirs.
INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO UPDATE SET time_zone = EXCLUDED.time_zone;

DELETE FROM agg_daily_mood WHERE user_id = %(user_id)s;

INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT user_id, (started_at AT TIME ZONE %(time_zone)s)::date
FROM fact_plays
WHERE user_id = %(user_id)s
ON CONFLICT DO NOTHING;
