-- Mood per day, ISO week (from Monday) or month: daily values weighted by featured_ms,
-- the listening time whose tracks have features. Coverage: featured share of listening.
SELECT date_trunc(%(granularity)s, day::timestamp)::date AS period_start,
       sum(valence::float8 * featured_ms) / nullif(sum(featured_ms), 0) AS valence,
       sum(energy::float8 * featured_ms) / nullif(sum(featured_ms), 0) AS energy,
       coalesce(sum(featured_ms)::float8 / nullif(sum(listening_ms), 0), 0) AS coverage,
       sum(listening_ms) AS listening_ms
FROM agg_daily_mood
WHERE user_id = %(user_id)s
  AND day >= coalesce(%(from)s::date, '-infinity')
  AND day <= coalesce(%(to)s::date, 'infinity')
GROUP BY 1
ORDER BY 1;
