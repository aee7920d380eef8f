-- Rebuild agg_daily_items for the stale days (take_stale_days.sql ran first).
DELETE FROM agg_daily_items AS a
USING stale_days AS s
WHERE a.user_id = s.user_id AND a.day = s.day;

INSERT INTO agg_daily_items (
    user_id, day, kind, item_id, plays, listening_ms, skips, skip_known, finished,
    first_started_at, last_started_at)
SELECT user_id, day,
       CASE WHEN track_id IS NOT NULL THEN 'track' ELSE 'episode' END,
       coalesce(track_id, episode_id),
       count(*),
       sum(ms_played),
       count(*) FILTER (WHERE skipped),
       count(skipped),
       count(*) FILTER (WHERE reason_end = 'trackdone'),
       min(started_at),
       max(started_at)
FROM stale_plays
GROUP BY 1, 2, 3, 4;
