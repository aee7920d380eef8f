-- Rebuild agg_daily_context for the stale days (take_stale_days.sql ran first).
DELETE FROM agg_daily_context AS a
USING stale_days AS s
WHERE a.user_id = s.user_id AND a.day = s.day;

INSERT INTO agg_daily_context (user_id, day, platform, shuffle, offline, plays, listening_ms)
SELECT user_id, day, platform, shuffle, offline, count(*), sum(ms_played)
FROM stale_plays
GROUP BY 1, 2, 3, 4, 5;
