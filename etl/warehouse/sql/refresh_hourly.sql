-- Rebuild agg_hourly for the stale days (take_stale_days.sql ran first).
DELETE FROM agg_hourly AS a
USING stale_days AS s
WHERE a.user_id = s.user_id AND a.day = s.day;

INSERT INTO agg_hourly (user_id, day, hour, kind, plays, listening_ms)
SELECT user_id, day, hour,
       CASE WHEN track_id IS NOT NULL THEN 'track' ELSE 'episode' END,
       count(*),
       sum(ms_played)
FROM stale_plays
GROUP BY 1, 2, 3, 4;
