-- Two users' music mood within the local days %(from)s..%(to)s, from agg_daily_mood: over
-- the whole range (month NULL) and per local month. Means weighted by the listening time of
-- tracks with features; coverage is that time's share of music listening time.
SELECT user_id = %(user_id)s AS mine,
       date_trunc('month', day::timestamp)::date AS month,
       GROUPING(date_trunc('month', day::timestamp)::date) = 1 AS whole_range,
       sum(listening_ms)::bigint AS listening_ms,
       sum(valence::float8 * featured_ms) / nullif(sum(featured_ms), 0) AS valence,
       sum(energy::float8 * featured_ms) / nullif(sum(featured_ms), 0) AS energy,
       sum(danceability::float8 * featured_ms) / nullif(sum(featured_ms), 0) AS danceability,
       coalesce(sum(featured_ms)::float8 / nullif(sum(listening_ms), 0), 0) AS coverage
FROM agg_daily_mood
WHERE user_id IN (%(user_id)s, %(friend_user_id)s)
  AND day >= coalesce(%(from)s::date, '-infinity')
  AND day <= coalesce(%(to)s::date, 'infinity')
GROUP BY GROUPING SETS ((user_id), (user_id, date_trunc('month', day::timestamp)::date))
ORDER BY month NULLS FIRST, mine DESC;
