-- The mood of the music of the inclusive local days %(from)s..%(to)s: daily values weighted
-- by featured_ms (the listening time whose tracks have features); coverage is the featured
-- share of the music time.
SELECT sum(valence::float8 * featured_ms) / nullif(sum(featured_ms), 0) AS valence,
       sum(energy::float8 * featured_ms) / nullif(sum(featured_ms), 0) AS energy,
       coalesce(sum(featured_ms)::float8 / nullif(sum(listening_ms), 0), 0) AS coverage,
       coalesce(sum(listening_ms), 0)::bigint AS listening_ms
FROM agg_daily_mood
WHERE user_id = %(user_id)s
  AND day BETWEEN %(from)s::date AND %(to)s::date;
