-- The parent genres' listening time per %(granularity)s ('day', 'week' from Monday, or
-- 'month') within the local date range, from the rollups: whole months from the monthly
-- one and every other day from the daily one (the same cut as items_between). A track's
-- time is split evenly between the distinct parent genres of its artists, so the genres'
-- times add up to the covered time. One row per period and genre (genre NULL for a period
-- with no covered time), with the period's music listening and covered time.
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
), per_track AS MATERIALIZED (
    SELECT period_start, track_id, sum(listening_ms)::bigint AS listening_ms
    FROM per_day_or_month
    GROUP BY period_start, track_id
), track_parents AS MATERIALIZED (
    SELECT tp.track_id, tp.parent_genre,
           1.0 / count(*) OVER (PARTITION BY tp.track_id) AS weight
    FROM (SELECT DISTINCT ta.track_id, g.parent_genre
          FROM (SELECT DISTINCT track_id FROM per_track) AS played
          JOIN track_artists AS ta USING (track_id)
          JOIN artist_genres AS g USING (artist_id)) AS tp
), periods AS (
    SELECT p.period_start, sum(p.listening_ms)::bigint AS listening_ms,
           coalesce(sum(p.listening_ms) FILTER (
               WHERE p.track_id IN (SELECT track_id FROM track_parents)), 0)::bigint
               AS covered_ms
    FROM per_track AS p
    GROUP BY p.period_start
), per_genre AS (
    -- numeric, not float: the same plays give the same shares whatever order they add in
    SELECT p.period_start, tp.parent_genre, sum(p.listening_ms * tp.weight) AS genre_ms
    FROM per_track AS p
    JOIN track_parents AS tp USING (track_id)
    GROUP BY p.period_start, tp.parent_genre
)
SELECT pe.period_start, pe.listening_ms, pe.covered_ms, g.parent_genre, g.genre_ms
FROM periods AS pe
LEFT JOIN per_genre AS g USING (period_start)
ORDER BY pe.period_start, g.parent_genre;
