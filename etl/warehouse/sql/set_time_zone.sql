-- A user's days are cut in their time zone: changing it re-cuts every day of theirs.
INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO UPDATE SET time_zone = EXCLUDED.time_zone;

-- Every rollup cuts days (or names them): drop the user's rows, then mark every day stale.
DELETE FROM agg_daily_mood WHERE user_id = %(user_id)s;
DELETE FROM agg_daily_items WHERE user_id = %(user_id)s;
DELETE FROM agg_monthly_items WHERE user_id = %(user_id)s;
DELETE FROM agg_yearly_items WHERE user_id = %(user_id)s;
DELETE FROM agg_all_time_items WHERE user_id = %(user_id)s;
DELETE FROM agg_hourly WHERE user_id = %(user_id)s;
DELETE FROM agg_daily_context WHERE user_id = %(user_id)s;
DELETE FROM agg_sessions WHERE user_id = %(user_id)s;
DELETE FROM agg_first_plays WHERE user_id = %(user_id)s;
DELETE FROM agg_monthly_ranks WHERE user_id = %(user_id)s;

INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT user_id, (started_at AT TIME ZONE %(time_zone)s)::date
FROM fact_plays
WHERE user_id = %(user_id)s
ON CONFLICT DO NOTHING;
