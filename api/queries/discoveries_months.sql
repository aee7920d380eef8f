-- Tracks and artists first played (ever) on the inclusive local days %(from)s..%(to)s (NULL:
-- open), per local month: every month from the first with a discovery to the last, zeros
-- included.
WITH per_month AS (
    SELECT date_trunc('month', day)::date AS month,
           count(*) FILTER (WHERE kind = 'track') AS tracks,
           count(*) FILTER (WHERE kind = 'artist') AS artists
    FROM agg_first_plays
    WHERE user_id = %(user_id)s
      AND kind IN ('track', 'artist')
      AND day >= coalesce(%(from)s::date, '-infinity')
      AND day <= coalesce(%(to)s::date, 'infinity')
    GROUP BY 1
)
SELECT m.month::date AS month, coalesce(p.tracks, 0) AS tracks, coalesce(p.artists, 0) AS artists
FROM generate_series((SELECT min(month) FROM per_month)::timestamp,
                     (SELECT max(month) FROM per_month)::timestamp,
                     interval '1 month') AS m(month)
LEFT JOIN per_month AS p ON p.month = m.month::date
ORDER BY m.month;
