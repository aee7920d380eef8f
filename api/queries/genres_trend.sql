-- The parent genres' listening time per %(granularity)s ('day', 'week' from Monday, or
-- 'month') within the local date range, from the rollups: whole months from the monthly
-- one and every other day from the daily one (the same cut as items_between). One row per
-- period and set of distinct parent genres of a track's artists (`parents`, NULL for
-- tracks without a known genre), with the listening time of such tracks, in one pass over
-- the rollup's rows. The caller splits a track's time evenly between its parents: summed
-- here as integers, the same plays give the same figures whatever order they add up in.
WITH per_day_or_month AS (
    SELECT m.month AS period_start, m.item_id AS track_id, m.listening_ms
    FROM agg_monthly_items AS m
    WHERE m.user_id = %(user_id)s
      AND m.kind = 'track'
      AND %(granularity)s = 'month'
      AND whole_periods_from('month', %(from)s) < whole_periods_to('month', %(to)s)
      AND m.month >= whole_periods_from('month', %(from)s)
      AND m.month < whole_periods_to('month', %(to)s)
    UNION ALL
    SELECT date_trunc(%(granularity)s, d.day::timestamp)::date, d.item_id, d.listening_ms
    FROM agg_daily_items AS d
    WHERE d.user_id = %(user_id)s
      AND d.kind = 'track'
      AND d.day >= coalesce(%(from)s::date, '-infinity')
      AND d.day < CASE WHEN %(granularity)s = 'month'
                       THEN least(coalesce(%(to)s::date, 'infinity') + 1,
                                  whole_periods_from('month', %(from)s))
                       ELSE coalesce(%(to)s::date, 'infinity') + 1 END
    UNION ALL
    SELECT date_trunc('month', d.day::timestamp)::date, d.item_id, d.listening_ms
    FROM agg_daily_items AS d
    WHERE d.user_id = %(user_id)s
      AND d.kind = 'track'
      AND %(granularity)s = 'month'
      AND d.day >= greatest(whole_periods_to('month', %(to)s),
                            least(coalesce(%(to)s::date, 'infinity') + 1,
                                  whole_periods_from('month', %(from)s)))
      AND d.day <= coalesce(%(to)s::date, 'infinity')
), track_parents AS (
    -- One row per track (the planner then hashes it, its key being unique): its parents.
    SELECT ta.track_id, array_agg(DISTINCT g.parent_genre ORDER BY g.parent_genre) AS parents
    FROM agg_all_time_items AS played
    JOIN track_artists AS ta ON ta.track_id = played.item_id
    JOIN artist_genres AS g USING (artist_id)
    WHERE played.user_id = %(user_id)s AND played.kind = 'track'
    GROUP BY ta.track_id
)
SELECT p.period_start, tp.parents, sum(p.listening_ms)::bigint AS listening_ms
FROM per_day_or_month AS p
LEFT JOIN track_parents AS tp USING (track_id)
GROUP BY p.period_start, tp.parents
ORDER BY p.period_start, tp.parents;
