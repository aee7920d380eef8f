-- The highlight days of the inclusive local days %(from)s..%(to)s:
-- - brightest / melancholic: the highest / lowest valence among the mood days, those with at
--   least %(min_mood_ms)s ms of music of which a share of at least %(min_coverage)s has
--   audio features (ties: more music, then the earlier day); the melancholic day is
--   another day than the brightest, so one mood day alone is only the brightest;
-- - busiest: the most listening time, music and episodes (ties: more plays, earlier day).
-- Each row: the day's totals, its mood (when it had music) and its most listened track.
WITH mood_days AS (
    SELECT day, valence, listening_ms
    FROM agg_daily_mood
    WHERE user_id = %(user_id)s
      AND day BETWEEN %(from)s::date AND %(to)s::date
      AND valence IS NOT NULL
      AND listening_ms >= %(min_mood_ms)s
      AND coverage >= %(min_coverage)s
), brightest AS (
    SELECT day FROM mood_days ORDER BY valence DESC, listening_ms DESC, day LIMIT 1
), melancholic AS (
    SELECT day FROM mood_days
    WHERE day NOT IN (SELECT day FROM brightest)
    ORDER BY valence, listening_ms DESC, day
    LIMIT 1
), busiest AS (
    SELECT day
    FROM agg_hourly
    WHERE user_id = %(user_id)s
      AND day BETWEEN %(from)s::date AND %(to)s::date
    GROUP BY day
    ORDER BY sum(listening_ms) DESC, sum(plays) DESC, day
    LIMIT 1
), picked AS (
    SELECT 'brightest' AS highlight, day FROM brightest
    UNION ALL
    SELECT 'melancholic', day FROM melancholic
    UNION ALL
    SELECT 'busiest', day FROM busiest
)
SELECT picked.highlight, picked.day AS date, totals.plays, totals.listening_ms,
       mood.valence, mood.energy, mood.coverage,
       top.track_id, top.name, top.artists
FROM picked
CROSS JOIN LATERAL (
    SELECT sum(plays)::bigint AS plays, sum(listening_ms)::bigint AS listening_ms
    FROM agg_hourly
    WHERE user_id = %(user_id)s AND day = picked.day
) AS totals
LEFT JOIN agg_daily_mood AS mood ON mood.user_id = %(user_id)s AND mood.day = picked.day
LEFT JOIN LATERAL (
    SELECT t.track_id, t.name,
           ARRAY(SELECT a.name
                 FROM track_artists AS ta
                 JOIN dim_artists AS a USING (artist_id)
                 WHERE ta.track_id = t.track_id
                 ORDER BY ta.position) AS artists
    FROM agg_daily_items AS i
    JOIN dim_tracks AS t ON t.track_id = i.item_id
    WHERE i.user_id = %(user_id)s AND i.day = picked.day AND i.kind = 'track'
    ORDER BY i.listening_ms DESC, i.plays DESC, t.name, t.track_id
    LIMIT 1
) AS top ON true;
